// The one number formatter that the CLI, the CodeLens, the hover and the graph share.

/** micrograd's draw_dot prints 4 decimals. */
export const DEFAULT_PRECISION = 4;

/**
 * `precision` decimals (default 4), like micrograd's draw_dot; numbers too small or too large for
 * fixed notation to show switch to exponent notation, so that 1e-7 never reads as 0.0000.
 */
export function formatNumber(x: number, precision = DEFAULT_PRECISION): string {
  if (!Number.isFinite(x)) return String(x);
  const digits = Math.max(0, Math.min(20, Math.floor(precision)));
  const magnitude = Math.abs(x);
  if (magnitude !== 0 && (magnitude < 10 ** -digits / 2 || magnitude >= 1e15)) return x.toExponential(digits);
  const fixed = x.toFixed(digits);
  return /^-0\.?0*$/.test(fixed) ? fixed.slice(1) : fixed;
}

/**
 * The same number for people to read in the editor (lens, hover, graph labels): every minus is the
 * typographic one (U+2212), the exponent's too. DOT and the CLI keep ASCII, as micrograd does.
 */
export function formatSigned(x: number, precision = DEFAULT_PRECISION): string {
  return formatNumber(x, precision).replace(/-/g, '\u2212');
}
