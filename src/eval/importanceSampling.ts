/**
 * Importance-sampled negative log-likelihood (IS-NLL) of a trained VAE, the standard way to report a VAE's
 * test likelihood (Burda et al. 2016, "Importance Weighted Autoencoders", §5; Rezende et al. 2014):
 *
 *   log p(x) ≈ log (1/K) Σ_k w_k,   log w_k = log p(x|z_k) + log p(z_k) − log q(z_k|x),   z_k ~ q(z|x).
 *
 * The mean of the w_k is an unbiased estimate of p(x) for any proposal q with enough support, so its log is
 * a stochastic lower bound that tightens monotonically (in expectation) as K grows and reaches log p(x) as
 * K → ∞; a proposal closer to the true posterior only lowers the variance. This number is also exactly the
 * IWAE-K bound L_K evaluated with K samples — IS-NLL and "−IWAE bound" are the same estimate, so a
 * report should name it once, with its K ("IS-NLL, K = 5000").
 *
 * How it runs: one graph (compiled once per chunk size C) takes x [B, D] and noise ε [B, C, L] and returns
 * log Σ_c w_c over the chunk's C samples for each row; the K samples are covered in ⌈K/C⌉ chunks, folded
 * together in JavaScript with a float64 running log-sum-exp. B is {@link INFER_BATCH} (the last row block
 * is zero-padded by {@link VaeModel.run}), and C defaults to the largest chunk whose widest activation
 * [B·C, max(D, hidden…)] stays within 2^22 floats (16 MiB), so K = 5000 on 10,000 images needs no more
 * memory than K = 1. Why 16 MiB: ORT keeps several activations of that size alive (the expanded x, the
 * logits and the elementwise terms of log p(x|z)); for 784-400-20 on the 2-core dev machine, C = 10, 21 and
 * 42 cost the same CPU time per sample (12.5–15 cpu-µs) while peak RSS above a C = 1 run grew from
 * ≈ 30–150 MiB (C = 10) to ≈ 230–550 MiB (C = 42); a call of 500·10 = 5000 decoder rows is already large.
 */
import { VaekitError } from '../errors.js';
import { add, expand, logsumexp, mul, reshape, sub, sum } from '../graph/ops/index.js';
import { type Graph, type Tensor } from '../graph/tensor.js';
import { bindScope } from '../nn/scope.js';
import { activationSizes } from '../models/activationSizes.js';
import { reparameterize } from '../models/objective.js';
import { asVae, type ParamTensors, type Vae } from '../models/vae.js';
import { dataDim, type VaeConfig } from '../models/vaeConfig.js';
import { INFER_BATCH, type Labels, type VaeModel } from '../models/vaeModel.js';
import { standardNormalLogProb } from '../prob/logDensity.js';
import { type Prng } from '../random/prng.js';

/** Floats the widest per-chunk activation may hold: 2^22 float32 = 16 MiB (see the module comment). */
const CHUNK_FLOAT_BUDGET = 1 << 22;

/** Options of {@link importanceSampledNll}. */
export interface ImportanceSamplingOptions {
  /** Importance samples per example (K ≥ 1); 5000 is the usual figure for reported test likelihoods. */
  k: number;
  /** Source of the noise ε; the same seed gives the same estimate. */
  rng: Prng;
  /** Samples per graph call (C); defaults to {@link defaultChunk}. Changes speed and memory, not the estimate's law. */
  chunk?: number;
  /** Called after every graph call with importance weights evaluated so far and in all (n·K). */
  onProgress?(done: number, total: number): void;
}

/** Result of {@link importanceSampledNll}, in nats. */
export interface ImportanceSampledNll {
  /** −log p̂(x) per example [n], nats (sum over the D dimensions). */
  nll: Float64Array;
  /** Mean of `nll` over the examples: nats per example. */
  mean: number;
  /** Standard error of `mean`: sample std of `nll` over examples / √n (NaN for one example). */
  stdErr: number;
  /** K, the importance samples per example. */
  k: number;
}

/**
 * Log importance weights log w = log p(x|z) + log p(z) − log q(z|x) for C samples z = μ + σ·ε per row:
 * x [B, ...dataShape], eps [B, C, L] (one-hot cond [B, K] for a conditional model) → [B, C]. Also the summand of the IWAE bound (logsumexp over C − log C).
 *
 * log q(z|x) is computed from ε directly: log N(μ + σε; μ, σ²) = log N(ε; 0, I) − ½ Σ log σ², which is
 * exact where (z − μ)/σ would round.
 *
 * @example
 * const logw = logImportanceWeights(vae, p, g.input('x', [500, 1, 28, 28]), g.input('eps', [500, 40, 20])); // [500, 40]
 */
export function logImportanceWeights(vae: Vae, p: ParamTensors, x: Tensor, eps: Tensor, cond?: Tensor): Tensor {
  const cfg = vae.config;
  const [B, C, L] = eps.shape;
  const D = dataDim(cfg);
  if (eps.rank !== 3 || x.shape[0] !== B || x.size !== B * D || L !== cfg.latentDim) {
    throw new VaekitError(
      `logImportanceWeights: need x [B, ${cfg.dataShape}] and eps [B, C, ${cfg.latentDim}] with the same B, got x [${x.shape}] and eps [${eps.shape}]`,
      'E_SHAPE',
    );
  }
  const { scope } = bindScope(p, false);
  const { mu, logvar } = vae.def.encode(scope, x, cond); // [B, L] each
  const z = reparameterize(reshape(mu, [B, 1, L]), reshape(logvar, [B, 1, L]), eps); // [B, C, L]
  const logQ = sub(standardNormalLogProb(eps), mul(sum(logvar, -1, true), 0.5)); // [B, C] − [B, 1]
  const logPz = standardNormalLogProb(z); // [B, C]
  // The dense layers take 2-D input: decode all B·C samples as rows, each against its own row of x.
  const rows = (t: Tensor, w: number) => reshape(expand(reshape(t, [B, 1, w]), [B, C, w]), [B * C, w]); // [B, w] → [B·C, w]
  const lik = vae.def.decode(scope, reshape(z, [B * C, L]), cond && rows(cond, cond.shape[1]));
  const logPx = reshape(lik.logProb(rows(x, D)), [B, C]); // [B, C]
  return sub(add(logPx, logPz), logQ);
}

/**
 * Default samples per chunk C for K samples: as many as fit the 64 MiB activation budget with
 * {@link INFER_BATCH} rows, then evened out over the ⌈K/C⌉ chunks so the last one wastes little.
 *
 * @example
 * defaultChunk(makeVae(parseVaeConfig({})), 5000); // 10: 500 chunks of [500·10, 784]
 * defaultChunk(makeVae(parseVaeConfig({})), 25); // 9: 3 chunks, 2 masked samples in the last
 */
export function defaultChunk(m: VaeConfig | Vae, k: number): number {
  const width = activationSizes(asVae(m)).widest;
  const fit = Math.max(1, Math.min(k, Math.floor(CHUNK_FLOAT_BUDGET / (INFER_BATCH * width))));
  return Math.ceil(k / Math.ceil(k / fit));
}

/**
 * Importance-sampled −log p(x) per example with K samples from the encoder's q(z|x) — equivalently the
 * negated IWAE-K bound. Memory does not grow with K (see the module comment).
 *
 * @throws VaekitError if k or chunk is not a positive integer, or images is not [n, D] with n ≥ 1
 * @example
 * const r = await importanceSampledNll(model, test.images, { k: 5000, rng: new Prng(1) });
 * console.log(`IS-NLL (K=${r.k}): ${r.mean.toFixed(2)} ± ${r.stdErr.toFixed(2)} nats`);
 */
export async function importanceSampledNll(model: VaeModel, images: Float32Array, opts: ImportanceSamplingOptions & { labels?: Labels }): Promise<ImportanceSampledNll> {
  const { k, rng } = opts;
  const D = model.dataDim;
  const L = model.latentDim;
  if (!Number.isInteger(k) || k < 1) throw new VaekitError(`importanceSampledNll: k must be a positive integer (e.g. 5000), got ${k}`, 'E_CONFIG');
  if (opts.chunk !== undefined && (!Number.isInteger(opts.chunk) || opts.chunk < 1)) {
    throw new VaekitError(`importanceSampledNll: chunk must be a positive integer or left out, got ${opts.chunk}`, 'E_CONFIG');
  }
  if (images.length === 0 || images.length % D !== 0) {
    throw new VaekitError(`importanceSampledNll: images must be [n, ${D}] with n ≥ 1, got ${images.length} values; flatten each image to ${D} pixels`, 'E_SHAPE');
  }
  const n = images.length / D;
  const C = Math.min(k, opts.chunk ?? defaultChunk(model.vae, k));
  const B = INFER_BATCH;
  const build = (p: ParamTensors, g: Graph, _s: unknown, cond: Tensor | undefined) => {
    const logw = logImportanceWeights(model.vae, p, g.input('x', [B, ...model.config.dataShape]), g.input('eps', [B, C, L]), cond);
    // logMask is 0 for a real sample and −∞ for the unused tail of the last chunk (K not a multiple of C)
    return { lse: logsumexp(add(logw, g.input('logMask', [B, C])), 1) }; // [B]
  };
  const eps = new Float32Array(B * C * L);
  const mask = new Float32Array(B * C);
  const logSum = new Float64Array(n).fill(-Infinity); // running log Σ_k w_k per example
  let done = 0;
  // Row blocks outer, sample chunks inner: each block's running sums finish before the next block starts.
  for (let s = 0; s < n; s += B) {
    const m = Math.min(B, n - s);
    for (let j = 0; j < k; j += C) {
      const c = Math.min(C, k - j);
      drawChunk(rng, eps, mask, m, C, c, L);
      const r = await model.run(
        `isNll:${C}`,
        build,
        { x: [images.subarray(s * D, (s + m) * D), D], eps: [eps.subarray(0, m * C * L), C * L], logMask: [mask.subarray(0, m * C), C] },
        { lse: 1 },
        typeof opts.labels === 'number' || opts.labels === undefined ? opts.labels : Array.from(opts.labels).slice(s, s + m),
      );
      for (let i = 0; i < m; i++) logSum[s + i] = logAddExp(logSum[s + i], r.lse[i]);
      done += m * c;
      opts.onProgress?.(done, n * k);
    }
  }
  const nll = logSum.map((v) => Math.log(k) - v); // −(log Σ w − log K)
  return { nll, ...meanAndStdErr(nll), k };
}

/** Fills ε [m, C, L] with c fresh samples per row (zeros after) and the matching 0 / −∞ mask [m, C]. */
function drawChunk(rng: Prng, eps: Float32Array, mask: Float32Array, m: number, C: number, c: number, L: number): void {
  if (c === C) {
    rng.normals(eps.subarray(0, m * C * L));
    mask.fill(0);
    return;
  }
  eps.fill(0);
  for (let i = 0; i < m; i++) {
    rng.normals(eps.subarray(i * C * L, (i * C + c) * L));
    mask.fill(0, i * C, i * C + c);
    mask.fill(-Infinity, i * C + c, (i + 1) * C);
  }
}

/** log(eᵃ + eᵇ) in float64 without overflow; −∞ is the identity. */
function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** Mean and standard error (sample std / √n) in float64. */
function meanAndStdErr(v: Float64Array): { mean: number; stdErr: number } {
  const n = v.length;
  let mean = 0;
  for (const x of v) mean += x;
  mean /= n;
  let ss = 0;
  for (const x of v) ss += (x - mean) ** 2;
  return { mean, stdErr: n > 1 ? Math.sqrt(ss / (n - 1) / n) : NaN };
}
