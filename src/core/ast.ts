// The expression tree of the @grad language. Every node keeps its source span; operator nodes
// also keep the span of the operator token or function name, for the hover.

import type { BinaryOpName, UnaryOpName } from '../../engine';
import type { Span } from './positions';

/** A call's op: one operand, spelt as a function or a method (`tanh(x)`, `x.neg()`). */
export type FunctionName = UnaryOpName;
/** A binary node's op: an operator or a method (`a * b`, `a.mul(b)`, `pow(a, n)`). */
export type BinaryName = BinaryOpName;

type Node = Span;

/**
 * A function that is not one of the engine's ops but a composition of them, desugared by the
 * parser (`sigmoid(x)` is `1 / (1 + exp(-x))`): its name stays on the outermost node, for the hover.
 */
export type CompositeName =
  | 'sigmoid'
  | 'softplus'
  | 'abs'
  | 'max'
  | 'min'
  | 'square'
  | 'cube'
  | 'sqrt'
  | 'reciprocal'
  | 'leaky_relu'
  | 'constant-base pow'
  | 'sum'
  | 'mean';

interface OpNode extends Node {
  opSpan: Span;
  /** Set on the outermost node of a desugared composite. */
  composite?: CompositeName;
  /**
   * Set on the outermost node of `add(a, b, c)` or `x.add(2, x)`, read as a sum of every operand
   * as in the ports whose add and mul take any number: how many there are (see evaluate.ts).
   */
  variadic?: number;
}

export interface NumberNode extends Node {
  kind: 'num';
  value: number;
}

export interface NameNode extends Node {
  kind: 'name';
  /** A variable, or `x.data`: the number `x` holds, read as a constant (see dataReadOf). */
  name: string;
}

/**
 * `x` for the name `x.data`, which reads the number a Value holds: a plain number in the program,
 * through which no gradient flows (micrograd's `.data` is the float, detached from the graph).
 */
export function dataReadOf(name: string): string | undefined {
  return name.endsWith('.data') ? name.slice(0, -5) : undefined;
}

export interface UnaryNode extends OpNode {
  kind: 'unary';
  op: 'neg' | 'pos';
  operand: Expr;
}

export interface BinaryNode extends OpNode {
  kind: 'binary';
  op: BinaryName;
  left: Expr;
  right: Expr;
}

export interface CallNode extends OpNode {
  kind: 'call';
  fn: FunctionName;
  arg: Expr;
}

/** `Value(2.0, label='x')`, `new Value(2, 'x')`, `v(2, { label: 'x' })`: a leaf whose value is a constant expression. */
export interface LeafNode extends Node {
  kind: 'leaf';
  data: Expr;
  label?: string;
  /** A tensor made without `requires_grad=True`: PyTorch gives it no gradient. */
  constant?: boolean;
}

/**
 * `sigmoid(x)` where the file defines `def sigmoid(z): …`: a call into a function of the file,
 * evaluated by binding its parameters to the arguments (evaluate.ts). `opSpan` is the name's.
 */
export interface InvokeNode extends Node {
  kind: 'invoke';
  fn: string;
  args: Expr[];
  /** Python's keyword arguments: the parameter each argument names (`f(x, w=2)`), where any does. */
  keywords?: (string | undefined)[];
  opSpan: Span;
}

export type Expr = NumberNode | NameNode | UnaryNode | BinaryNode | CallNode | LeafNode | InvokeNode;

/** The operands of a node, in source order (a leaf's data is folded, not walked). */
const NO_CHILDREN: Expr[] = [];

export function childrenOf(e: Expr): Expr[] {
  switch (e.kind) {
    case 'unary':
      return [e.operand];
    case 'binary':
      return [e.left, e.right];
    case 'call':
      return [e.arg];
    case 'invoke':
      return e.args;
    default:
      return NO_CHILDREN;
  }
}

/**
 * Children before parents, without recursion: left-associative chains (`a + a + … + a`) can be
 * far deeper than the parser's nesting limit, so no walker may recurse on the tree.
 */
export function postOrder(root: Expr, descend: (e: Expr) => Expr[] = childrenOf): Expr[] {
  if (descend(root).length === 0) return [root];
  const order: Expr[] = [];
  // Two parallel stacks, kept between calls: this runs for every expression of every lens on
  // every edit, and fresh stacks (or {node, expanded} records) were a large share of its garbage.
  // Safe to share because no `descend` calls back into postOrder.
  const nodes = scratchNodes;
  const expanded = scratchExpanded;
  const base = nodes.length;
  nodes.push(root);
  expanded.push(false);
  while (nodes.length > base) {
    const node = nodes.pop()!;
    if (expanded.pop()) {
      order.push(node);
      continue;
    }
    const children = descend(node);
    if (children.length === 0) {
      order.push(node);
      continue;
    }
    nodes.push(node);
    expanded.push(true);
    for (let k = children.length - 1; k >= 0; k--) {
      nodes.push(children[k]);
      expanded.push(false);
    }
  }
  return order;
}

const scratchNodes: Expr[] = [];
const scratchExpanded: boolean[] = [];
