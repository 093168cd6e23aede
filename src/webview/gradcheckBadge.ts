// The gradcheck badge: analytic against numeric gradients of the leaves, a mismatch flagged.
import { formatNumber } from '../graph/format';
import type { WireGradcheck } from '../shared/graphView';

export function showGradcheck(badge: HTMLElement, summary: WireGradcheck | null, precision: number): void {
  badge.classList.remove('ok', 'mismatch');
  if (!summary) {
    badge.hidden = true;
    return;
  }
  badge.hidden = false;
  badge.classList.add(summary.ok ? 'ok' : 'mismatch');
  const failing = summary.entries.filter((e) => !e.ok).map((e) => e.name);
  badge.textContent = summary.ok ? '\u2713 gradcheck' : `\u2717 gradcheck: ${failing.join(', ')}`;
  badge.title = summary.entries
    .map(
      (e) =>
        `${e.ok ? '\u2713' : '\u2717'} ${e.name}: analytic ${formatNumber(e.analytic, precision)}, numeric ${e.numeric === null ? 'n/a' : formatNumber(e.numeric, precision)}${e.note ? ` (${e.note})` : ''}`,
    )
    .join('\n');
}
