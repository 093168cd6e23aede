// One pass over the source text: tokens, comments, strings and brackets, split into statements,
// with each `@grad` annotation attached to the statement it marks. Linear and allocation-light,
// because the extension rescans the whole document on every edit.

import { readBindings } from './bindings';
import { BUDGETS } from './budgets';
import { numberProblem } from './numbers';
import { isAnnotatable } from './statement';
import type { Annotation, CommentStarter, CommentStyle, ScanResult, ScopeMark, Statement, Token } from './tokens';
import { eraseTypeSyntax, type TypeDialect } from './typeSyntax';
import { definesFunction, splitAssignment } from './assignments';

/** A line whose last token is one of these continues on the next line (`loss = a +⏎ b`). */
const CONTINUATION_OPS = new Set([
  '+',
  '-',
  '*',
  '/',
  '**',
  '=',
  ',',
  '.',
  '+=',
  '-=',
  '*=',
  '/=',
  ':=',
  '**=',
  '=>',
  '&&',
  '||',
]);

/** Operators longer than one character; the longest match wins (`**=` over `**` over `*`). */
const THREE_CHAR_OPS = new Set(['**=', '===', '!==']);
const TWO_CHAR_OPS = new Set([
  '**',
  '//',
  '==',
  '!=',
  '<=',
  '>=',
  '=>',
  '+=',
  '-=',
  '*=',
  '/=',
  ':=',
  '&&',
  '||',
  '?.',
  '??',
  '->',
]);

const OPERATOR_CHARS = new Set([...'*/=!<>+-:&|?.'].map((c) => c.charCodeAt(0)));

/**
 * Python's compound statements: their header ends at the `:` outside brackets, and what follows on
 * the line is the first statement of the block (`def square(x): return x * x`).
 */
const PYTHON_BLOCKS = new Set([
  'def',
  'class',
  'if',
  'elif',
  'else',
  'for',
  'while',
  'with',
  'try',
  'except',
  'finally',
]);
const PYTHON_ASYNC_BLOCKS = new Set(['def', 'for', 'with']);
/** Python 3.10's soft keywords: `match x:` and `case 1:` are headers only in a file read as Python. */
const PYTHON_SOFT_BLOCKS = new Set(['match', 'case']);
/** What follows a soft keyword that makes it a name, not a header: `match: int`, `match.x: int`, `case = 1`. */
const NOT_SOFT_HEADER = new Set([':', '.', '=', ',', ')']);

/** JavaScript's declarations, whose commas separate declarators (see splitDeclarators). */
const DECLARATION_KEYWORDS = new Set(['const', 'let', 'var']);

/** Words after which a `{` is a pattern or a list, not a block (see bracePattern). */
const PATTERN_KEYWORDS = new Set(['const', 'let', 'var', 'import']);

export function isIdentifierStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || (c >= 128 && !isSpace(c));
}

export function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || (c >= 48 && c <= 57);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** What may stand before the text of a comment: spaces, and the `*`, `/` or `!` of doc comments. */
function isCommentDecoration(c: number): boolean {
  return isSpace(c) || c === 42 /* * */ || c === 47 /* / */ || c === 33; /* ! */
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029;
}

/**
 * Scans `text[from, to)` and appends its statements and dangling annotations to `out`. `dialect`:
 * the TypeScript syntax a slash-comment file's statements may hold (typeSyntax.ts).
 */
export function scan(
  text: string,
  from: number,
  to: number,
  style: CommentStyle,
  tag: string,
  out: ScanResult,
  dialect: TypeDialect = { casts: false, typeArguments: false },
): void {
  new Scanner(text, from, to, style, tag, out, dialect).run();
}

/** A statement whose tokens a callback's body interrupts, with the scanner state it resumes with. */
interface Suspended {
  cur: Token[];
  curAnnotation: Annotation | undefined;
  curAnnotatable: boolean | undefined;
  curQuestion: boolean;
  brackets: number[];
  bracketAt: number[];
  dropped: number;
  lastDropped: Token | undefined;
  /** How many scopes are open once the body's scope is closed. */
  scopes: number;
  /** The body's `{`. */
  open: Token;
}

class Scanner {
  private i: number;
  private cur: Token[] = [];
  private curAnnotation: Annotation | undefined;
  /** The char codes of the closers expected, innermost last. */
  private brackets: number[] = [];
  /** Where each open bracket's token sits in `cur`, innermost last (or -1 past the token budget). */
  private bracketAt: number[] = [];
  /**
   * The statements a callback's body interrupts, innermost last: `test('adds', () => {` suspends
   * the call until its `}`, and the body's statements are statements in their own right.
   */
  private readonly suspended: Suspended[] = [];
  private lineHasContent = false;
  /**
   * Of the statements that ended on the current line (`a = x*y; a.label = 'a'`), the last one and
   * the last that assigns or returns: all a trailing annotation needs, kept as two fields so that
   * a line of many statements costs no rescan per annotation.
   */
  private lastEndedOnLine: Statement | undefined;
  private lastAnnotatableOnLine: Statement | undefined;
  /** Whether the statement in progress assigns or returns, read once it has its first tokens. */
  private curAnnotatable: boolean | undefined;
  private pending: Annotation | undefined;
  private backslash = false;
  private nextTag = -1;
  private readonly hashComments: boolean;
  private readonly slashComments: boolean;
  /** Whether the tag could occur inside bindings text (`x=2`): only odd tags such as `x` can. */
  private readonly tagFitsInBindings: boolean;
  /** Tokens of the statement in progress past the budget: counted, not kept. */
  private dropped = 0;
  private lastDropped: Token | undefined;
  /**
   * The open scopes, innermost last: the module, Python's blocks (with the indentation of their
   * header: a statement indented no deeper closes them) and JavaScript's
   * braces (indent -1: only a `}` closes them).
   */
  private readonly openScopes: number[] = [0];
  private readonly openIndents: number[] = [-1];
  /** How many of the open scopes are braces: a stray `}` then costs no walk down the stack. */
  private openBraces = 0;
  private readonly scopes: ScopeMark[];
  private readonly indentScopes: boolean;
  private readonly style: CommentStyle;
  /** Python's rule for names: NFKC. */
  private readonly foldIdentifiers: boolean;
  private readonly braceScopes: boolean;
  private lineStart: number;
  private lineIndent = 0;
  /** The statement a `{` opens a block for: the one just ended, unless a `;` or a brace came since. */
  private opener: Statement | undefined;
  /** A `?` outside brackets: a ternary's `:` is no Python block header's end. */
  private curQuestion = false;
  /** The leading annotation of a block header, moved to the statement after its `:` on the same line. */
  private pendingFromHeader = false;

  constructor(
    private readonly text: string,
    from: number,
    private readonly to: number,
    style: CommentStyle,
    private readonly tag: string,
    private readonly out: ScanResult,
    private readonly dialect: TypeDialect,
  ) {
    this.style = style;
    this.i = from;
    this.lineStart = from;
    this.hashComments = style !== 'slash';
    this.slashComments = style !== 'hash';
    this.foldIdentifiers = style === 'hash';
    this.indentScopes = this.hashComments;
    this.braceScopes = this.slashComments;
    // Notebook cells are scanned one by one into one result: they share the module scope.
    if (out.scopes.length === 0) out.scopes.push({ parent: -1, header: -1, opener: 'module', start: from });
    this.scopes = out.scopes;
    this.tagFitsInBindings = /^[\w$=,.+\-\s]*$/.test(tag);
  }

  run(): void {
    const { text, to } = this;
    while (this.i < to) {
      const c = text.charCodeAt(this.i);
      if (c === 10 || c === 13) this.newline(c);
      else if (isSpace(c)) this.i++;
      else if (c === 35 /* # */ && this.hashComments) this.lineComment('#');
      else if (c === 47 /* / */ && this.slashComments && text.charCodeAt(this.i + 1) === 47) this.lineComment('//');
      else if (c === 47 && this.slashComments && text.charCodeAt(this.i + 1) === 42) this.blockComment();
      else if (c === 34 || c === 39 || (c === 96 && this.slashComments)) this.string(c);
      else if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(this.i + 1)))) this.number();
      else if (isIdentifierStart(c)) this.identifier();
      else if (c === 92 /* \ */ && this.restOfLineIsBlank(this.i + 1)) {
        this.backslash = true;
        this.i++;
      } else this.punctuation();
    }
    this.flush();
    // A callback left open at the end of the text: its call still ends there.
    while (this.suspended.length > 0) {
      this.resume();
      this.flush();
    }
    if (this.pending) this.out.dangling.push(this.pending);
  }

  private push(token: Token): void {
    if (this.cur.length === 0) {
      this.curAnnotation = this.pending;
      this.pending = undefined;
      this.pendingFromHeader = false;
      if (!this.lineHasContent && this.indentScopes) this.dedent(token.start);
    }
    if (this.cur.length < BUDGETS.statementTokens) this.cur.push(token);
    else {
      // A statement this long is refused, so its tokens need not be kept: memory stays bounded
      // on a megabyte-long line, and the lens says how large it was.
      this.dropped++;
      this.lastDropped = token;
    }
    this.lineHasContent = true;
  }

  private flush(): void {
    if (this.cur.length === 0) return;
    // `x as Value`, `a!.mul(b)`: TypeScript that changes no value is gone before anything reads it.
    if (this.style === 'slash' && this.dropped === 0) this.cur = eraseTypeSyntax(this.cur, this.dialect);
    if (this.braceScopes && this.dropped === 0) this.splitDeclarators();
    if (this.dropped === 0) this.splitAssignment();
    this.flushTokens();
  }

  /** `u, v = Value(1.0), Value(2.0)`, `a = b = e`: one statement per name (see assignments.ts). */
  private splitAssignment(): void {
    const annotation = this.curAnnotation;
    const split = splitAssignment(this.cur, this.style, annotation !== undefined, (name) =>
      definesFunction(this.out.statements, name),
    );
    if (!split) return;
    split.pieces.forEach((piece, i) => {
      this.cur = piece;
      this.curAnnotation = i === split.annotated ? annotation : undefined;
      this.curAnnotatable = undefined;
      if (i < split.pieces.length - 1) this.flushTokens();
    });
  }

  /** Ends the statement in progress: its tokens become a Statement. */
  private flushTokens(): void {
    const tokens = this.cur;
    const statement: Statement = {
      id: this.out.statements.length,
      tokens,
      start: tokens[0].start,
      end: (this.lastDropped ?? tokens[tokens.length - 1]).end,
      annotation: this.curAnnotation,
      scope: this.openScopes[this.openScopes.length - 1],
    };
    if (this.dropped > 0) {
      statement.oversized = tokens.length + this.dropped;
      this.dropped = 0;
      this.lastDropped = undefined;
    }
    this.out.statements.push(statement);
    this.lastEndedOnLine = statement;
    if (this.isCurAnnotatable()) this.lastAnnotatableOnLine = statement;
    this.cur = [];
    this.curAnnotation = undefined;
    this.curAnnotatable = undefined;
    this.curQuestion = false;
    this.opener = statement;
  }

  /**
   * `const l0 = new Value(1), l1 = new Value(-0.5)`: each declarator but the last becomes a
   * statement of its own, `const l0 = new Value(1)`, `const l1 = …` (the keyword repeated as an
   * empty token at the declarator), so that each name has its own assignment. Only when every part
   * starts with a name and `=`, `:` or nothing: `Map<string, number>` has a comma too.
   */
  private splitDeclarators(): void {
    const cur = this.cur;
    let k = 0;
    while (k < cur.length && (cur[k].text === 'export' || cur[k].text === 'declare')) k++;
    const keyword = cur[k];
    if (keyword?.kind !== 'name' || !DECLARATION_KEYWORDS.has(keyword.text)) return;
    const commas: number[] = [];
    let depth = 0;
    for (let j = k + 1; j < cur.length; j++) {
      const x = cur[j].text;
      if (cur[j].kind !== 'op') continue;
      if (x === '(' || x === '[' || x === '{') depth++;
      else if (x === ')' || x === ']' || x === '}') depth--;
      else if (x === ',' && depth === 0) commas.push(j);
    }
    if (commas.length === 0) return;
    const starts = [k + 1, ...commas.map((c) => c + 1)];
    const declarator = (at: number, end: number): boolean =>
      cur[at]?.kind === 'name' && (at + 1 === end || cur[at + 1].text === '=' || cur[at + 1].text === ':');
    const ends = [...commas, cur.length];
    if (!starts.every((at, i) => declarator(at, ends[i]))) return;
    // The annotation marks the declarator its comment follows (`const a = …, // @grad`), or the
    // first one when it stands above the statement.
    const annotation = this.curAnnotation;
    let marked = 0;
    if (annotation) for (let i = 0; i < starts.length; i++) if (cur[starts[i]].start < annotation.start) marked = i;
    for (let i = 0; i < starts.length; i++) {
      const first = cur[starts[i]];
      this.cur =
        i === 0
          ? cur.slice(0, ends[i])
          : [{ ...keyword, start: first.start, end: first.start }, ...cur.slice(starts[i], ends[i])];
      this.curAnnotation = i === marked ? annotation : undefined;
      this.curAnnotatable = undefined;
      if (i < starts.length - 1) this.flushTokens();
    }
  }

  /**
   * A statement starts a line: its indentation (a tab to the next multiple of 8, as Python counts)
   * closes the Python blocks whose header is indented as deep or deeper.
   */
  private dedent(at: number): void {
    let indent = 0;
    for (let j = this.lineStart; j < at; j++) indent = this.text.charCodeAt(j) === 9 ? (indent & ~7) + 8 : indent + 1;
    this.lineIndent = indent;
    const indents = this.openIndents;
    while (indents.length > 1 && indents[indents.length - 1] >= indent) {
      indents.pop();
      this.openScopes.pop();
    }
  }

  private openScope(header: number, opener: 'indent' | 'brace', indent: number, start: number): void {
    this.scopes.push({ parent: this.openScopes[this.openScopes.length - 1], header, opener, start });
    this.openScopes.push(this.scopes.length - 1);
    this.openIndents.push(indent);
    if (opener === 'brace') this.openBraces++;
  }

  /** A `}`: closes the innermost brace (and the Python blocks inside it); a stray one closes nothing. */
  private closeBrace(): void {
    if (this.openBraces === 0) return;
    this.openBraces--;
    const indents = this.openIndents;
    let k = indents.length - 1;
    while (k > 0 && indents[k] >= 0) k--;
    if (k === 0) return;
    const closed = this.openScopes[k];
    indents.length = k;
    this.openScopes.length = k;
    // An empty block (`{}`, or braces around nothing) is forgotten: a file of braces costs no memory.
    const last = this.out.statements[this.out.statements.length - 1];
    if (closed === this.scopes.length - 1 && (!last || last.scope !== closed)) this.scopes.pop();
  }

  /** Whether the `:` just read ends a Python block header (`def f(x)`, `if x > 0`, `else`). */
  private endsPythonHeader(): boolean {
    const cur = this.cur;
    if (cur.length === 0 || this.curQuestion || this.dropped > 0 || cur[0].kind !== 'name') return false;
    const first = cur[0].text;
    if (first === 'async') return cur.length > 1 && PYTHON_ASYNC_BLOCKS.has(cur[1].text);
    if (PYTHON_SOFT_BLOCKS.has(first))
      return !this.slashComments && cur.length > 1 && !NOT_SOFT_HEADER.has(cur[1].text);
    return PYTHON_BLOCKS.has(first);
  }

  /**
   * Ends the header at its `:` and opens the block below it: a `def` or `class` is a scope, the
   * others (`for`, `while`, `if`, `else`, `try`, `with`, `match`…) are blocks whose names live in
   * the enclosing scope, marked so that scopes.ts knows a loop's body and a condition's branch.
   */
  private pythonHeader(colon: number): void {
    const leading = this.curAnnotation?.placement === 'leading' ? this.curAnnotation : undefined;
    if (leading) this.curAnnotation = undefined;
    this.flush();
    this.openScope(this.out.statements.length - 1, 'indent', this.lineIndent, colon);
    if (leading) {
      // `# @grad` above `def square(x): return x * x` marks the body; above a block body, nothing.
      this.pending = leading;
      this.pendingFromHeader = true;
    }
    this.opener = undefined;
    this.i = colon + 1;
    this.lineHasContent = true;
  }

  private newline(c: number): void {
    const next = c === 13 && this.text.charCodeAt(this.i + 1) === 10 ? this.i + 2 : this.i + 1;
    if (this.brackets.length === 0 && this.cur.length > 0 && !this.continues(next)) this.flush();
    if (this.pending && (!this.lineHasContent || this.pendingFromHeader)) {
      // A blank line separates a leading annotation from the code below it.
      this.out.dangling.push(this.pending);
      this.pending = undefined;
    }
    this.lineHasContent = false;
    this.lastEndedOnLine = undefined;
    this.lastAnnotatableOnLine = undefined;
    this.backslash = false;
    this.i = next;
    this.lineStart = next;
  }

  /** Whether the statement in progress goes on after the line break at `next`. */
  private continues(next: number): boolean {
    if (this.backslash) return true;
    const last = this.lastDropped ?? this.cur[this.cur.length - 1];
    // Python's `from m import *` ends with its `*`.
    if (last.text === '*' && this.cur[0].text === 'from' && this.hashComments) return false;
    if (last.kind === 'op' && CONTINUATION_OPS.has(last.text)) return true;
    let j = next;
    while (j < this.to && isSpace(this.text.charCodeAt(j))) j++;
    // A method chain continued on the next line: `.tanh()`.
    return this.text.charCodeAt(j) === 46 && isIdentifierStart(this.text.charCodeAt(j + 1));
  }

  /**
   * Whether a `{` here opens a destructuring pattern or an import or export list, not a block:
   * `const { a, b } = o`, `import { a } from 'm'`, `import d, { e } from 'm'`, `export { a }`. The
   * statement then stays whole, for the names it binds.
   */
  private bracePattern(): boolean {
    const cur = this.cur;
    if (!this.braceScopes || this.dropped > 0 || cur.length > 4) return false;
    let k = 0;
    while (k < cur.length && cur[k].kind === 'name' && (cur[k].text === 'export' || cur[k].text === 'declare')) k++;
    const exported = k > 0 && cur[0].text === 'export';
    const first = cur[k];
    const second = cur[k + 1];
    switch (cur.length - k) {
      case 0:
        return exported; // `export {`
      case 1:
        return first.kind === 'name' && (PATTERN_KEYWORDS.has(first.text) || (exported && first.text === 'type'));
      case 2:
        return first.text === 'import' && second.text === 'type';
      case 3:
        return first.text === 'import' && second.kind === 'name' && cur[k + 2].text === ',';
    }
    return false;
  }

  private restOfLineIsBlank(j: number): boolean {
    while (j < this.to && isSpace(this.text.charCodeAt(j))) j++;
    const c = this.text.charCodeAt(j);
    return j >= this.to || c === 10 || c === 13;
  }

  private lineComment(starter: CommentStarter): void {
    const start = this.i;
    let j = start;
    while (j < this.to) {
      const c = this.text.charCodeAt(j);
      if (c === 10 || c === 13) break;
      j++;
    }
    this.i = j;
    this.comment(start + starter.length, j, starter);
  }

  private blockComment(): void {
    const start = this.i;
    const close = this.text.indexOf('*/', start + 2);
    const bodyEnd = close < 0 || close + 2 > this.to ? this.to : close;
    this.i = close < 0 || close + 2 > this.to ? this.to : close + 2;
    this.comment(start + 2, bodyEnd, '/*');
  }

  /** Looks for the tag in a comment's body and attaches the annotation. */
  private comment(bodyStart: number, bodyEnd: number, starter: CommentStarter): void {
    const tagAt = this.findTag(bodyStart, bodyEnd);
    if (tagAt < 0) {
      this.lineHasContent = true;
      return;
    }
    let end = bodyEnd;
    for (let j = tagAt; j < bodyEnd; j++) {
      const c = this.text.charCodeAt(j);
      if (c === 10 || c === 13) {
        end = j;
        break;
      }
    }
    while (end > tagAt && isSpace(this.text.charCodeAt(end - 1))) end--;
    const bindingsStart = tagAt + this.tag.length;
    const annotation: Annotation = {
      start: tagAt,
      end,
      bindingsText: this.text.slice(bindingsStart, Math.max(bindingsStart, end)),
      bindingsStart,
      starter,
      placement: 'trailing',
    };
    if (this.cur.length > 0 || this.lastEndedOnLine) {
      this.attachTrailing(annotation);
    } else {
      annotation.placement = 'leading';
      if (this.pending) this.out.dangling.push(this.pending);
      this.pending = annotation;
    }
    this.lineHasContent = true;
  }

  /**
   * A trailing annotation marks the statement on its line that assigns or returns, the last one if
   * several: in `o = n.tanh(); o.label = 'o'  # @grad` it is `o = n.tanh()`.
   */
  private attachTrailing(annotation: Annotation): void {
    if (this.cur.length > 0 && (this.isCurAnnotatable() || !this.lastAnnotatableOnLine)) {
      if (!this.curAnnotation) this.curAnnotation = annotation;
      return;
    }
    const target = (this.lastAnnotatableOnLine ?? this.lastEndedOnLine)!;
    if (!target.annotation) target.annotation = annotation;
  }

  /**
   * The statement's form is read from its first few tokens (`name =`, `return`, `const name:
   * type =`), so it is read once, at the first annotation or at the statement's end, not again for
   * each comment inside a long statement.
   */
  private isCurAnnotatable(): boolean {
    this.curAnnotatable ??= isAnnotatable(this.cur);
    return this.curAnnotatable;
  }

  /**
   * The tag counts where it opens the comment (`# @grad x=2`), or later in it when only bindings
   * follow (`# output @grad x=2`). Prose that mentions the tag (`# the @grad analysis`) is not an
   * annotation.
   */
  private findTag(from: number, to: number): number {
    const { text, tag } = this;
    // Where the comment's text starts (after `*`, `/` or `!` decorations): the only place at which
    // the tag opens the comment. Found once per comment, not once per mention of the tag.
    let opening = from;
    while (opening < to && isCommentDecoration(text.charCodeAt(opening))) opening++;
    let at = this.tagAtOrAfter(from);
    let lineEnd = -1;
    while (at + tag.length <= to) {
      const before = at > from ? text.charCodeAt(at - 1) : 32;
      const after = at + tag.length < to ? text.charCodeAt(at + tag.length) : 32;
      const next = this.tagAtOrAfter(at + 1);
      if (!isIdentifierPart(before) && before !== 64 && !isIdentifierPart(after)) {
        if (opening >= at) return at;
        if (lineEnd < at) lineEnd = this.lineEnd(at, to);
        // Bindings cannot contain a tag like `@grad`: of several mentions on one line, only the
        // last can be followed by nothing but bindings. Reading the rest of the line for each
        // mention would be quadratic in the line's length.
        const laterOnLine = next + tag.length <= lineEnd && !this.tagFitsInBindings;
        if (!laterOnLine && this.onlyBindingsAfter(at + tag.length, lineEnd)) return at;
      }
      at = next;
    }
    return -1;
  }

  /**
   * The next occurrence of the tag at or after `from`, remembered: searching afresh from every
   * comment would rescan the rest of the document each time (quadratic on a file of comments).
   */
  private tagAtOrAfter(from: number): number {
    if (this.nextTag < from) {
      const at = this.text.indexOf(this.tag, from);
      this.nextTag = at < 0 ? Infinity : at;
    }
    return this.nextTag;
  }

  private lineEnd(from: number, to: number): number {
    let end = from;
    while (end < to && this.text.charCodeAt(end) !== 10 && this.text.charCodeAt(end) !== 13) end++;
    return end;
  }

  private onlyBindingsAfter(from: number, lineEnd: number): boolean {
    return 'bindings' in readBindings(this.text.slice(from, lineEnd));
  }

  /**
   * At a `{` inside brackets: the head of the function it opens as a callback argument, from the
   * start of that argument (`() =>`, `async (x) =>`, `x =>`, `function (a, b)`), or undefined when
   * the brace is an object literal or a pattern.
   */
  private callbackHead(): Token[] | undefined {
    const cur = this.cur;
    const open = this.bracketAt[this.bracketAt.length - 1];
    if (open < 0) return undefined;
    let from = open + 1;
    let depth = 0;
    for (let k = cur.length - 1; k > open; k--) {
      const t = cur[k];
      if (t.kind !== 'op') continue;
      if (t.text === ')' || t.text === ']' || t.text === '}') depth++;
      else if (t.text === '(' || t.text === '[' || t.text === '{') depth--;
      else if (depth === 0 && t.text === ',') {
        from = k + 1;
        break;
      }
    }
    if (from >= cur.length) return undefined;
    const last = cur[cur.length - 1];
    if (last.kind === 'op' && last.text === '=>') return cur.slice(from);
    const word = cur[from].text === 'async' ? from + 1 : from;
    if (cur[word]?.kind === 'name' && cur[word].text === 'function' && last.text === ')') return cur.slice(word);
    return undefined;
  }

  /**
   * A callback's body opens: its head becomes a statement of its own (what scopes.ts reads the
   * function's parameters from), the call around it waits, and the body's statements follow.
   */
  private suspend(head: Token[], brace: number): void {
    const header: Statement = {
      id: this.out.statements.length,
      tokens: head,
      start: head[0].start,
      end: head[head.length - 1].end,
      scope: this.openScopes[this.openScopes.length - 1],
      callbackOf: this.calleeOfInnermostBracket(),
    };
    this.out.statements.push(header);
    this.suspended.push({
      cur: this.cur,
      curAnnotation: this.curAnnotation,
      curAnnotatable: this.curAnnotatable,
      curQuestion: this.curQuestion,
      brackets: this.brackets,
      bracketAt: this.bracketAt,
      dropped: this.dropped,
      lastDropped: this.lastDropped,
      scopes: this.openScopes.length,
      open: { kind: 'op', text: '{', start: brace, end: brace + 1 },
    });
    this.cur = [];
    this.curAnnotation = undefined;
    this.curAnnotatable = undefined;
    this.curQuestion = false;
    this.brackets = [];
    this.bracketAt = [];
    this.dropped = 0;
    this.lastDropped = undefined;
    this.openScope(header.id, 'brace', -1, brace);
    this.opener = undefined;
    this.lastEndedOnLine = undefined;
    this.lastAnnotatableOnLine = undefined;
    this.i = brace + 1;
    this.lineHasContent = true;
  }

  /** `forEach` in `xs.forEach(`, `test` in `test(`: the name before the innermost open `(`, or ''. */
  private calleeOfInnermostBracket(): string {
    const open = this.bracketAt[this.bracketAt.length - 1];
    const before = open > 0 ? this.cur[open - 1] : undefined;
    return this.cur[open]?.text === '(' && before?.kind === 'name' ? before.text : '';
  }

  /** The callback's body has closed: the call around it goes on, with `{` `}` standing for the body. */
  private resume(): void {
    const outer = this.suspended.pop()!;
    this.cur = outer.cur;
    this.curAnnotation = outer.curAnnotation;
    this.curAnnotatable = outer.curAnnotatable;
    this.curQuestion = outer.curQuestion;
    this.brackets = outer.brackets;
    this.bracketAt = outer.bracketAt;
    this.dropped = outer.dropped;
    this.lastDropped = outer.lastDropped;
    while (this.openScopes.length > outer.scopes) {
      if (this.openIndents.pop()! < 0) this.openBraces--;
      this.openScopes.pop();
    }
    this.cur.push(outer.open);
  }

  private string(quote: number): void {
    const { text, to } = this;
    const start = this.i;
    const triple = quote !== 96 && text.charCodeAt(start + 1) === quote && text.charCodeAt(start + 2) === quote;
    let j = start + (triple ? 3 : 1);
    while (j < to) {
      const c = text.charCodeAt(j);
      if (c === 92) {
        j += 2;
        continue;
      }
      if (c === quote) {
        if (!triple) {
          j++;
          break;
        }
        if (text.charCodeAt(j + 1) === quote && text.charCodeAt(j + 2) === quote) {
          j += 3;
          break;
        }
      }
      if ((c === 10 || c === 13) && !triple && quote !== 96) break; // unterminated: stop at the line end
      j++;
    }
    j = Math.min(j, to);
    this.i = j;
    this.push({ kind: 'str', text: text.slice(start, j), start, end: j });
  }

  private number(): void {
    const { text, to } = this;
    const start = this.i;
    let j = start;
    const second = text.charCodeAt(j + 1) | 32;
    if (text.charCodeAt(j) === 48 && (second === 120 || second === 98 || second === 111)) {
      j += 2;
      while (j < to && isIdentifierPart(text.charCodeAt(j))) j++;
    } else {
      while (j < to && (isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === 95)) j++;
      if (text.charCodeAt(j) === 46) {
        j++;
        while (j < to && (isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === 95)) j++;
      }
      const e = text.charCodeAt(j) | 32;
      if (e === 101) {
        let k = j + 1;
        const sign = text.charCodeAt(k);
        if (sign === 43 || sign === 45) k++;
        if (isDigit(text.charCodeAt(k)) || text.charCodeAt(k) === 95) {
          j = k;
          while (j < to && (isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === 95)) j++;
        }
      }
    }
    this.i = j;
    const literal = text.slice(start, j);
    const token: Token = { kind: 'num', text: literal, start, end: j };
    // Only a leading `0` or a `_` can make the languages read a literal differently from Number().
    if ((text.charCodeAt(start) === 48 && j - start > 1) || literal.indexOf('_') >= 0) {
      const problem = numberProblem(literal, this.style);
      if (problem) token.invalid = problem;
    }
    this.push(token);
  }

  private identifier(): void {
    const { text, to } = this;
    const start = this.i;
    let wide = text.charCodeAt(start);
    let j = start + 1;
    for (let c = text.charCodeAt(j); j < to && isIdentifierPart(c); c = text.charCodeAt(++j)) wide |= c;
    this.i = j;
    // Python reads identifiers in NFKC (`𝑥` is `x`, `ﬁle` is `file`); JavaScript keeps them apart.
    // Only a name with a non-ASCII character can change, so ASCII names take no normalisation.
    const name = wide >= 128 && this.foldIdentifiers ? text.slice(start, j).normalize('NFKC') : text.slice(start, j);
    this.push({ kind: 'name', text: name, start, end: j });
  }

  private punctuation(): void {
    const { text } = this;
    const start = this.i;
    const c = text.charCodeAt(start);
    const depth = this.brackets.length;
    if (depth === 0 && (c === 59 /* ; */ || (c === 123 /* { */ && !this.bracePattern()) || c === 125) /* } */) {
      // Statement separators: `;`, and blocks' braces outside any bracket.
      this.flush();
      if (this.braceScopes && c === 123) this.openScope(this.opener?.id ?? -1, 'brace', -1, start);
      else if (this.braceScopes && c === 125) this.closeBrace();
      this.opener = undefined;
      this.i++;
      this.lineHasContent = true;
      const callback = this.suspended[this.suspended.length - 1];
      if (c === 125 && callback && this.openScopes.length === callback.scopes) {
        this.resume();
        this.push({ kind: 'op', text: '}', start, end: start + 1 });
      }
      return;
    }
    if (depth > 0 && c === 123 && this.braceScopes && this.dropped === 0) {
      const head = this.callbackHead();
      if (head) {
        this.suspend(head, start);
        return;
      }
    }
    // Char codes, not an object keyed by the character: this runs for every operator.
    if (c === 40 || c === 91 || c === 123) {
      this.brackets.push(c === 40 ? 41 : c === 91 ? 93 : 125);
      this.bracketAt.push(this.cur.length < BUDGETS.statementTokens ? this.cur.length : -1);
    } else if (depth > 0 && c === this.brackets[depth - 1]) {
      this.brackets.pop();
      this.bracketAt.pop();
    }
    let op = text[start];
    // Only a second operator character can start a longer operator; most punctuation stops here.
    if (start + 1 < this.to && OPERATOR_CHARS.has(text.charCodeAt(start + 1))) {
      const three = start + 3 <= this.to ? text.substr(start, 3) : '';
      const two = text.substr(start, 2);
      if (THREE_CHAR_OPS.has(three)) op = three;
      else if (TWO_CHAR_OPS.has(two)) op = two;
    }
    if (depth === 0 && this.hashComments && c === 58 /* : */ && op === ':' && this.endsPythonHeader()) {
      this.pythonHeader(start);
      return;
    }
    if (depth === 0 && c === 63 /* ? */ && op === '?') this.curQuestion = true;
    this.i = start + op.length;
    this.push({ kind: 'op', text: op, start, end: this.i });
  }
}
