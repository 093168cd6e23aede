// Bindings give names values inside one lens: `# @grad x=2, w=-3` or the input box's `x=2 w=-3`.

import type { Span } from './positions';
import { clip, quote } from './quote';

export interface Binding {
  name: string;
  value: number;
  /** The whole `name=value`, in the text's coordinates (offset by `base`); for a call's argument, the argument. */
  span: Span;
  /** Given by the last call of the function the annotation is in (callSite.ts), not by the annotation. */
  from?: 'call';
}

export type BindingsResult = { bindings: Binding[] } | { error: string; span: Span };

const PAIR = /([A-Za-z_$][\w$]*)\s*=\s*([+-]?(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?)(?![\w.])/y;

/** Parses `name=value` pairs separated by commas and/or spaces. `base` shifts the spans. */
export function readBindings(text: string, base = 0): BindingsResult {
  const bindings: Binding[] = [];
  const seen = new Set<string>();
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ',' || /\s/.test(c)) {
      i++;
      continue;
    }
    PAIR.lastIndex = i;
    const m = PAIR.exec(text);
    if (!m) {
      const end = nextSeparator(text, i);
      const bad = text.slice(i, end);
      return {
        error: `expected name=number, got ${quote(bad)} (write bindings like x=2, w=-3)`,
        span: { start: base + i, end: base + end },
      };
    }
    const span = { start: base + i, end: base + i + m[0].length };
    const value = Number(m[2].replace(/_/g, ''));
    if (!Number.isFinite(value)) return { error: `${clip(`${m[1]}=${m[2]}`)} is not a finite number`, span };
    if (seen.has(m[1])) return { error: `${quote(m[1])} is bound twice`, span };
    seen.add(m[1]);
    bindings.push({ name: m[1], value, span });
    i += m[0].length;
  }
  return { bindings };
}

function nextSeparator(text: string, from: number): number {
  let j = from;
  while (j < text.length && text[j] !== ',' && !/\s/.test(text[j])) j++;
  return Math.max(j, from + 1);
}

/** The binding offered for a name without a value: the CodeLens advice, the quick fix and the input box agree. */
export function suggestedBinding(name: string): string {
  return `${name}=1.0`;
}
