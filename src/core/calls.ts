// Calls into functions the file defines (`def sigmoid(z): …`, `const mse = (y, p) => …`): a call
// is evaluated by binding the function's parameters to the call's arguments and running its body,
// which must be straight-line: assignments, then one `return`. The plan of a function is read once
// per document; evaluate.ts runs it once per call, so each call builds its own nodes, as the
// program does.

import { dataReadOf, postOrder, type Expr, type InvokeNode } from './ast';
import type { DocumentIndex } from './document';
import { AnalysisError } from './errors';
import { firstName } from './fold';
import { bindArguments, defaultReads, parameterList, type ParameterList, type Slot } from './parameters';
import { parseExpression } from './parser';
import { quote } from './quote';

/** A function body the lens can run. */
export interface CallPlan {
  /** The name it is called by, for messages. */
  name: string;
  /** The defining statement. */
  id: number;
  params: string[];
  /** Its assignments, in order: each binds `target` in the call's frame. */
  steps: { id: number; target: string; expr: Expr }[];
  result: Expr;
  /**
   * The names the body (or a function it calls) reads from outside: each must mean, at the call,
   * the variable it means in the body (`use` is the body's statement that reads it).
   */
  free: { name: string; node: Expr; use: number }[];
  /** The plans of the calls inside the body. */
  calls: Map<InvokeNode, CallPlan>;
  /**
   * Functions the body calls that are defined below it (`def forward(): return act(x)` above
   * `def act`): found at the module, so each call must see that same definition.
   */
  late: { name: string; id: number; node: Expr }[];
  /** Expression nodes one call builds at most, nested calls included: what the budgets count. */
  nodes: number;
  /** The parameter list with its defaults (parameters.ts); undefined when it cannot be read. */
  parameters?: ParameterList;
  /** Each parameter's default, parsed; or why the lens cannot use it. */
  defaults: (DefaultValue | { error: string } | undefined)[];
  /** Where each parameter gets its value in the calls inside the body. */
  slots: Map<InvokeNode, Slot[]>;
  /** Python defaults used by the calls inside the body: evaluated where their function is defined. */
  early: EarlyDefault[];
}

/** A default value: `late` (JavaScript) at each call, in the frame; else (Python) once, at the `def`. */
export interface DefaultValue {
  expr: Expr;
  late: boolean;
}

/** A Python default a call uses: its expression, read where function statement `def` stands. */
export interface EarlyDefault {
  expr: Expr;
  def: number;
  via: string;
}

/** How a call binds: each parameter's slot, the outside names its JavaScript defaults read, its Python defaults. */
export interface CallBinding {
  slots: Slot[];
  free: CallPlan['free'];
  early: EarlyDefault[];
}

/** Why a call cannot be followed; `runtime` when only running the program can tell. */
export interface CallRefusal {
  refused: string;
  runtime: boolean;
}

const TRACE = 'Trace Gradients runs the program and reads it';

/** Statements a body may hold that compute nothing: a docstring, `pass`, a print. */
function inert(doc: DocumentIndex, id: number): boolean {
  const tokens = doc.statements[id].tokens;
  const first = tokens[0];
  if (tokens.length === 1 && (first.kind === 'str' || first.text === 'pass')) return true;
  if (first.text === 'print' && tokens[1]?.text === '(') return true;
  // `e.label = 'e'`, as the lecture names its nodes.
  if (tokens[1]?.text === '.' && tokens[2]?.text === 'label' && tokens[3]?.text === '=') return true;
  return first.text === 'console' && tokens[1]?.text === '.' && tokens[3]?.text === '(';
}

/** The plan of function statement `id` (called as `name`), or why there is none. */
export function planCall(doc: DocumentIndex, id: number, name: string, calling: number[]): CallPlan | CallRefusal {
  const fn = doc.functionAt(id);
  const at = (k: number): string => doc.lineLabel(doc.statements[k].start);
  const called = quote(name);
  if (!fn) return { refused: `${called} (${at(id)}) is not a function the lens can follow`, runtime: false };
  const previous = doc.statements[id - 1];
  if (previous && previous.scope === doc.statements[id].scope && previous.tokens[0].text === '@')
    return {
      refused: `a call to ${called} is not statically knowable: it is decorated (${at(id - 1)}), and a decorator may replace it; ${TRACE}`,
      runtime: true,
    };
  if (destructures(doc, id))
    return {
      refused: `${called} (${at(id)}) destructures its parameters, which the lens does not follow`,
      runtime: false,
    };
  if (fn.nested >= 0)
    return {
      refused: `a call to ${called} is not statically knowable: its body has a loop, a branch or an inner function (${at(fn.nested)}); ${TRACE}`,
      runtime: true,
    };
  const steps: CallPlan['steps'] = [];
  let result: { expr: Expr; use: number } | undefined;
  const bodies: { expr: Expr; use: number }[] = [];
  if (fn.inline) {
    const parsed = doc.statement(id);
    if (parsed.error || !parsed.expr)
      return { refused: `${called} (${at(id)}): ${parsed.error?.message}`, runtime: false };
    result = { expr: parsed.expr, use: id };
    bodies.push(result);
  }
  for (const k of fn.body) {
    const header = doc.header(k);
    if (result) return { refused: `${called} has statements after its \`return\` (${at(k)})`, runtime: false };
    if (header.form === 'expression' && inert(doc, k)) continue;
    if (header.form === 'expression')
      return {
        refused: `a call to ${called} is not statically knowable: its body runs a statement the lens does not follow (${at(k)}); ${TRACE}`,
        runtime: true,
      };
    const parsed = doc.statement(k);
    if (parsed.error || !parsed.expr)
      return { refused: `${parsed.error?.message ?? 'no expression'} (in ${called}, ${at(k)})`, runtime: false };
    if (header.form === 'return') result = { expr: parsed.expr, use: k };
    else steps.push({ id: k, target: parsed.target, expr: parsed.expr });
    bodies.push({ expr: parsed.expr, use: k });
  }
  if (!result) return { refused: `${called} (${at(id)}) returns no value the lens can follow`, runtime: false };

  const locals = new Set(steps.map((s) => s.id));
  const params = new Set(fn.params);
  const plan: CallPlan = {
    name,
    id,
    params: fn.params,
    steps,
    result: result.expr,
    free: [],
    calls: new Map(),
    late: [],
    nodes: 0,
    defaults: [],
    slots: new Map(),
    early: [],
  };
  readDefaults(doc, id, plan);
  for (const { expr, use } of bodies) {
    for (const node of postOrder(expr)) {
      plan.nodes++;
      if (node.kind === 'name') {
        const name = dataReadOf(node.name) ?? node.name;
        if (locals.has(doc.resolve(name, use)) || params.has(name)) continue;
        plan.free.push({ name, node, use });
      } else if (node.kind === 'invoke') {
        let callee = doc.resolveFunction(node.fn, use);
        if (callee < 0) {
          callee = doc.resolveFunction(node.fn, doc.statements.length);
          if (callee >= 0 && doc.sameVariableAs(callee, node.fn, use))
            plan.late.push({ name: node.fn, id: callee, node });
          else callee = -1;
        }
        if (callee === id || calling.includes(callee))
          return {
            refused: `a call to ${called} is not statically knowable: it calls ${quote(node.fn)} again (${doc.lineLabel(node.start)}), and recursion is not followed; ${TRACE}`,
            runtime: true,
          };
        const inner = callee < 0 ? undefined : planCall(doc, callee, node.fn, [...calling, id]);
        if (!inner) return { refused: `${quote(node.fn)} has no definition ${called} can see`, runtime: false };
        if ('refused' in inner) return inner;
        const binding = bindCall(doc, inner, node);
        if ('refused' in binding) return binding;
        plan.calls.set(node, inner);
        plan.slots.set(node, binding.slots);
        plan.free.push(...inner.free, ...binding.free);
        plan.early.push(...inner.early, ...binding.early);
        plan.late.push(...inner.late);
        plan.nodes += inner.nodes;
      }
    }
  }
  return plan;
}

/** Whether the parameter list of the function statement `id` has a pattern (`({ a }) =>`, `function f([x])`). */
function destructures(doc: DocumentIndex, id: number): boolean {
  const tokens = doc.statements[id].tokens;
  const open = tokens.findIndex((t) => t.text === '(');
  if (open < 0) return false;
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const x = tokens[k].text;
    if (tokens[k].kind !== 'op') continue;
    if (x === '(' || x === '[' || x === '{') {
      if (depth === 1 && x !== '(') return true;
      depth++;
    } else if (x === ')' || x === ']' || x === '}') {
      if (--depth === 0) return false;
    }
  }
  return false;
}

export function arityRefusal(plan: CallPlan, given: number, doc: DocumentIndex, node: InvokeNode): CallRefusal {
  const takes = `${plan.params.length} argument${plan.params.length === 1 ? '' : 's'}`;
  return {
    refused: `${quote(plan.name)} takes ${takes} (${plan.params.join(', ')}), and the call on ${doc.lineLabel(node.start)} gives ${given}`,
    runtime: false,
  };
}

/** The parameter list of function statement `id` and each default, parsed (see CallPlan.defaults). */
function readDefaults(doc: DocumentIndex, id: number, plan: CallPlan): void {
  const tokens = doc.statements[id].tokens;
  const list = parameterList(tokens, plan.params);
  if (!list) return;
  plan.parameters = list;
  plan.defaults = list.params.map((param, k) => {
    if (!param.default) return undefined;
    const [from, to] = param.default;
    let expr: Expr;
    try {
      expr = parseExpression(tokens, from, to, doc.style === 'slash' || !list.python, doc.leaves, doc.functions);
    } catch (err) {
      return { error: err instanceof AnalysisError ? err.message : String(err) };
    }
    if (list.python) return { expr, late: false };
    // JavaScript evaluates it at the call, in the function's scope: after the parameters before it.
    for (const node of postOrder(expr)) {
      if (node.kind === 'invoke')
        return { error: `it calls ${quote(node.fn)}, which the lens does not follow in a default` };
      if (node.kind === 'name' && plan.params.indexOf(node.name) >= k)
        return { error: `it reads the parameter ${quote(node.name)}, which is not set yet` };
      if (
        (node.kind === 'leaf' && firstName(node.data)) ||
        (node.kind === 'binary' && node.op === 'pow' && firstName(node.right))
      )
        return { error: 'a `Value(…)` of a variable or a variable exponent, which the lens does not compute' };
    }
    return { expr, late: true };
  });
}

/**
 * How the call `node` binds the parameters of `plan` (keywords, defaults), or why it cannot: a
 * wrong count of arguments, an unknown or repeated keyword, a default the lens cannot use.
 */
export function bindCall(doc: DocumentIndex, plan: CallPlan, node: InvokeNode): CallBinding | CallRefusal {
  if (!plan.parameters) {
    if (node.keywords)
      return {
        refused: `the lens cannot read the parameters of ${quote(plan.name)} (${doc.lineLabel(doc.statements[plan.id].start)}) to bind keyword arguments`,
        runtime: false,
      };
    if (plan.params.length !== node.args.length) return arityRefusal(plan, node.args.length, doc, node);
    return { slots: plan.params.map((_, k) => ({ arg: k })), free: [], early: [] };
  }
  const bound = bindArguments(plan.name, plan.parameters, node, doc.lineLabel(node.start));
  if ('refused' in bound) return { refused: bound.refused, runtime: false };
  const binding: CallBinding = { slots: bound.slots, free: [], early: [] };
  for (const slot of bound.slots) {
    if (!('default' in slot)) continue;
    const value = plan.defaults[slot.default];
    const param = quote(plan.params[slot.default]);
    if (!value || 'error' in value)
      return {
        refused: `the default of ${param} of ${quote(plan.name)} (${doc.lineLabel(doc.statements[plan.id].start)}): ${value?.error ?? 'not read'}`,
        runtime: false,
      };
    if (!value.late) binding.early.push({ expr: value.expr, def: plan.id, via: plan.name });
    else
      for (const read of defaultReads(value.expr, plan.params.slice(0, slot.default)))
        binding.free.push({ name: read.name, node: read.node, use: plan.id });
  }
  return binding;
}
