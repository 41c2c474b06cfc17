// Multinomial logistic regression in float64 by full-batch gradient descent: the train-on-synthetic,
// test-on-real classifier of bench/tabular.ts (small, deterministic, no dependency).

/** Features [n, f] row-major and class indices [n]. */
export interface Labeled {
  n: number;
  f: number;
  features: Float64Array;
  labels: Int32Array;
}

/** Fits W [f+1, k] (last row: bias) minimizing mean cross-entropy + ½·l2·‖W‖²; returns a predictor. */
export function fitSoftmaxRegression(d: Labeled, k: number, opts: { iters?: number; lr?: number; l2?: number } = {}): (x: Float64Array) => number {
  const { iters = 500, lr = 0.5, l2 = 1e-3 } = opts;
  const f1 = d.f + 1;
  const w = new Float64Array(f1 * k), grad = new Float64Array(f1 * k), p = new Float64Array(k);
  const logits = (x: Float64Array, off: number, out: Float64Array) => {
    for (let c = 0; c < k; c++) {
      let s = w[d.f * k + c];
      for (let j = 0; j < d.f; j++) s += x[off + j] * w[j * k + c];
      out[c] = s;
    }
    const m = Math.max(...out);
    let z = 0;
    for (let c = 0; c < k; c++) z += (out[c] = Math.exp(out[c] - m));
    for (let c = 0; c < k; c++) out[c] /= z;
  };
  for (let it = 0; it < iters; it++) {
    for (let i = 0; i < grad.length; i++) grad[i] = l2 * w[i];
    for (let i = 0; i < d.n; i++) {
      logits(d.features, i * d.f, p);
      p[d.labels[i]] -= 1; // ∂CE/∂logits = p − onehot
      for (let c = 0; c < k; c++) {
        const g = p[c] / d.n;
        for (let j = 0; j < d.f; j++) grad[j * k + c] += g * d.features[i * d.f + j];
        grad[d.f * k + c] += g;
      }
    }
    for (let i = 0; i < w.length; i++) w[i] -= lr * grad[i];
  }
  return (x) => {
    logits(x, 0, p);
    let best = 0;
    for (let c = 1; c < k; c++) if (p[c] > p[best]) best = c;
    return best;
  };
}

/** Fraction of rows the predictor labels correctly. */
export function accuracy(predict: (x: Float64Array) => number, d: Labeled): number {
  let ok = 0;
  for (let i = 0; i < d.n; i++) if (predict(d.features.subarray(i * d.f, (i + 1) * d.f)) === d.labels[i]) ok++;
  return ok / d.n;
}
