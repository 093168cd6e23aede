// Numbers in the graph use the core's one formatter, so the graph, the CodeLens, the hover and the
// CLI always print a value the same way: ASCII minus in DOT (like micrograd's), the typographic
// minus (U+2212) in labels people read.
export { DEFAULT_PRECISION, formatNumber, formatSigned } from '../core/format';
