// The hover's per-operator numbers for a traced lens: the statement's own expression (the core's
// parse) laid over the traced graph from its root down. An operator gets its numbers only where
// the two agree with certainty: the same op, and the operands told apart by what the source says
// of them (a number, a name bound to a known node, an op). Where the user's engine built the op
// otherwise (micrograd's `a - b` is `a + (-b)`) or the operands cannot be told apart, that operator
// and everything below it get none: never the numbers of another operand.

import { opSymbol } from '../../engine';
import type { Expr } from '../core/ast';
import type { Span } from '../core/positions';
import type { OpSite, Range } from '../core/types';
import type { CheckGraph, Operand } from './checkGraph';
import type { TracedVariable } from './protocol';

/** The most operators given numbers per lens. */
const MAX_OP_SITES = 500;

export function traceOps(
  expr: Expr,
  g: CheckGraph,
  variables: TracedVariable[],
  target: string,
  rangeOf: (span: Span) => Range,
): OpSite[] {
  const nodeOf = new Map<string, number>();
  // The target's own name on the right reads its value before the statement, not the node the
  // tracer saw after it: it constrains nothing.
  for (const v of variables) if (v.name !== target && !nodeOf.has(v.name)) nodeOf.set(v.name, v.node);
  const sites: OpSite[] = [];
  const stack: { e: Expr; id: number }[] = [{ e: expr, id: g.root }];
  while (stack.length > 0 && sites.length < MAX_OP_SITES) {
    const { e, id } = stack.pop()!;
    const pairs = match(e, id, g, nodeOf);
    if (!pairs) continue;
    const node = g.nodes[id];
    const grad = g.userGrad[id];
    if (grad === null || node.op === null || !('opSpan' in e)) continue;
    const inputs = pairs.map((p) => value(g, p.operand));
    const site: OpSite = {
      op: node.op,
      symbol: opSymbol(node.op, node.exponent),
      range: rangeOf(e.opSpan),
      expressionRange: rangeOf({ start: e.start, end: e.end }),
      inputs: node.op === 'pow' ? inputs.slice(0, 1) : inputs,
      output: g.data[id],
      grad,
    };
    if (node.exponent !== undefined) site.exponent = node.exponent;
    sites.push(site);
    for (const p of pairs) if (p.child && 'node' in p.operand) stack.push({ e: p.child, id: p.operand.node });
  }
  return sites;
}

/** The syntax's operands paired with the node's, in source order; null when they do not match for sure. */
function match(
  e: Expr,
  id: number,
  g: CheckGraph,
  nodeOf: Map<string, number>,
): { child: Expr | null; operand: Operand }[] | null {
  const node = g.nodes[id];
  // An expanded node (an engine's sigmoid, `2 ** x`): its op and operands are the added nodes', not the user's.
  if (node.op === null || g.composites.has(id)) return null;
  if (e.kind === 'call' && e.fn === node.op && node.operands.length === 1)
    return [{ child: e.arg, operand: node.operands[0] }];
  if (e.kind === 'unary' && e.op === 'neg' && node.op === 'neg')
    return [{ child: e.operand, operand: node.operands[0] }];
  if (e.kind !== 'binary' || e.op !== node.op) return null;
  if (node.op === 'pow') {
    // The exponent must be the number the source writes.
    if (e.right.kind !== 'num' || e.right.value !== node.exponent) return null;
    return [{ child: e.left, operand: node.operands[0] }];
  }
  if (node.operands.length !== 2) return null;
  const [x, y] = node.operands;
  const asStored = fits(e.left, x, g, nodeOf) && fits(e.right, y, g, nodeOf);
  const swapped = fits(e.left, y, g, nodeOf) && fits(e.right, x, g, nodeOf);
  const same = value(g, x) === value(g, y);
  // Both orders fit: fine only when the two operands hold the same number (`a * a`).
  if (asStored && (!swapped || same))
    return [
      { child: e.left, operand: x },
      { child: e.right, operand: y },
    ];
  if (swapped && !asStored)
    return [
      { child: e.left, operand: y },
      { child: e.right, operand: x },
    ];
  return null;
}

/** Whether the source operand can be this operand of the node, by all the source says of it. */
function fits(e: Expr, operand: Operand, g: CheckGraph, nodeOf: Map<string, number>): boolean {
  const data = value(g, operand);
  switch (e.kind) {
    case 'num':
      return data === e.value;
    case 'name': {
      const known = nodeOf.get(e.name);
      return known === undefined || ('node' in operand && operand.node === known);
    }
    case 'binary':
      return 'node' in operand && g.nodes[operand.node].op === e.op;
    case 'call':
      return 'node' in operand && g.nodes[operand.node].op === e.fn;
    case 'unary':
      // `-2` is a negated literal in the syntax and a plain -2 in the engine.
      if (e.operand.kind === 'num') return data === (e.op === 'neg' ? -e.operand.value : e.operand.value);
      return e.op === 'neg' && 'node' in operand && g.nodes[operand.node].op === 'neg';
    default:
      // A leaf constructor, a call into a function of the file: no claim either way.
      return true;
  }
}

function value(g: CheckGraph, operand: Operand): number {
  return 'node' in operand ? g.data[operand.node] : operand.constant;
}
