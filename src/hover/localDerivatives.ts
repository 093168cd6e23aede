// The seed's table of local derivatives (op-derivatives.txt), with an op site's numbers filled in,
// for the operator hover: for `c = a * b`, "∂c/∂a = b = 3.0000".
import type { OpName, OpSite } from '../core';

export interface LocalDerivative {
  /** The operand it is taken with respect to: 'a' or 'b'. */
  input: 'a' | 'b';
  /** The seed's formula, e.g. 'b' or '1 − c²'. */
  formula: string;
  value: number;
}

export interface OpDescription {
  /** e.g. 'multiplication'. */
  title: string;
  /** The forward formula, e.g. 'c = a · b'. */
  forward: string;
  derivatives: LocalDerivative[];
}

const TITLES: Record<OpName, string> = {
  add: 'addition', sub: 'subtraction', neg: 'negation', mul: 'multiplication', div: 'division',
  pow: 'power (constant exponent)', exp: 'exponential', log: 'natural logarithm', relu: 'ReLU', tanh: 'tanh',
};

export function describeOp(site: OpSite): OpDescription {
  const [a = Number.NaN, b = Number.NaN] = site.inputs;
  const c = site.output;
  const n = site.exponent ?? b;
  const title = TITLES[site.op];
  switch (site.op) {
    case 'add': return { title, forward: 'c = a + b', derivatives: [d('a', '1', 1), d('b', '1', 1)] };
    case 'sub': return { title, forward: 'c = a − b', derivatives: [d('a', '1', 1), d('b', '−1', -1)] };
    case 'neg': return { title, forward: 'c = −a', derivatives: [d('a', '−1', -1)] };
    case 'mul': return { title, forward: 'c = a · b', derivatives: [d('a', 'b', b), d('b', 'a', a)] };
    case 'div': return { title, forward: 'c = a / b', derivatives: [d('a', '1/b', 1 / b), d('b', '−a/b²', -a / (b * b))] };
    case 'pow': return { title, forward: 'c = aⁿ', derivatives: [d('a', 'n · aⁿ⁻¹', n * Math.pow(a, n - 1))] };
    case 'exp': return { title, forward: 'c = eᵃ', derivatives: [d('a', 'c', c)] };
    case 'log': return { title, forward: 'c = ln(a)', derivatives: [d('a', '1/a', 1 / a)] };
    case 'relu': return { title, forward: 'c = max(0, a)', derivatives: [d('a', '1 if a > 0 else 0', a > 0 ? 1 : 0)] };
    case 'tanh': return { title, forward: 'c = tanh(a)', derivatives: [d('a', '1 − c²', 1 - c * c)] };
  }
}

function d(input: 'a' | 'b', formula: string, value: number): LocalDerivative {
  return { input, formula, value };
}
