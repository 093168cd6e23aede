"""A micrograd-style engine (closures per node, recursive topological sort), timed on the same
workload as test/bench/engine.ts: MLP 2-16-16-1 with tanh hidden units, squared loss summed over
100 two-dimensional points, one forward + backward pass. Prints one JSON line:
{"medianMs": ..., "loss": ..., "nodes": ...}. The data and weights come from the same formulas as
test/bench/mlp-workload.ts, so the loss must match the TypeScript engines'."""
import json
import math
import statistics
import sys
import time

sys.setrecursionlimit(100_000)


class Value:
    """micrograd's Value: each op stores a closure that applies its local derivative."""

    __slots__ = ("data", "grad", "_backward", "_prev", "_op")

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = _children
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, n):
        out = Value(self.data**n, (self,), f"**{n}")

        def _backward():
            self.grad += (n * self.data ** (n - 1)) * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t * t) * out.grad

        out._backward = _backward
        return out

    def __sub__(self, other):
        # A native subtraction node, as in the TypeScript engines, so the graphs are the same size.
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data - other.data, (self, other), "-")

        def _backward():
            self.grad += out.grad
            other.grad -= out.grad

        out._backward = _backward
        return out

    def backward(self):
        topo = []
        visited = set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        for v in topo:
            v.grad = 0.0
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()
        return len(topo)


class Neuron:
    def __init__(self, nin, nonlin):
        self.w = [Value(0.0) for _ in range(nin)]
        self.b = Value(0.0)
        self.nonlin = nonlin

    def __call__(self, x):
        act = self.b
        for wi, xi in zip(self.w, x):
            act = act + wi * xi
        return act.tanh() if self.nonlin else act

    def parameters(self):
        return self.w + [self.b]


class MLP:
    def __init__(self, nin, nouts):
        sizes = [nin] + nouts
        self.layers = [
            [Neuron(sizes[i], i != len(nouts) - 1) for _ in range(nouts[i])] for i in range(len(nouts))
        ]

    def __call__(self, x):
        for layer in self.layers:
            x = [n(x) for n in layer]
        return x

    def parameters(self):
        return [p for layer in self.layers for n in layer for p in n.parameters()]


def points():
    out = []
    for i in range(100):
        x0 = 2 * math.sin(0.7 * i + 0.1)
        x1 = 2 * math.cos(1.3 * i + 0.2)
        out.append(((x0, x1), 1.0 if x0 * x1 > 0 else -1.0))
    return out


def main():
    model = MLP(2, [16, 16, 1])
    for k, p in enumerate(model.parameters()):
        p.data = 0.8 * math.sin(1.618 * k + 0.5)
    data = points()

    def run():
        loss = None
        for x, y in data:
            term = (model(x)[0] - y) ** 2
            loss = term if loss is None else loss + term
        nodes = loss.backward()
        return loss.data, nodes

    for _ in range(2):
        run()
    samples = []
    for _ in range(7):
        start = time.perf_counter()
        loss, nodes = run()
        samples.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"medianMs": statistics.median(samples), "loss": loss, "nodes": nodes}))


if __name__ == "__main__":
    main()
