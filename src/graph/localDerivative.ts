// The local derivative ∂c/∂(operand) of every op, from the engine's op table (engine/opTable.ts,
// the seed's table), with its formula spelled out for an edge label: for `*`, ∂c/∂a = b = 3.0000.
// The graph's ops arrive as the engine's display symbols ('+', '*', '**2', 'tanh', …). The hover
// reads the same function, so the hover and the graph's edge labels always agree.
import { opFromSymbol, type OpSpec } from '../../engine';
import { formatSigned } from './format';
import { GraphModelError, type GraphIndex } from './graphIndex';

export interface Operand {
  /** How the operand is named in a formula: its label, or a stand-in. */
  name: string;
  data: number;
}

export interface LocalDerivative {
  /** The right-hand side in symbols, e.g. `b`, `1 − c²`, `2·a`. */
  symbolic: string;
  value: number;
}

/** ∂c/∂operands[index] for c = op(operands), `op` a display symbol; null for an op this model does not know. */
export function localDerivative(
  op: string,
  out: Operand,
  operands: readonly Operand[],
  index: number,
): LocalDerivative | null {
  const known = opFromSymbol(op);
  if (!known || operands.length !== known.op.local.length || !operands[index]) return null;
  return derivativeOf(known.op, out, operands, index, known.exponent);
}

/**
 * ∂c/∂operands[index] by the op table: its formula with these names, and its value at these
 * numbers. `exponent` is a pow's constant exponent.
 */
export function derivativeOf(
  op: OpSpec,
  out: Operand,
  operands: readonly Operand[],
  index: number,
  exponent?: number,
): LocalDerivative {
  const [a, b] = operands;
  const n = exponent ?? NaN;
  const symbols = { a: a.name, b: b?.name ?? '', c: out.name, n: '', nLess1: '' };
  if (op.exponent) {
    symbols.n = formatExponent(n);
    symbols.nLess1 = formatExponent(n - 1);
  }
  const second = op.exponent ? n : (b?.data ?? NaN);
  return { symbolic: op.localText[index](symbols), value: op.local[index](a.data, second, out.data) };
}

/** One operand of a graph node: its position, how formulas name it, and ∂node/∂operand. */
export interface OperandDerivative {
  child: number;
  name: string;
  local: LocalDerivative;
}

/**
 * The local derivative of the node at `position` with respect to each of its operands, in operand
 * order; an op outside the seed's table is a GraphModelError. The edge labels and the backward
 * steps both read them from here.
 */
export function operandDerivatives(
  index: GraphIndex,
  position: number,
  nameOf: (position: number) => string,
): OperandDerivative[] {
  const node = index.nodes[position];
  const children = node.children.map((id) => index.positionOf.get(id) as number);
  const operands: Operand[] = children.map((p) => ({ name: nameOf(p), data: index.nodes[p].data }));
  const out: Operand = { name: nameOf(position), data: node.data };
  return children.map((child, operand) => {
    const local = localDerivative(node.op, out, operands, operand);
    if (!local)
      throw new GraphModelError(
        `node ${node.id} has an op the graph does not know with ${children.length} operand(s): '${node.op}'`,
      );
    return { child, name: operands[operand].name, local };
  });
}

function formatExponent(n: number): string {
  return Number.isInteger(n) ? formatSigned(n, 0) : formatSigned(n, 4).replace(/0+$/, '');
}
