// The small plot of a traced site's value over its executions (a loss curve, for a training loop),
// as an SVG image in a data: URI that a hover's Markdown shows with `![…](…)`. Pure: no DOM, no
// Node globals (the hover builders run in VS Code for the Web too). No user text goes into the
// image: only numbers this file formats.

export interface HistoryPlotOptions {
  /** Every `stride`-th execution is in `history` (the tracer downsampled past its limit). */
  stride: number;
  precision: number;
}

const WIDTH = 260;
const HEIGHT = 80;
/** Room for the axis labels: the max and min on the left, the first and last run below. */
const LEFT = 52;
const RIGHT = 6;
const TOP = 8;
const BOTTOM = 18;
/** Readable on light and dark themes alike (an image cannot use the theme's colours). */
const LINE_COLOUR = '#3794ff';
const TEXT_COLOUR = '#8a8a8a';
const GRID_COLOUR = '#8a8a8a';

/**
 * The SVG text of the plot, or undefined when there is nothing to draw (fewer than two executions,
 * or fewer than one finite value). A null (a value that was not a number) leaves a gap.
 */
export function historySvg(history: ReadonlyArray<number | null>, options: HistoryPlotOptions): string | undefined {
  if (history.length < 2) return undefined;
  const finite = history.filter((value): value is number => value !== null && Number.isFinite(value));
  if (finite.length === 0) return undefined;
  let min = finite[0];
  let max = finite[0];
  for (const value of finite) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const span = max - min;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (index: number) => LEFT + (index / (history.length - 1)) * plotWidth;
  // A constant value draws a flat line through the middle.
  const y = (value: number) => (span === 0 ? TOP + plotHeight / 2 : TOP + ((max - value) / span) * plotHeight);
  const segments: string[][] = [];
  let current: string[] = [];
  history.forEach((value, index) => {
    if (value === null || !Number.isFinite(value)) {
      if (current.length > 0) segments.push(current);
      current = [];
      return;
    }
    current.push(`${round(x(index))},${round(y(value))}`);
  });
  if (current.length > 0) segments.push(current);
  const lines = segments.map((points) =>
    points.length === 1
      ? `<circle cx="${points[0].split(',')[0]}" cy="${points[0].split(',')[1]}" r="1.5" fill="${LINE_COLOUR}"/>`
      : `<polyline points="${points.join(' ')}" fill="none" stroke="${LINE_COLOUR}" stroke-width="1.5" stroke-linejoin="round"/>`,
  );
  const lastRun = (history.length - 1) * Math.max(1, Math.floor(options.stride)) + 1;
  const label = (text: string, lx: number, ly: number, anchor: 'start' | 'end') =>
    `<text x="${lx}" y="${ly}" font-family="sans-serif" font-size="10" fill="${TEXT_COLOUR}" text-anchor="${anchor}">${text}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">`,
    `<line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${TOP + plotHeight}" stroke="${GRID_COLOUR}" stroke-width="0.5"/>`,
    `<line x1="${LEFT}" y1="${TOP + plotHeight}" x2="${WIDTH - RIGHT}" y2="${TOP + plotHeight}" stroke="${GRID_COLOUR}" stroke-width="0.5"/>`,
    label(axisNumber(max, options.precision), LEFT - 4, TOP + 8, 'end'),
    label(axisNumber(min, options.precision), LEFT - 4, TOP + plotHeight, 'end'),
    label('run 1', LEFT, HEIGHT - 4, 'start'),
    label(`run ${lastRun}`, WIDTH - RIGHT, HEIGHT - 4, 'end'),
    ...lines,
    '</svg>',
  ].join('');
}

/** The plot as a data: URI for Markdown's image syntax (base64: no character of it needs escaping there). */
export function historyDataUri(history: ReadonlyArray<number | null>, options: HistoryPlotOptions): string | undefined {
  const svg = historySvg(history, options);
  return svg === undefined ? undefined : `data:image/svg+xml;base64,${base64(svg)}`;
}

/** Base64 of ASCII text, by hand: `btoa` and `Buffer` are not both everywhere this runs. */
function base64(ascii: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < ascii.length; i += 3) {
    const a = ascii.charCodeAt(i) & 0xff;
    const b = i + 1 < ascii.length ? ascii.charCodeAt(i + 1) & 0xff : 0;
    const c = i + 2 < ascii.length ? ascii.charCodeAt(i + 2) & 0xff : 0;
    const bits = (a << 16) | (b << 8) | c;
    out += alphabet[(bits >> 18) & 63] + alphabet[(bits >> 12) & 63];
    out += i + 1 < ascii.length ? alphabet[(bits >> 6) & 63] : '=';
    out += i + 2 < ascii.length ? alphabet[bits & 63] : '=';
  }
  return out;
}

/** A compact axis label, ASCII only (the SVG is base64 of ASCII): 0.0532, -1.25, 1.2e+6. */
function axisNumber(value: number, precision: number): string {
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e5 || abs < 1e-3)) return value.toExponential(2);
  return Number(value.toFixed(Math.min(Math.max(precision, 0), 4))).toString();
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
