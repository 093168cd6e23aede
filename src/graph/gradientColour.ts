// Colour by the size of a gradient: |grad| on a log scale, through viridis, a perceptually uniform
// palette that stays ordered for the common colour-vision deficiencies and in greyscale. Decades
// matter here, not steps: a vanishing path is 1e-6 next to 1, an exploding one 1e6, so the scale
// runs over whole decades from the smallest non-zero |grad| to the largest. A grad of exactly 0
// has no place on a log scale and is drawn apart (`null`). Pure, for the webview and the tests.

/** Viridis at eleven evenly spaced points, dark purple (small) to yellow (large). */
const VIRIDIS: ReadonlyArray<readonly [number, number, number]> = [
  [68, 1, 84],
  [72, 36, 117],
  [65, 68, 135],
  [53, 95, 141],
  [42, 120, 142],
  [33, 145, 140],
  [34, 168, 132],
  [68, 191, 112],
  [122, 209, 81],
  [189, 223, 38],
  [253, 231, 37],
];

export interface GradientScale {
  /** log10 of the smallest and largest |grad| the scale shows, whole decades, hi > lo. */
  lo: number;
  hi: number;
}

/**
 * The scale for these grads: whole decades around every non-zero |grad|, always including 1 (the
 * output's own grad); undefined when no grad is non-zero and finite.
 */
export function gradientScale(grads: readonly number[]): GradientScale | undefined {
  let min = Infinity;
  let max = 0;
  for (const grad of grads) {
    const size = Math.abs(grad);
    if (size === 0 || !Number.isFinite(size)) continue;
    if (size < min) min = size;
    if (size > max) max = size;
  }
  if (max === 0) return undefined;
  const lo = Math.floor(Math.log10(Math.min(min, 1)));
  const hi = Math.ceil(Math.log10(Math.max(max, 1)));
  return { lo, hi: hi > lo ? hi : lo + 1 };
}

/** Where |grad| falls on the scale, 0 (smallest) to 1 (largest); null for a grad of 0. */
export function scalePosition(scale: GradientScale, grad: number): number | null {
  const size = Math.abs(grad);
  if (size === 0 || Number.isNaN(size)) return null;
  const t = (Math.log10(size) - scale.lo) / (scale.hi - scale.lo);
  return Math.min(1, Math.max(0, t));
}

/** The palette's colour at `t` (0 to 1), as `rgb(r, g, b)`. */
export function paletteColour(t: number): string {
  const [r, g, b] = paletteRgb(t);
  return `rgb(${r}, ${g}, ${b})`;
}

/** Linear between the palette's points, in sRGB; rounded to whole channel values. */
export function paletteRgb(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [VIRIDIS[i], VIRIDIS[i + 1]];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as [number, number, number];
}

/**
 * Which text colour reads on a fill: dark on the light half of the palette, light on the dark
 * half, by WCAG's relative luminance (black text wins above about 0.18).
 */
export function inkOn(rgb: readonly [number, number, number]): 'dark' | 'light' {
  const linear = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  // Contrast with black (L + 0.05) / 0.05 against white 1.05 / (L + 0.05): equal at L ≈ 0.179.
  return (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? 'dark' : 'light';
}

export interface LegendTick {
  /** Position on the scale, 0 to 1. */
  at: number;
  /** The decade, e.g. `1e-3`, `1`, `1e2`. */
  label: string;
}

/** A tick per decade, thinned to at most `most` ticks (both ends always kept). */
export function legendTicks(scale: GradientScale, most = 6): LegendTick[] {
  const span = scale.hi - scale.lo;
  const every = Math.max(1, Math.ceil(span / Math.max(1, most - 1)));
  const ticks: LegendTick[] = [];
  for (let k = scale.lo; k <= scale.hi; k++) {
    if ((k - scale.lo) % every !== 0 && k !== scale.hi) continue;
    ticks.push({ at: (k - scale.lo) / span, label: decadeLabel(k) });
  }
  return ticks;
}

/** 10^k as the legend writes it: `1e−3`, `1`, `10`, `1e2`. */
export function decadeLabel(k: number): string {
  return k === 0 ? '1' : k === 1 ? '10' : `1e${k < 0 ? '\u2212' : ''}${Math.abs(k)}`;
}
