// The engine check on traced graphs built by a learner-style engine (./userEngine.ts), right and
// with each classic bug: no interpreter needed. The check must pass the right engine, name each
// bug from the numbers alone, and skip (never pass) a graph whose ops it does not know.
import * as assert from 'assert';
import { mulberry32 } from '../../../engine';
import { checkEngine, engineCheckMessage } from '../../../src/trace/engineCheck';
import type { EngineBug, TracedGraph, TracedValue } from '../../../src/trace/protocol';
import { Engine, traced, type Bugs, type V } from './userEngine';

type Traced = TracedValue & { graph: TracedGraph };

/** a and c each used twice, along paths of different lengths: every ordering bug shows. */
function sharedUses(e: Engine): Traced {
  const a = e.leaf(0.7, 'a');
  const b = e.leaf(-1.3, 'b');
  const c = a.mul(b);
  const d2 = c.mul(2).add(1).add(a);
  const out = c.mul(d2);
  return traced(out, { a, b, c });
}

/** The micrograd lecture's neuron, with tanh. */
function neuron(e: Engine): Traced {
  const x1 = e.leaf(2, 'x1');
  const x2 = e.leaf(0, 'x2');
  const w1 = e.leaf(-3, 'w1');
  const w2 = e.leaf(1, 'w2');
  const b = e.leaf(6.8813735870195432, 'b');
  const o = x1.mul(w1).add(x2.mul(w2)).add(b).tanh();
  return traced(o, { x1, x2, w1, w2, b });
}

function cubic(e: Engine): Traced {
  const a = e.leaf(1.5, 'a');
  const b = e.leaf(-0.7, 'b');
  return traced(a.pow(3).mul(b), { a, b });
}

function relu(e: Engine): Traced {
  const a = e.leaf(1.5, 'a');
  const b = e.leaf(2, 'b');
  const c = e.leaf(-0.25, 'c');
  return traced(a.mul(b).relu().mul(c), { a, b, c });
}

describe('trace: the engine check', () => {
  it('passes a right engine on shared uses, tanh, pow and relu', () => {
    for (const build of [sharedUses, neuron, cubic, relu]) {
      const check = checkEngine(build(new Engine()));
      assert.strictEqual(check.status, 'agrees', `${build.name}: ${JSON.stringify(check)}`);
      assert.strictEqual(check.likelyCause, null);
      assert.ok(check.forward?.ok);
      assert.strictEqual(engineCheckMessage(check, 'out'), null);
      // Central differences confirm the bundled engine on every leaf.
      for (const entry of check.entries.filter((e) => e.leaf)) {
        assert.ok(entry.numeric !== null, `${build.name}: ${entry.name} has a central difference`);
        assert.ok(Math.abs(entry.numeric - entry.engine) <= 1e-5 + 1e-4 * Math.abs(entry.engine), entry.name);
      }
    }
  });

  it('reads the neuron of the lecture: ∂o/∂w1 = 1, ∂o/∂x1 = −1.5', () => {
    const check = checkEngine(neuron(new Engine()));
    const byName = new Map(check.entries.map((e) => [e.name, e]));
    assert.ok(Math.abs(byName.get('w1')!.engine - 1) < 1e-6);
    assert.ok(Math.abs(byName.get('x1')!.engine + 1.5) < 1e-6);
    assert.ok(Math.abs(byName.get('x2')!.user! - 0.5) < 1e-6);
  });

  const cases: { bugs: Bugs; graph: (e: Engine) => Traced; bug: EngineBug; words: RegExp }[] = [
    { bugs: { assign: true }, graph: sharedUses, bug: 'assign-instead-of-accumulate', words: /instead of adding/ },
    { bugs: { walk: 'topo-not-reversed' }, graph: sharedUses, bug: 'no-topological-order', words: /without reversing/ },
    { bugs: { walk: 'dfs-preorder' }, graph: sharedUses, bug: 'no-topological-order', words: /depth-first/ },
    {
      bugs: { walk: 'dfs-recursive' },
      graph: sharedUses,
      bug: 'no-topological-order',
      words: /passes its gradient on twice/,
    },
    { bugs: { walk: 'bfs' }, graph: sharedUses, bug: 'no-topological-order', words: /breadth-first/ },
    { bugs: { tanh: '1-t' }, graph: neuron, bug: 'tanh-derivative', words: /1 − t instead of 1 − t²/ },
    { bugs: { pow: 'n*x^n' }, graph: cubic, bug: 'pow-derivative-n-x-n', words: /n·x\*\*n instead/ },
    { bugs: { pow: 'x^(n-1)' }, graph: cubic, bug: 'pow-derivative-missing-n', words: /without the factor n/ },
    { bugs: { relu: 'output' }, graph: relu, bug: 'relu-derivative', words: /its output/ },
    { bugs: { relu: 'zero' }, graph: relu, bug: 'relu-derivative', words: /no gradient back/ },
  ];
  for (const { bugs, graph, bug, words } of cases) {
    it(`names the bug: ${JSON.stringify(bugs)} → ${bug}`, () => {
      const check = checkEngine(graph(new Engine(bugs)));
      assert.strictEqual(check.status, 'disagrees');
      const named = [check.likelyCause!, ...(check.likelyCause!.alternatives ?? [])];
      assert.ok(
        named.some((c) => c.bug === bug),
        JSON.stringify(check.likelyCause),
      );
      const message = engineCheckMessage(check, 'out')!;
      assert.match(message, /yours .*bundled engine/);
      assert.match(message, words);
      // Both numbers of a wrong gradient are in the entries: the user's and the true one.
      const wrong = check.entries.find((e) => !e.ok)!;
      assert.notStrictEqual(wrong.user, wrong.engine);
    });
  }

  it('finds the `=` bug with micrograd\u2019s set of children (`a * a` keeps `a` once)', () => {
    const build = (e: Engine): Traced => {
      const a = e.leaf(3, 'a');
      const b = e.leaf(-2, 'b');
      return traced(a.mul(a).add(b), { a, b });
    };
    const right = checkEngine(build(new Engine({ setChildren: true })));
    assert.strictEqual(right.status, 'agrees', JSON.stringify(right));
    assert.strictEqual(right.entries.find((e) => e.name === 'a')!.engine, 6);
    const wrong = checkEngine(build(new Engine({ setChildren: true, assign: true })));
    assert.strictEqual(wrong.status, 'disagrees');
    assert.strictEqual(wrong.entries.find((e) => e.name === 'a')!.user, 3);
    assert.strictEqual(wrong.likelyCause?.bug, 'assign-instead-of-accumulate');
  });

  it('says when no known bug reproduces the numbers', () => {
    const t = neuron(new Engine());
    t.graph.nodes.find((n) => n.label === 'w1')!.grad = 42;
    const check = checkEngine(t);
    assert.strictEqual(check.status, 'disagrees');
    assert.strictEqual(check.likelyCause, null);
    assert.match(engineCheckMessage(check, 'o')!, /no known bug pattern/);
  });

  it('says when the forward values disagree, and that the gradients fit them', () => {
    const e = new Engine();
    const a = e.leaf(0.3, 'a');
    const t = traced(a.tanh().mul(2), { a });
    // A tanh whose forward is wrong (its value and the gradient the engine took from it).
    const tanhNode = t.graph.nodes.find((n) => n.op === 'tanh')!;
    const leaf = t.graph.nodes.find((n) => n.label === 'a')!;
    tanhNode.data = 0.5;
    t.graph.nodes[t.graph.root].data = 1;
    leaf.grad = 2 * (1 - 0.5 * 0.5);
    t.graph.nodes.find((n) => n.op === '' && n.label === null)!.grad = 0.5; // ∂y/∂2 = tanh's value
    const check = checkEngine(t);
    assert.strictEqual(check.status, 'disagrees');
    assert.strictEqual(check.forward?.ok, false);
    const message = engineCheckMessage(check, 'y')!;
    assert.match(
      message,
      /forward values disagree with the bundled engine's: your engine's tanh of 0\.30000000 gives 0\.50000000, the bundled engine's 0\.29131261/,
    );
    assert.doesNotMatch(message, /gradients disagree/, 'gradients at other values are not compared');
    assert.match(message, /right for the values your engine computed/);
  });

  it('skips, with the reason, a graph with an op the bundled engine does not know', () => {
    const t = neuron(new Engine());
    t.graph.nodes[t.graph.root].op = 'softplus';
    const check = checkEngine(t);
    assert.strictEqual(check.status, 'skipped');
    assert.match(check.reason!, /does not know: 'softplus'/);
    assert.strictEqual(engineCheckMessage(check, 'o'), null);
  });

  it('skips a cycle, a node without a value, a pow without its exponent, and a graph without gradients', () => {
    const cyclic = cubic(new Engine());
    cyclic.graph.nodes[1].children.push(0);
    cyclic.graph.nodes[1].op = '+';
    assert.match(checkEngine(cyclic).reason!, /cycle/);
    const noData = cubic(new Engine());
    noData.graph.nodes[2].data = null;
    assert.match(checkEngine(noData).reason!, /no finite value/);
    const pow = cubic(new Engine());
    pow.graph.nodes.find((n) => n.op === '**3')!.op = 'pow';
    assert.match(checkEngine(pow).reason!, /exponent/);
    const noGrads = cubic(new Engine());
    for (const n of noGrads.graph.nodes) n.grad = null;
    assert.match(checkEngine(noGrads).reason!, /could not read any gradient/);
  });

  it('reads PyTorch op names, scalar operands and a pow exponent given in its field', () => {
    // y = tanh(a * 2 + b ** 2) - 1, as grad_fn names: Sub1(Tanh(Add0(Mul1(a), Pow0(b)))).
    const a = 0.4;
    const b = -0.3;
    const inner = a * 2 + b ** 2;
    const t = Math.tanh(inner);
    const dInner = 1 - t * t;
    const graph: TracedGraph = {
      root: 0,
      nodes: [
        { id: 0, data: t - 1, grad: 1, op: 'SubBackward1', label: null, children: [1], exponent: null },
        { id: 1, data: t, grad: 1, op: 'TanhBackward0', label: null, children: [2], exponent: null },
        { id: 2, data: inner, grad: dInner, op: 'AddBackward0', label: null, children: [3, 4], exponent: null },
        { id: 3, data: a * 2, grad: dInner, op: 'MulBackward1', label: null, children: [5], exponent: null },
        { id: 4, data: b ** 2, grad: dInner, op: 'PowBackward0', label: null, children: [6], exponent: 2 },
        { id: 5, data: a, grad: 2 * dInner, op: '', label: null, children: [], exponent: null },
        { id: 6, data: b, grad: 2 * b * dInner, op: '', label: null, children: [], exponent: null },
      ],
    };
    const variables = [
      { name: 'a', node: 5, leaf: true },
      { name: 'b', node: 6, leaf: true },
    ];
    const check = checkEngine({ kind: 'torch', value: t - 1, note: null, variables, graph });
    assert.strictEqual(check.status, 'agrees', JSON.stringify(check));
    assert.strictEqual(check.rtol, 1e-4);
    assert.match(check.reason!, /recovered from the values/);
  });

  it('property: random graphs of the ten ops, right engine → agrees (with and without sets of children)', () => {
    const random = mulberry32(20261130);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    for (let trial = 0; trial < 300; trial++) {
      const e = new Engine({ setChildren: trial % 2 === 1 });
      const leaves = Array.from({ length: 2 + Math.floor(random() * 4) }, (_, k) =>
        e.leaf(Math.round((random() * 4 - 2) * 1000) / 1000 || 0.5, `x${k}`),
      );
      const nodes: V[] = [...leaves];
      for (let k = 0; k < 3 + Math.floor(random() * 12); k++) {
        const x = pick(nodes);
        const y = pick(nodes);
        const op = pick(['add', 'mul', 'sub', 'div', 'pow', 'neg', 'exp', 'log', 'relu', 'tanh'] as const);
        const safe = (v: V) => v.tanh(); // keeps exp and pow bounded
        const next =
          op === 'add'
            ? x.add(y)
            : op === 'mul'
              ? x.mul(y)
              : op === 'sub'
                ? x.sub(y)
                : op === 'div'
                  ? x.div(y.mul(y).add(1))
                  : op === 'pow'
                    ? safe(x).pow(pick([2, 3, -1, 0.5].slice(0, 2)))
                    : op === 'neg'
                      ? x.neg()
                      : op === 'exp'
                        ? safe(x).exp()
                        : op === 'log'
                          ? x.mul(x).add(1).log()
                          : op === 'relu'
                            ? x.relu()
                            : x.tanh();
        nodes.push(next);
      }
      const root = nodes[nodes.length - 1];
      const named = Object.fromEntries(leaves.map((v) => [v.label!, v]));
      const check = checkEngine(traced(root, named));
      assert.strictEqual(check.status, 'agrees', `trial ${trial}: ${JSON.stringify(check).slice(0, 600)}`);
    }
  });

  describe('ops the bundled engine composes: sigmoid, a number to a Value, a Value to a Value', () => {
    /** A neuron with an engine's own sigmoid, a `2 ** x` node and an `a ** b` node, a used twice. */
    function composed(e: Engine, rpowOp = 'rpow'): Traced {
      const a = e.leaf(1.3, 'a');
      const b = e.leaf(-0.6, 'b');
      const w = e.leaf(0.8, 'w');
      const s = a.mul(w).add(b).sigmoid();
      const p = b.rpow(2, rpowOp);
      const q = a.powV(w.add(1));
      return traced(s.mul(p).add(q).mul(a), { a, b, w });
    }

    it('passes a right engine, and central differences confirm every leaf', () => {
      for (const op of ['rpow', '__rpow__', '2**', 'PowBackward2']) {
        const check = checkEngine(composed(new Engine(), op));
        assert.strictEqual(check.status, 'agrees', `${op}: ${JSON.stringify(check)}`);
        assert.ok(check.forward?.ok);
        for (const entry of check.entries.filter((x) => x.leaf)) {
          assert.ok(entry.numeric !== null, `${op}: ${entry.name} has a central difference`);
          assert.ok(Math.abs(entry.numeric - entry.user!) <= 1e-5 + 1e-4 * Math.abs(entry.user!), entry.name);
        }
        assert.deepStrictEqual(
          check.entries.map((x) => x.name),
          ['a', 'b', 'w', 'leaf #11 (1.0000)'],
        );
      }
    });

    it('reads the spellings: sig, σ, logistic, SigmoidBackward0', () => {
      for (const op of ['sig', 'σ', 'logistic', 'SigmoidBackward0', 'Sigmoid']) {
        const t = composed(new Engine());
        t.graph.nodes.find((n) => n.op === 'sigmoid')!.op = op;
        assert.strictEqual(checkEngine(t).status, 'agrees', op);
      }
    });

    it('a wrong sigmoid derivative (s instead of s·(1 − s)) disagrees, with both numbers', () => {
      const check = checkEngine(composed(new Engine({ sigmoid: 's' })));
      assert.strictEqual(check.status, 'disagrees');
      assert.ok(check.forward?.ok, 'the forward values are right');
      const w = check.entries.find((x) => x.name === 'w')!;
      assert.ok(!w.ok);
      assert.notStrictEqual(w.user, w.engine);
      assert.ok(Math.abs(w.numeric! - w.engine) < 1e-6, 'the central difference confirms the bundled engine');
      const message = engineCheckMessage(check, 'out')!;
      assert.match(message, /∂out\/∂w: yours -?\d\.\d{6}, bundled engine -?\d\.\d{6}, central difference/);
      assert.doesNotMatch(message, /x\*\*n/, 'no pow bug is named for a sigmoid');
      assert.strictEqual(check.likelyCause?.bug, 'sigmoid-derivative');
      assert.match(message, /likely cause: sigmoid’s derivative is taken as s instead of s·\(1 − s\)/);
    });

    it('a wrong sigmoid forward value is named as the sigmoid of its operand', () => {
      const t = composed(new Engine());
      const node = t.graph.nodes.find((n) => n.op === 'sigmoid')!;
      node.data = node.data! + 0.1;
      const check = checkEngine(t);
      assert.strictEqual(check.status, 'disagrees');
      assert.match(check.forward!.note!, /your engine's sigmoid of 0\.44000000 gives/);
    });

    it('a Value exponent from a set of children: the values say which operand is the base', () => {
      const e = new Engine({ setChildren: true });
      const a = e.leaf(1.7, 'a');
      const b = e.leaf(0.4, 'b');
      const t = traced(a.powV(b).mul(3), { a, b });
      const pow = t.graph.nodes.find((n) => n.op === '**')!;
      pow.children.reverse();
      const check = checkEngine(t);
      assert.strictEqual(check.status, 'agrees', JSON.stringify(check));
      const byName = new Map(check.entries.map((x) => [x.name, x.engine]));
      assert.ok(Math.abs(byName.get('a')! - 3 * 0.4 * 1.7 ** -0.6) < 1e-12);
      assert.ok(Math.abs(byName.get('b')! - 3 * 1.7 ** 0.4 * Math.log(1.7)) < 1e-12);
    });

    it('skips, with the reason, a base ≤ 0, a base it cannot recover, and base and exponent it cannot tell apart', () => {
      const e = new Engine();
      const neg = e.leaf(-2, 'a');
      const three = e.leaf(3, 'n');
      const byValue = checkEngine(traced(neg.powV(three).mul(2), { a: neg, n: three }));
      assert.strictEqual(byValue.status, 'skipped');
      assert.match(byValue.reason!, /a power with a Value exponent whose base is -2: .*needs a base > 0/);

      const x = e.leaf(3, 'x');
      const byNumber = checkEngine(traced(x.rpow(-2).mul(2), { x }));
      assert.strictEqual(byNumber.status, 'skipped');
      assert.match(byNumber.reason!, /its base is ≤ 0/);
      const written = traced(x.rpow(-2, '-2**').mul(2), { x });
      assert.match(checkEngine(written).reason!, /with base -2: .*needs a base > 0/);

      const zero = e.leaf(0, 'z');
      assert.match(checkEngine(traced(zero.rpow(3).mul(2), { z: zero })).reason!, /exponent is 0/);

      const two = e.leaf(2, 'p');
      const four = e.leaf(4, 'q');
      assert.match(
        checkEngine(traced(two.powV(four).mul(2), { p: two, q: four })).reason!,
        /cannot say which is the base/,
      );
    });
  });
});
