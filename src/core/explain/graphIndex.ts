// The lens's graph as the explanation reads it: for each node, its uses (the operand slots of the
// ops that read it) in the order the engine's backward pass adds their contributions, the op that
// made it, and the name a formula calls it by: the user's name for a variable or a named
// intermediate (`n`, `x1w1`), a constant's number, else the sub-expression as the user wrote it.

import type { Value } from '../../../engine';
import type { Expr } from '../ast';
import type { Built, NodeInfo, OpDraft } from '../evaluate';
import type { LocalFactor } from './factors';
import { atom, constantText, exponentText, oneLine, SYMBOL_LIMIT } from './printing';

/** One operand slot of an op: `draft.inputs[slot]` is the node used. */
export interface Use {
  draft: OpDraft;
  slot: number;
}

/** A desugared composite (`sigmoid(x)` is `1 / (1 + exp(−x))`) printed deeper than this shows `…`. */
const PRINT_DEPTH = 6;

export class ExplainGraph {
  readonly root: Value;
  private readonly info: Map<Value, NodeInfo>;
  /** Uses as numbers (2 · op index + slot): one number for the usual single use, no object per edge. */
  private readonly uses = new Map<Value, number | number[]>();
  private readonly ops: readonly OpDraft[];
  private readonly producers = new Map<Value, OpDraft>();
  private readonly symbols = new Map<Value, string>();
  private readonly atoms = new Map<Value, string>();
  /** Each op's local factors, by op and slot: a factor is on the chains of every variable below it. */
  private readonly factors = new Map<OpDraft, LocalFactor[]>();

  constructor(
    built: Built,
    private readonly text: string,
    /** The lens's target, as `∂target/∂…` writes it. */
    readonly target: string,
  ) {
    this.root = built.root;
    this.info = built.info;
    // The engine's backward pass visits ops in reverse creation order, and each op adds to its
    // first operand, then its second; the evaluator records ops in creation order (evaluate.ts).
    const ops = (this.ops = built.ops);
    for (let k = ops.length - 1; k >= 0; k--) {
      const draft = ops[k];
      this.producers.set(draft.output, draft);
      for (let slot = 0; slot < draft.inputs.length; slot++) {
        const input = draft.inputs[slot];
        const use = 2 * k + slot;
        const known = this.uses.get(input);
        if (known === undefined) this.uses.set(input, use);
        else if (typeof known === 'number') this.uses.set(input, [known, use]);
        else known.push(use);
      }
    }
  }

  /** The uses of `v`, in the order the engine adds their contributions to its gradient. */
  usesOf(v: Value): readonly Use[] {
    const known = this.uses.get(v);
    if (known === undefined) return [];
    if (typeof known === 'number') return [this.use(known)];
    return known.map((use) => this.use(use));
  }

  /** How many ops use `v` (without building them). */
  useCount(v: Value): number {
    const known = this.uses.get(v);
    return known === undefined ? 0 : typeof known === 'number' ? 1 : known.length;
  }

  private use(code: number): Use {
    return { draft: this.ops[code >> 1], slot: code & 1 };
  }

  /** The local factor of a use, built once. */
  factor(use: Use, build: (use: Use) => LocalFactor): LocalFactor {
    let list = this.factors.get(use.draft);
    if (list === undefined) this.factors.set(use.draft, (list = []));
    return (list[use.slot] ??= build(use));
  }

  /** `symbol(v)` as a factor or operand: parenthesised unless it is an atom. */
  atomSymbol(v: Value): string {
    let a = this.atoms.get(v);
    if (a === undefined) {
      a = atom(this.symbol(v));
      this.atoms.set(v, a);
    }
    return a;
  }

  producerOf(v: Value): OpDraft | undefined {
    return this.producers.get(v);
  }

  /** A node that holds a name of the user's (a variable, a named intermediate, a labelled leaf). */
  isNamed(v: Value): boolean {
    return this.info.get(v)?.name !== undefined;
  }

  isConstant(v: Value): boolean {
    return this.info.get(v)?.kind === 'constant' && !this.isNamed(v);
  }

  /** What a formula calls `v`. */
  symbol(v: Value): string {
    let s = this.symbols.get(v);
    if (s === undefined) {
      s = this.computeSymbol(v);
      this.symbols.set(v, s);
    }
    return s;
  }

  private computeSymbol(v: Value): string {
    const name = this.info.get(v)?.name;
    if (name !== undefined) return oneLine(name);
    const draft = this.producers.get(v);
    return draft ? this.exprText(draft.expr, 0) : constantText(v.data);
  }

  /** An expression as the user wrote it; the inside of a desugared composite, rebuilt from the tree. */
  private exprText(e: Expr, depth: number): string {
    if (e.kind === 'name') return oneLine(e.name);
    if (e.kind === 'num') return constantText(e.value);
    if (!desugared(e)) return this.source(e.start, e.end);
    if (depth > PRINT_DEPTH) return '…';
    const sub = (x: Expr) => this.exprText(x, depth + 1);
    switch (e.kind) {
      case 'unary':
        return e.op === 'neg' ? `\u2212${atom(sub(e.operand))}` : sub(e.operand);
      case 'call':
        return `${e.fn}(${sub(e.arg)})`;
      case 'binary':
        switch (e.op) {
          case 'add':
            return `${sub(e.left)} + ${sub(e.right)}`;
          case 'sub':
            return `${sub(e.left)} \u2212 ${atom(sub(e.right))}`;
          case 'mul':
            return `${atom(sub(e.left))}·${atom(sub(e.right))}`;
          case 'div':
            return `${atom(sub(e.left))}/${atom(sub(e.right))}`;
          case 'pow':
            return e.right.kind === 'num'
              ? `${atom(sub(e.left))}${exponentText(e.right.value)}`
              : `${atom(sub(e.left))}^${atom(sub(e.right))}`;
        }
    }
    return this.source(e.start, e.end);
  }

  /** The source between two offsets on one line, read no further than a clipped symbol needs. */
  private source(start: number, end: number): string {
    const stop = Math.min(end, start + 4 * SYMBOL_LIMIT);
    const text = oneLine(this.text.slice(start, stop));
    return stop < end && !text.endsWith('…') ? `${text}…` : text;
  }
}

/**
 * A node the parser made for a composite's inside (`exp(−x)` of `sigmoid(x)`, the sums of
 * `sum([a, b, c])`): every such node points at the composite's name, so its span is its operator's
 * (a node the user wrote spans its operands too). The composite's outer node keeps the whole call.
 */
export function desugared(e: Expr): boolean {
  if (e.kind !== 'unary' && e.kind !== 'binary' && e.kind !== 'call') return false;
  return e.composite === undefined && e.start === e.opSpan.start && e.end === e.opSpan.end;
}
