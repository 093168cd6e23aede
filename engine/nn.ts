// Neuron, Layer and MLP after micrograd's nn.py: tanh hidden units and a linear output layer, as in
// the seed's XOR experiment. Weights come from a seeded generator, so a network is reproducible.
import { mulberry32, uniform } from './random';
import { Value } from './value';

export interface NeuronOptions {
  /** tanh after the weighted sum (true for hidden units). Default true. */
  nonlin?: boolean;
  /** Source of the initial weights, uniform in [-1, 1). Default mulberry32(0). */
  rng?: () => number;
  /** Prefix of the parameter labels, e.g. 'L0.N3' gives 'L0.N3.w0' … and 'L0.N3.b'. */
  name?: string;
}

export abstract class Module {
  abstract parameters(): Value[];

  /** Zeroes the grad of every parameter. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = 0;
  }
}

function checkInputs(x: readonly (Value | number)[], nin: number, who: string): void {
  if (x.length !== nin) throw new RangeError(`${who} expects ${nin} inputs, got ${x.length}`);
}

export class Neuron extends Module {
  readonly w: Value[];
  readonly b: Value;
  readonly nonlin: boolean;

  constructor(nin: number, options: NeuronOptions = {}) {
    super();
    if (!Number.isInteger(nin) || nin < 1)
      throw new RangeError(`a Neuron needs a positive integer number of inputs, got ${String(nin)}`);
    const rng = options.rng ?? mulberry32(0);
    const name = options.name ?? 'N';
    this.w = Array.from({ length: nin }, (_, i) => new Value(uniform(rng, -1, 1), `${name}.w${i}`));
    this.b = new Value(0, `${name}.b`);
    this.nonlin = options.nonlin ?? true;
  }

  /** b + Σ wᵢ·xᵢ, then tanh for a hidden unit (micrograd's summation order). */
  forward(x: readonly (Value | number)[]): Value {
    checkInputs(x, this.w.length, 'Neuron');
    let act = this.b;
    for (let i = 0; i < this.w.length; i++) act = act.add(this.w[i].mul(x[i]));
    return this.nonlin ? act.tanh() : act;
  }

  parameters(): Value[] {
    return [...this.w, this.b];
  }
}

export class Layer extends Module {
  readonly neurons: Neuron[];

  constructor(nin: number, nout: number, options: NeuronOptions = {}) {
    super();
    if (!Number.isInteger(nout) || nout < 1)
      throw new RangeError(`a Layer needs a positive integer number of outputs, got ${String(nout)}`);
    const rng = options.rng ?? mulberry32(0);
    const name = options.name ?? 'L';
    this.neurons = Array.from({ length: nout }, (_, j) => new Neuron(nin, { ...options, rng, name: `${name}.N${j}` }));
  }

  forward(x: readonly (Value | number)[]): Value[] {
    return this.neurons.map((n) => n.forward(x));
  }

  parameters(): Value[] {
    return this.neurons.flatMap((n) => n.parameters());
  }
}

export interface MLPOptions {
  /** Seed of the default generator (mulberry32). Default 0. */
  seed?: number;
  /** A generator to use instead of mulberry32(seed). */
  rng?: () => number;
}

export class MLP extends Module {
  readonly layers: Layer[];

  /** `new MLP(2, [16, 16, 1])`: tanh on every layer but the last, which is linear. */
  constructor(nin: number, nouts: readonly number[], options: MLPOptions = {}) {
    super();
    if (nouts.length === 0) throw new RangeError('an MLP needs at least one layer');
    const rng = options.rng ?? mulberry32(options.seed ?? 0);
    const sizes = [nin, ...nouts];
    this.layers = nouts.map(
      (nout, i) => new Layer(sizes[i], nout, { rng, nonlin: i !== nouts.length - 1, name: `L${i}` }),
    );
  }

  forward(x: readonly (Value | number)[]): Value[] {
    let out: readonly (Value | number)[] = x;
    for (const layer of this.layers) out = layer.forward(out);
    return out as Value[];
  }

  parameters(): Value[] {
    return this.layers.flatMap((l) => l.parameters());
  }
}
