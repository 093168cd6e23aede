// The operator hover's view of an op site: its name, its forward formula, and its local
// derivatives with the site's numbers filled in (for `c = a * b`: ∂c/∂a = b = 3.0000). The
// derivatives come from the graph model's table (src/graph/localDerivative.ts, the seed's table),
// so the hover and the graph's edge labels always agree.
import type { OpName, OpSite } from '../core';
import { localDerivative, type Operand } from '../graph/localDerivative';

export interface LocalDerivative {
  /** The operand it is taken with respect to: 'a' or 'b'. */
  input: 'a' | 'b';
  /** The right-hand side in symbols, e.g. 'b' or '1 − c²'. */
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

const DESCRIPTIONS: Record<OpName, { title: string; forward: string }> = {
  add: { title: 'addition', forward: 'c = a + b' },
  sub: { title: 'subtraction', forward: 'c = a − b' },
  neg: { title: 'negation', forward: 'c = −a' },
  mul: { title: 'multiplication', forward: 'c = a · b' },
  div: { title: 'division', forward: 'c = a / b' },
  pow: { title: 'power (constant exponent)', forward: 'c = aⁿ' },
  exp: { title: 'exponential', forward: 'c = eᵃ' },
  log: { title: 'natural logarithm', forward: 'c = ln(a)' },
  relu: { title: 'ReLU', forward: 'c = max(0, a)' },
  tanh: { title: 'tanh', forward: 'c = tanh(a)' },
};

export function describeOp(site: OpSite): OpDescription {
  const operands: Operand[] = site.inputs.map((data, index) => ({ name: index === 0 ? 'a' : 'b', data }));
  const output: Operand = { name: 'c', data: site.output };
  const derivatives = operands.flatMap((operand, index): LocalDerivative[] => {
    const derivative = localDerivative(site.symbol, output, operands, index);
    return derivative ? [{ input: operand.name as 'a' | 'b', formula: derivative.symbolic, value: derivative.value }] : [];
  });
  return { ...DESCRIPTIONS[site.op], derivatives };
}
