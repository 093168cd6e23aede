"""Gradient Lens's Python tracer (trace mode, issue 9). Standard library only, Python 3.8+.

    python3 gradlens_tracer.py REQUEST.json

Runs the user's program (a file, or a notebook's code cells in one globals dict) as `__main__`
and writes what each `@grad` site held at its last execution to the request's resultPath, in
the shape of src/trace/protocol.ts. The request is read, the result written, nothing else: no
other file is written, and nothing is printed (the program's output must be exactly what an
untraced run prints; the tracer's own failures go into the result).

Why probes and not sys.settrace: a line tracer slows pure-Python engines 2-5x. Instead each unit
is parsed with `ast` and a probe call is inserted right after each annotated statement (or
wrapped around the returned / bare expression, so it is evaluated once). The inserted nodes
carry the statement's own positions, so tracebacks are unchanged.

Why gradients only at the end: the last execution of a site is known only when the program ends.
A probe keeps the value and the names in scope. What training changes later is the nodes' `.data`
(`p.data -= lr * p.grad`), so before each statement that writes a `.data` (in the program, and in
its own modules, compiled by an import finder for the workspace's source files) a call snapshots
the data of the graphs whose last execution has none yet: one walk per write, not one per
execution. At the end, for each site's last execution, the snapshot is put back, every reachable
grad is saved and zeroed, the user's own `backward()` runs, the grads are read, and grads and data
are restored exactly. PyTorch scalars are measured at the execution (torch.autograd.grad with
retain_graph), since the program's own backward() frees the graph.

Not seen: a `.data` changed by code outside the workspace, through __dict__ or a computed setattr().
"""

import ast
import atexit
import builtins
import importlib.machinery
import importlib.util
import io
import json
import linecache
import _thread
import math
import numbers
import os
import re
import signal
import sys
import time
import traceback
import types

PROTOCOL_VERSION = 1
PROBE = "__gradlens_probe__"  # builtins name: not mangled in class bodies (it ends with __)
COUNT = "__gradlens_count__"
BEFORE_DATA_WRITE = "__gradlens_before_data_write__"
NOTHING = object()

# Where a node's inputs are, in this order: a copy of TRACE_CHILD_FIELDS in src/trace/protocol.ts
# (a unit test holds the two equal). An entry that is not a node is read as minitorch-style ports
# store it: a (node, grad_fn) pair, or an object holding the node in one of ENTRY_FIELDS (a copy of
# TRACE_ENTRY_FIELDS).
CHILD_FIELDS = (
    "_prev",
    "_children",
    "children",
    "prev",
    "prevs",
    "_parents",
    "parents",
    "inputs",
    "_inputs",
    "operands",
    "_operands",
    "depends_on",
)
ENTRY_FIELDS = ("tensor", "parent", "node", "variable", "value")
OP_FIELDS = ("_op", "op")
LABEL_FIELDS = ("label", "name")
EXPONENT_FIELDS = ("exponent", "_exponent", "power", "_power")
BACKWARD_METHODS = ("backward", "backprop")
CONTAINERS = (set, frozenset, tuple, list)
POW_OP = re.compile(r"^\s*(?:\*\*|\^|pow)\s*\(?\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*\)?\s*$")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
PLAIN_NUMBERS = (int, float)


# ---- Reading numbers and nodes by duck typing ---------------------------------------------------


def number(x):
    """A finite float from a number, a numpy scalar or a one-element array/tensor; else None."""
    try:
        t = type(x)
        if t is float or t is int:
            f = float(x)
        elif x is None or t is bool:
            return None
        elif isinstance(x, numbers.Real):  # numpy scalars, Fraction
            f = float(x)
        elif callable(getattr(x, "item", None)) and one_element(x):
            f = float(x.item())
        else:
            return None
    except Exception:
        return None
    return f if math.isfinite(f) else None


def one_element(x):
    try:
        numel = getattr(x, "numel", None)
        size = numel() if callable(numel) else getattr(x, "size", None)
        return size == 1
    except Exception:
        return False


def copied(data):
    """A value that later in-place updates (`p.data += …` on a 0-d array) cannot change."""
    if type(data) in PLAIN_NUMBERS or data is None:
        return data
    copy = getattr(data, "copy", None)
    if callable(copy):
        try:
            return copy()
        except Exception:
            return data
    clone = getattr(data, "clone", None)
    if callable(clone):
        try:
            return clone()
        except Exception:
            return data
    return data


class Shape:
    """A type of node: its children fields, those its first instance has first (read on every walk)."""

    __slots__ = ("children", "primary")

    def __init__(self, obj):
        present = [f for f in CHILD_FIELDS if _has(obj, f)]
        self.children = tuple(present + [f for f in CHILD_FIELDS if f not in present])
        self.primary = self.children[0]


def _has(obj, field):
    try:
        return hasattr(obj, field)
    except Exception:
        return False


_shapes = {}
NOT_A_NODE = "not a node"
TORCH = "torch"


def shape_of(obj):
    """Shape for a duck-typed node, TORCH for a torch tensor, NOT_A_NODE otherwise (cached per type)."""
    t = type(obj)
    shape = _shapes.get(t)
    if shape is None:
        if t in PLAIN_NUMBERS or t is str or t is bool or obj is None or t in CONTAINERS or t is dict:
            shape = NOT_A_NODE
        elif isinstance(obj, type):  # a class has its instances' fields as descriptors: not a node
            return NOT_A_NODE
        elif _has(obj, "grad_fn") and _has(obj, "requires_grad") and "torch" in sys.modules:
            shape = TORCH
        elif _has(obj, "data") and _has(obj, "grad"):
            shape = Shape(obj)
        else:
            shape = NOT_A_NODE
        _shapes[t] = shape
    return shape


def children_of(node, shape):
    kids = held_children(node, shape)
    if kids:
        # Entries that are nodes (micrograd) are returned as held; else each entry is unwrapped.
        first = next(iter(kids))
        if not is_node(first):
            return [k for k in map(entry_node, kids) if k is not None]
    return kids


def held_children(node, shape):
    try:
        kids = getattr(node, shape.primary)
        if isinstance(kids, CONTAINERS):
            return kids
    except Exception:
        pass
    for field in shape.children:
        try:
            kids = getattr(node, field)
        except Exception:
            continue
        if isinstance(kids, CONTAINERS):
            return kids
    return ()


def is_node(obj):
    return isinstance(_shapes.get(type(obj)) or shape_of(obj), Shape)


def entry_node(entry):
    """An input entry's node: itself, the first of a (node, grad_fn) pair, or an entry object's field."""
    if is_node(entry):
        return entry
    if isinstance(entry, (tuple, list)):
        return entry[0] if entry and is_node(entry[0]) else None
    for field in ENTRY_FIELDS:
        held = _get(entry, field)
        if held is not None and is_node(held):
            return held
    return None


def walk(root, limit):
    """The nodes reachable from root (root first, depth-first preorder), and whether it stopped at limit."""
    seen = {id(root)}
    order = []
    stack = [root]
    shapes = _shapes
    while stack:
        node = stack.pop()
        order.append(node)
        if len(order) > limit:
            return order, True
        shape = shapes.get(type(node)) or shape_of(node)
        kids = children_of(node, shape)
        if kids:
            for kid in reversed(kids if not isinstance(kids, (set, frozenset)) else list(kids)):
                k = id(kid)
                if k not in seen:
                    seen.add(k)
                    if isinstance(shapes.get(type(kid)) or shape_of(kid), Shape):
                        stack.append(kid)
    return order, False


def first_field(node, fields, accept):
    for field in fields:
        try:
            value = getattr(node, field)
        except Exception:
            continue
        if accept(value):
            return value
    return None


def op_of(node):
    op = first_field(node, OP_FIELDS, lambda v: isinstance(v, str))
    return op if op is not None else ""


def label_of(node):
    label = first_field(node, LABEL_FIELDS, lambda v: isinstance(v, str))
    return label if label else None


def exponent_of(node, op):
    m = POW_OP.match(op) if op else None
    if m:
        try:
            return float(m.group(1))
        except ValueError:
            pass
    if op and ("pow" in op.lower() or "**" in op or op.strip() == "^"):
        value = first_field(node, EXPONENT_FIELDS, lambda v: number(v) is not None)
        return number(value) if value is not None else None
    return None


def non_finite(x):
    """"NaN" or "infinite" for a float (or numpy scalar) that is one; else None."""
    try:
        if isinstance(x, numbers.Real) and not isinstance(x, bool):
            f = float(x)
            if math.isnan(f):
                return "NaN (not a number: a log or sqrt of a negative, 0/0, inf - inf)"
            if math.isinf(f):
                return "infinite (%s)" % f
    except Exception:
        pass
    return None


def describe(value):
    """How a non-number value is named in a note: its type and, for containers, its length."""
    kind = type(value).__name__
    try:
        if isinstance(value, (list, tuple, dict, set)):
            return "a %s of %d items" % (kind, len(value))
    except Exception:
        pass
    return "a %s" % kind if value is not None else "None"


class Silenced:
    """The user's backward() may print: nothing of the tracer's work reaches the program's output."""

    def __enter__(self):
        self.saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = io.StringIO()

    def __exit__(self, *exc):
        sys.stdout, sys.stderr = self.saved
        return False


# ---- What a probe records -----------------------------------------------------------------------


class Site:
    __slots__ = (
        "id",
        "executions",
        "history",
        "stride",
        "last",  # the value at the last execution
        "number",  # the value at the last execution, as a number (or None)
        "names",  # (locals, globals) copies at the last execution
        "snapshot",  # {id(node): (node, data)} as at the last execution; None while nothing has changed
        "ready",  # a finished `last` dict (torch, computed at the execution)
        "unreadable",  # why the statement's value cannot be read (a note), or None
    )

    def __init__(self, site_id):
        self.id = site_id
        self.executions = 0
        self.history = []
        self.stride = 1
        self.last = None
        self.number = None
        self.names = None
        self.snapshot = None
        self.ready = None
        self.unreadable = None


class Tracer:
    def __init__(self, request):
        self.request = request
        self.limit = max(1, int(request.get("graphNodeLimit", 20000)))
        self.history_limit = max(1, int(request.get("historyLimit", 1000)))
        self.sites = [Site(s["id"]) for s in request["sites"]]
        self.by_id = {s.id: s for s in self.sites}
        self.unit_names = [u["name"] for u in request["units"]]
        self.error = None
        self.stopped = None
        self.finished = False
        self.state = "running"  # then "finishing", then "finished"
        self.deadline_passed = False
        # Sites whose last execution has no snapshot yet: nothing has written a `.data` since.
        self.pending = {}

    # The probes run inside the user's program: cheap, and never raising into it.

    def probe(self, site_id, value):
        site = self.by_id[site_id]
        try:
            self.record(site, value, sys._getframe(1))
        except Exception as err:  # a tracer bug must not change the program
            site.unreadable = "the tracer failed to read the value: %s: %s" % (type(err).__name__, clip(str(err)))
        return value

    def count(self, site_id):
        site = self.by_id.get(site_id)
        if site is not None:
            site.executions += 1

    def record(self, site, value, frame):
        site.executions += 1
        shape = shape_of(value)
        if isinstance(shape, Shape):
            # No walk here: the snapshot waits for the next `.data` write (see before_data_write),
            # so a site inside a method called thousands of times costs little more than a call.
            n = number(_get(value, "data"))
            self.remember(site, n)
            site.last, site.number, site.snapshot, site.ready = value, n, None, None
            site.names = scope_of(frame)
            self.pending[site.id] = site
        elif shape is TORCH:
            self.remember(site, torch_number(value))
            site.last, site.snapshot, site.names = value, None, None
            site.ready = torch_last(value, scope_of(frame), self.limit)
        else:
            self.remember(site, number(value))
            site.last, site.snapshot, site.names, site.ready = value, None, None, None

    def before_data_write(self, obj=NOTHING):
        """Called before each statement of the user's code that writes a `.data`: takes the pending
        snapshots. A first write (`self.data = data` in a constructor) changes no existing node."""
        if not self.pending:
            return
        try:
            if obj is not NOTHING and not hasattr(obj, "data"):
                return
        except Exception:
            pass
        pending = list(self.pending.values())
        self.pending.clear()
        try:
            take_snapshots(pending)
        except Exception as err:
            for site in pending:
                site.unreadable = "the tracer failed to keep the data: %s: %s" % (type(err).__name__, clip(str(err)))

    def remember(self, site, value):
        """Every execution's value while they fit; past 2x the limit, every other one is dropped."""
        if (site.executions - 1) % site.stride:
            return
        history = site.history
        history.append(value)
        if len(history) >= 2 * self.history_limit:
            del history[1::2]
            site.stride *= 2

    # ---- At the end ---------------------------------------------------------------------------

    def result(self):
        torch = sys.modules.get("torch")
        version = getattr(torch, "__version__", None) if torch is not None else None
        return {
            "version": PROTOCOL_VERSION,
            "finished": self.finished,
            "stopped": self.stopped,
            "interpreter": "Python " + sys.version.split()[0],
            "torch": str(version) if version is not None else None,
            "error": self.error,
            "sites": [self.site_result(s) for s in self.sites],
        }

    def site_result(self, site):
        history = site.history
        stride = site.stride
        if len(history) > self.history_limit:
            history = history[::2]
            stride *= 2
        if site.executions == 0:
            last = None
        else:
            try:
                last = self.last_of(site)
            except Exception as err:
                last = unsupported(None, "the tracer failed here: %s: %s" % (type(err).__name__, clip(str(err))))
        return {
            "id": site.id,
            "executions": site.executions,
            "history": history,
            "historyStride": stride,
            "last": last,
        }

    def last_of(self, site):
        if site.unreadable:
            return unsupported(None, site.unreadable)
        if site.ready is not None:
            return site.ready
        value = site.last
        if isinstance(shape_of(value), Shape):
            return self.value_site(site)
        n = number(value)
        if n is not None:
            return {"kind": "number", "value": n, "note": None, "variables": [], "graph": None}
        why = non_finite(value)
        if why is not None:
            return {"kind": "number", "value": None, "note": "the value is %s" % why, "variables": [], "graph": None}
        return unsupported(None, "the value is %s, not a Value with `data` and `grad`" % describe(value))

    def value_site(self, site):
        target = site.last
        snapshot = site.snapshot or {}  # none: nothing wrote a `.data` since the execution
        root_data = site.number
        nodes, over = walk(target, self.limit)
        if over:
            note = "the graph has more than %d nodes (graphNodeLimit): no graph and no gradients" % self.limit
            if root_data is None:
                return unsupported(None, note)
            return {"kind": "value", "value": root_data, "note": note, "variables": [], "graph": None}
        # Put the data back as it was at the execution; keep what it is now to restore it after.
        now = []
        unset = None
        for node in nodes:
            entry = snapshot.get(id(node))
            try:
                current = node.data
            except Exception:
                current = None
            now.append(current)
            if entry is not None and entry[1] is not current:
                try:
                    node.data = copied(entry[1])
                except Exception as err:
                    unset = unset or "%s: %s" % (type(err).__name__, clip(str(err)))
        try:
            grads, note = backward_grads(target, nodes)
            no_backward = not any(callable(_get(target, m)) for m in BACKWARD_METHODS)
            if unset is not None and grads is not None:
                note = (
                    "gradients taken with the data at the end of the run, which may differ from the last "
                    "execution's (the tracer could not set `data` back: %s)" % unset
                )
            # Read after backward(): a lazy engine runs its forward pass there.
            datas = [number(_get(node, "data")) for node in nodes]
        finally:
            for node, current in zip(nodes, now):
                try:
                    if _get(node, "data") is not current:
                        node.data = current
                except Exception:
                    pass
        index = {id(node): i for i, node in enumerate(nodes)}
        graph_nodes = []
        for i, node in enumerate(nodes):
            op = op_of(node)
            kids = children_of(node, shape_of(node))
            graph_nodes.append(
                {
                    "id": i,
                    "data": datas[i],
                    "grad": grads[i] if grads is not None else None,
                    "op": op,
                    "label": label_of(node),
                    "children": [index[id(k)] for k in kids if id(k) in index],
                    "exponent": exponent_of(node, op),
                }
            )
        is_leaf = lambda i: not graph_nodes[i]["children"]  # noqa: E731
        variables = named_nodes(site.names, index, is_leaf)
        variables += member_nodes(site.names, index, {0} | {v["node"] for v in variables}, is_leaf)
        if root_data is None:
            root_data = datas[0]
        if root_data is None:
            data = _get(target, "data")
            why = non_finite(data)
            if why is not None:
                return unsupported(None, "`data` of the value is %s" % why)
            return unsupported(None, "`data` of the value is %s, not a number" % describe(data))
        result = {
            # A value without backward() is still a value (its graph is shown); one whose
            # backward() failed is not measured.
            "kind": "value" if grads is not None or no_backward else "unsupported",
            "value": root_data,
            "note": note,
            "variables": variables,
            "graph": {"root": 0, "nodes": graph_nodes},
        }
        if no_backward:
            result["noBackward"] = True
        return result


def take_snapshots(sites):
    """The data of every node reachable from the sites' values, as it is now (before a write). One
    walk for all: a node their graphs share (a neuron's output inside the loss) is visited once.
    Not bounded by graphNodeLimit: that is checked at the end; this costs what building the graph
    cost the program."""
    shared = {}
    shapes = _shapes
    for site in sites:
        root = site.last
        if id(root) not in shared:
            shared[id(root)] = (root, copied(getattr(root, "data", None)))
            stack = [root]
            while stack:
                node = stack.pop()
                kids = children_of(node, shapes.get(type(node)) or shape_of(node))
                for kid in kids:
                    k = id(kid)
                    if k not in shared and isinstance(shapes.get(type(kid)) or shape_of(kid), Shape):
                        data = getattr(kid, "data", None)
                        shared[k] = (kid, data if type(data) is float else copied(data))
                        stack.append(kid)
        site.snapshot = shared


def _get(obj, field):
    try:
        return getattr(obj, field)
    except Exception:
        return None


def unsupported(value, note):
    return {"kind": "unsupported", "value": value, "note": note, "variables": [], "graph": None}


def scope_of(frame):
    """Copies of the names in scope at the probe: locals first, then globals (one dict at module level)."""
    g = frame.f_globals
    loc = frame.f_locals
    if loc is g:
        return (dict(g),)
    return (dict(loc), dict(g))


def named_nodes(scopes, index, is_leaf):
    """The names bound to graph nodes other than the root, locals shadowing globals."""
    out = []
    if not scopes:
        return out
    seen = set()
    for scope in scopes:
        for name, obj in scope.items():
            if name in seen:
                continue
            seen.add(name)
            if name.startswith("__") and name.endswith("__"):
                continue
            i = index.get(id(obj))
            if i is None or i == 0:
                continue
            out.append({"name": name, "node": i, "leaf": bool(is_leaf(i))})
    return out


MEMBER_LIMIT = 256  # members looked at per object, items per list: a large one is no name source
NOT_HOLDERS = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType)


def member_nodes(scopes, index, named, is_leaf):
    """Names for the graph's nodes no plain name refers to: `self.w[0]`, `self.b`, `params[1]`. Each
    object or list a name held at the execution is looked into one level down, at the end of the
    run: a member reassigned since names the node it holds now, and only graph nodes get a name."""
    out = []
    if not scopes:
        return out

    def take(name, obj):
        i = index.get(id(obj))
        if i is not None and i not in named:
            named.add(i)
            out.append({"name": name, "node": i, "leaf": bool(is_leaf(i))})

    def items(name, seq):
        for k, obj in enumerate(seq[:MEMBER_LIMIT]):
            take("%s[%d]" % (name, k), obj)

    seen = set()
    for scope in scopes:
        for name, holder in scope.items():
            if name in seen or (name.startswith("__") and name.endswith("__")):
                continue
            seen.add(name)
            if isinstance(holder, (list, tuple)):
                items(name, holder)
                continue
            if isinstance(holder, NOT_HOLDERS) or id(holder) in index or shape_of(holder) is not NOT_A_NODE:
                continue
            members = _get(holder, "__dict__")
            if not isinstance(members, dict):
                continue
            for attr, obj in list(members.items())[:MEMBER_LIMIT]:
                if not isinstance(attr, str) or not attr.isidentifier():
                    continue
                if isinstance(obj, (list, tuple)):
                    items("%s.%s" % (name, attr), obj)
                else:
                    take("%s.%s" % (name, attr), obj)
    return out


def zero_like(grad):
    if grad is None:
        return None
    if type(grad) in PLAIN_NUMBERS:
        return type(grad)(0)
    try:
        return grad * 0
    except Exception:
        return 0.0


def one_like(grad):
    if grad is None or type(grad) is bool:
        return 1.0
    if type(grad) in PLAIN_NUMBERS:
        return type(grad)(1)
    try:
        return grad * 0 + 1
    except Exception:
        return 1.0


NO_BACKWARD = "the value has no backward() method: no gradients from your engine"


def zero_grads(nodes, saved):
    """Every grad set to zero; the error of the first that cannot be set (a property without a
    setter, __slots__ without grad), else None: then the user's backward() cannot start clean."""
    for node, grad in zip(nodes, saved):
        try:
            node.grad = zero_like(grad)
        except Exception as err:
            return "%s: %s" % (type(err).__name__, clip(str(err)))
    return None


def run_backward(method):
    try:
        with Silenced():
            method()
    except Exception as err:
        return "%s() raised %s: %s" % (method.__name__, type(err).__name__, clip(str(err)))
    return None


def backward_grads(target, nodes):
    """The user's engine's d(target)/d(node) for every node, leaving every grad as it found it."""
    method = None
    for name in BACKWARD_METHODS:
        candidate = _get(target, name)
        if callable(candidate):
            method = candidate
            break
    if method is None:
        return None, no_backward_note(target)
    saved = [_get(node, "grad") for node in nodes]
    try:
        unset = zero_grads(nodes, saved)
        if unset is not None:
            return None, "the tracer could not set the gradient (`grad`) to 0 to run your backward(): %s" % unset
        failed = run_backward(method)
        # An engine whose backward() does not seed its output (the program sets `L.grad = 1.0`
        # before `L.backward()`) leaves the output's gradient at 0, and every other one with it (or
        # raises on a None grad): run it again with the output seeded as the program does. Not
        # seeded first: an engine that adds its own seed (`self.grad += 1`, minitorch's
        # `grad if self.grad is None else self.grad + grad`) would then double every gradient.
        seeded = number(_get(target, "grad"))
        if failed is not None or not seeded:
            zero_grads(nodes, saved)
            try:
                target.grad = one_like(saved[0])
                again = run_backward(method)
            except Exception as err:
                again = "%s: %s" % (type(err).__name__, clip(str(err)))
            if again is None:
                failed = None
            elif failed is None:
                failed = again
        if failed is not None:
            return None, failed
        return [number(_get(node, "grad")) for node in nodes], None
    finally:
        for node, grad in zip(nodes, saved):
            try:
                if _get(node, "grad") is not grad:
                    node.grad = grad
            except Exception:
                pass


def no_backward_note(target):
    """Why there are no gradients from the user's engine, naming a hand-called `_backward` or a free function."""
    if callable(_get(target, "_backward")):
        return NO_BACKWARD + " (it has a `_backward`, the step of one node: the tracer calls only a whole backward())"
    return NO_BACKWARD + " (a free function `backward(root)` is not called by the tracer)"


def clip(text, limit=300):
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---- PyTorch scalars: measured at the execution (a later backward() frees the graph) ------------


def torch_number(t):
    try:
        if t.numel() != 1:
            return None
        return number(t.detach().reshape(()).item())
    except Exception:
        return None


def torch_last(target, scopes, limit):
    torch = sys.modules.get("torch")
    try:
        numel = target.numel()
    except Exception as err:
        return unsupported(None, "could not read the tensor: %s" % err)
    if numel != 1:
        return unsupported(None, "a tensor of shape %s: only scalars are traced" % (tuple(target.shape),))
    value = torch_number(target)
    if not target.requires_grad:
        return {"kind": "torch", "value": value, "note": "the tensor does not require grad", "variables": [], "graph": None}
    # The graph of autograd Functions; a leaf is its AccumulateGrad (its .variable is the tensor).
    root_fn = target.grad_fn
    entries = [{"fn": root_fn, "tensor": target, "children": []}]
    index = {id(root_fn) if root_fn is not None else id(target): 0}
    k = 0
    while k < len(entries):
        fn = entries[k]["fn"]
        if fn is not None:
            for nxt, _ in getattr(fn, "next_functions", ()) or ():
                if nxt is None:
                    continue
                j = index.get(id(nxt))
                if j is None:
                    if len(entries) >= limit:
                        return {
                            "kind": "torch",
                            "value": value,
                            "note": "the graph has more than %d nodes (graphNodeLimit): no graph" % limit,
                            "variables": [],
                            "graph": None,
                        }
                    j = len(entries)
                    index[id(nxt)] = j
                    entries.append({"fn": nxt, "tensor": getattr(nxt, "variable", None), "children": []})
                entries[k]["children"].append(j)
        k += 1
    # Names bound to intermediates: a tensor whose grad_fn is one of the graph's Functions.
    by_tensor = {id(e["tensor"]): i for i, e in enumerate(entries) if e["tensor"] is not None}
    for scope in scopes:
        for obj in scope.values():
            fn = getattr(obj, "grad_fn", None) if shape_of(obj) is TORCH else None
            if fn is not None and id(fn) in index and entries[index[id(fn)]]["tensor"] is None:
                entries[index[id(fn)]]["tensor"] = obj
                by_tensor[id(obj)] = index[id(fn)]
    inputs = [(i, e["tensor"]) for i, e in enumerate(entries) if i != 0 and e["tensor"] is not None]
    grads = [None] * len(entries)
    grads[0] = 1.0
    note = None
    if inputs:
        try:
            got = torch.autograd.grad(target, [t for _, t in inputs], retain_graph=True, allow_unused=True)
            for (i, _), g in zip(inputs, got):
                grads[i] = torch_number(g) if g is not None else 0.0
        except Exception as err:
            grads = [None] * len(entries)
            note = "torch.autograd.grad raised %s: %s" % (type(err).__name__, clip(str(err)))
    nodes = []
    for i, e in enumerate(entries):
        t = e["tensor"]
        leaf = e["fn"] is None or hasattr(e["fn"], "variable")
        nodes.append(
            {
                "id": i,
                "data": torch_number(t) if t is not None else None,
                "grad": grads[i],
                "op": "" if leaf else type(e["fn"]).__name__,
                "label": None,
                "children": e["children"],
                "exponent": None,
            }
        )
    variables = named_nodes(scopes, by_tensor, lambda i: not nodes[i]["children"])
    return {
        "kind": "torch" if note is None else "unsupported",
        "value": value,
        "note": note,
        "variables": variables,
        "graph": {"root": 0, "nodes": nodes},
    }


# ---- Placing the probes -------------------------------------------------------------------------


def line_starts_utf16(source):
    """Offsets (in UTF-16 code units, as the editor counts) where each line starts, and the lines."""
    starts = [0]
    lines = []
    at = 0
    pos = 0
    for m in LINE_BREAK.finditer(source):
        line = source[pos : m.start()]
        lines.append(line)
        at += utf16_len(line) + (m.end() - m.start())
        starts.append(at)
        pos = m.end()
    lines.append(source[pos:])
    return starts, lines


def utf16_len(text):
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def column_utf16(line, col_bytes):
    if line.isascii():
        return col_bytes
    return utf16_len(line.encode("utf-8")[:col_bytes].decode("utf-8", "replace"))


FORMS = {
    "assign": (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr),
    "return": (ast.Return,),
    "expression": (ast.Expr,),
}


HANDLED = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr, ast.Return)


def statement_lists(tree):
    """Every list of statements in the tree (bodies, else branches, handlers' bodies, cases)."""
    for node in ast.walk(tree):
        for field, value in ast.iter_fields(node):
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                yield value


def place(tree, source, sites):
    """For each site, the statement list holding it and the statement; None where not found."""
    starts, lines = line_starts_utf16(source)
    by_position = {}
    by_line = {}
    for body in statement_lists(tree):
        for stmt in body:
            line = stmt.lineno - 1
            text = lines[line] if line < len(lines) else ""
            key = (line, column_utf16(text, stmt.col_offset))
            by_position[key] = (body, stmt)
            by_line.setdefault(line, []).append((body, stmt))
    placed = {}
    for site in sites:
        start = site["start"]
        line = max(0, _line_of(starts, start))
        key = (line, start - starts[line])
        forms = FORMS.get(site["form"], ())
        hit = by_position.get(key)
        # The statement at the site's offset, whatever form the request names; else by line and form.
        if hit is None or not isinstance(hit[1], HANDLED):
            candidates = [h for h in by_line.get(site["line"], []) if isinstance(h[1], forms)]
            hit = candidates[-1] if candidates else None
        placed[site["id"]] = hit
    return placed


def _line_of(starts, offset):
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def located(node, at):
    """The new nodes (and only them) take `at`'s positions: tracebacks stay the same."""
    for n in ast.walk(node):
        ast.copy_location(n, at)
    return node


def wrapped(site_id, expr):
    """`__gradlens_probe__(id, expr)`: the probe returns the value, so expr is evaluated once."""
    func = ast.Name(id=PROBE, ctx=ast.Load())
    sid = ast.Constant(value=site_id)
    node = ast.Call(func=func, args=[sid, expr], keywords=[])
    for n in (node, func, sid):
        ast.copy_location(n, expr)
    return node


def probe_after(site_id, read, stmt):
    """`__gradlens_probe__(id, target)` as a statement of its own, placed after stmt."""
    probe = ast.Call(func=ast.Name(id=PROBE, ctx=ast.Load()), args=[ast.Constant(value=site_id), read], keywords=[])
    return located(ast.Expr(value=probe), stmt)


def count_after(site_id, stmt):
    counter = ast.Call(func=ast.Name(id=COUNT, ctx=ast.Load()), args=[ast.Constant(value=site_id)], keywords=[])
    return located(ast.Expr(value=counter), stmt)


def readable(target):
    """A copy of an assignment target that reads it again without side effects, else None."""
    if isinstance(target, ast.Name):
        return ast.Name(id=target.id, ctx=ast.Load())
    if isinstance(target, ast.Attribute):
        inner = readable(target.value)
        return ast.Attribute(value=inner, attr=target.attr, ctx=ast.Load()) if inner is not None else None
    if isinstance(target, ast.Subscript):
        inner = readable(target.value)
        index = target.slice
        if isinstance(index, getattr(ast, "Index", ())):  # Python 3.8 wraps the index
            index = index.value
        if inner is None or not isinstance(index, (ast.Constant, ast.Name)):
            return None
        copy = ast.Constant(value=index.value) if isinstance(index, ast.Constant) else ast.Name(id=index.id, ctx=ast.Load())
        if isinstance(target.slice, getattr(ast, "Index", ())):
            copy = ast.Index(value=copy)
        return ast.Subscript(value=inner, slice=copy, ctx=ast.Load())
    return None


def instrument(tree, source, sites, tracer):
    """Inserts the probes for the sites of one unit; a site not found stays unreached."""
    placed = place(tree, source, sites)
    inserts = []  # (statement list, site statement, probe statement)
    for site in sites:
        hit = placed.get(site["id"])
        if hit is None:
            continue
        body, stmt = hit
        sid = site["id"]
        if isinstance(stmt, ast.Return):
            if stmt.value is not None:
                stmt.value = wrapped(sid, stmt.value)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.NamedExpr):  # (name := expr)
            inserts.append((body, stmt, probe_after(sid, ast.Name(id=stmt.value.target.id, ctx=ast.Load()), stmt)))
        elif isinstance(stmt, ast.Expr):
            stmt.value = wrapped(sid, stmt.value)
        else:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            named = [t for t in targets if isinstance(t, ast.Name) and t.id == site.get("target")]
            if named:
                inserts.append((body, stmt, probe_after(sid, ast.Name(id=named[0].id, ctx=ast.Load()), stmt)))
            elif isinstance(stmt, ast.AugAssign):
                read = readable(stmt.target)
                if read is not None:
                    inserts.append((body, stmt, probe_after(sid, read, stmt)))
                else:
                    tracer.by_id[sid].unreadable = "the updated target cannot be read again without side effects"
                    inserts.append((body, stmt, count_after(sid, stmt)))
            elif getattr(stmt, "value", None) is not None:
                # `self.w = expr`, `a, b = expr`: the value assigned, evaluated once.
                stmt.value = wrapped(sid, stmt.value)
    for body, stmt, probe in inserts:
        at = next(i for i, s in enumerate(body) if s is stmt)
        body.insert(at + 1, probe)
    guard_data_writes(tree)


# ---- Keeping the data before the program changes it ---------------------------------------------


def data_write_receiver(stmt):
    """For a statement that writes a `.data` (`p.data += …`, `p.data[0] = …`, `p.data.fill(0)`), the
    expression of the object written to; NOTHING when it writes none."""
    targets = []
    if isinstance(stmt, ast.Assign):
        targets = stmt.targets
    elif isinstance(stmt, (ast.AugAssign, ast.AnnAssign)):
        targets = [stmt.target]
    elif isinstance(stmt, ast.Delete):
        targets = stmt.targets
    for target in targets:
        for node in ast.walk(target):
            if isinstance(node, ast.Attribute) and node.attr == "data" and isinstance(node.ctx, (ast.Store, ast.Del)):
                return node.value
            if isinstance(node, ast.Subscript) and _data_attribute(node.value) is not None:
                return _data_attribute(node.value)
    if isinstance(stmt, (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return)):
        for node in ast.walk(stmt):
            # An in-place method on the data: `p.data.fill(0)`, `p.data.__iadd__(g)`.
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                receiver = _data_attribute(node.func.value)
                if receiver is not None:
                    return receiver
            # `setattr(p, "data", v)`
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "setattr"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value == "data"
            ):
                return node.args[0]
    return NOTHING


def _data_attribute(node):
    return node.value if isinstance(node, ast.Attribute) and node.attr == "data" else None


def guard_data_writes(tree):
    """Before each statement that writes a `.data`, a call that lets the tracer keep the data the
    pending sites' graphs hold (the receiver is read again only when that has no side effects)."""
    for body in list(statement_lists(tree)):
        guarded = []
        for stmt in body:
            receiver = data_write_receiver(stmt)
            if receiver is not NOTHING:
                read = readable(receiver)
                args = [read] if read is not None else []
                call = ast.Call(func=ast.Name(id=BEFORE_DATA_WRITE, ctx=ast.Load()), args=args, keywords=[])
                guarded.append(located(ast.Expr(value=call), stmt))
            guarded.append(stmt)
        if len(guarded) != len(body):
            body[:] = guarded
    ast.fix_missing_locations(tree)


class WorkspaceModules:
    """An import finder for the program's own modules (under its folder or the workspace, not an
    installed package): they run with guard_data_writes, so an optimizer's `p.data -= …` in the
    learner's engine.py is seen too. Everything else imports as usual."""

    def __init__(self, roots):
        self.roots = [os.path.join(os.path.abspath(r), "") for r in roots if r]
        self.skip = [os.path.join(os.path.abspath(p), "") for p in {sys.prefix, sys.base_prefix, sys.exec_prefix}]

    def find_spec(self, fullname, path=None, target=None):
        try:
            spec = importlib.machinery.PathFinder.find_spec(fullname, path)
            if spec is None or type(spec.loader) is not importlib.machinery.SourceFileLoader or not spec.origin:
                return None
            origin = os.path.abspath(spec.origin)
            parts = origin.split(os.sep)
            if "site-packages" in parts or "dist-packages" in parts or any(origin.startswith(p) for p in self.skip):
                return None
            if not any(origin.startswith(r) for r in self.roots):
                return None
            spec.loader = GuardedSourceLoader(spec.loader.name, spec.loader.path)
            return spec
        except Exception:  # the usual finders take over
            return None


class GuardedSourceLoader(importlib.machinery.SourceFileLoader):
    """Compiles the module from its source with guard_data_writes (no bytecode cache read or written)."""

    def get_code(self, fullname):
        source = importlib.util.decode_source(self.get_data(self.path))
        tree = ast.parse(source, self.path, "exec")
        try:
            guard_data_writes(tree)
        except Exception:
            tree = ast.parse(source, self.path, "exec")
        return compile(tree, self.path, "exec", dont_inherit=True)


# ---- Running the program ------------------------------------------------------------------------


class Run:
    def __init__(self, request):
        self.request = request
        self.tracer = Tracer(request)
        self.user_files = set(self.tracer.unit_names)
        self.tracer_file = os.path.abspath(__file__)

    def main(self):
        request = self.request
        tracer = self.tracer
        entry = request["entry"]
        notebook = entry.lower().endswith(".ipynb")
        module = types.ModuleType("__main__")
        module.__dict__["__builtins__"] = builtins
        if not notebook:  # a notebook (Jupyter) has no __file__
            module.__file__ = entry
            module.__cached__ = None
            if sys.version_info < (3, 14):  # python gives a script's __main__ an __annotations__ dict
                module.__annotations__ = {}
        module.__spec__ = None
        module.__package__ = None
        module.__loader__ = None if notebook else importlib.machinery.SourceFileLoader("__main__", entry)
        sys.modules["__main__"] = module
        sys.argv = [entry]
        cwd = request.get("cwd") or os.getcwd()
        if os.path.isdir(cwd) and os.path.abspath(os.getcwd()) != os.path.abspath(cwd):
            os.chdir(cwd)
        # python put this script's folder first; the user's run has the program's folder there.
        program_dir = os.path.dirname(os.path.abspath(entry))
        rest = sys.path[1:]
        sys.path[:] = [p for p in dict.fromkeys([cwd, program_dir] + rest)]
        sys.dont_write_bytecode = True  # the user's folders get no __pycache__ from a trace
        setattr(builtins, PROBE, tracer.probe)
        setattr(builtins, COUNT, tracer.count)
        setattr(builtins, BEFORE_DATA_WRITE, tracer.before_data_write)
        finder = WorkspaceModules([cwd, program_dir])
        # Just before the path finder: built-in and frozen modules are found first, as usual.
        at = next((i for i, f in enumerate(sys.meta_path) if getattr(f, "__name__", "") == "PathFinder"), 0)
        sys.meta_path.insert(at, finder)
        atexit.register(self.finish)
        try:
            signal.signal(signal.SIGTERM, self.on_sigterm)
        except (ValueError, OSError):
            pass
        timeout_ms = request.get("timeoutMs")
        if isinstance(timeout_ms, (int, float)) and timeout_ms > 0:
            # A bare thread (not in threading.enumerate()): at the deadline it raises SIGTERM, whose
            # handler runs in the main thread between two of the program's steps.
            _thread.start_new_thread(self.deadline, (timeout_ms / 1000.0,))
        by_unit = {}
        for site in request["sites"]:
            by_unit.setdefault(site["unit"], []).append(site)
        try:
            for k, unit in enumerate(request["units"]):
                name = unit["name"]
                source = unit["source"]
                if name.startswith("<"):
                    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
                tree = ast.parse(source, name, "exec")
                try:
                    instrument(tree, source, by_unit.get(k, []), tracer)
                    code = compile(tree, name, "exec", dont_inherit=True)
                except SyntaxError:
                    raise
                except Exception:  # a tracer bug: the unit still runs, untraced (its sites stay unreached)
                    code = compile(source, name, "exec", dont_inherit=True)
                exec(code, module.__dict__)
        except SystemExit:
            tracer.finished = True
            wait_for_threads()
            self.finish()
            raise
        except KeyboardInterrupt as err:
            tracer.stopped = "signal"
            self.finish()
            self.print_exception(err)
            flush()
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                os.kill(os.getpid(), signal.SIGINT)
            except Exception:
                pass
            sys.exit(130)
        except BaseException as err:
            tracer.error = self.error_of(err)
            self.print_exception(err)
            self.finish()
            sys.exit(1)
        tracer.finished = True
        wait_for_threads()
        self.finish()

    def deadline(self, seconds):
        time.sleep(seconds)
        if self.tracer.state == "running":
            self.tracer.deadline_passed = True
            try:
                signal.raise_signal(signal.SIGTERM)
            except AttributeError:  # Python < 3.8 has no raise_signal
                os.kill(os.getpid(), signal.SIGTERM)

    def on_sigterm(self, signum, frame):
        if self.tracer.state == "finishing":
            return  # the result is being written; the program ends right after
        self.tracer.stopped = "timeout" if self.tracer.deadline_passed else "signal"
        try:
            self.finish()
        finally:
            # Then end as an untraced program ends on SIGTERM: killed by it, nothing more run.
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                os.kill(os.getpid(), signal.SIGTERM)
            finally:
                os._exit(128 + signal.SIGTERM)

    def finish(self):
        tracer = self.tracer
        if tracer.state != "running":
            return
        tracer.state = "finishing"
        try:
            result = tracer.result()
        except BaseException as err:
            result = failed_result(tracer, "%s: %s" % (type(err).__name__, err))
        try:
            write_result(self.request["resultPath"], result)
        except Exception:  # nowhere to write: the runner reports the missing result
            pass
        finally:
            tracer.state = "finished"

    def user_tb(self, tb):
        """The traceback without the tracer's frames (as an untraced run prints it): the runner's
        frames above the program's, and a probe's below them when a signal lands inside one."""
        kept = []
        while tb is not None:
            if os.path.abspath(tb.tb_frame.f_code.co_filename) != self.tracer_file:
                kept.append(tb)
            tb = tb.tb_next
        out = None
        for entry in reversed(kept):
            out = types.TracebackType(out, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
        return out

    def print_exception(self, err):
        tb = self.user_tb(err.__traceback__)
        # The hook prints the exception's own __traceback__ when it has one (not the tb passed).
        err.__traceback__ = tb
        try:
            sys.excepthook(type(err), err, tb)
        except Exception:
            traceback.print_exception(type(err), err, tb)

    def error_of(self, err):
        unit = line = None
        names = self.tracer.unit_names
        if isinstance(err, SyntaxError) and err.filename in names and err.lineno:
            unit, line = names.index(err.filename), err.lineno - 1
        tb = err.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename in names:
                unit, line = names.index(filename), tb.tb_lineno - 1
            tb = tb.tb_next
        text = "".join(traceback.format_exception(type(err), err, self.user_tb(err.__traceback__)))
        return {
            "type": type(err).__name__,
            "message": clip(str(err), 4000),
            "unit": unit,
            "line": line,
            "traceback": text[-20000:],
        }


def wait_for_threads():
    """Python waits for the program's non-daemon threads before it ends: so does the result."""
    threading = sys.modules.get("threading")
    if threading is None:
        return
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            try:
                thread.join()
            except Exception:
                pass


def flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def failed_result(tracer, why):
    return {
        "version": PROTOCOL_VERSION,
        "finished": tracer.finished,
        "stopped": tracer.stopped,
        "interpreter": "Python " + sys.version.split()[0],
        "torch": None,
        "error": tracer.error
        or {"type": "TracerError", "message": "the tracer failed: " + why, "unit": None, "line": None, "traceback": ""},
        "sites": [{"id": s.id, "executions": 0, "history": [], "historyStride": 1, "last": None} for s in tracer.sites],
    }


def finite(obj):
    """The result with every non-finite float as null (JSON has no NaN or Infinity)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [finite(v) for v in obj]
    return obj


def write_result(path, result):
    # ASCII with escapes: a label holding a lone surrogate cannot break the file's encoding.
    text = json.dumps(finite(result), allow_nan=False, ensure_ascii=True)
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: gradlens_tracer.py REQUEST.json\n")
        return 2
    with open(argv[1], encoding="utf-8") as f:
        request = json.load(f)
    Run(request).main()
    return 0


if __name__ == "__main__":
    main(sys.argv)
