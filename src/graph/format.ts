// Number formatting shared by the graph model, the DOT export and the webview: micrograd's
// draw_dot prints `%.4f`, so 4 decimals is the default. Negative numbers use the true minus sign
// (U+2212) in prose (edge labels), but DOT keeps ASCII so the export reads like micrograd's.

export const DEFAULT_PRECISION = 4;

/** `0.8814`, never `-0.0000` (a negative that rounds to zero prints as zero). */
export function formatNumber(value: number, precision = DEFAULT_PRECISION): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = clampPrecision(precision);
  const text = value.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** The same with a typographic minus, for labels people read. */
export function formatSigned(value: number, precision = DEFAULT_PRECISION): string {
  return formatNumber(value, precision).replace(/^-/, '\u2212');
}

function clampPrecision(precision: number): number {
  if (!Number.isInteger(precision)) return DEFAULT_PRECISION;
  return Math.min(12, Math.max(0, precision));
}
