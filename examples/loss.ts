// A squared-error loss for one sample of a single tanh neuron. The inputs are function
// parameters, so the annotation gives them values: `// @grad name=value, …`.

export function neuronLoss(x1: number, x2: number, w1: number, w2: number, b: number, target: number): number {
  const n = x1 * w1 + x2 * w2 + b;
  const out = Math.tanh(n);
  const diff = out - target;
  return diff ** 2; // @grad x1=2, x2=0, w1=-3, w2=1, b=6.8813735870195432, target=1
}

/** Binary cross-entropy of a sigmoid, written with exp and log. */
export function logisticLoss(z: number, y: number): number {
  const p = 1 / (1 + Math.exp(-z));
  /* @grad z=0.5 y=1 */
  const loss = -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
  return loss;
}

/** L2 regularisation accumulated with +=, each line reading the previous total. */
export function l2(w1: number, w2: number, lambda: number): number {
  let total = 0;
  total += w1 ** 2;
  total += w2 ** 2;
  return lambda * total; // @grad w1=-3 w2=1 lambda=0.01
}
