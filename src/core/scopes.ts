// Scopes: which assignments a name may resolve to, by the rules of the file's language. The scanner
// marks where blocks open (Python's by indentation, JavaScript's by braces); this file reads what
// kind each one is from its opener, gives every assignment the scope its variable lives in, and
// answers "the nearest assignment to `name` that this statement can see" by walking the (short)
// chain of enclosing scopes, one map lookup and one binary search each.
//
//   Python: a function's parameters and every name it assigns (unless `global`/`nonlocal`) are
//   local to it, visible in it and in the functions nested in it; a class body's names are
//   visible in the class body only, not in its methods; `if`/`for`/`with` blocks are no scope.
//   JavaScript: `let`/`const` are block-scoped, `var` function-scoped, parameters belong to their
//   function, class fields are no variables at all; an assignment without a declaration writes the
//   variable it names, and counts only inside the function that runs it.
//
// Names bound otherwise than by `name = expression` (a loop variable, an import, unpacking…, see
// binders.ts) are opaque assignments: a later use resolves to them, and has no value. So does a
// use whose value depends on how often a loop runs: after the loop, a name the loop reassigns; in
// the loop, a value carried over from the previous iteration. Loops are blocks: Python's `for` and
// `while` (no scope of their own: their names live in the enclosing function), and JavaScript's
// braces after `for`, `while` and `do`. Likewise a use whose value depends on a condition: after
// an `if` (`elif`, `else`, `try`, `except`, `match`/`case`; JavaScript's `if`, `else`, `switch`,
// `try`, `catch`) that assigns a name which had a value before it; in a `switch`, past a `case`
// label. And a use of a Value that a write to `.data` may have changed in place (see writesIndex).

import { definesFunction, unpackingReason } from './assignments';
import { bindersOf, dataWritesOf, type Binder, type BinderKind, type DataWrite } from './binders';
import { matching } from './brackets';
import { quote } from './quote';
import { functionBodyStart, type StatementHeader } from './statement';
import type { CommentStyle, ScopeMark, Statement, Token } from './tokens';

export type ScopeKind = 'module' | 'function' | 'class' | 'block';

/** One name in one scope. */
interface Entry {
  /** The assignments whose variable lives here, in document order. */
  ids: number[];
  /** A parameter of this function. */
  param: boolean;
  /**
   * Declared here (a parameter, `let`/`const`/`var`, any assignment in a Python function): from
   * inside this scope the name never reads an outer one, even above the declaration.
   */
  how?: 'param' | 'let' | 'const' | 'var' | 'python';
  /** The first declaring statement, for messages; -1 for a parameter. */
  declaredAt: number;
  /**
   * Those of `ids` that are a Python function's assignments to this `global` or `nonlocal` name.
   * (The other opaque ones are found from the statement's binders: see opaqueAt.)
   */
  copies?: Map<number, Opaque>;
}

/** How an opaque assignment binds its name; 'global'/'nonlocal': in function `fn`, which declares it so. */
interface Opaque {
  kind: BinderKind | 'global' | 'nonlocal' | 'closure';
  detail?: string;
  fn?: number;
}

/** Why a name has no value: `text`, and whether it is the program's doing (a binder, a loop) rather than a scope rule. */
export interface Unbound {
  text: string;
  runtime: boolean;
}

const RUNTIME = 'its value is known only when the program runs';
const PLAIN = 'the lens reads only plain assignments (`name = expression`)';
const LOOPED = 'its value depends on how often the loop runs';

interface Scope {
  kind: ScopeKind;
  parent: number;
  /** Opened by indentation (Python's rules) rather than by a brace (JavaScript's). */
  python: boolean;
  /** The body of a `for`, `while` or `do` loop. */
  loop: boolean;
  /** The word that opens a block: `if`, `else`, `else if`, `try`, `with`, `for`…; '' if none. */
  keyword: string;
  /**
   * A branch that may not run when the code around it does: under `if`, `elif`, `else`, `try`,
   * `except`, `match`, `case`, JavaScript's `if`, `else`, `switch`, `try`, `catch`; a loop's `else`
   * when the loop has a `break`. Not `with` nor `finally`.
   */
  cond: boolean;
  /** A Python loop's `else`: the loop. */
  elseOf?: number;
  /** The opener statement, or -1. */
  header: number;
  /** Where the scope opens: its `{`, or its header's `:`. */
  start: number;
  /** What messages call it: `square`; '' when anonymous. */
  name: string;
  params: string[];
  names?: Map<string, Entry>;
  /** Python's `global` and `nonlocal` names: assigning them does not make them local. */
  outer?: Map<string, 'global' | 'nonlocal'>;
}

/** A function the file defines, as a call into it needs it (see ScopeIndex.functionAt). */
export interface DefinedFunction {
  /** '' when anonymous. */
  name: string;
  params: string[];
  /** The statements directly in its body, in order (none when `inline`). */
  body: number[];
  /** The first statement in a block nested in its body (a loop, a branch, an inner function), or -1. */
  nested: number;
  /** A one-expression function: the defining statement's expression is its body. */
  inline: boolean;
}

/** A function written as one expression: `lambda x: x * x`, `(x) => x * x`. */
interface InlineFunction {
  params: Set<string>;
  lambda: boolean;
  name: string;
}

const DECLARATIONS = new Set(['let', 'const', 'var']);
const NONE: Binder[] = [];
const ASCII = /^[\x00-\x7f]*$/;

export class ScopeIndex {
  private readonly scopes: Scope[];
  /** Each statement's home scope if it assigns (the scope its variable lives in), else -1. */
  private readonly homes: Int32Array;
  /** Every assignment to each name, in document order, wherever it lives: for messages. */
  private readonly all = new Map<string, number[]>();
  private readonly inline = new Map<number, InlineFunction | null>();
  /**
   * With unknown comments ('both'): the non-ASCII names whose NFKC form differs, by that form.
   * Python reads `𝑥` and `x` as one name, JavaScript as two, so a use of either is refused when
   * the document has both. Absent when there are none: ASCII lookups pay nothing.
   */
  private folded?: Map<string, string[]>;
  private readonly both: boolean;
  /** For each name, the scopes that hold it (a declaration or an assignment), ascending. */
  private readonly holders = new Map<string, number[]>();
  /** Each scope's depth (the module is 1) and the last id of its subtree. */
  private readonly depth: Int32Array;
  private readonly last: Int32Array;
  /** Each scope's own, or for a Python loop the scope its names live in. */
  private readonly effective: Int32Array;
  /** Each scope's innermost enclosing loop (itself if a loop), or -1. */
  private readonly loopOf: Int32Array;
  /** The first statement in each scope's subtree (statements.length if none). */
  private readonly firstStatement: Int32Array;
  /** The scope each statement opens, by the statement's id (`for (let i …) {`, `catch (e) {`). */
  private readonly opened = new Map<number, number>();
  /** Each statement's opaque bindings, when it has any. */
  private readonly binders = new Map<number, Binder[]>();
  /** Python's module-level `from m import *`, by id: any name may be rebound there. */
  private readonly stars: number[] = [];
  /** Each scope's innermost enclosing branch that may not run (itself if one), or -1. */
  private readonly condOf: Int32Array;
  /** JavaScript's `case` and `default` labels, by the `switch` block they are in; absent without any. */
  private labels?: Map<number, number[]>;
  /** Each scope's innermost enclosing `switch` block, when there are labels. */
  private switchOf?: Int32Array;
  /** Each statement's `.data` writes, when any statement has one; read by `writesIndex`. */
  private dataWrites?: Map<number, DataWrite[]>;
  private writes?: Writes;
  private memoBefore = -1;
  private memo = new Map<string, number>();
  /** Set by decide: the entry that decides the name, and its scope. */
  private decided: Entry | undefined;
  private decidedScope = -1;

  constructor(
    private readonly statements: Statement[],
    private readonly headers: StatementHeader[],
    marks: ScopeMark[],
    private readonly style: CommentStyle,
    /**
     * Whether assignment `id` makes a new Value (a leaf, an operation: not another name's). Called
     * only for the assignments that `.data` writes go through, after construction.
     */
    private readonly makesValue: (id: number) => boolean = () => false,
  ) {
    this.scopes = marks.map((mark) => classify(mark, statements, headers));
    // The scanner creates a scope while its parent is open: ids are in pre-order, parents first.
    const n = this.scopes.length;
    this.depth = new Int32Array(n);
    this.last = new Int32Array(n);
    for (let s = 0; s < n; s++) {
      const parent = this.scopes[s].parent;
      this.depth[s] = parent < 0 ? 1 : this.depth[parent] + 1;
      this.last[s] = s;
    }
    for (let s = n - 1; s > 0; s--) {
      const parent = this.scopes[s].parent;
      if (parent >= 0 && this.last[s] > this.last[parent]) this.last[parent] = this.last[s];
    }
    this.effective = new Int32Array(n);
    this.loopOf = new Int32Array(n);
    const functions = new Set<number>();
    for (let s = 0; s < n; s++) {
      const scope = this.scopes[s];
      const parent = scope.parent;
      this.effective[s] = parent >= 0 && scope.python && scope.kind === 'block' ? this.effective[parent] : s;
      this.loopOf[s] = scope.loop ? s : parent >= 0 ? this.loopOf[parent] : -1;
      if (scope.header >= 0 && !this.opened.has(scope.header)) this.opened.set(scope.header, s);
      if (scope.header >= 0 && scope.kind === 'function') functions.add(scope.header);
    }
    this.firstStatement = new Int32Array(n).fill(statements.length);
    for (let id = statements.length - 1; id >= 0; id--) this.firstStatement[statements[id].scope] = id;
    for (let s = n - 1; s > 0; s--) {
      const parent = this.scopes[s].parent;
      if (this.firstStatement[s] < this.firstStatement[parent]) this.firstStatement[parent] = this.firstStatement[s];
    }
    // A Python loop's `else` runs whenever the loop ends without `break`.
    for (let s = 1; s < n; s++) if (this.scopes[s].python && this.scopes[s].keyword === 'else') this.loopElse(s);
    this.condOf = new Int32Array(n);
    for (let s = 0; s < n; s++) {
      const parent = this.scopes[s].parent;
      this.condOf[s] = this.scopes[s].cond ? s : parent >= 0 ? this.condOf[parent] : -1;
    }
    const python = style !== 'slash';
    const javascript = style !== 'hash';
    statements.forEach((statement, id) => {
      let found = bindersOf(statement.tokens, headers[id], {
        python,
        javascript,
        opensFunction: functions.has(id),
      });
      const writes = dataWritesOf(statement.tokens, { javascript });
      if (writes.length > 0) {
        (this.dataWrites ??= new Map()).set(id, writes);
        // The name written through is changed too (`p.data += h`; `a.data, b.data = 1, 2`).
        for (const w of writes)
          if (w.name !== undefined && !found.some((b) => b.name === w.name))
            found = [...found, { name: w.name, kind: 'data', home: 'assign', ...(w.call ? { detail: w.text } : {}) }];
      }
      if (found.length > 0) this.binders.set(id, found);
      if (javascript && statement.scope > 0 && isCaseLabel(statement.tokens)) this.label(statement.scope, id);
    });
    this.homes = new Int32Array(statements.length).fill(-1);
    this.scopes.forEach((scope, s) => {
      for (const param of scope.params) {
        const entry = this.entry(s, param);
        entry.param = true;
        entry.how = 'param';
      }
    });
    // Declarations first, wherever they stand in their scope: a `let` below still hides the outer
    // name, and an assignment without a declaration writes the variable its name declares.
    statements.forEach((statement, id) => this.declare(statement, id));
    statements.forEach((_, id) => this.assign(id));
    this.both = style === 'both';
    if (this.both) this.foldNames();
    for (const scopes of this.holders.values()) if (scopes.length > 1) scopes.sort((a, b) => a - b);
    if (this.labels) {
      const switchOf = (this.switchOf = new Int32Array(n));
      for (let s = 0; s < n; s++) {
        const parent = this.scopes[s].parent;
        switchOf[s] = this.labels.has(s) ? s : parent >= 0 ? switchOf[parent] : -1;
      }
    }
  }

  /**
   * The functions the file defines at module or function level (not methods: a class body's), by
   * name: the first statement that defines each. `def f`, `function f`, `f = lambda x: …`,
   * `const f = (x) => …`.
   */
  /** The names of the classes the file defines. */
  definedClasses(): Set<string> {
    const names = new Set<string>();
    for (const scope of this.scopes) if (scope.kind === 'class' && scope.name) names.add(scope.name);
    return names;
  }

  definedFunctions(): Map<string, number> {
    const found = new Map<string, number>();
    const add = (name: string, id: number, home: number): void => {
      if (name === '' || found.has(name)) return;
      if (this.scopes[this.effective[home]].kind === 'class') return;
      found.set(name, id);
    };
    for (const scope of this.scopes)
      if (scope.kind === 'function' && scope.header >= 0 && scope.parent >= 0)
        add(scope.name, scope.header, scope.parent);
    this.statements.forEach((statement, id) => {
      const header = this.headers[id];
      if (header.form !== 'assign' || this.opened.has(id)) return;
      const inline = this.inlineParams(id);
      if (inline) add(inline.name, id, statement.scope);
    });
    return found;
  }

  /**
   * The function statement `id` defines, for a call into it: a `def`, a `function` declaration or
   * a block-bodied arrow (its body's statements, in order), or a one-expression lambda or arrow
   * (`inline`: the statement's own expression is the body). Undefined if `id` defines none.
   */
  functionAt(id: number): DefinedFunction | undefined {
    const s = this.opened.get(id);
    if (s !== undefined && this.scopes[s].kind === 'function') {
      const scope = this.scopes[s];
      const body: number[] = [];
      let nested = -1;
      for (let k = id + 1; k < this.statements.length; k++) {
        const home = this.statements[k].scope;
        if (home < s || home > this.last[s]) break;
        if (home === s) body.push(k);
        else if (nested < 0) nested = k;
      }
      return { name: scope.name, params: scope.params, body, nested, inline: false };
    }
    const inline = this.inlineParams(id);
    if (!inline) return undefined;
    return { name: inline.name, params: [...inline.params], body: [], nested: -1, inline: true };
  }

  /**
   * Whether assignment `id` writes the variable that `name` means in statement `use`, wherever
   * in its scope the assignment stands: a function's body reads a global assigned after the
   * function is defined, as long as no scope in between has a `name` of its own.
   */
  sameVariableAs(id: number, name: string, use: number): boolean {
    const start = this.useScope(use);
    for (let s = start; s >= 0; s = this.scopes[s].parent) {
      const scope = this.scopes[s];
      if (scope.kind === 'class' && !(s === start && scope.python)) continue;
      if (scope.names?.has(name)) return s === this.homes[id];
    }
    return false;
  }

  /** A `case` or `default` label directly in block `s`, if `s` is a `switch`'s. */
  private label(s: number, id: number): void {
    const scope = this.scopes[s];
    if (scope.python || scope.keyword !== 'switch') return;
    this.labels ??= new Map();
    const list = this.labels.get(s);
    if (list) list.push(id);
    else this.labels.set(s, [id]);
  }

  /** Python's `else` block `s`: after a loop, it runs unless the loop ends by a `break` of its own. */
  private loopElse(s: number): void {
    const scope = this.scopes[s];
    let p = s - 1;
    while (p > scope.parent && this.scopes[p].parent !== scope.parent) p = this.scopes[p].parent;
    if (p <= scope.parent || !this.scopes[p].loop) return;
    scope.elseOf = p;
    scope.cond = false;
    const statements = this.statements;
    for (let id = this.firstStatement[p]; id < statements.length && this.contains(p, statements[id].scope); id++) {
      if (statements[id].tokens[0].text === 'break' && this.loopOf[statements[id].scope] === p) {
        scope.cond = true;
        return;
      }
    }
  }

  /**
   * The id of the nearest assignment to `name` that statement `before` can see, among statements
   * with a smaller id; -1 when none is (see `explain`).
   */
  resolve(name: string, before: number): number {
    // A lens reads all the names of one statement, then of the next: a name used many times in a
    // statement (`a + a + … + a`) is looked up once.
    if (before !== this.memoBefore) {
      this.memoBefore = before;
      if (this.memo.size > 0) this.memo = new Map();
      if (this.dataWrites && !this.writes) this.writesIndex();
    }
    let id = this.memo.get(name);
    if (id === undefined) {
      const refused =
        (this.both && this.otherSpelling(name) !== undefined) || this.inlineParams(before)?.params.has(name);
      id = refused ? -1 : this.decide(name, before);
      if (id >= 0 && this.opacity(name, before, id)) id = -1;
      this.memo.set(name, id);
    }
    return id;
  }

  /** Whether scope `s` is the module or a function's body: no loop or branch around its statements. */
  straightLine(s: number): boolean {
    const kind = this.scopes[s].kind;
    return kind === 'module' || kind === 'function';
  }

  /** The named function whose body statement `id` is in (the innermost), or undefined. */
  enclosingFunction(id: number): { header: number; name: string; params: string[] } | undefined {
    for (let s = this.statements[id].scope; s > 0; s = this.scopes[s].parent) {
      const scope = this.scopes[s];
      if (scope.kind !== 'function') continue;
      return scope.header >= 0 && scope.name
        ? { header: scope.header, name: scope.name, params: scope.params }
        : undefined;
    }
    return undefined;
  }

  /** The header of the innermost function (named or not, a callback too) that statement `id` is in, or -1. */
  enclosingFunctionHeader(id: number): number {
    for (let s = this.statements[id].scope; s > 0; s = this.scopes[s].parent)
      if (this.scopes[s].kind === 'function') return this.scopes[s].header;
    return -1;
  }

  /** Whether statement `id` is inside the body of the function statement `header` opens. */
  insideFunction(id: number, header: number): boolean {
    const s = this.opened.get(header);
    if (s === undefined) return false;
    const home = this.statements[id].scope;
    return home >= s && home <= this.last[s];
  }

  /**
   * The nearest assignment to `name` that statement `before` sees, even one whose value the lens
   * cannot know (for messages about what the name holds), or -1.
   */
  assignedAt(name: string, before: number): number {
    return this.decide(name, before);
  }

  /**
   * The statement defining the function `name` calls in statement `before` (a `def`, a `function`
   * declaration, a lambda or arrow assigned to it), or -1 when it means no function defined here.
   */
  resolveFunction(name: string, before: number): number {
    if (this.both && this.otherSpelling(name) !== undefined) return -1;
    if (this.inlineParams(before)?.params.has(name)) return -1;
    const id = this.decide(name, before);
    return id >= 0 && this.functionAt(id) ? id : -1;
  }

  /**
   * The innermost visible entry for `name` that decides its value in statement `before` (one with
   * an assignment above, or a declaration): its assignment's id, or -1; the entry is left in
   * `decided`. Scope ids are in pre-order (a scope's descendants follow it, up to `last`), so the
   * enclosing scopes are those in the chain of parents, and also those holders of the name whose
   * range contains the use: whichever list is shorter is read, deepest first.
   */
  private decide(name: string, before: number): number {
    this.decided = undefined;
    this.decidedScope = -1;
    const holders = this.holders.get(name);
    if (!holders) return -1;
    const use = this.useScope(before);
    if (holders.length < this.depth[use]) {
      for (let i = holders.length - 1; i >= 0; i--) {
        const s = holders[i];
        if (s > use || this.last[s] < use) continue;
        const id = this.check(s, use, name, before);
        if (this.decided) return id;
      }
      return -1;
    }
    for (let s = use; s >= 0; s = this.scopes[s].parent) {
      const id = this.check(s, use, name, before);
      if (this.decided) return id;
    }
    return -1;
  }

  /** Whether scope `s` decides `name` for a use in scope `use` (see decide). */
  private check(s: number, use: number, name: string, before: number): number {
    const scope = this.scopes[s];
    // A class body's names: visible in that body alone in Python, nowhere in JavaScript.
    if (scope.kind === 'class' && !(s === use && scope.python)) return -1;
    const entry = scope.names?.get(name);
    if (!entry) return -1;
    const id = nearestBefore(entry.ids, before);
    if (id >= 0 || entry.how) {
      this.decided = entry;
      this.decidedScope = s;
    }
    return id;
  }

  /**
   * Whether assignment `id`, which decides `name` in statement `before` (decide has just run),
   * gives no value the lens can know: an opaque binding, a loop, a star import in between.
   */
  private opacity(name: string, before: number, id: number): Opacity | undefined {
    const entry = this.decided!;
    const opaque = this.opaqueAt(entry, id, name);
    if (opaque) return { opaque, at: id };
    return this.opacityOfValue(entry, before, id);
  }

  /**
   * A `.data` write through `name` itself (`p.data += h`, `p.data = 3.0`) that statement `before`
   * sees as the name's latest change, in straight-line code (no loop, branch or later call in
   * between): its id, which the lens follows as a new value of the leaf; else -1.
   */
  followedWrite(name: string, before: number): number {
    const id = this.decide(name, before);
    if (id < 0 || !this.decided) return -1;
    const entry = this.decided;
    const opaque = this.opaqueAt(entry, id, name);
    if (opaque?.kind !== 'data' || opaque.detail !== undefined) return -1;
    return this.opacityOfValue(entry, before, id) ? -1 : id;
  }

  /** Why the value assignment `id` gives its name may not be the one statement `before` sees. */
  private opacityOfValue(entry: Entry, before: number, id: number): Opacity | undefined {
    const late = this.assignedAfterFunction(entry, before);
    if (late) return late;
    const loop = this.loopAround(entry, before, id);
    if (loop >= 0) return { loop };
    const cond = this.conditionAround(entry, before, id);
    if (cond) return cond;
    if (this.stars.length > 0 && this.decidedScope === 0) {
      const star = nearestBefore(this.stars, before);
      if (star > id) return { star };
    }
    if (this.writes) {
      const taint = this.taintAt(id, before);
      if (taint >= 0) return { taint };
    }
    return undefined;
  }

  /**
   * When statement `before` is inside a function and the name (decided by `entry`, in an outer
   * scope) is free there: an assignment to it (or a `.data` write through it) after the outermost
   * such function, which runs before or after the function is called. Undefined if none.
   */
  private assignedAfterFunction(entry: Entry, before: number): Opacity | undefined {
    const home = this.decidedScope;
    let fn = -1;
    for (let s = this.useScope(before); s > home && s >= 0; s = this.scopes[s].parent)
      if (this.scopes[s].kind === 'function' && this.scopes[s].header >= 0) fn = s;
    if (fn < 0 || !this.contains(home, fn)) return undefined;
    const header = this.scopes[fn].header;
    for (let k = firstAtOrAfter(entry.ids, header + 1); k < entry.ids.length; k++) {
      const id = entry.ids[k];
      if (!this.contains(fn, this.statements[id].scope) || entry.copies?.get(id)?.kind === 'closure')
        return { fn, again: id };
    }
    return undefined;
  }

  /**
   * The branch that makes the value of assignment `id` at statement `before` depend on a
   * condition: `id` is under an `if` (an `else`, a `try`…) that `before` is not in, and the name had
   * a value before that block (which stays if the branch does not run); or `id` and `before` are in
   * one `switch`, with a `case` label between them.
   */
  private conditionAround(entry: Entry, before: number, id: number): Opacity | undefined {
    const at = this.statements[id].scope;
    const use = before < this.statements.length ? this.statements[before].scope : 0;
    const cond = this.condOf[at];
    if (cond >= 0 && !this.contains(cond, use) && (entry.param || entry.ids[0] < this.firstStatement[cond]))
      return { cond };
    if (this.labels && (entry.param || entry.ids[0] < id)) {
      const label = this.caseBetween(id, before, at, use);
      if (label >= 0) return { cond: this.statements[label].scope, label };
    }
    return undefined;
  }

  /**
   * A `case` label between assignment `id` and statement `before`, in the innermost `switch` around
   * both (labels of a `switch` nested in it stay inside one of its cases); -1 if none.
   */
  private caseBetween(id: number, before: number, at: number, use: number): number {
    const switchOf = this.switchOf!;
    for (let s = switchOf[at]; s >= 0; s = this.scopes[s].parent >= 0 ? switchOf[this.scopes[s].parent] : -1) {
      if (!this.contains(s, use)) continue;
      const labels = this.labels!.get(s)!;
      const k = firstAtOrAfter(labels, id + 1);
      return k < labels.length && labels[k] <= before ? labels[k] : -1;
    }
    return -1;
  }

  /** How assignment `id` in `entry` binds `name`, if opaquely: a binder of its statement, or a `global` copy. */
  private opaqueAt(entry: Entry, id: number, name: string): Opaque | undefined {
    const copy = entry.copies?.get(id);
    if (copy) return copy;
    const found = this.binders.get(id);
    if (!found) return undefined;
    const header = this.headers[id];
    if ((header.form === 'assign' || header.form === 'augmented') && header.target === name) return undefined;
    return found.find((b) => b.name === name);
  }

  /**
   * The loop that makes the value of assignment `id` at statement `before` depend on how often
   * it runs, or -1: `id` is inside a loop that `before` is not in, and the name had a value before
   * the loop (which stays if the loop does not run); or `before` is inside a loop, `id` before it,
   * and the loop assigns the name again (a value carried over from the previous iteration).
   * Statements in a scope's subtree are contiguous, so each test is a comparison.
   */
  private loopAround(entry: Entry, before: number, id: number): number {
    const statements = this.statements;
    const use = before < statements.length ? statements[before].scope : 0;
    const at = statements[id].scope;
    const inner = this.loopOf[at];
    if (inner >= 0 && !this.contains(inner, use)) return entry.ids[0] < this.firstStatement[inner] ? inner : -1;
    let loop = this.loopOf[use];
    if (loop < 0) return -1;
    const next = entry.ids[firstAtOrAfter(entry.ids, before)];
    if (next === undefined) return -1;
    // The innermost loop around both the use and the next assignment; it must not hold `id`.
    const nextScope = statements[next].scope;
    while (loop >= 0 && !this.contains(loop, nextScope)) loop = this.loopOf[this.scopes[loop].parent];
    return loop >= 0 && !this.contains(loop, at) ? loop : -1;
  }

  private contains(s: number, t: number): boolean {
    return s <= t && t <= this.last[s];
  }

  /**
   * Why `name` has no value in statement `before`, when the language's rules or the program are
   * the reason: a parameter, a local assigned only below, an assignment the statement cannot see,
   * a name bound by a loop, an import…, a value a loop changes. `here` is how the message calls
   * the use ('this line', 'its use in `h`'); `where` labels an offset.
   */
  explain(name: string, before: number, here: string, where: (offset: number) => string): Unbound | undefined {
    if (this.dataWrites && !this.writes) this.writesIndex();
    const text = this.reason(name, before, here, where);
    if (text !== undefined) return { text, runtime: false };
    const runtime = this.opaqueReason(name, before, where);
    return runtime === undefined ? undefined : { text: runtime, runtime: true };
  }

  /** The nearest module-level `from m import *` before statement `before` that `accept`s, or -1. */
  starImportBefore(before: number, accept: (id: number) => boolean): number {
    const star = nearestBefore(this.stars, before);
    return star >= 0 && accept(star) ? star : -1;
  }

  /** The import statement that binds `name` where statement `before` reads it, or -1. */
  importOf(name: string, before: number): number {
    const id = this.decide(name, before);
    const what = id >= 0 ? this.opacity(name, before, id) : undefined;
    if (what?.opaque === undefined || what.at === undefined) return -1;
    // `const { tanh } = require('./ops')` binds by unpacking, from a module all the same.
    const required = this.statements[what.at].tokens.some((t) => t.text === 'require');
    return what.opaque.kind === 'import' || required ? what.at : -1;
  }

  /** The program's reason (see explain), or undefined. */
  private opaqueReason(name: string, before: number, where: (offset: number) => string): string | undefined {
    const id = this.decide(name, before);
    const what = id >= 0 ? this.opacity(name, before, id) : undefined;
    const q = quote(name);
    if (what?.fn !== undefined) {
      const fn = this.describe(what.fn, where);
      return `${q} is assigned again on ${where(this.statements[what.again!].start)}, after ${fn} is defined: inside ${fn} its value depends on when ${fn} is called`;
    }
    if (what?.cond !== undefined) return this.conditionReason(q, what.cond, what.label, where);
    if (what?.taint !== undefined) return this.taintReason(q, what.taint, where);
    if (what?.loop !== undefined) {
      const loop = this.scopes[what.loop];
      const line = where(loop.header >= 0 ? this.statements[loop.header].start : loop.start);
      return `${q} is updated in the loop on ${line}: ${LOOPED}`;
    }
    const star = what?.star ?? (id < 0 && !this.decided ? nearestBefore(this.stars, before) : -1);
    if (star >= 0) {
      const module = this.binders.get(star)?.find((b) => b.name === '*')?.detail ?? '';
      return `${q} may be bound by \`from ${clipModule(module)} import *\` on ${where(this.statements[star].start)}: ${RUNTIME}`;
    }
    if (!what?.opaque) return undefined;
    const o = what.opaque;
    const line = where(this.statements[what.at!].start);
    switch (o.kind) {
      case 'for':
        return `${q} is bound by the \`for\` loop on ${line}: ${RUNTIME}`;
      case 'with':
        return `${q} is bound by the \`with\` statement on ${line}: ${RUNTIME}`;
      case 'except':
      case 'catch':
        return `${q} is bound by the \`${o.kind}\` clause on ${line}: ${RUNTIME}`;
      case 'import':
        return `${q} is imported${o.detail ? ` from ${quote(o.detail)}` : ''} on ${line}: ${RUNTIME}`;
      case 'function':
      case 'class':
        return `${q} is a ${o.kind} (${line}), not a number`;
      case 'unpack': {
        const above = this.statements.slice(0, what.at);
        const reason = unpackingReason(this.statements[what.at!].tokens, this.style, (f) => definesFunction(above, f));
        return `${q} is unpacked on ${line}${reason ? ` (${reason})` : ''}: ${PLAIN}`;
      }
      case 'chained':
        return `${q} is assigned in a chained assignment on ${line}: ${PLAIN}`;
      case 'list':
        return `${q} is declared in a list of declarations on ${line}: the lens reads one declaration per statement`;
      case 'walrus':
        return `${q} is assigned with \`:=\` inside an expression on ${line}: ${PLAIN}`;
      case 'update':
        return `${q} is updated with ${quote(o.detail ?? '')} on ${line}, which the lens does not compute`;
      case 'statement':
        return `${q} is assigned inside the statement on ${line}: ${PLAIN}`;
      case 'expression':
        return `${q} is assigned inside an expression on ${line}: ${PLAIN}`;
      case 'del':
        return `${q} is deleted on ${line} (\`del\`), so it has no value`;
      case 'loop':
        return `${q} is updated in the loop on ${line}: ${LOOPED}`;
      case 'data':
        if (o.detail !== undefined)
          return `${q} is changed in place by ${quote(o.detail)} on ${line}, which the lens does not follow`;
        return `${q} is changed through \`.data\` on ${line}, which the lens does not follow`;
      case 'global':
      case 'nonlocal': {
        const fn = this.describe(o.fn ?? 0, where);
        return `${q} is assigned in ${fn} (${line}), which declares it \`${o.kind}\`: its value depends on whether and when ${fn} runs`;
      }
      case 'closure': {
        const fn = this.describe(o.fn ?? 0, where);
        return `${q} is assigned by ${fn}, which does not declare it (${line}): its value depends on whether, when and how often it runs`;
      }
    }
  }

  /** Why the value of a name assigned under branch `s` depends on its condition (see conditionAround). */
  private conditionReason(q: string, s: number, label: number | undefined, where: (offset: number) => string): string {
    const scope = this.scopes[s];
    const line = where(scope.header >= 0 ? this.statements[scope.header].start : scope.start);
    if (label !== undefined) {
      const keyword = this.statements[label].tokens[0].text;
      return `${q} is assigned in the \`switch\` on ${line} before the \`${keyword}\` on ${where(this.statements[label].start)}: its value depends on the case taken`;
    }
    if (scope.elseOf !== undefined) {
      const loop = this.scopes[scope.elseOf];
      const at = where(loop.header >= 0 ? this.statements[loop.header].start : loop.start);
      return `${q} is assigned under the \`else\` on ${line}, which a \`break\` in the loop on ${at} skips: its value depends on whether the loop breaks`;
    }
    const keyword = scope.keyword;
    const why =
      keyword === 'try'
        ? 'whether an exception is raised before it'
        : keyword === 'except' || keyword === 'catch'
          ? 'whether an exception is raised'
          : keyword === 'switch' || keyword === 'match' || keyword === 'case' || keyword === 'default'
            ? 'the case taken'
            : 'the condition';
    return `${q} is assigned under the \`${keyword}\` on ${line}: its value depends on ${why}`;
  }

  // -------------------------------------------------------------------------------------------
  // Writes to `.data`. `p.data += h` changes the Value that `p` holds, in place: every name that
  // holds it sees the change. When `p` is one leaf assignment's own name (`p = Value(1.5)`, and no
  // other assignment to `p` can reach the write), the write changes that leaf: `p` is opaque after
  // it (a binder), and a lens whose graph read `p` before the write, through another name or a
  // Value made from it, is refused (changedAt). Through any other name (a loop variable, a
  // parameter, `q = p`, `self.w`, `params[i]`), it may change any Value made before it: a Value
  // assigned before such a write and used after it, or in a loop that holds the write, has no value
  // the lens can know (taintAt). A write inside a function runs where the function may be called:
  // at each statement that names it (a call), or anywhere after one that passes it on.

  /** Builds `writes` from `dataWrites`: once, on the first lookup, when the document has a write. */
  private writesIndex(): void {
    const { scopes, statements } = this;
    const n = scopes.length;
    const runner = new Int32Array(n);
    for (let s = 0; s < n; s++)
      runner[s] = scopes[s].kind === 'function' || scopes[s].parent < 0 ? s : runner[scopes[s].parent];
    const points = new Map<number, WritePoint>();
    const leaves = new Map<number, number[]>();
    const writers = new Map<number, WritePoint>();
    const queue: number[] = [];
    const add = (at: number, point: WritePoint): void => {
      const old = points.get(at);
      if (!old || (point.call === false && old.call !== false)) points.set(at, point);
      const fn = runner[statements[at].scope];
      if (scopes[fn].kind === 'function' && !writers.has(fn)) {
        writers.set(fn, point);
        queue.push(fn);
      }
    };
    const reals = new Map<number, Map<string, number>>();
    for (const [id, list] of this.dataWrites!) {
      const scope = statements[id].scope;
      for (const data of list) {
        const own = data.name !== undefined && this.isOwnData(data.name, scope, runner);
        let leaf = -1;
        if (data.name !== undefined) {
          const real = this.realBefore(data.name, id, reals);
          if (!own && !data.inline && real >= 0) leaf = this.identity(data.name, id, real, runner, reals);
          let names = reals.get(id);
          if (!names) reals.set(id, (names = new Map()));
          names.set(data.name, real);
        }
        if (own) continue;
        if (leaf >= 0) {
          const list = leaves.get(leaf);
          if (list) list.push(id);
          else leaves.set(leaf, [id]);
        } else add(id, { write: id, data });
      }
    }
    if (queue.length > 0) this.callers(queue, writers, runner, add);
    // Per statement, the last point at or before it in its own run (-1 if none); after a point
    // that passes a writer on, every statement is one.
    const count = statements.length;
    const at = new Int32Array(count);
    const by = new Int32Array(count);
    const last = new Int32Array(n).fill(-2);
    const passed = new Int32Array(n).fill(-1);
    for (let id = 0; id < count; id++) {
      const r = runner[statements[id].scope];
      if (last[r] === -2) {
        const parent = scopes[r].parent >= 0 ? runner[scopes[r].parent] : -1;
        last[r] = parent >= 0 && last[parent] !== -2 ? last[parent] : -1;
        passed[r] = parent >= 0 ? passed[parent] : -1;
      }
      const point = points.get(id);
      if (point?.call === false) {
        if (passed[r] < 0) passed[r] = id;
      } else if (point) last[r] = id;
      at[id] = passed[r] >= 0 ? id : last[r];
      by[id] = passed[r] >= 0 ? passed[r] : last[r];
    }
    // The loops that hold a point (in their own run, not in a function defined in them).
    const first = new Int32Array(n).fill(-1);
    for (const id of [...points.keys()].sort((a, b) => a - b)) {
      const s = statements[id].scope;
      if (first[s] < 0) first[s] = id;
    }
    for (let s = n - 1; s > 0; s--) {
      const parent = scopes[s].parent;
      if (first[s] >= 0 && scopes[s].kind !== 'function' && (first[parent] < 0 || first[s] < first[parent]))
        first[parent] = first[s];
    }
    const loop = new Int32Array(n);
    const guard = new Int32Array(n);
    for (let s = 0; s < n; s++) {
      const parent = scopes[s].parent;
      loop[s] = scopes[s].loop && first[s] >= 0 ? s : parent >= 0 ? loop[parent] : -1;
      guard[s] = scopes[s].loop || scopes[s].cond ? s : parent >= 0 ? guard[parent] : -1;
    }
    this.writes = { at, by, points, loop, first, guard, leaves, reals };
  }

  /**
   * The points where the functions in `queue` (those that hold a write, and those that call one)
   * may run: every statement that names them, transitively.
   */
  private callers(
    queue: number[],
    writers: Map<number, WritePoint>,
    runner: Int32Array,
    add: (at: number, point: WritePoint) => void,
  ): void {
    const { scopes, statements } = this;
    const names = new Set<string>();
    for (let s = 1; s < scopes.length; s++) {
      const name = scopes[s].kind === 'function' ? this.callName(s) : undefined;
      if (name !== undefined) names.add(name);
    }
    // Each statement that names one of them: a call (`step(`, `m.step(`), or not (passed on).
    const mentions = new Map<string, Map<number, boolean>>();
    if (names.size > 0)
      statements.forEach((statement, id) => {
        const tokens = statement.tokens;
        const opened = this.opened.get(id);
        for (let k = 0; k < tokens.length; k++) {
          const t = tokens[k];
          if (t.kind !== 'name' || !names.has(t.text)) continue;
          const prev = tokens[k - 1]?.text;
          if (prev === 'def' || prev === 'function' || prev === 'class') continue;
          // The header that defines it: `step() {`, `const step = () => {`.
          if (opened !== undefined && scopes[opened].kind === 'function' && scopes[opened].name === t.text) continue;
          let byStatement = mentions.get(t.text);
          if (!byStatement) mentions.set(t.text, (byStatement = new Map()));
          const call = tokens[k + 1]?.text === '(';
          byStatement.set(id, (byStatement.get(id) ?? true) && call);
        }
      });
    const done = new Set<string>();
    for (let i = 0; i < queue.length; i++) {
      const fn = queue[i];
      const origin = writers.get(fn)!;
      const name = this.callName(fn);
      const point = (call: boolean): WritePoint => ({ write: origin.write, data: origin.data, via: fn, call });
      if (name === undefined) {
        // Unnamed (a callback), or run by the language (`__call__`, `__add__`): whenever, from its definition on.
        const header = scopes[fn].header;
        if (header >= 0 && runner[statements[header].scope] !== fn) add(header, point(false));
        continue;
      }
      if (done.has(name)) continue;
      done.add(name);
      for (const [id, call] of mentions.get(name) ?? []) add(id, point(call));
    }
  }

  /** The name calls of function `s` spell: its own; a constructor's, its class's; none for `__call__`, `__add__`… */
  private callName(s: number): string | undefined {
    const scope = this.scopes[s];
    const name = scope.name;
    if (name === '__init__' || name === 'constructor') {
      const cls = this.scopes[scope.parent];
      return cls?.kind === 'class' && cls.name ? cls.name : undefined;
    }
    if (!name || (name.startsWith('__') && name.endsWith('__'))) return undefined;
    return name;
  }

  /**
   * `self.data = data` in `__init__`, `this.data = data` in a constructor (`constructor(data)`,
   * JavaScript's `function Num(data)`, capitalised as constructors are): the new Value's own.
   */
  private isOwnData(name: string, scope: number, runner: Int32Array): boolean {
    if (name !== 'self' && name !== 'this') return false;
    const fn = this.scopes[runner[scope]];
    if (fn.kind !== 'function') return false;
    if (fn.name === '__init__' || fn.name === 'constructor') return true;
    const first = fn.name.charCodeAt(0);
    return name === 'this' && !fn.python && first >= 65 && first <= 90;
  }

  /**
   * The nearest assignment to `name` before write `x` that is not itself a `.data` write through
   * `name` (those keep the Value the name holds): -1 if none. `reals` has the earlier writes' own.
   */
  private realBefore(name: string, x: number, reals: Map<number, Map<string, number>>): number {
    const id = this.decide(name, x);
    if (id < 0 || !this.decided) return -1;
    return reals.get(id)?.get(name) ?? id;
  }

  /**
   * The leaf assignment whose Value `name` holds at write `x`, given `real`, the nearest assignment
   * before it (see realBefore); -1 unless that is certain: one plain assignment that makes a new
   * Value in the function of the write, which no other assignment to `name` can stand in for (a
   * branch, a loop, a `case` between them).
   */
  private identity(
    name: string,
    x: number,
    real: number,
    runner: Int32Array,
    reals: Map<number, Map<string, number>>,
  ): number {
    const entry = this.decided!;
    const header = this.headers[real];
    if (header.form !== 'assign' || header.target !== name || entry.copies?.has(real)) return -1;
    const rs = this.statements[real].scope;
    const xs = this.statements[x].scope;
    if (runner[rs] !== runner[xs]) return -1;
    const cond = this.condOf[rs];
    if (cond >= 0 && !this.contains(cond, xs)) return -1;
    const loop = this.loopOf[rs];
    if (loop >= 0 && !this.contains(loop, xs)) return -1;
    if (this.labels && this.caseBetween(real, x, rs, xs) >= 0) return -1;
    // A loop around the write but not the assignment: an earlier turn may assign `name` again.
    let outer = -1;
    for (let l = this.loopOf[xs]; l >= 0 && !this.contains(l, rs); l = this.outerLoop(l)) outer = l;
    if (outer >= 0) {
      const ids = entry.ids;
      for (let k = firstAtOrAfter(ids, this.firstStatement[outer]), seen = 0; k < ids.length; k++, seen++) {
        const id = ids[k];
        if (!this.contains(outer, this.statements[id].scope)) break;
        if (seen > 64 || (id !== x && !reals.get(id)?.has(name))) return -1;
      }
    }
    return this.makesValue(real) ? real : -1;
  }

  private outerLoop(l: number): number {
    const parent = this.scopes[l].parent;
    return parent >= 0 ? this.loopOf[parent] : -1;
  }

  /**
   * Where a `.data` write through another name may have changed the Value of assignment `id`
   * before statement `before` reads it (a point of `writes`), or -1: a point between them in the
   * run of `before`, or a loop around `before` that holds a point, when `id` is outside it or
   * made only on some turns. Numbers are no Values: `x = 2.0` keeps its value.
   */
  private taintAt(id: number, before: number): number {
    const writes = this.writes!;
    const statements = this.statements;
    const u = Math.min(before, statements.length - 1);
    if (writes.at[u] > id) return this.isNumber(id) ? -1 : writes.by[u];
    const use = before < statements.length ? statements[before].scope : 0;
    const loop = writes.loop[use];
    if (loop < 0) return -1;
    const at = statements[id].scope;
    if (this.contains(loop, at) && this.contains(writes.guard[at], use)) return -1;
    return this.isNumber(id) ? -1 : writes.first[loop];
  }

  /** Assignment `id` is a plain number (`x = 2.0`, `const n = -3`), which no `.data` write changes. */
  private isNumber(id: number): boolean {
    const header = this.headers[id];
    const tokens = this.statements[id].tokens;
    if (header.form !== 'assign' || header.exprIndex >= tokens.length) return false;
    for (let k = header.exprIndex; k < tokens.length; k++) {
      const t = tokens[k];
      if (t.kind === 'name' || t.kind === 'str' || t.text === '[' || t.text === '{') return false;
    }
    return true;
  }

  /** Why point `at` may have changed the Value (see taintAt). */
  private taintReason(q: string, at: number, where: (offset: number) => string): string {
    const point = this.writes!.points.get(at)!;
    const line = (id: number): string => where(this.statements[id].start);
    let runs = '';
    if (point.via !== undefined) {
      const fn = this.scopes[point.via];
      const name = this.callName(point.via);
      if (point.call) runs = `, which the call to ${quote(name ?? fn.name)} on ${line(at)} may run`;
      else if (name === undefined) runs = `, which may run at any time after ${line(at)}`;
      else runs = `, which may run at any time after ${line(at)}, where ${quote(name)} is passed on`;
    }
    return `${q} may be changed by ${quote(point.data.text)} on ${line(point.write)}${runs} (${this.aliasReason(point, q, where)}): its value after that is not statically knowable`;
  }

  /** Why the object a write goes through may hold any Value: `p` runs over Values, is a parameter… */
  private aliasReason(point: WritePoint, q: string, where: (offset: number) => string): string {
    const { data, write } = point;
    if (data.name === undefined) return `${quote(data.target)} may be ${q}`;
    const name = quote(data.name);
    const real = this.writes!.reals.get(write)?.get(data.name) ?? -1;
    // Bound by a `for` above, or by the write's own (`for (const p of ps) p.data -= h`).
    const loops = (id: number): boolean =>
      this.binders.get(id)?.some((b) => b.name === data.name && b.kind === 'for') ?? false;
    if ((real >= 0 && loops(real)) || loops(write)) return `${name} runs over Values, one of which may be ${q}`;
    if (real < 0) {
      this.decide(data.name, write);
      if (this.decided?.param)
        return `${name} is a parameter of ${this.describe(this.decidedScope, where)}, and may be ${q}`;
    }
    return `${name} may be ${q}`;
  }

  /**
   * Why the Value assignment `id` made (as `name`) may have been changed by a `.data` write through
   * another name before statement `before` (see taintAt), or undefined: for a Value kept from
   * earlier, such as a Python default evaluated where its function is defined.
   */
  taintedBefore(name: string, id: number, before: number, where: (offset: number) => string): string | undefined {
    if (this.dataWrites && !this.writes) this.writesIndex();
    if (!this.writes) return undefined;
    const taint = this.taintAt(id, before);
    return taint >= 0 ? this.taintReason(quote(name), taint, where) : undefined;
  }

  /**
   * For leaf assignment `id`, read in statement `use` by a lens at statement `lens`: a `.data`
   * write through the leaf's own name that runs after that read and before the lens (or in a later
   * turn of a loop around the lens), so the graph the lens builds holds the leaf's old value. The
   * write, and the loop if it is a later turn's; undefined if none.
   */
  changedAt(id: number, use: number, lens: number): { write: number; loop: number; text: string } | undefined {
    if (this.dataWrites && !this.writes) this.writesIndex();
    const list = this.writes?.leaves.get(id);
    if (!list) return undefined;
    const statements = this.statements;
    const name = this.headers[id].target;
    const text = (write: number): string =>
      this.dataWrites!.get(write)!.find((w) => w.name === name)?.text ?? `${name}.data = …`;
    const k = firstAtOrAfter(list, use + 1);
    if (k < list.length && list[k] <= lens) return { write: list[k], loop: -1, text: text(list[k]) };
    const useScope = statements[use].scope;
    const lensScope = lens < statements.length ? statements[lens].scope : 0;
    for (let l = this.loopOf[lensScope]; l >= 0 && !this.contains(l, useScope); l = this.outerLoop(l)) {
      for (const write of list)
        if (this.contains(l, statements[write].scope)) return { write, loop: l, text: text(write) };
    }
    return undefined;
  }

  /** Where scope `s` opens, for messages: its header's start. */
  opensAt(s: number): number {
    const scope = this.scopes[s];
    return scope.header >= 0 ? this.statements[scope.header].start : scope.start;
  }

  /** The scope rule's reason (see explain), or undefined. */
  private reason(name: string, before: number, here: string, where: (offset: number) => string): string | undefined {
    const other = this.both ? this.otherSpelling(name) : undefined;
    if (other !== undefined) {
      const at = nearestBefore(this.all.get(other) ?? [], before);
      const line = at >= 0 ? ` (${where(this.statements[at].start)})` : '';
      return `${quote(name)} and ${quote(other)}${line} are one name in Python and two in JavaScript, and this file's language is not known (spell them alike, or open the file as Python or JavaScript)`;
    }
    const inline = this.inlineParams(before);
    if (inline?.params.has(name)) {
      const what = inline.lambda ? 'the lambda' : 'the arrow function';
      return `${quote(name)} is a parameter of ${inline.name ? `${what} ${quote(inline.name)}` : `this ${what.slice(4)}`}`;
    }
    const decided = this.decide(name, before);
    const entry = this.decided;
    const s = this.decidedScope;
    if (decided >= 0) return undefined;
    if (entry) {
      if (entry.param) return `${quote(name)} is a parameter of ${this.describe(s, where)}`;
      const later =
        entry.how === 'python' ? (entry.ids.find((id) => id >= before) ?? entry.declaredAt) : entry.declaredAt;
      const line = where(this.statements[later].start);
      // `x += 1` or `let x = x + 1`: the first assignment is the statement that reads the name.
      const place = later === before ? `only by ${here} itself` : `only below ${here}`;
      if (entry.how === 'python') {
        const fn = this.describe(s, where);
        return `${quote(name)} is assigned in ${fn} ${place} (${line}), so Python makes it local to ${fn} and it has no value yet`;
      }
      return `${quote(name)} is declared with \`${entry.how}\` ${place} (${line}), so it has no value yet`;
    }
    const hidden = nearestBefore(this.all.get(name) ?? [], before);
    if (hidden < 0) return undefined;
    const at = this.homeOf(name, hidden);
    const home = this.scopes[at];
    const line = where(this.statements[hidden].start);
    if (home.kind === 'class' && !home.python)
      return `${quote(name)} is a field of class ${quote(home.name)} (${line}), not a variable, which ${here} cannot see`;
    if (home.kind === 'class')
      return `${quote(name)} is assigned only in the body of class ${quote(home.name)} (${line}), which ${here} cannot see`;
    if (home.kind === 'block')
      return `${quote(name)} is declared only inside the block at ${where(home.start)}, which ${here} cannot see`;
    return `${quote(name)} is assigned only inside ${this.describe(at, where)} (${line}), which ${here} cannot see`;
  }

  /** The scope whose entry for `name` holds assignment `id` (its own rather than a `global` copy). */
  private homeOf(name: string, id: number): number {
    let found = this.homes[id];
    for (const s of this.holders.get(name) ?? []) {
      const entry = this.scopes[s].names!.get(name)!;
      const k = firstAtOrAfter(entry.ids, id);
      if (entry.ids[k] !== id) continue;
      if (!entry.copies?.has(id)) return s;
      if (found < 0) found = s;
    }
    return found < 0 ? 0 : found;
  }

  private foldNames(): void {
    const names = new Set(this.all.keys());
    for (const scope of this.scopes) for (const param of scope.params) names.add(param);
    for (const name of names) {
      if (ASCII.test(name)) continue;
      const key = name.normalize('NFKC');
      if (key === name) continue;
      this.folded ??= new Map();
      const spellings = this.folded.get(key);
      if (spellings) spellings.push(name);
      else this.folded.set(key, [name]);
    }
  }

  /** Another spelling of `name` in this document that Python would read as the same name. */
  private otherSpelling(name: string): string | undefined {
    const ascii = ASCII.test(name);
    if (ascii && !this.folded) return undefined;
    const key = ascii ? name : name.normalize('NFKC');
    const other = this.folded?.get(key)?.find((spelling) => spelling !== name);
    if (other !== undefined) return other;
    return key !== name && this.all.has(key) ? key : undefined;
  }

  /** The scope names in statement `before` resolve from (a Python loop's is its function's). */
  private useScope(before: number): number {
    return before < this.statements.length ? this.effective[this.statements[before].scope] : 0;
  }

  private describe(s: number, where: (offset: number) => string): string {
    const scope = this.scopes[s];
    if (scope.name) return quote(scope.name);
    const callee = scope.header >= 0 ? this.statements[scope.header].callbackOf : undefined;
    if (callee) return `the callback passed to ${quote(callee)} on ${where(scope.start)}`;
    return `the function at ${where(scope.start)}`;
  }

  private inlineParams(id: number): InlineFunction | undefined {
    if (id >= this.statements.length) return undefined;
    let found = this.inline.get(id);
    if (found === undefined) {
      found = inlineFunction(this.statements[id].tokens, this.headers[id]);
      this.inline.set(id, found);
    }
    return found ?? undefined;
  }

  private entry(s: number, name: string): Entry {
    const scope = this.scopes[s];
    scope.names ??= new Map();
    let entry = scope.names.get(name);
    if (!entry) {
      entry = { ids: [], param: false, declaredAt: -1 };
      scope.names.set(name, entry);
      const holders = this.holders.get(name);
      if (holders) holders.push(s);
      else this.holders.set(name, [s]);
    }
    return entry;
  }

  /**
   * `let`/`const`/`var` (with or without a value), Python's `global`/`nonlocal`, and the
   * declarations among a statement's opaque bindings (`const { a } = o`, `for (let i …)`).
   */
  private declare(statement: Statement, id: number): void {
    const tokens = statement.tokens;
    const scope = this.scopes[this.effective[statement.scope]];
    const first = tokens[0].text;
    if ((first === 'global' || first === 'nonlocal') && scope.python) {
      scope.outer ??= new Map();
      for (const t of tokens) if (t.kind === 'name' && t !== tokens[0]) scope.outer.set(t.text, first);
      return;
    }
    for (const binder of this.binders.get(id) ?? NONE) {
      if (!binder.how) continue;
      const home = this.binderHome(binder, id);
      if (home < 0) continue;
      const entry = this.entry(home, binder.name);
      if (!entry.how) {
        entry.how = binder.how;
        entry.declaredAt = id;
      }
    }
    const k = first === 'export' ? 1 : 0;
    const keyword = tokens[k]?.text;
    const name = tokens[k + 1];
    if (!DECLARATIONS.has(keyword) || name?.kind !== 'name') return;
    const home = keyword === 'var' ? this.functionOf(statement.scope) : statement.scope;
    const entry = this.entry(home, name.text);
    if (!entry.how) {
      entry.how = keyword as 'let' | 'const' | 'var';
      entry.declaredAt = id;
    }
    if (this.headers[id].form === 'assign') this.homes[id] = home;
  }

  /** The statement's own assignment (`name = expression`), then its opaque bindings. */
  private assign(id: number): void {
    const header = this.headers[id];
    if (header.form === 'assign' || header.form === 'augmented') {
      let home = this.homes[id];
      if (home < 0) home = this.homes[id] = this.assignedHome(id, header.target);
      this.bind(id, header.target, home);
    }
    for (const binder of this.binders.get(id) ?? NONE) {
      if (binder.name === '*') {
        if (this.effective[this.statements[id].scope] === 0) this.stars.push(id);
        continue;
      }
      const home = binder.home === 'assign' ? this.assignedHome(id, binder.name) : this.binderHome(binder, id);
      if (home < 0) continue;
      if (this.homes[id] < 0) this.homes[id] = home;
      this.bind(id, binder.name, home, binder.kind !== 'data');
    }
  }

  /** Where an assignment without a declaration puts `name`: the variable it already means, within this function. */
  private assignedHome(id: number, name: string): number {
    let home = this.statements[id].scope;
    while (this.scopes[home].kind === 'block' && !this.scopes[home].names?.get(name)?.how)
      home = this.scopes[home].parent;
    return home;
  }

  /** A declared binder's scope: its statement's block, its function, or the block it opens; -1 if none. */
  private binderHome(binder: Binder, id: number): number {
    const scope = this.statements[id].scope;
    if (binder.home === 'function') return this.functionOf(scope);
    if (binder.home === 'opened') return this.opened.get(id) ?? -1;
    if (binder.home === 'here') return this.effective[scope];
    return this.assignedHome(id, binder.name);
  }

  /**
   * Records assignment `id` to `name` in scope `home`, opaque or not. In a Python function it
   * makes the name local, unless declared `global`/`nonlocal`: then the outer variable also gets
   * an opaque assignment, since it changes whenever the function runs.
   */
  private bind(id: number, name: string, home: number, rebinds = true): void {
    const scope = this.scopes[home];
    const entry = this.entry(home, name);
    const outer = scope.python && scope.kind === 'function' ? scope.outer?.get(name) : undefined;
    if (!entry.how && scope.python && scope.kind === 'function' && !outer) {
      entry.how = 'python';
      entry.declaredAt = id;
    }
    if (entry.ids[entry.ids.length - 1] === id) return;
    entry.ids.push(id);
    const all = this.all.get(name);
    if (!all) this.all.set(name, [id]);
    else if (all[all.length - 1] !== id) all.push(id);
    // JavaScript: a function (a callback above all) that assigns a variable it does not declare
    // writes the outer one, whenever and however often it runs: outside it, and inside it before
    // the assignment, no value the lens can know (see assignedAfterFunction).
    if (rebinds && !scope.python && scope.kind === 'function' && !entry.how && home > 0) {
      const target = this.declaringScope(this.scopes[home].parent, name);
      const copy = this.entry(target, name);
      if (copy.ids[copy.ids.length - 1] !== id && (copy.ids.length === 0 || copy.ids[copy.ids.length - 1] < id)) {
        copy.ids.push(id);
        (copy.copies ??= new Map()).set(id, { kind: 'closure', fn: home });
      }
    }
    if (outer) {
      const target = outer === 'global' ? 0 : this.nonlocalTarget(home, name);
      const copy = this.entry(target, name);
      if (copy.ids[copy.ids.length - 1] !== id) {
        copy.ids.push(id);
        (copy.copies ??= new Map()).set(id, { kind: outer, fn: home });
      }
    }
  }

  /** The scope from `s` outwards that declares `name` (JavaScript), else the module. */
  private declaringScope(s: number, name: string): number {
    for (let t = s; t > 0; t = this.scopes[t].parent) if (this.scopes[t].names?.get(name)?.how) return t;
    return 0;
  }

  /** The function whose variable a `nonlocal` name in function `s` is: the nearest enclosing one that has it. */
  private nonlocalTarget(s: number, name: string): number {
    let nearest = -1;
    for (let t = this.scopes[s].parent; t >= 0; t = this.scopes[t].parent) {
      if (this.scopes[t].kind !== 'function') continue;
      if (nearest < 0) nearest = t;
      if (this.scopes[t].names?.get(name)) return t;
    }
    return nearest < 0 ? 0 : nearest;
  }

  private functionOf(s: number): number {
    while (this.scopes[s].kind === 'block') s = this.scopes[s].parent;
    return s;
  }
}

/** The index of the first id in `ids` (ascending) at or after `id`; ids.length if none. */
function firstAtOrAfter(ids: number[], id: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A place where a `.data` write through a name that may hold any Value may run: the write itself,
 * or a statement that may run the function that holds it.
 */
interface WritePoint {
  /** The write's statement, and the write. */
  write: number;
  data: DataWrite;
  /** The function whose run runs the write, when the point is not the write itself. */
  via?: number;
  /** The point calls `via`; false: it passes `via` on (or defines it unnamed), so it may run at any time after. */
  call?: boolean;
}

/** The `.data` writes of a document, indexed (see writesIndex). */
interface Writes {
  /** Per statement: the last point at or before it in its own run, -1 if none (the statement itself after a `call: false` point). */
  at: Int32Array;
  /** Per statement: the point that `at` stands for. */
  by: Int32Array;
  points: Map<number, WritePoint>;
  /** Per scope: the innermost loop around it (itself if one) that holds a point in its own run, or -1. */
  loop: Int32Array;
  /** Per scope: the first point in its subtree (not inside a function defined there), or -1. */
  first: Int32Array;
  /** Per scope: the innermost loop or branch around it (itself if one), or -1. */
  guard: Int32Array;
  /** Writes through the name of one leaf assignment, by the assignment's id, ascending. */
  leaves: Map<number, number[]>;
  /** Per write through a name: the nearest assignment to that name before it that is no `.data` write. */
  reals: Map<number, Map<string, number>>;
}

/** What makes an assignment's value unknown to the lens (see opacity). */
interface Opacity {
  /** An opaque assignment, and its id. */
  opaque?: Opaque;
  at?: number;
  /** The loop whose runs the value depends on. */
  loop?: number;
  /** The branch whose condition the value depends on, and the `case` label that jumps past it. */
  cond?: number;
  label?: number;
  /** A `from m import *` between the assignment and the use. */
  star?: number;
  /** The use is in function `fn`, and the free name it reads is assigned again at `again`, after it. */
  fn?: number;
  again?: number;
  /** Where a `.data` write through another name may have changed the Value (a point of `Writes`). */
  taint?: number;
}

/** `case 1:`, `default:`: a label of a `switch`. */
function isCaseLabel(tokens: Token[]): boolean {
  const first = tokens[0].text;
  return tokens[0].kind === 'name' && (first === 'case' || (first === 'default' && tokens[1]?.text === ':'));
}

/** A module name inside a `from … import *` quotation. */
function clipModule(module: string): string {
  return quote(module).slice(1, -1);
}

/** The largest id in `ids` (ascending) below `before`, or -1. */
function nearestBefore(ids: number[], before: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid] < before) {
      found = ids[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function classify(mark: ScopeMark, statements: Statement[], headers: StatementHeader[]): Scope {
  const scope: Scope = {
    kind: 'block',
    parent: mark.parent,
    python: mark.opener === 'indent',
    loop: false,
    keyword: '',
    cond: false,
    header: mark.header,
    start: mark.start,
    name: '',
    params: [],
  };
  if (mark.opener === 'module') scope.kind = 'module';
  else if (mark.header >= 0) {
    const tokens = statements[mark.header].tokens;
    Object.assign(scope, mark.opener === 'indent' ? pythonOpener(tokens) : braceOpener(tokens, headers[mark.header]));
  }
  return scope;
}

type Opened = Pick<Scope, 'kind' | 'name' | 'params'> & Partial<Pick<Scope, 'loop' | 'keyword' | 'cond'>>;

/** Python's headers whose block may not run: a loop's `else` is one only if the loop has a `break`. */
const PYTHON_CONDITIONS = new Set(['if', 'elif', 'else', 'try', 'except', 'match', 'case']);
/** JavaScript's, before a `{`. */
const BRACE_CONDITIONS = new Set(['if', 'else', 'switch', 'try', 'catch', 'case', 'default']);

/**
 * `def f(x):`, `async def f(x):`, `class A(B):` (only these open a scope in Python); the loops
 * `for x in xs:`, `while c:` and the other blocks (`if`, `else`, `try`, `with`…), whose names live
 * in the enclosing scope.
 */
function pythonOpener(tokens: Token[]): Opened {
  const i = tokens[0].text === 'async' ? 1 : 0;
  const keyword = tokens[i].text;
  const name = tokens[i + 1]?.kind === 'name' ? tokens[i + 1].text : '';
  if (keyword === 'for' || keyword === 'while') return { kind: 'block', name: '', params: [], loop: true, keyword };
  if (keyword === 'class') return { kind: 'class', name, params: [] };
  if (keyword === 'def')
    return { kind: 'function', name, params: tokens[i + 2]?.text === '(' ? paramNames(tokens, i + 2, false) : [] };
  return { kind: 'block', name: '', params: [], keyword, cond: PYTHON_CONDITIONS.has(keyword) };
}

/** Words that open a loop's body (`do {` … `} while (c)`). */
const LOOPS = new Set(['for', 'while', 'do']);

/** Words before a method's name. */
const METHOD_MODIFIERS = new Set([
  'static',
  'async',
  'get',
  'set',
  'public',
  'private',
  'protected',
  'readonly',
  'override',
  'abstract',
  'declare',
  '*',
]);
/** Words that look like a method's name before `(…) {` but open a plain block. */
const CONTROL = new Set([
  'if',
  'for',
  'while',
  'switch',
  'catch',
  'with',
  'do',
  'else',
  'try',
  'finally',
  'return',
  'function',
  'class',
  'new',
  'await',
  'yield',
  'throw',
  'case',
  'typeof',
  'void',
  'delete',
  'in',
  'of',
]);

/**
 * What a `{` opens, from the statement before it: a class (`class A {`, `const A = class {`), a
 * function (`function f(x) {`, `const f = (x) => {`, a method `name(x) {`, `constructor(x) {`,
 * `get w() {`), or a plain block (`if (c) {`, `{`, an object literal), maybe a loop's body.
 */
function braceOpener(tokens: Token[], header: StatementHeader): Opened {
  const target = header.form === 'assign' ? header.target : '';
  let depth = 0;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === 'op' && (t.text === '(' || t.text === '[' || t.text === '{')) depth++;
    else if (t.kind === 'op' && (t.text === ')' || t.text === ']' || t.text === '}')) depth--;
    else if (depth === 0 && t.kind === 'name' && (k === 0 || tokens[k - 1].text !== '.')) {
      if (t.text === 'class') {
        const next = tokens[k + 1];
        const named = next?.kind === 'name' && next.text !== 'extends' && next.text !== 'implements';
        return { kind: 'class', name: named ? next.text : target, params: [] };
      }
      if (t.text === 'function') {
        let j = k + 1;
        if (tokens[j]?.text === '*') j++;
        const named = tokens[j]?.kind === 'name';
        const open = afterTypeParams(tokens, named ? j + 1 : j);
        return {
          kind: 'function',
          name: named ? tokens[j].text : target,
          params: tokens[open]?.text === '(' ? paramNames(tokens, open, false) : [],
        };
      }
    }
  }
  const last = tokens.length - 1;
  if (tokens[last].kind === 'op' && tokens[last].text === '=>') {
    const from = header.form === 'assign' || header.form === 'return' ? header.exprIndex : 0;
    return { kind: 'function', name: target, params: arrowParams(tokens, from, last) };
  }
  let m = 0;
  while (m < last && METHOD_MODIFIERS.has(tokens[m].text) && tokens[m + 1].text !== '(') m++;
  const name = tokens[m];
  const open = afterTypeParams(tokens, m + 1);
  if (name.kind !== 'op' && !CONTROL.has(name.text) && tokens[open]?.text === '(') {
    const close = matching(tokens, open);
    if (close === last || (close > 0 && tokens[close + 1].text === ':')) {
      return {
        kind: 'function',
        name: name.kind === 'str' ? name.text.slice(1, -1) : name.text,
        params: paramNames(tokens, open, false),
      };
    }
  }
  // A loop's body or a branch, after a label if any (`outer: for (…) {`).
  const lead = tokens[0].kind === 'name' && tokens[1]?.text === ':' && tokens.length > 2 ? 2 : 0;
  const first = tokens[lead].text;
  const keyword = first === 'else' && tokens[lead + 1]?.text === 'if' ? 'else if' : first;
  return { kind: 'block', name: '', params: [], loop: LOOPS.has(first), keyword, cond: BRACE_CONDITIONS.has(first) };
}

/** Past TypeScript's type parameters (`<T, U = T>`) if they start at `k`; else `k`. */
function afterTypeParams(tokens: Token[], k: number): number {
  if (tokens[k]?.text !== '<') return k;
  let depth = 0;
  for (let j = k; j < tokens.length; j++) {
    if (tokens[j].text === '<') depth++;
    else if (tokens[j].text === '>' && --depth === 0) return j + 1;
  }
  return k;
}

/**
 * An arrow function's parameters, read back from its `=>`: `a =>`, `async a =>`, `(a, b) =>`,
 * `<T>(a: T): T =>`, `f: (a) =>` (a property). The list is the last group in parentheses that is
 * followed by the arrow or by its return type's `:`.
 */
function arrowParams(tokens: Token[], from: number, arrow: number): string[] {
  const last = tokens[arrow - 1];
  const before = tokens[arrow - 2]?.text;
  if (last?.kind === 'name' && before !== '.' && !(before === ':' && tokens[arrow - 3]?.text === ')'))
    return [last.text];
  let list = -1;
  let depth = 0;
  let open = -1;
  for (let k = from; k < arrow; k++) {
    const t = tokens[k];
    if (t.kind !== 'op') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') {
      if (depth++ === 0 && t.text === '(') open = k;
    } else if ((t.text === ')' || t.text === ']' || t.text === '}') && --depth === 0 && t.text === ')') {
      const next = tokens[k + 1].text;
      if (next === '=>' || next === ':') list = open;
    }
  }
  return list >= 0 ? paramNames(tokens, list, false) : [];
}

/** What stands before a name that a destructuring pattern binds: `{ a, b: c, ...d }`, `[e]`. */
const PATTERN_BEFORE = new Set(['{', '[', ',', ':', '.']);

/** Words before a parameter's name: TypeScript's parameter properties. */
const PARAM_MODIFIERS = new Set(['public', 'private', 'protected', 'readonly', 'override']);

/**
 * The names a parameter list binds, from the token after `open` to its closing `)` (or, for a
 * lambda, the `:`): `(a, b=2.0, *c, d: float, **e)`, `({ a, b: c }, [d] = [], ...e)`. Defaults and
 * type annotations are skipped; in a destructuring pattern, the names it binds are kept.
 */
function paramNames(tokens: Token[], open: number, lambda: boolean): string[] {
  const names: string[] = [];
  let depth = 0;
  let item = true;
  let pattern = false;
  for (let k = open + 1; k < tokens.length; k++) {
    const t = tokens[k];
    const x = t.text;
    if (t.kind === 'op' && (x === '(' || x === '[' || x === '{')) {
      if (depth === 0 && item) pattern = x !== '(';
      depth++;
    } else if (t.kind === 'op' && (x === ')' || x === ']' || x === '}')) {
      if (depth === 0) break;
      if (--depth === 0) {
        pattern = false;
        item = false;
      }
    } else if (depth === 0) {
      if (x === ',') item = true;
      else if (lambda && x === ':') break;
      else if (!item || (t.kind === 'op' && (x === '*' || x === '**' || x === '.' || x === '/'))) continue;
      else if (t.kind === 'name' && PARAM_MODIFIERS.has(x) && tokens[k + 1]?.kind === 'name') continue;
      else {
        if (t.kind === 'name') names.push(x);
        item = false;
      }
    } else if (pattern && t.kind === 'name') {
      const before = tokens[k - 1].text;
      const after = tokens[k + 1]?.text;
      if (PATTERN_BEFORE.has(before) && (after === ',' || after === '}' || after === ']' || after === '='))
        names.push(x);
    }
  }
  return names;
}

/** A statement whose expression is a function (`f = lambda x: x * x`): its parameters. */
function inlineFunction(tokens: Token[], header: StatementHeader): InlineFunction | null {
  const body = functionBodyStart(tokens, header);
  if (body < 0) return null;
  const lambda = tokens[header.exprIndex].text === 'lambda';
  const params = lambda ? paramNames(tokens, header.exprIndex, true) : arrowParams(tokens, header.exprIndex, body - 1);
  return { params: new Set(params), lambda, name: header.form === 'assign' ? header.target : '' };
}
