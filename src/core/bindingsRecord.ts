// The input box's view of bindings: a plain record, or an error message to show.

import { readBindings } from './bindings';

export function bindingsAsRecord(text: string): { bindings: Record<string, number> } | { error: string } {
  const result = readBindings(text);
  if ('error' in result) return { error: result.error };
  const bindings: Record<string, number> = {};
  for (const b of result.bindings) bindings[b.name] = b.value;
  return { bindings };
}
