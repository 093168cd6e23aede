// The tokens the scanner produces and the parser reads. Offsets are absolute into the document.

export type TokenKind = 'num' | 'name' | 'op' | 'str';

export interface Token {
  kind: TokenKind;
  /** The source text (for 'num', as written; for 'str', with its quotes). */
  text: string;
  start: number;
  end: number;
  /** For a 'num' the file's language does not read as Number() would (`017`, `1__0`): why, and what to write. */
  invalid?: string;
}

export type CommentStyle = 'hash' | 'slash' | 'both';
export type CommentStarter = '#' | '//' | '/*';

/** A `@grad …` annotation found in a comment. */
export interface Annotation {
  /** From the tag to the end of its text (trailing spaces and the comment's closer excluded). */
  start: number;
  end: number;
  /** The text after the tag: the bindings, e.g. ` x=2, w=-3`. */
  bindingsText: string;
  bindingsStart: number;
  starter: CommentStarter;
  placement: 'trailing' | 'leading';
}

/** One statement: split at newlines outside brackets, at `;`, and at `{` `}` outside brackets. */
export interface Statement {
  /** Index in document order; resolution compares ids. */
  id: number;
  tokens: Token[];
  start: number;
  end: number;
  annotation?: Annotation;
  /** The innermost scope (an index into `ScanResult.scopes`) the statement sits in. */
  scope: number;
  /**
   * Set when the statement has more tokens than a statement may have (see budgets.ts): its count.
   * Only the first tokens are kept, enough to read what it assigns, so that names still resolve to
   * it and a lens that needs it says it is too large instead of using an older value.
   */
  oversized?: number;
  /**
   * Set on the head of a callback whose body is a block (`test('adds', () => {`): the name of the
   * function it is passed to (`test`), or '' when that is no plain name. The head is a statement
   * of its own, so that the body's scope has a header to read its parameters from.
   */
  callbackOf?: string;
}

/**
 * A scope as the scanner sees it: where it opens and what opened it. The scanner keeps the
 * structure only (Python's blocks by indentation, JavaScript's by braces);
 * scopes.ts reads from the opener what kind of scope it is.
 */
export interface ScopeMark {
  /** The enclosing scope; -1 for the module. */
  parent: number;
  /** The statement that opens it (`def f(x)`, `function f(x)`, `if (c)`), or -1 (the module, a bare `{`). */
  header: number;
  opener: 'module' | 'indent' | 'brace';
  /** Where it opens: the `{`, or the `:` of a Python header. */
  start: number;
}

export interface ScanResult {
  statements: Statement[];
  /** Annotations with no statement directly below them. */
  dangling: Annotation[];
  /** Index 0 is the module, shared by every segment scanned into the same result (notebook cells). */
  scopes: ScopeMark[];
}
