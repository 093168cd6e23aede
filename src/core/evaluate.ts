// Builds one lens's computation graph in the engine. Two passes, both without recursion on the
// length of a chain:
//   1. discovery walks from the annotated expression through the assignments its names resolve
//      to (an explicit stack), collecting every problem it can find;
//   2. evaluation runs the reached assignments in document order (a name always resolves to an
//      earlier statement, so that order has every operand ready), memoising one Value per
//      assignment: a name used twice is one engine node, and gradients accumulate.

import { applyOp, DomainError, Value } from '../../engine';
import { childrenOf, dataReadOf, postOrder, type Expr, type InvokeNode } from './ast';
import type { Binding } from './bindings';
import { backwardCallsBetween } from './backwardCalls';
import { BUDGETS, count } from './budgets';
import { bindCall, type CallPlan } from './calls';
import type { Slot } from './parameters';
import type { DocumentIndex } from './document';
import { AnalysisError } from './errors';
import { firstName, fold } from './fold';
import { applyLeafUpdate, isLeafUpdate, type LeafUpdate } from './leafUpdates';
import type { Span } from './positions';
import { quote } from './quote';
import type { OpName, ProblemCode } from './types';

export interface NodeInfo {
  kind: 'leaf' | 'constant' | 'intermediate';
  /** The variable's name, or a `Value(…, label=…)` label. */
  name?: string;
  span?: Span;
}

export interface OpDraft {
  op: OpName;
  opSpan: Span;
  exprSpan: Span;
  /** The syntax node itself (the same object as exprSpan): the explanation prints operands from it. */
  expr: Expr;
  inputs: Value[];
  exponent?: number;
  output: Value;
}

export interface VariableDraft {
  name: string;
  value?: Value;
  leaf: boolean;
  definedAt: Span;
  definedBy: 'assignment' | 'binding' | 'call';
  occurrences: Span[];
  /** A tensor made without `requires_grad=True`: a constant, listed nowhere. */
  constant?: boolean;
}

export interface Built {
  root: Value;
  info: Map<Value, NodeInfo>;
  ops: OpDraft[];
  variables: VariableDraft[];
}

export interface LensSource {
  expr: Expr;
  /** Where budget errors point. */
  exprSpan: Span;
  /** Names resolve among statements with a smaller id. */
  before: number;
  bindings: Binding[];
  /**
   * Builds the "add a binding" advice for an unbound name: message text, so the user text in it
   * (the name, the annotation's bindings) is clipped where it is built (see quote.ts).
   */
  bindingAdvice: (name: string) => string;
  /** How the message calls the place names must be assigned above: 'this line', 'the selection'. */
  here: string;
}

/** A call's parameters and locals, and the plans of the calls in its body. */
interface Frame {
  values: Map<string, Value>;
  calls: Map<InvokeNode, CallPlan>;
  slots: Map<InvokeNode, Slot[]>;
}

/** Exponents are folded, not walked: a name there is its own error. */
function operandsExceptExponent(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'pow' ? [e.left] : childrenOf(e);
}

export class LensEvaluation {
  readonly problems: AnalysisError[] = [];
  /** What the number assumes and the program may not do, shown beside it as warnings (see caveat). */
  readonly caveats: AnalysisError[] = [];
  private readonly bindings = new Map<string, Binding>();
  /** Variables by binding name and by assignment id: two maps, so no key strings are built. */
  private readonly boundVariables = new Map<string, VariableDraft>();
  private readonly assignedVariables = new Map<number, VariableDraft>();
  /** Assignments whose value is a constant: their number. */
  private readonly leafStatements = new Map<number, number>();
  private readonly expressionStatements: number[] = [];
  private readonly statementValues = new Map<number, Value>();
  private readonly info = new Map<Value, NodeInfo>();
  private readonly ops: OpDraft[] = [];
  private readonly unbound = new Set<string>();
  /** The plans of the calls into the file's functions in the expressions this lens reaches. */
  private readonly calls = new Map<InvokeNode, CallPlan>();
  /** Where each parameter of those calls gets its value (an argument or a default). */
  private readonly slots = new Map<InvokeNode, Slot[]>();
  /** Python's defaults, evaluated once where their function is defined: one Value each. */
  private readonly defaultValues = new Map<Expr, Value>();
  /** `x = t.data` statements already read (see dataRead). */
  private read?: Set<number>;
  /** Nodes this lens's expansion has spent so far (see spend). */
  private nodes = 0;
  /**
   * The Values that are engine objects in the program (made by a leaf constructor or a method),
   * not plain numbers: JavaScript's operators and `Math`/`math` functions do not work on them.
   */
  private readonly objects = new Set<Value>();

  constructor(
    private readonly doc: DocumentIndex,
    private readonly source: LensSource,
  ) {
    for (const b of source.bindings) this.bindings.set(b.name, b);
  }

  /** Pass 1. True when the lens can be evaluated. */
  discover(): boolean {
    const visited = new Set<number>();
    const stack: { expr: Expr; before: number; via?: string }[] = [
      { expr: this.source.expr, before: this.source.before },
    ];
    while (stack.length > 0) {
      const { expr, before, via } = stack.pop()!;
      const nodes = postOrder(expr, operandsExceptExponent);
      // The lens's own expression counts too: a file of large annotated statements that expand
      // nothing would otherwise build millions of nodes under every budget.
      if (expr === this.source.expr) {
        const problem = this.spend(nodes.length);
        if (problem) {
          this.problems.push(problem);
          return false;
        }
      }
      for (const node of nodes) {
        if (node.kind === 'invoke') {
          const plan = this.plan(node, before);
          if (!plan) continue;
          const problem = this.spend(plan.nodes);
          if (problem) {
            this.problems.push(problem);
            return false;
          }
          for (const free of plan.free)
            if (!this.visitName(free.name, free.node, before, via, visited, stack)) return false;
          // Python's defaults are read where the function is defined, so their names resolve there.
          for (const early of plan.early) stack.push({ expr: early.expr, before: early.def, via: early.via });
          this.checkBodies(plan, via);
          continue;
        }
        if (node.kind === 'binary' && node.op === 'pow') this.checkExponent(node.right, via);
        if (node.kind === 'leaf') this.checkLeafData(node.data);
        if (node.kind === 'name' && !this.visitName(node.name, node, before, via, visited, stack)) return false;
        if (node.kind === 'call' || node.kind === 'binary' || node.kind === 'unary') this.checkImported(node, before);
        if (node.kind === 'binary' && node.variadic !== undefined) this.caveat(node, node.variadic);
      }
    }
    this.expressionStatements.sort((a, b) => a - b);
    return this.problems.length === 0;
  }

  /** A name's use: its assignment joins the discovery once. False when a budget runs out. */
  private visitName(
    name: string,
    node: Span,
    before: number,
    via: string | undefined,
    visited: Set<number>,
    stack: { expr: Expr; before: number; via?: string }[],
  ): boolean {
    const base = dataReadOf(name);
    if (base !== undefined) {
      // A tensor's `.data` is a tensor sharing its storage: later in-place changes reach it.
      if (this.doc.usesTorch) {
        const message = `${quote(name)} is a tensor sharing ${quote(base)}'s storage, which in-place changes reach: the lens reads \`.data\` as a number only outside PyTorch`;
        this.problems.push(new AnalysisError('unknowable', message, span(node)));
        return true;
      }
      return this.visitName(base, node, before, via, visited, stack);
    }
    const id = this.reference(name, node, before, via);
    if (id < 0 || visited.has(id)) return true;
    visited.add(id);
    const problem = this.spend(this.doc.statements[id].tokens.length);
    if (problem) {
      this.problems.push(problem);
      return false;
    }
    const next = this.visitAssignment(id, name);
    if (next) stack.push(next);
    return true;
  }

  /**
   * A call into a function of the file, made in statement `before`: its plan, once each body's
   * outside names mean at the call what they mean in the body; undefined (with a problem) if not.
   */
  private plan(node: InvokeNode, before: number): CallPlan | undefined {
    const id = this.doc.resolveFunction(node.fn, before);
    const fail = (message: string, code: 'parse' | 'unknowable' = 'parse'): undefined => {
      this.problems.push(new AnalysisError(code, message, span(node.opSpan)));
      return undefined;
    };
    if (id < 0) {
      const why = this.doc.whyUnbound(node.fn, before, this.source.here);
      return fail(why?.text ?? `${quote(node.fn)} has no definition ${this.source.here} can see`);
    }
    const called = this.doc.callPlan(id, node.fn);
    if ('refused' in called) return fail(called.refused, called.runtime ? 'unknowable' : 'parse');
    const binding = bindCall(this.doc, called, node);
    if ('refused' in binding) return fail(binding.refused);
    // This call's own defaults join the body's outside names, as a plan of its own.
    const plan: CallPlan =
      binding.free.length === 0 && binding.early.length === 0
        ? called
        : { ...called, free: [...called.free, ...binding.free], early: [...called.early, ...binding.early] };
    // A Python default is a Value made where the function is defined: no write may change it since.
    for (const early of plan.early)
      for (const name of postOrder(early.expr)) {
        const made = name.kind === 'name' ? this.doc.resolve(name.name, early.def) : -1;
        const why = made >= 0 && this.doc.taintedBefore((name as { name: string }).name, made, this.source.before);
        if (why) return fail(`${why} (a default of ${quote(called.name)})`, 'unknowable');
      }
    for (const free of plan.free) {
      const seen = this.doc.resolve(free.name, before);
      // A name with no assignment at the call (a parameter, a binding) is not the body's either.
      if (seen < 0 || !this.doc.sameVariableAs(seen, free.name, free.use))
        return fail(
          `${quote(plan.name)} reads ${quote(free.name)} (${this.doc.lineLabel(free.node.start)}), which is not the ${quote(free.name)} that ${this.source.here} sees: the lens cannot tell which one the call reads`,
        );
    }
    for (const late of plan.late)
      if (this.doc.resolveFunction(late.name, before) !== late.id)
        return fail(
          `${quote(plan.name)} calls ${quote(late.name)} (${this.doc.lineLabel(late.node.start)}), whose definition at this call is not the one the lens can follow`,
        );
    this.calls.set(node, plan);
    this.slots.set(node, binding.slots);
    return plan;
  }

  /** The exponents and `Value(…)` data inside a call's body, and the bodies it calls. */
  private checkBodies(plan: CallPlan, via: string | undefined): void {
    for (const expr of [...plan.steps.map((s) => s.expr), plan.result])
      for (const node of postOrder(expr, operandsExceptExponent)) {
        if (node.kind === 'binary' && node.op === 'pow') this.checkExponent(node.right, via);
        if (node.kind === 'leaf') this.checkLeafData(node.data);
      }
    for (const inner of plan.calls.values()) this.checkBodies(inner, via);
  }

  /** Pass 2. Throws an AnalysisError ('domain') at the first operation that leaves its domain. */
  evaluate(): Built {
    for (const id of this.expressionStatements) {
      const parsed = this.doc.statement(id);
      const value = this.evaluateExpression(parsed.expr!, id);
      const info = this.info.get(value);
      if (info && info.kind === 'intermediate' && info.name === undefined) {
        info.name = parsed.target;
        info.span = parsed.targetSpan;
      }
      this.statementValues.set(id, value);
      const draft = this.assignedVariables.get(id);
      if (draft) draft.value = value;
    }
    const root = this.evaluateExpression(this.source.expr, this.source.before);
    return {
      root,
      info: this.info,
      ops: this.ops,
      // A tensor without `requires_grad` is a constant: no variable, no gradient.
      variables: [...this.boundVariables.values(), ...this.assignedVariables.values()].filter((v) => !v.constant),
    };
  }

  /**
   * Counts nodes against the lens's budget and the document's (the lens's own expression node by
   * node, an expanded statement by its tokens, an upper bound on the nodes it adds); a problem when
   * either runs out. The lens's own budget comes first,
   * so a lens too large on its own fails alone, whatever the others spent.
   */
  private spend(nodes: number): AnalysisError | undefined {
    this.nodes += nodes;
    if (this.nodes > BUDGETS.lensNodes) {
      const message = `too large to analyse: over ${count(BUDGETS.lensNodes)} graph nodes (the limit of one lens); annotate a statement nearer the leaves, or split the chain`;
      return new AnalysisError('too-large', message, this.source.exprSpan);
    }
    this.doc.nodeBudget -= nodes;
    if (this.doc.nodeBudget < 0) {
      const message = `not analysed: this document's lenses together build more than ${count(BUDGETS.documentNodes)} graph nodes; annotate fewer statements along long chains`;
      return new AnalysisError('too-large', message, this.source.exprSpan);
    }
    return undefined;
  }

  /** Records a name's use; returns the id of an assignment still to expand, or -1. */
  private reference(name: string, node: Span, before: number, via: string | undefined): number {
    const binding = this.bindings.get(name);
    if (binding) {
      const by = binding.from === 'call' ? 'call' : 'binding';
      this.draft(this.boundVariables, name, name, true, binding.span, by).occurrences.push(node);
      return -1;
    }
    const id = this.resolveName(name, before);
    // A leaf read by an assignment this lens expands, then changed through `.data` before the lens.
    let changed =
      id >= 0 && via !== undefined ? this.doc.changedAfterUse(name, id, before, this.source.before, via) : undefined;
    const elsewhere = id >= 0 && changed === undefined ? this.doc.writeElsewhere(name, id, before) : -1;
    if (elsewhere >= 0)
      changed = `${quote(name)} is changed through \`.data\` on ${this.doc.lineLabel(this.doc.statements[elsewhere].start)}, which may run before ${this.source.here}: its value here is not statically knowable`;
    if (id < 0 || changed !== undefined) {
      if (!this.unbound.has(name)) {
        this.unbound.add(name);
        const where = via === undefined ? this.source.here : `its use in ${quote(via)}`;
        const advice = this.source.bindingAdvice(name);
        // A scope rule (a parameter, another function's local) or the program (a loop variable, an
        // import, a value a loop changes) says why, and only a binding helps.
        const why = changed !== undefined ? { text: changed, runtime: true } : this.doc.whyUnbound(name, before, where);
        const message = why
          ? `${why.text}${why.runtime ? ';' : ':'} give it a value with a binding: \`${advice}\``
          : `${quote(name)} has no value: assign it above ${where} or add a binding: \`${advice}\``;
        this.problems.push(new AnalysisError('unbound', message, span(node), name));
      }
      return -1;
    }
    const header = this.doc.header(id);
    const draft = this.draft(this.assignedVariables, id, name, false, header.targetSpan, 'assignment');
    draft.occurrences.push(node);
    return id;
  }

  /** The assignment `name` means in statement `before`, or the `.data` update that last changed it. */
  private resolveName(name: string, before: number): number {
    const id = this.doc.resolve(name, before);
    return id >= 0 ? id : this.doc.followedWrite(name, before);
  }

  /**
   * A leaf's number after the `.data` updates up to `id` (`p.data += h` on `p = Value(1.5)`), read
   * back to the leaf's assignment and applied in order; undefined, with a problem, if the lens
   * cannot follow one of them.
   */
  private updatedLeaf(id: number): number | undefined {
    const chain: number[] = [];
    let at = id;
    while (isLeafUpdate(this.doc.statements[at])) {
      chain.push(at);
      const update = this.doc.leafUpdate(at);
      if (update instanceof AnalysisError) {
        this.problems.push(update);
        return undefined;
      }
      at = this.resolveName(update.name, at);
      if (at < 0) {
        this.problems.push(
          new AnalysisError('unbound', `${quote(update.name)} has no value before ${quote(update.text)}`, update.span),
        );
        return undefined;
      }
    }
    const base = this.doc.statement(at);
    const last = this.doc.leafUpdate(chain[chain.length - 1]) as LeafUpdate;
    if (base.error || !base.expr || firstName(base.expr)) {
      const message = `${quote(last.text)} changes ${quote(last.name)}, which is not a leaf holding a number (${this.doc.lineLabel(this.doc.statements[at].start)}): the lens follows \`.data\` updates of leaves only`;
      this.problems.push(new AnalysisError('unknowable', message, last.span));
      return undefined;
    }
    try {
      let value = fold(base.expr, noNames);
      for (let k = chain.length - 1; k >= 0; k--) {
        const update = this.doc.leafUpdate(chain[k]) as LeafUpdate;
        const rhs = fold(
          update.rhs,
          (n) => this.notANumber(n, update),
          (n) =>
            n.endsWith('.grad')
              ? this.gradientOf(n.slice(0, -5), chain[k], update.span)
              : // `x.data = x.data + 0.5`: the number before this update.
                n === `${update.name}.data`
                ? value
                : this.plainNumber(n, chain[k]),
        );
        value = applyLeafUpdate(update, value, rhs);
        if (!Number.isFinite(value))
          throw new AnalysisError(
            'domain',
            `${quote(update.text)} makes ${quote(update.name)} ${String(value)}`,
            update.span,
          );
      }
      return value;
    } catch (err) {
      this.problems.push(asAnalysisError(err, last.span));
      return undefined;
    }
  }

  /**
   * `a.grad` read by the `.data` update at statement `at`: the sum of ∂X/∂a over the `X.backward()`
   * statements since `a` was made (backwardCalls.ts), each computed on the graph as it stands there.
   * Throws an 'unknowable' error when that sum cannot be known.
   */
  private gradientOf(name: string, at: number, span: Span): number {
    let made = this.resolveName(name, at);
    while (made >= 0 && isLeafUpdate(this.doc.statements[made])) {
      const update = this.doc.leafUpdate(made);
      made = update instanceof AnalysisError ? -1 : this.resolveName(update.name, made);
    }
    if (made < 0) throw new AnalysisError('unbound', `${quote(name)} has no value before its \`.grad\` is read`, span);
    const calls = backwardCallsBetween(this.doc, made, at, name, span);
    if (calls instanceof AnalysisError) throw calls;
    const tensor =
      this.doc.usesTorch &&
      /\b(tensor|Tensor)\s*\(/.test(
        this.doc.text.slice(this.doc.statements[made].start, this.doc.statements[made].end),
      );
    if (tensor && this.assignedVariables.get(made)?.constant)
      throw new AnalysisError(
        'unknowable',
        `${quote(name)} is a tensor without \`requires_grad\`: its \`.grad\` is None`,
        span,
      );
    if (calls.length === 0 && tensor)
      throw new AnalysisError(
        'unknowable',
        `no \`backward()\` runs before ${quote(`${name}.grad`)} is read: PyTorch gives it no gradient (None)`,
        span,
      );
    let sum = 0;
    // micrograd keeps the gradients a pass leaves on intermediate nodes: two passes through one
    // node add them again, which independent passes would miss (PyTorch refuses the second pass).
    const expanded = new Set<number>();
    for (const call of calls) {
      const root = this.doc.statements[call.id].tokens[0];
      const here = `\`${call.root}.backward()\` (${this.doc.lineLabel(root.start)})`;
      const pass = new LensEvaluation(this.doc, {
        expr: { kind: 'name', name: call.root, start: root.start, end: root.end },
        exprSpan: { start: root.start, end: root.end },
        before: call.id,
        bindings: [],
        bindingAdvice: this.source.bindingAdvice,
        here,
      });
      if (!pass.discover())
        throw new AnalysisError(
          'unknowable',
          `the \`.grad\` of ${quote(name)} depends on ${here}, whose graph the lens cannot build: ${pass.problems[0]?.message ?? ''}`,
          span,
        );
      pass.evaluate().root.backward();
      for (const id of pass.expanded()) {
        if (expanded.has(id))
          throw new AnalysisError(
            'unknowable',
            `the \`.grad\` of ${quote(name)} depends on two \`backward()\` passes through ${quote(this.doc.header(id).target)} (${this.doc.lineLabel(this.doc.statements[id].start)}), which keeps gradients between them: not statically knowable; Trace Gradients runs the program and reads it`,
            span,
          );
        expanded.add(id);
      }
      sum += pass.valueOfStatement(this.resolveName(name, call.id))?.grad ?? 0;
    }
    if (calls.length > 1 && !this.doc.gradientsAccumulate)
      throw new AnalysisError(
        'unknowable',
        `${quote(`${name}.grad`)} is read after ${calls.length} \`backward()\` passes: micrograd adds them up, other engines start each pass from zero, and this file shows neither its engine's backward() nor an import of micrograd; Trace Gradients runs the program and reads it`,
        span,
      );
    return sum;
  }

  /** The assignments this evaluation computed as expressions (not leaves), by id. */
  expanded(): readonly number[] {
    return this.expressionStatements;
  }

  /** The Value this evaluation made for statement `id`, if it made one. */
  valueOfStatement(id: number): Value | undefined {
    return this.statementValues.get(id);
  }

  /** `x.requires_grad = True` or `x.requires_grad_()` anywhere in the file: the tensor gets a gradient after all. */
  private laterRequiresGrad(name: string): boolean {
    const escaped = name.replace(/[$]/g, '\\$');
    return new RegExp(`(^|[^\\w$.])${escaped}\\s*\\.\\s*requires_grad(_\\s*\\(\\s*(True)?\\s*\\)|\\s*=\\s*True)`).test(
      this.doc.text,
    );
  }

  /** A name on the right of a `.data` update that holds a plain number (`h = 0.0001`), else undefined. */
  private plainNumber(name: string, before: number): number | undefined {
    const id = this.doc.resolve(name, before);
    if (id < 0) return undefined;
    const parsed = this.doc.statement(id);
    if (parsed.error || !parsed.expr || firstName(parsed.expr)) return undefined;
    if (postOrder(parsed.expr).some((n) => n.kind === 'leaf')) return undefined;
    return fold(parsed.expr, noNames);
  }

  private notANumber(name: string, update: LeafUpdate): { code: ProblemCode; message: string } {
    return {
      code: 'unknowable',
      message: `${quote(update.text)} adds ${quote(name)}, which holds no plain number the lens can read: the lens follows \`.data\` updates by numbers only`,
    };
  }

  /**
   * `t1 = t.data`: a plain number, the forward value of `t` where the statement stands (a leaf of
   * its own from here on, as in the program); undefined, with the problems, if `t` has none.
   */
  private dataRead(id: number, name: string): number | undefined {
    const tokens = this.doc.statements[id].tokens;
    const header = this.doc.header(id);
    const k = header.exprIndex;
    if (header.form !== 'assign' || tokens.length !== k + 3) return undefined;
    const [source, dot, data] = [tokens[k], tokens[k + 1], tokens[k + 2]];
    if (source.kind !== 'name' || dot.text !== '.' || data.text !== 'data') return undefined;
    // A tensor's `.data` is the tensor's own storage, which later in-place changes reach: no plain number.
    if (this.doc.usesTorch) return undefined;
    const read = new LensEvaluation(this.doc, {
      expr: { kind: 'name', name: source.text, start: source.start, end: source.end },
      exprSpan: { start: source.start, end: data.end },
      before: id,
      bindings: [],
      bindingAdvice: this.source.bindingAdvice,
      here: `the read of ${quote(`${source.text}.data`)}`,
    });
    this.read ??= new Set();
    if (this.read.has(id)) return undefined;
    this.read.add(id);
    try {
      if (read.discover()) return read.evaluate().root.data;
    } catch (err) {
      read.problems.push(asAnalysisError(err, { start: source.start, end: data.end }));
    }
    for (const e of read.problems)
      this.problems.push(
        new AnalysisError(
          e.code,
          `${e.message} (in ${quote(`${name} = ${source.text}.data`)}, which this lens uses)`,
          e.span,
          e.unboundName,
        ),
      );
    return undefined;
  }

  private visitAssignment(id: number, name: string): { expr: Expr; before: number; via: string } | undefined {
    if (this.doc.header(id).form === 'assign') {
      const number = this.dataRead(id, name);
      if (number !== undefined) {
        this.leafStatements.set(id, number);
        this.assignedVariables.get(id)!.leaf = true;
        return undefined;
      }
      if (this.problems.length > 0 && this.read?.has(id)) return undefined;
    }
    if (isLeafUpdate(this.doc.statements[id])) {
      const value = this.updatedLeaf(id);
      if (value !== undefined) {
        this.leafStatements.set(id, value);
        this.assignedVariables.get(id)!.leaf = true;
      }
      return undefined;
    }
    const parsed = this.doc.statement(id);
    if (parsed.error || !parsed.expr) {
      const e = parsed.error!;
      this.problems.push(
        new AnalysisError(
          e.code,
          `${e.message} (in the assignment to ${quote(name)}, which this lens uses)`,
          e.span,
          e.unboundName,
        ),
      );
      return undefined;
    }
    if (!firstName(parsed.expr)) {
      try {
        this.leafStatements.set(
          id,
          fold(parsed.expr, () => ({ code: 'parse', message: '' })),
        );
        const draft = this.assignedVariables.get(id)!;
        draft.leaf = true;
        if (parsed.expr.kind === 'leaf' && parsed.expr.constant && this.doc.gradOptIn && !this.laterRequiresGrad(name))
          draft.constant = true;
      } catch (err) {
        this.problems.push(asAnalysisError(err, parsed.exprSpan));
      }
      return undefined;
    }
    this.expressionStatements.push(id);
    return { expr: parsed.expr, before: id, via: name };
  }

  /**
   * `mul(a, b, c)` or `x.add(2, x)` where the engine's definition is not in the file (the file's
   * own class decides in the parser): read as every operand, as in the ports whose add and mul
   * take any number, while in most ports they take two and the program ignores or refuses the rest.
   */
  private caveat(node: Expr & { opSpan: Span }, operands: number): void {
    if (this.caveats.some((c) => c.span.start === node.opSpan.start)) return;
    const name = this.doc.text.slice(node.opSpan.start, node.opSpan.end);
    const rest = this.doc.style === 'slash' ? 'ignores the rest' : 'raises a TypeError';
    const message = `${quote(`${name}(…)`)} with ${operands} operands is read as taking all of them, as in the ports whose ${name} takes any number; where yours takes two, the program ${rest}: the engine is not in this file, so the lens cannot tell (Trace Gradients runs it)`;
    this.caveats.push(new AnalysisError('unknowable', message, span(node.opSpan)));
  }

  /** An op spelt as a free function that the file imports from a module of helpers: its body is unseen. */
  private checkImported(node: Expr & { opSpan: Span }, before: number): void {
    if (spelling(this.doc.text, node.opSpan) !== 'function') return;
    const name = this.doc.text.slice(node.opSpan.start, node.opSpan.end);
    if (this.problems.some((p) => p.span.start === node.opSpan.start)) return;
    const id = this.doc.helperImport(name, before);
    // `const tanh = ops.tanh`: a name the file assigns, whatever it holds, is not the op.
    const assigned = id < 0 && !this.doc.imported(name, before) ? this.doc.assignedAt(name, before) : -1;
    if (id < 0 && assigned < 0) return;
    const line = this.doc.lineLabel(this.doc.statements[id >= 0 ? id : assigned].start);
    const how = id >= 0 ? `is imported on ${line}, from a module that is not the engine's` : `is assigned on ${line}`;
    const message = `${quote(name)} ${how}: the lens cannot see its definition, which may not be the usual ${name}; Trace Gradients runs the program and reads it`;
    this.problems.push(new AnalysisError('unknowable', message, span(node.opSpan)));
  }

  private checkExponent(exponent: Expr, via: string | undefined): void {
    const name = firstName(exponent);
    if (!name) return;
    const where = via === undefined ? '' : ` (in the assignment to ${quote(via)})`;
    const what = name.kind === 'name' ? `${quote(name.name)} is a variable` : 'it holds a Value';
    const message = `exponent must be a constant: ${what}; the engine differentiates a ** n only for a number n${where}`;
    this.problems.push(new AnalysisError('non-constant-exponent', message, span(exponent)));
  }

  private checkLeafData(data: Expr): void {
    const name = firstName(data);
    if (!name) return;
    const message = '`Value(…)` takes a number here, not a variable: use the variable itself, or write a number';
    this.problems.push(new AnalysisError('parse', message, span(name)));
  }

  private draft<K>(
    drafts: Map<K, VariableDraft>,
    key: K,
    name: string,
    leaf: boolean,
    definedAt: Span,
    definedBy: VariableDraft['definedBy'],
  ): VariableDraft {
    let d = drafts.get(key);
    if (!d) {
      d = { name, leaf, definedAt, definedBy, occurrences: [] };
      drafts.set(key, d);
    }
    return d;
  }

  /**
   * Post-order over the expression with a stack of operand Values: children come just before
   * their parent, so each node pops its operands (a pow's exponent is folded, not on the stack).
   */
  private evaluateExpression(expr: Expr, before: number, frame?: Frame): Value {
    if (expr.kind === 'name') return this.nameValue(expr, before, frame);
    const stack: Value[] = [];
    for (const node of postOrder(expr, operandsExceptExponent))
      stack.push(this.evaluateNode(node, stack, before, frame));
    return stack[0];
  }

  /** A call into a function of the file: its parameters bound to `args`, its body run in order. */
  private invoke(plan: CallPlan, args: Value[], before: number, slots: Slot[]): Value {
    const frame: Frame = { values: new Map(), calls: plan.calls, slots: plan.slots };
    plan.params.forEach((param, k) => {
      const slot = slots[k];
      if ('arg' in slot) frame.values.set(param, args[slot.arg]);
      else frame.values.set(param, this.defaultValue(plan, slot.default, before, frame));
    });
    for (const step of plan.steps) frame.values.set(step.target, this.evaluateExpression(step.expr, before, frame));
    return this.evaluateExpression(plan.result, before, frame);
  }

  /**
   * The default of parameter `k` of `plan`, for a call that leaves it out: JavaScript's at the
   * call, in the frame (after the parameters before it); Python's once, where the function is defined.
   */
  private defaultValue(plan: CallPlan, k: number, before: number, frame: Frame): Value {
    const value = plan.defaults[k] as { expr: Expr; late: boolean };
    if (value.late) return this.evaluateExpression(value.expr, before, frame);
    let known = this.defaultValues.get(value.expr);
    if (!known) {
      known = this.evaluateExpression(value.expr, plan.id);
      this.defaultValues.set(value.expr, known);
    }
    return known;
  }

  private evaluateNode(node: Expr, stack: Value[], before: number, frame?: Frame): Value {
    switch (node.kind) {
      case 'num':
        return this.constant(fold(node, noNames), node, 'constant');
      case 'leaf': {
        const value = this.constant(
          fold(node.data, noNames),
          node,
          node.label === undefined || node.constant ? 'constant' : 'leaf',
          node.label,
        );
        this.objects.add(value);
        return value;
      }
      case 'name':
        return this.nameValue(node, before, frame);
      case 'invoke': {
        const args = stack.splice(stack.length - node.args.length, node.args.length);
        return this.invoke(
          (frame?.calls ?? this.calls).get(node)!,
          args,
          before,
          (frame?.slots ?? this.slots).get(node)!,
        );
      }
      case 'unary': {
        const operand = stack.pop()!;
        return node.op === 'pos' ? operand : this.apply('neg', node, [operand], before);
      }
      case 'call':
        return this.apply(node.fn, node, [stack.pop()!], before);
      case 'binary': {
        if (node.op === 'pow') return this.apply('pow', node, [stack.pop()!], before, fold(node.right, noNames));
        const right = stack.pop()!;
        const left = stack.pop()!;
        return this.apply(node.op, node, [left, right], before);
      }
    }
  }

  /** A name's Value; for `x.data`, a constant holding x's number (no gradient flows through it). */
  private nameValue(node: Expr & { kind: 'name' }, before: number, frame?: Frame): Value {
    const base = dataReadOf(node.name);
    if (base === undefined) return frame?.values.get(node.name) ?? this.lookup(node.name, before);
    const value = frame?.values.get(base) ?? this.lookup(base, before);
    return this.constant(value.data, node, 'constant');
  }

  private lookup(name: string, before: number): Value {
    const binding = this.bindings.get(name);
    if (binding) {
      const draft = this.boundVariables.get(name)!;
      if (!draft.value) draft.value = this.leaf(binding.value, name, binding.span);
      return draft.value;
    }
    const id = this.resolveName(name, before);
    const known = this.statementValues.get(id);
    if (known) return known;
    const leafValue = this.leafStatements.get(id);
    if (leafValue === undefined) throw new Error(`internal: ${quote(name)} was not discovered`);
    const draft = this.assignedVariables.get(id)!;
    const at = this.doc.header(id).targetSpan;
    const value = draft.constant ? this.constant(leafValue, at, 'constant', name) : this.leaf(leafValue, name, at);
    if (this.holdsObject(id)) this.objects.add(value);
    this.statementValues.set(id, value);
    draft.value = value;
    return value;
  }

  /** Whether leaf statement `id` makes an engine object: `Value(2)`, or a `.data` update of one (not `x = 2`, `t1 = t.data`). */
  private holdsObject(id: number): boolean {
    if (isLeafUpdate(this.doc.statements[id])) return true;
    const parsed = this.doc.statement(id);
    return parsed.expr?.kind === 'leaf';
  }

  /**
   * An operator or a `Math.f`/`math.f` function applied to an engine object, which the program
   * cannot do: in JavaScript `a * b` on objects is NaN (`a + b` a string), and `Math.tanh(v)` NaN
   * in either language's math module (Python's raises a TypeError). A message saying what to
   * write, or undefined when the op is the engine's own.
   */
  private misuse(op: OpName, node: Expr & { opSpan: Span }, inputs: Value[], before: number): string | undefined {
    if (!inputs.some((x) => this.objects.has(x))) return undefined;
    const text = this.doc.text.slice(node.opSpan.start, node.opSpan.end);
    let spelt = spelling(this.doc.text, node.opSpan);
    // `from math import tanh`: the math module's, under a bare name.
    if (spelt === 'function' && this.doc.numericImport(text, before)) spelt = 'module';
    const method = op === 'pow' ? 'pow(n)' : inputs.length === 1 ? `${op}()` : `${op}(…)`;
    if ((op === 'exp' || op === 'mul') && text === '**' && this.doc.style === 'slash')
      return 'JavaScript has no operator overloading: `**` on a Value does not call the engine (the program gets NaN, not a Value); write `x.exp()` for `Math.E ** x`, or `x.mul(Math.log(c)).exp()` for `c ** x`';
    if (this.doc.style === 'slash' && spelt === 'operator')
      return `JavaScript has no operator overloading: \`${text}\` on a Value does not call the engine (the program gets ${text === '+' ? 'a string' : 'NaN'}, not a Value); write \`.${method}\``;
    const missing = this.missingFromClass(op, inputs, text, spelt);
    if (missing) return missing;
    if (spelt === 'module')
      return `\`${text}\` takes a plain number, not a Value (the program gets ${this.doc.style === 'slash' ? 'NaN' : 'a TypeError'}); write \`.${method}\` on the Value`;
    return undefined;
  }

  /**
   * An operator or a method the Python leaf class of the file does not define (its names are all in
   * the file): the program raises. `2 * a` needs `__rmul__`, `a - b` `__sub__`, `a.tanh()` `tanh`.
   */
  private missingFromClass(op: OpName, inputs: Value[], text: string, spelt: Spelling): string | undefined {
    const names = this.doc.leaves.classNames;
    if (!names || (spelt !== 'operator' && spelt !== 'method')) return undefined;
    let needed: string;
    if (spelt === 'operator') {
      if (text === '**') {
        // `2 ** x` is read as exp(x · ln 2): the program calls `__rpow__` once, for the outer node.
        if (op === 'mul') return undefined;
        needed = op === 'exp' ? '__rpow__' : '__pow__';
      } else if (op === 'neg') needed = '__neg__';
      else needed = `__${this.objects.has(inputs[0]) ? '' : 'r'}${DUNDERS[op] ?? op}__`;
    } else needed = text;
    if (names.has(needed) || !/^[A-Za-z_]\w*$/.test(needed)) return undefined;
    return spelt === 'operator'
      ? `\`${text}\` here needs \`${needed}\`, which the file's Value class does not define: the program raises a TypeError`
      : `\`.${needed}()\` is no method of the file's Value class: the program raises an AttributeError`;
  }

  private leaf(x: number, name: string, at: Span): Value {
    const value = new Value(x, name);
    this.info.set(value, { kind: 'leaf', name, span: at });
    return value;
  }

  private constant(x: number, at: Span, kind: 'constant' | 'leaf', label?: string): Value {
    const value = new Value(x, label);
    this.info.set(value, { kind, name: label, span: at });
    return value;
  }

  private apply(op: OpName, node: Expr & { opSpan: Span }, inputs: Value[], before: number, exponent?: number): Value {
    const misuse = this.misuse(op, node, inputs, before);
    if (misuse) throw new AnalysisError('parse', misuse, span(node.opSpan));
    let output: Value;
    try {
      output = applyOp(op, inputs[0], inputs[1], exponent);
    } catch (err) {
      if (err instanceof DomainError) throw new AnalysisError('domain', err.message, span(node));
      throw err;
    }
    const allConstant = inputs.every((x) => this.info.get(x)?.kind === 'constant');
    // An op on an object, or spelt as a method or an engine's function, makes an object.
    const spelt = spelling(this.doc.text, node.opSpan);
    if (inputs.some((x) => this.objects.has(x)) || (spelt !== 'operator' && spelt !== 'module'))
      this.objects.add(output);
    // Spans are shared with the (immutable) syntax tree, not copied: this runs for every op.
    this.info.set(output, { kind: allConstant ? 'constant' : 'intermediate', span: node });
    this.ops.push({ op, opSpan: node.opSpan, exprSpan: node, expr: node, inputs, exponent, output });
    return output;
  }
}

/** The Python special methods of the binary ops (`a / b` calls `__truediv__`). */
const DUNDERS: Partial<Record<OpName, string>> = { add: 'add', sub: 'sub', mul: 'mul', div: 'truediv', pow: 'pow' };

/**
 * How an op is spelt in the source: an operator (`a * b`, `-a`), a function of the language's
 * math module (`Math.tanh(x)`, `math.exp(x)`: numbers only), a method (`a.mul(b)`), a free
 * function under a bare name (`tanh(x)`, `mul(a, b)`), or a static one (`Value.mul(a, b)`).
 */
type Spelling = 'operator' | 'module' | 'method' | 'function' | 'static';

function spelling(text: string, opSpan: Span): Spelling {
  const first = text.charAt(opSpan.start);
  if (first === '+' || first === '-' || first === '*' || first === '/') return 'operator';
  const written = text.slice(opSpan.start, opSpan.end);
  if (/^(Math|math)\s*\./.test(written)) return 'module';
  if (written.includes('.')) return 'static';
  return /\.\s*$/.test(text.slice(Math.max(0, opSpan.start - 20), opSpan.start)) ? 'method' : 'function';
}

function noNames(): never {
  // Discovery has already reported names in exponents and in Value(…); evaluation never reaches one.
  throw new Error('internal: a name in a constant');
}

function asAnalysisError(err: unknown, at: Span): AnalysisError {
  return err instanceof AnalysisError ? err : new AnalysisError('parse', String(err), at);
}

function span(s: Span): Span {
  return { start: s.start, end: s.end };
}
