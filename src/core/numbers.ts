// Number literals, read as the file's language reads them, or refused with what to write instead.
// `Number()` is neither language's reader: it takes `017` as 17, where JavaScript means octal 15
// (and strict mode and TypeScript refuse it) and Python refuses it; and it is never shown the
// underscores, which both languages allow only between two digits. The scanner asks here only for
// a literal that starts with `0` or holds a `_`: every other literal reads the same everywhere.

import { clip, quote } from './quote';
import type { CommentStyle } from './tokens';

const DIGITS = String.raw`\d+(?:_\d+)*`;
/** A decimal literal whose underscores each stand between two digits: `1_000.5`, `.5`, `1e1_0`. */
const DECIMAL = new RegExp(String.raw`^(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`);

/** Why the literal `text` (as the scanner cut it) is refused in `style`'s language, or undefined. */
export function numberProblem(text: string, style: CommentStyle): string | undefined {
  const second = text.charCodeAt(1) | 32;
  if (text.charCodeAt(0) === 48 && (second === 120 || second === 111 || second === 98))
    return prefixedProblem(text, style);
  const underscore = text.includes('_');
  if (underscore && !DECIMAL.test(text)) return misplaced(text);
  let intEnd = 0;
  while (intEnd < text.length && text[intEnd] !== '.' && (text.charCodeAt(intEnd) | 32) !== 101) intEnd++;
  const int = text.slice(0, intEnd).replace(/_/g, '');
  if (int.length < 2 || int[0] !== '0') return undefined;
  const integer = intEnd === text.length;
  // What to write instead: the same digits without the leading zeros.
  const decimal = clip(int.replace(/^0+(?=\d)/, '') + text.slice(intEnd).replace(/_/g, ''));
  const octal = /^[0-7]+$/.test(int);
  if (style === 'hash') {
    if (!integer || /^0+$/.test(int)) return undefined;
    const alternative = octal ? `, or ${clip(`0o${int.replace(/^0+/, '')}`)} for octal` : '';
    return `${quote(text)} is a SyntaxError in Python (leading zeros in a decimal integer): write ${decimal}${alternative}`;
  }
  if (text[1] === '_') return misplaced(text);
  if (integer && octal) {
    const digits = clip(`0o${int.replace(/^0+/, '') || '0'}`);
    const value = parseInt(int, 8);
    if (style === 'slash') return `${quote(text)} is a legacy octal literal: write ${value} or ${digits}`;
    return `${quote(text)} is a legacy octal literal in JavaScript (${value}) and an error in Python: write ${digits}, or ${decimal} for decimal`;
  }
  const python = style === 'both' && integer ? ', and so does Python' : '';
  return `${quote(text)} has a leading zero, which strict JavaScript and TypeScript refuse${python}: write ${decimal}`;
}

/**
 * `0x1F`, `0o17`, `0b101`: Python allows a `_` right after the prefix (`0x_1F`), JavaScript only
 * between two digits. Wrong digits (`0b102`) are left to the parser's "not a number".
 */
function prefixedProblem(text: string, style: CommentStyle): string | undefined {
  if (!text.includes('_')) return undefined;
  const body = text.slice(2);
  if (body.endsWith('_') || body.includes('__') || (style !== 'hash' && body.startsWith('_'))) return misplaced(text);
  return undefined;
}

function misplaced(text: string): string {
  return `${quote(text)} has a misplaced \`_\`: a digit separator goes between two digits, as in 1_000`;
}
