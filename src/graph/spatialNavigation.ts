// Keyboard navigation in the drawn graph: from the focused value, an arrow key moves to the
// nearest value in that direction on screen. Pure (positions in, position out), so it runs in
// plain Node for the tests; the webview calls it with the laid-out boxes' centres.
import { formatSigned } from './format';

export type Direction = 'left' | 'right' | 'up' | 'down';

const ARROW_KEYS: Record<string, Direction> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
};

/** The direction of an arrow key (`KeyboardEvent.key`), or undefined for any other key. */
export function arrowDirection(key: string): Direction | undefined {
  return Object.prototype.hasOwnProperty.call(ARROW_KEYS, key) ? ARROW_KEYS[key] : undefined;
}

/**
 * Sideways distance counts this many times the distance along the arrow: in a layered graph,
 * Right should reach the next layer's value in line with this one, not a nearer one far off-axis.
 */
const SIDEWAYS_WEIGHT = 3;

/**
 * The position of the value nearest to `from` in `direction` (screen coordinates: y grows
 * downwards), or undefined when there is none. `centers` is indexed by value position; a value
 * the layout did not place is undefined. Linear in the number of values: one key press on
 * 5,000 values is a few microseconds.
 */
export function nearestInDirection(
  centers: ReadonlyArray<readonly [number, number] | undefined>,
  from: number,
  direction: Direction,
): number | undefined {
  const origin = centers[from];
  if (!origin) return undefined;
  const [ax, ay] = direction === 'left' || direction === 'right' ? [0, 1] : [1, 0];
  const sign = direction === 'right' || direction === 'down' ? 1 : -1;
  let best: number | undefined;
  let bestScore = Infinity;
  centers.forEach((center, position) => {
    if (!center || position === from) return;
    const along = sign * (center[ax] - origin[ax]);
    if (along <= 0.5) return; // not in that direction (or level with it)
    const score = along + SIDEWAYS_WEIGHT * Math.abs(center[ay] - origin[ay]);
    if (score < bestScore) {
      bestScore = score;
      best = position;
    }
  });
  return best;
}

/** What a screen reader says for a value node, e.g. `x1: data 2.0000, grad −1.5000`. */
export function valueAccessibleName(name: string, data: number, grad: number, precision: number): string {
  return `${name}: data ${formatSigned(data, precision)}, grad ${formatSigned(grad, precision)}`;
}
