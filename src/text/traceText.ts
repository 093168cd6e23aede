// What trace mode adds to the CodeLens and the hover (pure, no vscode): where a lens's numbers
// came from ("traced 4 s ago · run 20 of 20", "stale — re-run Trace Gradients", "static — not
// reached by the run"), the plot of a site's value over its executions, and the engine check.
import type { Lens } from '../core';
import type { EngineCheck, TracedLens, TraceInfo } from '../trace/protocol';
import { historyDataUri } from './historyPlot';
import { codeBlock, inlineCode } from './hoverMarkdown';
import { displayNumber, shorten, valuesTitle } from './lensTitle';

export const STALE_TEXT = 'stale — re-run Trace Gradients';
export const NOT_REACHED_STATIC_TEXT = 'static — not reached by the run';
export const NOT_REACHED_TEXT = 'not reached by the run';

/** Whether a lens carries trace metadata (the editor merges traced lenses in with static ones). */
export function isTraced(lens: Lens): lens is TracedLens {
  const trace = (lens as Partial<TracedLens>).trace;
  return typeof trace === 'object' && trace !== null;
}

/** "4 s ago", "2 min ago", "3 h ago". */
export function ago(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.floor(minutes / 60)} h ago`;
}

/** "run 20 of 20": the numbers shown are the last execution's. */
export function runOf(trace: TraceInfo): string {
  return `run ${trace.executions.toLocaleString('en-US')} of ${trace.executions.toLocaleString('en-US')}`;
}

/** What the CodeLens adds after the lens's own title; '' for a static lens. */
export function traceSuffix(lens: Lens, now: number): string {
  if (!isTraced(lens)) return '';
  const trace = lens.trace;
  if (!trace.reached) return lens.value !== null ? NOT_REACHED_STATIC_TEXT : NOT_REACHED_TEXT;
  if (trace.stale) return STALE_TEXT;
  return [`traced ${ago(trace.at, now)}`, runOf(trace), engineMark(trace.engineCheck)].filter(Boolean).join(' · ');
}

function engineMark(check: EngineCheck | null): string {
  if (!check || check.status === 'skipped') return '';
  return check.status === 'agrees' ? '✓ engine check' : '⚠ engine check';
}

/** The hover's trace section for a traced lens (after the lens's own section); '' for a static lens. */
export function traceHover(lens: Lens, precision: number, now: number): string {
  if (!isTraced(lens)) return '';
  const trace = lens.trace;
  const number = (value: number) => displayNumber(value, precision);
  if (!trace.reached) {
    const kept =
      lens.value !== null
        ? 'The numbers above are the static analysis’s, marked **static**.'
        : 'The static analysis has no result for it either.';
    return `**Trace** · ${ago(trace.at, now)} · the run never reached this statement. ${kept}`;
  }
  const parts: string[] = [];
  const head = `**Trace** · ${trace.stale ? '**stale**: the file changed since this run; run **Gradient Lens: Trace Gradients** again · ' : ''}traced ${ago(trace.at, now)} · ${runOf(trace)}`;
  parts.push(head);
  const plot =
    trace.executions > 1 ? historyDataUri(trace.history, { stride: trace.historyStride, precision }) : undefined;
  if (plot) {
    parts.push(`![value over ${trace.executions} runs](${plot})`);
    const finite = trace.history.filter((value): value is number => value !== null && Number.isFinite(value));
    const first = finite[0];
    const last = finite[finite.length - 1];
    const sampled = trace.historyStride > 1 ? ` (every ${trace.historyStride}th run plotted)` : '';
    parts.push(`${inlineCode(shorten(lens.target, 40))} from ${number(first)} to ${number(last)}${sampled}`);
  }
  if (trace.note) parts.push(codeBlock([`note: ${trace.note}`]));
  if (trace.magicsSkipped && trace.magicsSkipped.length > 0)
    parts.push(
      `IPython magics and shell escapes were skipped on line${trace.magicsSkipped.length > 1 ? 's' : ''} ${trace.magicsSkipped.map((line) => line + 1).join(', ')} of this cell.`,
    );
  const check = engineCheckLines(trace.engineCheck, precision);
  if (check.length > 0) parts.push(codeBlock(check));
  return parts.join('\n\n');
}

/** The engine check in words: the user's gradients against the bundled engine's and the numeric ones. */
export function engineCheckLines(check: EngineCheck | null, precision: number): string[] {
  if (!check) return [];
  const number = (value: number | null) => (value === null ? 'none' : displayNumber(value, precision));
  if (check.status === 'skipped') return [`engine check skipped${check.reason ? `: ${check.reason}` : ''}`];
  const statement = check.statement?.status === 'disagrees' ? check.statement : undefined;
  const lines = [
    check.status === 'agrees'
      ? 'engine check ✓  your engine’s gradients match the bundled engine’s'
      : statement && !statement.valueOk
        ? 'engine check ⚠  your engine’s value differs from the statement’s own'
        : 'engine check ⚠  your engine’s gradients differ from the true ones',
  ];
  if (statement) {
    // The statement evaluated from the traced names: what the recorded graph should have computed.
    if (!statement.valueOk)
      lines.push(`  value: yours ${number(statement.traced)}, true ${number(statement.expected)}`);
    for (const g of statement.gradients.filter((each) => !each.ok)) {
      const numeric = g.numeric === null ? '' : `, numeric ${number(g.numeric)}`;
      lines.push(`  ${g.name}: yours ${number(g.user)}, true ${number(g.expected)}${numeric}`);
    }
    if (statement.operator) {
      const { what, method, mistake } = statement.operator;
      lines.push(`likely cause: the engine’s ${what} (${method})${mistake ? `: ${mistake}` : ''}`);
    }
    if (check.entries.length === 0 && check.reason) lines.push(`the recorded graph was not rebuilt: ${check.reason}`);
  }
  for (const entry of check.entries.filter((each) => !each.ok)) {
    const numeric = entry.numeric === null ? '' : `, numeric ${number(entry.numeric)}`;
    lines.push(`  ${entry.name}: yours ${number(entry.user)}, true ${number(entry.engine)}${numeric}`);
  }
  if (check.forward && !check.forward.ok)
    lines.push(`  forward pass differs (max relative error ${check.forward.maxRelError.toExponential(1)})`);
  if (check.likelyCause) lines.push(`likely cause: ${check.likelyCause.description}`);
  return lines;
}

/** The CodeLens title of a lens that is not an error: the static title, or a traced lens's, with where its numbers came from. */
export function lensValuesTitle(lens: Lens, precision: number, maxVariables: number, now: number): string {
  if (!isTraced(lens) || !lens.trace.reached)
    return withTraceSuffix(valuesTitle(lens, precision, maxVariables), lens, now);
  // A traced lens's gradcheck is the engine check's summary, which the suffix names: said once.
  const base =
    lens.value === null
      ? `${shorten(lens.target, 32)}: no number${lens.trace.note ? ` (${shorten(lens.trace.note, 60)})` : ''}`
      : valuesTitle({ ...lens, gradcheck: null }, precision, maxVariables);
  return withTraceSuffix(base, lens, now);
}

/** `title · traced 4 s ago · run 20 of 20` for a traced lens; the title alone for a static one. */
export function withTraceSuffix(title: string, lens: Lens, now: number): string {
  const suffix = traceSuffix(lens, now);
  return suffix ? `${title} · ${suffix}` : title;
}
