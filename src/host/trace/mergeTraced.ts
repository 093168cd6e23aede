// How traced lenses are laid over the static ones (pure: no vscode). The static analysis decides
// which @grad sites exist and where they are now; a traced lens replaces the static lens of its
// site. A site the run never reached keeps its static result, marked as such. After an edit the
// traced lenses are stale: each is moved to where its site is now and marked stale.
import type { Lens, Range } from '../../core';
import type { TracedLens } from '../../trace/protocol';

/**
 * The lenses to show for one document (or one notebook cell): `current` from the static analysis
 * of the text as it is now, `traced` from the last trace of that document, `stale` when the text
 * changed since.
 */
export function mergeTraced(current: readonly Lens[], traced: readonly TracedLens[], stale: boolean): Lens[] {
  // Nothing to lay over (the static analysis skipped a too-large file): the trace's own lenses.
  if (current.length === 0) return stale ? [] : [...traced];
  const pairs = pairSites(current, traced);
  return current.map((lens, index) => {
    const partner = pairs[index];
    if (!partner) return lens;
    if (!partner.trace.reached) {
      // The static result stays; the trace adds what it knows (e.g. "the run never reached this line").
      const traceProblems = (stale ? movedTo(partner, lens) : partner).problems.filter((each) =>
        each.code.startsWith('trace-'),
      );
      return { ...lens, problems: [...lens.problems, ...traceProblems], trace: { ...partner.trace, stale } };
    }
    if (!stale) return partner;
    return movedTo(partner, lens);
  });
}

/**
 * For each current lens, the traced lens of the same site, if any. Unchanged text: the same sites
 * in the same order, so position by position. After an edit: the k-th site assigning `loss` now is
 * the k-th site that assigned `loss` then.
 */
function pairSites(current: readonly Lens[], traced: readonly TracedLens[]): Array<TracedLens | undefined> {
  if (current.length === traced.length && current.every((lens, index) => lens.target === traced[index].target))
    return [...traced];
  const byTarget = new Map<string, TracedLens[]>();
  for (const lens of traced) {
    const list = byTarget.get(lens.target) ?? [];
    list.push(lens);
    byTarget.set(lens.target, list);
  }
  const used = new Map<string, number>();
  return current.map((lens) => {
    const k = used.get(lens.target) ?? 0;
    used.set(lens.target, k + 1);
    return byTarget.get(lens.target)?.[k];
  });
}

/** A stale traced lens placed where its site is now: the statement's ranges from the current lens, the rest moved with it. */
function movedTo(lens: TracedLens, now: Lens): TracedLens {
  const delta = now.line - lens.line;
  const move = (range: Range): Range =>
    range.cell !== undefined || delta === 0
      ? range
      : {
          ...range,
          start: { ...range.start, line: range.start.line + delta },
          end: { ...range.end, line: range.end.line + delta },
        };
  return {
    ...lens,
    line: now.line,
    statementRange: now.statementRange,
    targetRange: now.targetRange,
    expressionRange: now.expressionRange,
    tagRange: now.tagRange,
    variables: lens.variables.map((variable) => ({
      ...variable,
      definedAt: move(variable.definedAt),
      occurrences: variable.occurrences.map(move),
    })),
    problems: lens.problems.map((problem) => ({ ...problem, range: move(problem.range) })),
    ops: lens.ops.map((op) => ({ ...op, range: move(op.range), expressionRange: move(op.expressionRange) })),
    trace: { ...lens.trace, stale: true },
  };
}
