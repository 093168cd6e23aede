// The expression tree of the @grad language. Every node keeps its source span; operator nodes
// also keep the span of the operator token or function name, for the hover.

import type { Span } from './positions';

export type FunctionName = 'exp' | 'log' | 'relu' | 'tanh';
export type BinaryName = 'add' | 'sub' | 'mul' | 'div' | 'pow';

interface Node extends Span {}

export interface NumberNode extends Node {
  kind: 'num';
  value: number;
}

export interface NameNode extends Node {
  kind: 'name';
  name: string;
}

export interface UnaryNode extends Node {
  kind: 'unary';
  op: 'neg' | 'pos';
  operand: Expr;
  opSpan: Span;
}

export interface BinaryNode extends Node {
  kind: 'binary';
  op: BinaryName;
  left: Expr;
  right: Expr;
  opSpan: Span;
}

export interface CallNode extends Node {
  kind: 'call';
  fn: FunctionName;
  arg: Expr;
  opSpan: Span;
}

/** `Value(2.0, label='x')` / `new Value(2)`: a leaf whose value is a constant expression. */
export interface LeafNode extends Node {
  kind: 'leaf';
  data: Expr;
  label?: string;
}

export type Expr = NumberNode | NameNode | UnaryNode | BinaryNode | CallNode | LeafNode;

/** The operands of a node, in source order (a leaf's data is folded, not walked). */
export function childrenOf(e: Expr): Expr[] {
  switch (e.kind) {
    case 'unary':
      return [e.operand];
    case 'binary':
      return [e.left, e.right];
    case 'call':
      return [e.arg];
    default:
      return [];
  }
}

/**
 * Children before parents, without recursion: left-associative chains (`a + a + … + a`) can be
 * far deeper than the parser's nesting limit, so no walker may recurse on the tree.
 */
export function postOrder(root: Expr, descend: (e: Expr) => Expr[] = childrenOf): Expr[] {
  const order: Expr[] = [];
  const stack: { node: Expr; expanded: boolean }[] = [{ node: root, expanded: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.expanded) {
      order.push(top.node);
      continue;
    }
    stack.push({ node: top.node, expanded: true });
    const children = descend(top.node);
    for (let k = children.length - 1; k >= 0; k--) stack.push({ node: children[k], expanded: false });
  }
  return order;
}
