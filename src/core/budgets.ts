// How much one analysis may cost. Every limit here is reported where it bites, with its numbers
// ("too large to analyse: 812,000 tokens (limit 20,000)"), never by a silent cut: a lens past a
// budget shows that instead of a value.

export const BUDGETS = {
  /**
   * Tokens in one statement: room for 10,000 nested calls or a 10,000-long method chain, about
   * half a second to analyse; tokens past it are not even kept (an 800,000-term sum once took
   * 13 s and 1.7 GB).
   */
  statementTokens: 50_000,
  /**
   * Graph nodes of one lens, estimated before building from the tokens of every statement it
   * expands (each token makes at most one node). A lens past it fails alone: other lenses keep
   * their own budget.
   */
  lensNodes: 200_000,
  /**
   * Graph nodes of all the lenses of one analysis together, so that a file with a lens on every
   * line of a long chain (quadratic: lens k expands k statements) costs bounded time and memory.
   * Two lenses of the largest size fit, so one large lens never starves the small ones.
   */
  documentNodes: 400_000,
  /**
   * Characters of a document the editor analyses at all (the extension skips a larger file and
   * says so in the status bar): `gradientLens.maxFileSize` counts lines, and one line can be huge.
   */
  documentChars: 8 * 2 ** 20,
  /** Lenses fully analysed in one document; the rest say that the document has too many. */
  documentLenses: 2_000,
  /**
   * Estimated heap bytes of the gradcheck memo (src/core/gradcheck.ts), shared by every document.
   * Its key is the lens's whole graph, about 7 bytes a node and up to 25 with 17-digit numbers:
   * one version of a 20,000-line chain (80,000 nodes) is 0.6 MB. The memo only pays if it holds
   * one analysis's lenses (least-recently-used over a cycle longer than itself evicts every entry
   * just before its reuse): 1.7 MB for a chain annotated on every line up to the document node
   * budget, 3.4 MB with 17-digit constants, 1 to 2 MB for 2,000 small lenses. 16 MiB holds that
   * several times over, for the documents open side by side and the versions of an edited lens,
   * and bounds what an entry count did not: each edit of that lens kept 0.9 MB more (keys with
   * absolute positions), up to 4,096 versions.
   */
  gradcheckMemoBytes: 16 * 2 ** 20,
} as const;

/** `12,345`: budgets and counts in messages. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}
