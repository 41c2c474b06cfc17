/**
 * Latent points to decode into pictures: the 2-D manifold grid, per-dimension traversals, and paths between
 * two codes. Pure functions of numbers (no model), so the CLI and the web explorer draw the same pictures.
 */
import { VaekitError } from '../errors.js';
import { normalQuantile } from '../prob/normalQuantile.js';

/**
 * A `grid`×`grid` lattice on the quantiles of N(0, 1) in each of two latent dimensions (Kingma & Welling
 * 2014, fig. 4): coordinate k is Φ⁻¹((k + ½) / grid), so equal areas of prior mass get equal space.
 * Rows run from high z₂ (top) to low z₂ and columns from low z₁ (left) to high z₁, as on a plot.
 *
 * @returns [grid·grid, 2] row-major, picture rows top to bottom
 * @example
 * const z = manifoldLatents(20); // 400 codes → decode → rowsGrid of 20 rows
 */
export function manifoldLatents(grid: number): Float32Array {
  checkCount('manifoldLatents: grid', grid, 1);
  const q = Array.from({ length: grid }, (_, k) => normalQuantile((k + 0.5) / grid));
  const z = new Float32Array(grid * grid * 2);
  for (let r = 0; r < grid; r++) {
    for (let c = 0; c < grid; c++) {
      z[(r * grid + c) * 2] = q[c];
      z[(r * grid + c) * 2 + 1] = q[grid - 1 - r];
    }
  }
  return z;
}

/**
 * One row per dimension in `dims`: that coordinate swept evenly over [−range, range] in `steps` points,
 * every other coordinate 0 (the prior mean).
 *
 * @returns [dims.length · steps, latentDim], row r = dims[r]'s sweep
 * @example
 * const z = traversalLatents(10, [0, 1, 2], 11, 3); // 33 codes, z_d ∈ {−3, −2.4, …, 3}
 */
export function traversalLatents(latentDim: number, dims: readonly number[], steps: number, range: number): Float32Array {
  checkCount('traversalLatents: latentDim', latentDim, 1);
  checkCount('traversalLatents: steps', steps, 2);
  if (!(range > 0 && Number.isFinite(range))) throw new VaekitError(`traversal range must be a positive number, got ${range}`, 'E_ARG');
  const z = new Float32Array(dims.length * steps * latentDim);
  dims.forEach((d, r) => {
    if (!Number.isInteger(d) || d < 0 || d >= latentDim) {
      throw new VaekitError(`latent dimension ${d} does not exist: the model has ${latentDim} (valid: 0..${latentDim - 1})`, 'E_ARG');
    }
    for (let s = 0; s < steps; s++) z[(r * steps + s) * latentDim + d] = -range + (2 * range * s) / (steps - 1);
  });
  return z;
}

/**
 * `steps` codes from `a` to `b` (both included): straight-line, or spherical (slerp, Shoemake 1985), which
 * keeps the norm of high-dimensional Gaussian codes from sagging towards the origin midway. Slerp falls
 * back to the straight line when a and b are (anti)parallel or zero, where its great circle is undefined.
 *
 * @returns [steps, L]
 * @example
 * const z = interpolateLatents(muA, muB, 10, { spherical: true });
 */
export function interpolateLatents(a: Float32Array, b: Float32Array, steps: number, opts: { spherical?: boolean } = {}): Float32Array {
  if (a.length !== b.length || a.length === 0) throw new VaekitError(`interpolateLatents: codes have ${a.length} and ${b.length} values; give two codes of one latent size`, 'E_SHAPE');
  checkCount('interpolateLatents: steps', steps, 2);
  const L = a.length;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < L; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  const theta = Math.acos(Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb))));
  const spherical = opts.spherical === true && Number.isFinite(theta) && Math.sin(theta) > 1e-6;
  const z = new Float32Array(steps * L);
  for (let s = 0; s < steps; s++) {
    const t = s / (steps - 1);
    // weights of a and b: sin((1−t)θ)/sin θ and sin(tθ)/sin θ on the great circle, 1−t and t on the line
    const wa = spherical ? Math.sin((1 - t) * theta) / Math.sin(theta) : 1 - t;
    const wb = spherical ? Math.sin(t * theta) / Math.sin(theta) : t;
    for (let i = 0; i < L; i++) z[s * L + i] = wa * a[i] + wb * b[i];
  }
  return z;
}

function checkCount(what: string, n: number, min: number): void {
  if (!Number.isInteger(n) || n < min) throw new VaekitError(`${what} must be an integer ≥ ${min}, got ${n}`, 'E_ARG');
}
