// The bench workload, defined without randomness so that the Python engine and the tape build
// exactly the same network on exactly the same points: MLP 2-16-16-1, tanh hidden units, linear
// output, squared loss summed over 100 two-dimensional points.
export const LAYER_SIZES = [2, 16, 16, 1] as const;
export const POINT_COUNT = 100;

/** The k-th parameter, in parameters() order (layer, neuron, its weights, then its bias). */
export function parameterValue(k: number): number {
  return 0.8 * Math.sin(1.618 * k + 0.5);
}

export interface Point {
  x: [number, number];
  y: number;
}

/** Points spread over [-2, 2]², labelled by the sign of x0·x1 (an XOR-like pattern). */
export function points(): Point[] {
  return Array.from({ length: POINT_COUNT }, (_, i) => {
    const x0 = 2 * Math.sin(0.7 * i + 0.1);
    const x1 = 2 * Math.cos(1.3 * i + 0.2);
    return { x: [x0, x1], y: x0 * x1 > 0 ? 1 : -1 };
  });
}
