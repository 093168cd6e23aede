// The operator hover's view of an op site: its name, its forward formula, and its local
// derivatives with the site's numbers filled in (for `c = a * b`: ∂c/∂a = b = 3.0000). All of it
// comes from the engine's op table (engine/opTable.ts), through the same function as the graph's
// edge labels (src/graph/localDerivative.ts), so the hover and the graph always agree.
import { OPS } from '../../engine';
import type { OpSite } from '../core';
import { derivativeOf, type Operand } from '../graph/localDerivative';

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

export function describeOp(site: OpSite): OpDescription {
  const op = OPS[site.op];
  const operands: Operand[] = site.inputs.map((data, index) => ({ name: index === 0 ? 'a' : 'b', data }));
  const output: Operand = { name: 'c', data: site.output };
  const derivatives = op.local.map((_, index): LocalDerivative => {
    const derivative = derivativeOf(op, output, operands, index, site.exponent);
    return { input: index === 0 ? 'a' : 'b', formula: derivative.symbolic, value: derivative.value };
  });
  return { title: op.title, forward: op.formula, derivatives };
}
