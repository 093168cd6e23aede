// nn: a seeded MLP learns XOR below loss 0.01; parameters, layers and the generator behave.
import * as assert from 'assert';
import { Layer, MLP, mulberry32, Neuron, Value } from '../../../engine';

const XOR_INPUTS = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const XOR_TARGETS = [-1, 1, 1, -1];

function xorLoss(model: MLP): Value {
  let loss: Value | null = null;
  XOR_INPUTS.forEach((x, i) => {
    const term = model.forward(x)[0].sub(XOR_TARGETS[i]).pow(2);
    loss = loss === null ? term : loss.add(term);
  });
  return loss as unknown as Value;
}

describe('engine nn', () => {
  it('trains a 2-4-4-1 tanh MLP on XOR below loss 0.01 with a fixed seed', () => {
    const model = new MLP(2, [4, 4, 1], { seed: 1 });
    let loss = xorLoss(model);
    const initial = loss.data;
    for (let step = 0; step < 500 && loss.data >= 0.01; step++) {
      loss.backward();
      for (const p of model.parameters()) p.data -= 0.05 * p.grad;
      loss = xorLoss(model);
    }
    assert.ok(initial > 1, `the untrained network should be far off, loss ${initial}`);
    assert.ok(loss.data < 0.01, `loss after training: ${loss.data}`);
    XOR_INPUTS.forEach((x, i) => {
      assert.strictEqual(Math.sign(model.forward(x)[0].data), XOR_TARGETS[i], `prediction for ${x}`);
    });
  });

  it('is reproducible: the same seed gives the same weights, another seed different ones', () => {
    const weights = (seed: number) => new MLP(2, [3, 1], { seed }).parameters().map((p) => p.data);
    assert.deepStrictEqual(weights(5), weights(5));
    assert.notDeepStrictEqual(weights(5), weights(6));
  });

  it('has tanh hidden units, a linear output and micrograd-sized parameter lists', () => {
    const model = new MLP(2, [16, 16, 1], { seed: 3 });
    assert.strictEqual(model.parameters().length, 16 * 3 + 16 * 17 + 17);
    assert.deepStrictEqual(
      model.layers.map((l) => l.neurons[0].nonlin),
      [true, true, false],
    );
    const out = model.forward([0.5, -0.25]);
    assert.strictEqual(out.length, 1);
    assert.notStrictEqual(out[0].op, 'tanh');
    assert.strictEqual(model.layers[0].forward([0.5, -0.25])[0].op, 'tanh');
    assert.strictEqual(model.parameters()[0].label, 'L0.N0.w0');
    assert.strictEqual(model.parameters()[2].label, 'L0.N0.b');
  });

  it('computes a neuron as tanh(b + Σ wᵢxᵢ)', () => {
    const neuron = new Neuron(2, { rng: mulberry32(9) });
    const [w0, w1] = neuron.w.map((w) => w.data);
    neuron.b.data = 0.3;
    const out = neuron.forward([2, -1]);
    assert.strictEqual(out.data, Math.tanh(0.3 + w0 * 2 + w1 * -1));
    const linear = new Neuron(2, { nonlin: false, rng: mulberry32(9) });
    assert.strictEqual(linear.forward([1, 1]).op, '+');
  });

  it('zeroGrad clears every parameter grad', () => {
    const layer = new Layer(2, 3, { rng: mulberry32(2) });
    const out = layer.forward([1, 2]).reduce((sum, v) => sum.add(v));
    out.backward();
    assert.ok(layer.parameters().some((p) => p.grad !== 0));
    layer.zeroGrad();
    assert.ok(layer.parameters().every((p) => p.grad === 0));
  });

  it('rejects the wrong number of inputs and bad sizes', () => {
    const model = new MLP(2, [2, 1]);
    assert.throws(() => model.forward([1]), /expects 2 inputs, got 1/);
    assert.throws(() => new MLP(2, []), /at least one layer/);
    assert.throws(() => new Neuron(0), /positive integer/);
  });

  it('mulberry32 is deterministic and stays in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepStrictEqual(
      Array.from({ length: 1000 }, () => b()),
      xs,
    );
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
  });
});
