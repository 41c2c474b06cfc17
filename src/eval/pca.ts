/**
 * Two-component PCA for latent-space pictures when the latent has more than two dimensions.
 * Sample covariance (1/(n−1), as sklearn's explained_variance_) + cyclic Jacobi eigen-decomposition:
 * exact to rounding, deterministic, no start vector, fine for d up to a few hundred (O(d³) per sweep).
 */
import { VaekitError } from '../errors.js';

export interface Pca2 {
  /** [n, 2] projections of the centred rows on the two components. */
  coords: Float32Array;
  /** Variances along component 1 and 2 (the two largest covariance eigenvalues), descending. */
  explained: [number, number];
  /** explained / total variance (trace of the covariance). */
  explainedRatio: [number, number];
  /** [2, d] unit principal directions, row-major; each signed so its largest-|·| entry is positive. */
  components: Float64Array;
  /** [d] column means subtracted before projecting (to project new points: (x − mean)·componentᵀ). */
  mean: Float64Array;
}

/**
 * Project `n` points of dimension `d` (row-major [n, d]) on their two principal components.
 * With d = 1 the second component and its coordinates are 0.
 *
 * @example
 * const { coords, explainedRatio } = pca2(zMeans, 10000, 32); // coords: [10000, 2]
 * scatterSvg({ x: coords.filter((_, i) => i % 2 === 0), y: coords.filter((_, i) => i % 2 === 1), labels });
 */
export function pca2(x: Float32Array, n: number, d: number): Pca2 {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 2 || d < 1 || x.length !== n * d) {
    throw new VaekitError(
      `pca2: x has ${x.length} values; expected n*d with n ≥ 2 points and d ≥ 1 dimensions, got n=${n}, d=${d}`,
      'E_SHAPE',
    );
  }
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const v = x[i * d + a];
      if (!Number.isFinite(v)) throw new VaekitError(`pca2: x[${i}, ${a}] is ${v}; PCA needs finite values`, 'E_DATA');
      mean[a] += v;
    }
  }
  for (let a = 0; a < d; a++) mean[a] /= n;

  // [d, d] sample covariance; upper triangle accumulated, then mirrored
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) row[a] = x[i * d + a] - mean[a];
    for (let a = 0; a < d; a++) {
      const ra = row[a];
      for (let b = a; b < d; b++) cov[a * d + b] += ra * row[b];
    }
  }
  let trace = 0;
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b] /= n - 1;
    trace += cov[a * d + a];
  }

  const { values, vectors } = jacobiEigen(cov, d);
  const byValue = Array.from(values.keys()).sort((i, j) => values[j] - values[i]);
  const components = new Float64Array(2 * d);
  const explained: [number, number] = [0, 0];
  for (let k = 0; k < Math.min(2, d); k++) {
    const col = byValue[k];
    explained[k] = Math.max(0, values[col]); // rounding can give −1e−17 for a zero eigenvalue
    let big = 0; // entry of largest magnitude decides the sign (first one wins ties)
    for (let a = 0; a < d; a++) if (Math.abs(vectors[a * d + col]) > Math.abs(vectors[big * d + col])) big = a;
    const sign = vectors[big * d + col] < 0 ? -1 : 1;
    for (let a = 0; a < d; a++) components[k * d + a] = sign * vectors[a * d + col];
  }

  const coords = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    let c0 = 0;
    let c1 = 0;
    for (let a = 0; a < d; a++) {
      const v = x[i * d + a] - mean[a];
      c0 += v * components[a];
      c1 += v * components[d + a];
    }
    coords[2 * i] = c0;
    coords[2 * i + 1] = c1;
  }
  const ratio = (v: number) => (trace > 0 ? v / trace : 0);
  return { coords, explained, explainedRatio: [ratio(explained[0]), ratio(explained[1])], components, mean };
}

/**
 * Eigen-decomposition of a symmetric [d, d] matrix by cyclic Jacobi rotations (Golub & Van Loan §8.5).
 * `a` is overwritten. Returns eigenvalues (unsorted) and [d, d] eigenvectors as columns.
 */
function jacobiEigen(a: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  let total = 0;
  for (let i = 0; i < d * d; i++) total += a[i] * a[i];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q] ** 2;
    if (off <= 1e-30 * total) break; // off-diagonal mass negligible: diagonal holds the eigenvalues
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (apq === 0) continue;
        // rotation J(p, q, θ) with c, s chosen so that (JᵀAJ)[p, q] = 0; |θ| ≤ π/4 for stability
        const tau = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          // A ← A J (columns p, q)
          const akp = a[k * d + p];
          const akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          // A ← Jᵀ A (rows p, q)
          const apk = a[p * d + k];
          const aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          // V ← V J: columns of V converge to the eigenvectors
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = a[i * d + i];
  return { values, vectors: v };
}
