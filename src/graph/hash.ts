// A small, stable string hash for caching layouts by their input (the DOT text). FNV-1a over
// UTF-16 code units, run twice with different offsets to get 64 bits: collisions between two
// graphs seen in one session are then negligible, and no crypto API (absent in plain
// Node-free runtimes) is needed.

export function hashString(text: string): string {
  return (
    fnv1a(text, 0x811c9dc5).toString(16).padStart(8, '0') +
    fnv1a(text, 0x01000193 ^ 0x5bd1e995)
      .toString(16)
      .padStart(8, '0')
  );
}

function fnv1a(text: string, offset: number): number {
  let hash = offset >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
