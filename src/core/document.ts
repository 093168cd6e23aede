// The per-document index, built once per analysis: statements, their headers, and their scopes,
// which say for each name the assignments a statement can see (scopes.ts). Expressions are parsed
// on demand and memoised, so a lens costs only what it reaches.

import { BUDGETS } from './budgets';
import { DEFAULT_LEAF_CONSTRUCTORS, leafConstructorSet, leafConstructorsOf, type LeafNames } from './leafConstructors';
import type { AnalysisError } from './errors';
import { isLeafUpdate, readLeafUpdate, type LeafUpdate } from './leafUpdates';
import { gradientsAccumulate } from './gradAccumulation';
import { leafClassNamesOf, methodAritiesOf } from './methodArity';
import { LineIndex } from './positions';
import { quote } from './quote';
import { scan } from './scanner';
import { planCall, type CallPlan, type CallRefusal } from './calls';
import { ScopeIndex, type DefinedFunction, type Unbound } from './scopes';
import { runtimeConstruct } from './unknowable';
import { parseStatement, readHeader, type ParsedStatement, type StatementHeader } from './statement';
import type { CommentStyle, ScanResult, Statement } from './tokens';
import { typeDialectOf, type TypeDialect } from './typeSyntax';

/**
 * An import (or `require`) of a port's leaf class the file does not define itself
 * (`from micrograd.engine import Value` beside a `Dataset` class that stores `data`).
 */
function importsALeafClass(statements: readonly Statement[], own: readonly string[]): boolean {
  return statements.some((statement) => {
    const t = statement.tokens;
    if (t[0]?.text !== 'import' && t[0]?.text !== 'from' && !t.some((x) => x.text === 'require')) return false;
    return t.some((x) => x.kind === 'name' && DEFAULT_LEAF_CONSTRUCTORS.includes(x.text) && !own.includes(x.text));
  });
}

/** Libraries whose functions are the maths of their names: an import from one is no user helper. */
const NUMERIC_MODULES = new Set(['math', 'cmath', 'numpy', 'torch', 'scipy', 'jax', 'mathjs']);

export class DocumentIndex {
  readonly lines: LineIndex;
  readonly statements: Statement[];
  readonly dangling: ScanResult['dangling'];
  private readonly headers: StatementHeader[];
  private readonly scopes: ScopeIndex;
  /** Where each segment (notebook cell) starts, when there are several: messages name the cell. */
  private readonly segmentStarts: number[];
  private readonly parsed = new Map<number, ParsedStatement>();
  private readonly plans = new Map<number, CallPlan | CallRefusal>();
  private readonly updates = new Map<number, LeafUpdate | AnalysisError>();
  /** The statements writing `name.data`, by name, found on first use (see writeElsewhere). */
  private writes?: Map<string, number[]>;
  /** The names that make a leaf here: the ports', the setting's, and the classes this document defines. */
  readonly leaves: LeafNames;
  /** The file imports PyTorch: `tensor(…)` there is a torch tensor, whose `.data` shares storage. */
  readonly usesTorch: boolean;
  /**
   * A tensor gets a gradient only when made with `requires_grad=True`: PyTorch, and the engines in
   * the file whose constructor says so by default (minitorch-style `requires_grad=False`).
   */
  readonly gradOptIn: boolean;
  /** The engine adds each backward() pass into `.grad`, as micrograd does (gradAccumulation.ts). */
  readonly gradientsAccumulate: boolean;
  /** The functions this document defines (not methods), by name: where (`line 3`). */
  readonly functions: ReadonlyMap<string, string>;
  /**
   * Graph nodes that the lenses of this analysis may still build, together. A long chain with
   * every line annotated would otherwise cost quadratic time (and memory: each lens lists every
   * variable of its graph); past the budget, lenses report that instead of hanging the editor.
   */
  nodeBudget: number = BUDGETS.documentNodes;
  /** The TypeScript syntax the document's language has (typeSyntax.ts). */
  readonly dialect: TypeDialect;

  /**
   * `segments` are [start, end) offsets scanned independently (notebook cells); default the whole
   * text. `leafConstructors`: more names that make a leaf (the setting). `language`: the VS Code
   * language id, if known (AnalyzeOptions.language).
   */
  constructor(
    readonly text: string,
    readonly style: CommentStyle,
    readonly tag: string,
    segments: [number, number][] = [[0, text.length]],
    leafConstructors: readonly string[] = [],
    language?: string,
  ) {
    this.lines = new LineIndex(text);
    this.dialect = typeDialectOf(language);
    const result: ScanResult = { statements: [], dangling: [], scopes: [] };
    for (const [from, to] of segments) scan(text, from, to, style, tag, result, this.dialect);
    this.statements = result.statements;
    this.dangling = result.dangling;
    this.headers = this.statements.map(readHeader);
    this.scopes = new ScopeIndex(this.statements, this.headers, result.scopes, style, (id) => this.makesValue(id));
    const ownLeaves = leafConstructorsOf(this.statements, result.scopes);
    this.usesTorch = /^\s*(import\s+torch\b|from\s+torch\b)/m.test(text);
    this.gradientsAccumulate = gradientsAccumulate(
      text,
      this.statements,
      result.scopes,
      new Set(ownLeaves),
      this.usesTorch,
    );
    // The file's own classes say what its Values can do only when no other engine's class is imported.
    const deciding = new Set(importsALeafClass(this.statements, ownLeaves) ? [] : ownLeaves);
    this.leaves = leafConstructorSet(
      leafConstructors,
      ownLeaves,
      this.scopes.definedClasses(),
      methodAritiesOf(this.statements, result.scopes, deciding),
      style === 'hash' ? leafClassNamesOf(this.statements, result.scopes, deciding) : undefined,
    );
    this.gradOptIn = this.usesTorch || /\bdef\s+__init__\s*\([^)]*\brequires_grad\s*(:\s*bool\s*)?=\s*False/.test(text);
    this.segmentStarts = segments.length > 1 ? segments.map(([from]) => from) : [];
    const functions = new Map<string, string>();
    for (const [name, id] of this.scopes.definedFunctions())
      functions.set(name, this.lineLabel(this.statements[id].start));
    this.functions = functions;
  }

  header(id: number): StatementHeader {
    return this.headers[id];
  }

  statement(id: number): ParsedStatement {
    let parsed = this.parsed.get(id);
    if (!parsed) {
      parsed = parseStatement(
        this.statements[id],
        this.headers[id],
        this.text,
        this.style,
        this.leaves,
        this.functions,
      );
      this.parsed.set(id, parsed);
      // A statement outside the language because its value exists only at run time says so.
      if (parsed.error?.code === 'parse') parsed.error = runtimeConstruct(this, id, parsed.exprIndex) ?? parsed.error;
    }
    return parsed;
  }

  /**
   * The id of the nearest assignment to `name` among statements with id < `before` that statement
   * `before` (where the name is used) can see by its language's scope rules, or -1.
   */
  resolve(name: string, before: number): number {
    return this.scopes.resolve(name, before);
  }

  /** Whether scope `s` runs its statements once, in order: the module or a function's body (no loop, no branch). */
  straightLine(s: number): boolean {
    return this.scopes.straightLine(s);
  }

  /** Whether the body of the function statement `id` defines mentions `backward` or a `.grad`. */
  functionTouchesGradients(id: number): boolean {
    let last = id;
    while (last + 1 < this.statements.length && this.insideFunction(last + 1, id)) last++;
    return /\b(backward|grad|zero_grad)\b/.test(this.text.slice(this.statements[id].start, this.statements[last].end));
  }

  /** The named function whose body statement `id` is in (see ScopeIndex.enclosingFunction). */
  enclosingFunction(id: number): { header: number; name: string; params: string[] } | undefined {
    return this.scopes.enclosingFunction(id);
  }

  /** Whether statement `id` is inside the body of the function statement `header` opens. */
  insideFunction(id: number, header: number): boolean {
    return this.scopes.insideFunction(id, header);
  }

  /** The nearest assignment to `name` statement `before` sees, known or not (see ScopeIndex.assignedAt). */
  assignedAt(name: string, before: number): number {
    return this.scopes.assignedAt(name, before);
  }

  /** The statement defining the function a call to `name` in statement `before` runs, or -1. */
  resolveFunction(name: string, before: number): number {
    return this.scopes.resolveFunction(name, before);
  }

  /** The `.data` write statement `before` sees as `name`'s latest value, or -1 (see ScopeIndex.followedWrite). */
  followedWrite(name: string, before: number): number {
    const id = this.scopes.followedWrite(name, before);
    return id >= 0 && isLeafUpdate(this.statements[id]) ? id : -1;
  }

  /**
   * For a use of `name` in statement `use` that resolves to assignment `id`: a `.data` write
   * through `name` that may run before the use although the lens's resolution does not see it —
   * one in another function, or at the module after the function around the use is defined (a
   * test's callback runs after the whole file). Its id, or -1.
   */
  writeElsewhere(name: string, id: number, use: number): number {
    const fn = this.scopes.enclosingFunctionHeader(use);
    if (fn < 0) return -1;
    if (!this.writes) {
      this.writes = new Map();
      this.statements.forEach((statement, k) => {
        const t = statement.tokens;
        if (t.length > 3 && t[0].kind === 'name' && t[1].text === '.' && t[2].text === 'data') {
          const list = this.writes!.get(t[0].text);
          if (list) list.push(k);
          else this.writes!.set(t[0].text, [k]);
        }
      });
    }
    for (const write of this.writes.get(name) ?? []) {
      if (write === id || this.scopes.insideFunction(write, fn)) continue;
      if (write < fn && this.scopes.enclosingFunctionHeader(write) < 0) continue;
      return write;
    }
    return -1;
  }

  /** The `.data` update statement `id` makes (leafUpdates.ts), read once per document. */
  leafUpdate(id: number): LeafUpdate | AnalysisError {
    let update = this.updates.get(id);
    if (!update) {
      update = readLeafUpdate(this.statements[id], this.text, this.style, this.leaves, this.functions);
      this.updates.set(id, update);
    }
    return update;
  }

  /** The function statement `id` defines, if any (see ScopeIndex.functionAt). */
  functionAt(id: number): DefinedFunction | undefined {
    return this.scopes.functionAt(id);
  }

  /** Whether assignment `id` writes the variable `name` means in statement `use` (see ScopeIndex). */
  sameVariableAs(id: number, name: string, use: number): boolean {
    return this.scopes.sameVariableAs(id, name, use);
  }

  /** The plan of a call into the function statement `id` defines (calls.ts), made once per document. */
  callPlan(id: number, name: string): CallPlan | CallRefusal {
    let plan = this.plans.get(id);
    if (!plan) {
      plan = planCall(this, id, name, []);
      this.plans.set(id, plan);
    }
    return plan;
  }

  /**
   * When a free function `name` read in statement `before` is imported from a module that brings
   * no leaf constructor with it (`from myops import sigmoid`), the import's id: its body is the
   * user's, which may not be the op of that name. Imported with the engine's class
   * (`import { Value, add, mul } from 'microgradts'`), it is the engine's op: -1.
   */
  helperImport(name: string, before: number): number {
    const id = this.scopes.importOf(name, before);
    if (id < 0) return this.scopes.starImportBefore(before, (s) => this.isHelperImport(s));
    return this.isHelperImport(id) ? id : -1;
  }

  /** Whether `name` read in statement `before` is bound by an import (or a `require`). */
  imported(name: string, before: number): boolean {
    return this.scopes.importOf(name, before) >= 0;
  }

  /** Whether `name` read in statement `before` is a numeric library's function (`from math import tanh`). */
  numericImport(name: string, before: number): boolean {
    const id = this.scopes.importOf(name, before);
    return id >= 0 && this.fromNumericModule(id);
  }

  /** An import (or `require`) that brings no leaf constructor and is from no numeric library. */
  private isHelperImport(id: number): boolean {
    const tokens = this.statements[id].tokens;
    return !tokens.some((t) => t.kind === 'name' && this.leaves.has(t.text)) && !this.fromNumericModule(id);
  }

  /** `from math import tanh`, `from torch import exp`: the library's own functions. */
  private fromNumericModule(id: number): boolean {
    return this.statements[id].tokens.some((t) => NUMERIC_MODULES.has(t.kind === 'str' ? t.text.slice(1, -1) : t.text));
  }

  /**
   * When `name` has no value in statement `before` because of a scope rule (a parameter, a local
   * of another function, a class field) or of the program (a loop variable, an import, a value a
   * loop changes), the reason; `here` names the use ('this line').
   */
  whyUnbound(name: string, before: number, here: string): Unbound | undefined {
    return this.scopes.explain(name, before, here, (offset) => this.lineLabel(offset));
  }

  /** Why the Value of assignment `id` may be changed through another name before statement `before` (ScopeIndex.taintedBefore). */
  taintedBefore(name: string, id: number, before: number): string | undefined {
    return this.scopes.taintedBefore(name, id, before, (offset) => this.lineLabel(offset));
  }

  /**
   * When a `.data` write through the name of leaf assignment `id` runs after statement `use` (the
   * assignment to `via`) reads the leaf and before the lens at statement `lens`: the reason the
   * lens cannot use the value it would compute.
   */
  changedAfterUse(name: string, id: number, use: number, lens: number, via: string): string | undefined {
    const changed = this.scopes.changedAt(id, use, lens);
    if (!changed) return undefined;
    const at = (offset: number): string => this.lineLabel(offset);
    const loop = changed.loop >= 0 ? `, in the loop on ${at(this.scopes.opensAt(changed.loop))}` : '';
    return `${quote(name)} is changed by ${quote(changed.text)} on ${at(this.statements[changed.write].start)}${loop}, after its use in ${quote(via)} (${at(this.statements[use].start)}): the lens does not follow the change`;
  }

  /** Whether assignment `id` makes a new Value: its expression parses, and is no other name. */
  private makesValue(id: number): boolean {
    const parsed = this.statement(id);
    let expr = parsed.error ? undefined : parsed.expr;
    while (expr?.kind === 'unary' && expr.op === 'pos') expr = expr.operand;
    return expr !== undefined && expr.kind !== 'name';
  }

  /** `line 9`, or in a notebook `cell 2, line 3`: 1-based, as editors show them. */
  lineLabel(offset: number): string {
    const line = this.lines.lineOf(offset);
    if (this.segmentStarts.length === 0) return `line ${line + 1}`;
    let cell = 0;
    while (cell + 1 < this.segmentStarts.length && this.segmentStarts[cell + 1] <= offset) cell++;
    return `cell ${cell + 1}, line ${line - this.lines.lineOf(this.segmentStarts[cell]) + 1}`;
  }

  /** How many statements end at or before `offset`: names in a selection resolve among these. */
  statementsBefore(offset: number): number {
    let lo = 0;
    let hi = this.statements.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.statements[mid].end <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
