// User text inside a problem message: a name, a token, a binding, a label. The file or the input
// box decides how long it is, so a message quotes at most QUOTE_LIMIT characters of it; the
// problem's range still points at all of it.

/** The most characters of user text that one quotation in a message shows. */
export const QUOTE_LIMIT = 80;

/** `text` as it is when short, else its first QUOTE_LIMIT characters and `…` (never half a surrogate pair). */
export function clip(text: string, limit = QUOTE_LIMIT): string {
  if (text.length <= limit) return text;
  let end = limit;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** User text quoted in a message: in backticks, clipped. */
export function quote(text: string): string {
  return `\`${clip(text)}\``;
}
