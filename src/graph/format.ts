// Numbers in the graph use the core's one formatter (4 decimals by default, as micrograd's
// draw_dot; exponent notation where fixed notation would hide the number), so the graph, the
// CodeLens, the hover and the CLI always print a value the same way. DOT keeps the ASCII minus,
// like micrograd's; labels people read get the typographic minus (U+2212).
import { formatNumber } from '../core/format';

export { formatNumber };

export const DEFAULT_PRECISION = 4;

export function formatSigned(value: number, precision = DEFAULT_PRECISION): string {
  return formatNumber(value, precision).replace(/^-/, '\u2212');
}
