// The local derivative ∂c/∂(operand) of every op, straight from the seed's table
// (shared/seed/op-derivatives.txt), with its formula spelled out for an edge label:
// for `*`, ∂c/∂a = b = 3.0000. The op strings are the engine's display symbols
// ('+', '-', '*', '/', '**n', 'neg', 'exp', 'log', 'relu', 'tanh').
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

/** ∂c/∂operands[index] for c = op(operands); null for an op this model does not know. */
export function localDerivative(op: string, out: Operand, operands: readonly Operand[], index: number): LocalDerivative | null {
  const a = operands[index];
  if (!a) return null;
  const pow = /^\*\*(.+)$/.exec(op);
  if (pow) return powerRule(Number(pow[1]), a);
  switch (op) {
    case '+':
      return { symbolic: '1', value: 1 };
    case '-':
      if (operands.length === 1) return { symbolic: '\u22121', value: -1 };
      return index === 0 ? { symbolic: '1', value: 1 } : { symbolic: '\u22121', value: -1 };
    case 'neg':
      return { symbolic: '\u22121', value: -1 };
    case '*':
      return productRule(operands, index);
    case '/':
      return quotientRule(operands, index);
    case 'exp':
      return { symbolic: out.name, value: out.data };
    case 'log':
      return { symbolic: `1/${a.name}`, value: 1 / a.data };
    case 'relu':
      return { symbolic: `[${a.name} > 0]`, value: a.data > 0 ? 1 : 0 };
    case 'tanh':
      return { symbolic: `1 \u2212 ${out.name}\u00b2`, value: 1 - out.data * out.data };
    default:
      return null;
  }
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
export function operandDerivatives(index: GraphIndex, position: number, nameOf: (position: number) => string): OperandDerivative[] {
  const node = index.nodes[position];
  const children = node.children.map((id) => index.positionOf.get(id) as number);
  const operands: Operand[] = children.map((p) => ({ name: nameOf(p), data: index.nodes[p].data }));
  const out: Operand = { name: nameOf(position), data: node.data };
  return children.map((child, operand) => {
    const local = localDerivative(node.op, out, operands, operand);
    if (!local) throw new GraphModelError(`node ${node.id} has an op the graph does not know: '${node.op}'`);
    return { child, name: operands[operand].name, local };
  });
}

function powerRule(n: number, a: Operand): LocalDerivative | null {
  if (!Number.isFinite(n)) return null;
  const exponent = formatExponent(n - 1);
  return { symbolic: `${formatExponent(n)}\u00b7${a.name}^${exponent}`, value: n * Math.pow(a.data, n - 1) };
}

/** ∂(a·b·…)/∂a is the product of the other operands. */
function productRule(operands: readonly Operand[], index: number): LocalDerivative {
  const others = operands.filter((_, i) => i !== index);
  if (others.length === 0) return { symbolic: '1', value: 1 };
  return {
    symbolic: others.map((o) => o.name).join('\u00b7'),
    value: others.reduce((product, o) => product * o.data, 1),
  };
}

function quotientRule(operands: readonly Operand[], index: number): LocalDerivative | null {
  const [a, b] = operands;
  if (!a || !b) return null;
  if (index === 0) return { symbolic: `1/${b.name}`, value: 1 / b.data };
  return { symbolic: `\u2212${a.name}/${b.name}\u00b2`, value: -a.data / (b.data * b.data) };
}

function formatExponent(n: number): string {
  return Number.isInteger(n) ? formatSigned(n, 0) : formatSigned(n, 4).replace(/0+$/, '');
}
