/**
 * One call for a model's test-set report: single-sample −ELBO with its recon/KL split, optional
 * importance-sampled NLL, bits per dimension and active units; plus the per-example scores behind them
 * (e.g. out-of-distribution AUC with `rocAuc` from ./auc.ts).
 */
import { VaekitError } from '../errors.js';
import { type Labels, type VaeModel } from '../models/vaeModel.js';
import { type Prng } from '../random/prng.js';
import { elboMeans } from './elboMeans.js';
import { activeUnits } from './activeUnits.js';
import { importanceSampledNll } from './importanceSampling.js';

/** Options of {@link evaluate} and {@link scoreExamples}. */
export interface EvaluateOptions {
  /** Noise for the ELBO's ε, then for the importance samples. */
  rng: Prng;
  /** Importance samples per example for IS-NLL (e.g. 5000); left out, IS-NLL is skipped. */
  k?: number;
  /** Samples per IS graph call, see {@link importanceSampledNll}. */
  chunk?: number;
  /** IS progress: importance weights evaluated so far and in all. */
  onProgress?(done: number, total: number): void;
  /** A conditional model's labels: one class for all images, or one per image. */
  labels?: Labels;
  /** Missing values (tables): 1 observed, 0 missing, [n, D]; missing cells are left out of the likelihood. */
  mask?: Float32Array;
}

/** A model's scores on a set of images; losses in nats per example (sum over pixels, mean over examples). */
export interface Evaluation {
  /** Single-sample −ELBO = recon + kl. */
  negElbo: number;
  /** −log p(x|z) with one z ~ q(z|x). */
  recon: number;
  /** KL(q(z|x) ‖ N(0, I)), closed form. */
  kl: number;
  /**
   * (nll when k was given, else negElbo) / (D · ln 2): bits per pixel. A density for Gaussian likelihoods
   * (can be negative; not comparable to discrete bits/dim), a cross-entropy for Bernoulli on grey pixels.
   */
  bitsPerDim: number;
  /** Which loss `bitsPerDim` was computed from. */
  bitsPerDimOf: 'nll' | 'negElbo';
  /** Number of images n. */
  examples: number;
  /** Latent units with Var_x(μ_i(x)) > 0.01 (Burda et al. 2016), from the same images. */
  activeUnits: number;
  /** IS-NLL with k samples (= −IWAE-k bound), when k was given. */
  nll?: number;
  /** Standard error of `nll` over examples. */
  nllStdErr?: number;
  /** The k used for `nll`. */
  k?: number;
}

/** Per-example scores of {@link scoreExamples}, in nats; higher = less likely under the model. */
export interface ExampleScores {
  /** Single-sample −ELBO per example [n]. */
  negElbo: Float32Array;
  /** IS-NLL per example [n], when k was given. */
  nll?: Float64Array;
}

/**
 * Evaluates a model on images [n, D]. Uses `rng` in the same order as {@link scoreExamples}, so with equal
 * seeds its means are the means of those per-example scores.
 *
 * @throws VaekitError if images is not [n, D] with n ≥ 1 (and as {@link importanceSampledNll} for k)
 * @example
 * const r = await evaluate(model, test.images, { rng: new Prng(1), k: 5000 });
 * console.log(`−ELBO ${r.negElbo.toFixed(2)}, IS-NLL (K=${r.k}) ${r.nll!.toFixed(2)} ± ${r.nllStdErr!.toFixed(2)} nats`);
 */
export async function evaluate(model: VaeModel, images: Float32Array, opts: EvaluateOptions): Promise<Evaluation> {
  const n = rowsOf(model, images, 'evaluate');
  const { recon, kl, is } = await score(model, images, opts);
  // the same means the trainer logs, so `vaekit eval` repeats a run's test −ELBO exactly
  const elbo = elboMeans(recon, kl);
  const { mu } = await model.encode(images, { labels: opts.labels });
  const loss = is ? is.mean : elbo.negElbo;
  return {
    ...elbo,
    bitsPerDim: loss / (model.dataDim * Math.LN2),
    bitsPerDimOf: is ? 'nll' : 'negElbo',
    examples: n,
    activeUnits: activeUnits(mu, n, model.latentDim).count,
    ...(is && { nll: is.mean, nllStdErr: is.stdErr, k: is.k }),
  };
}

/**
 * Per-example −ELBO (and IS-NLL with k samples) of images [n, D], e.g. as anomaly scores.
 *
 * @example
 * const { negElbo } = await scoreExamples(model, [...inDist, ...ood], { rng: new Prng(1) });
 * rocAuc(negElbo, isOod);
 */
export async function scoreExamples(model: VaeModel, images: Float32Array, opts: EvaluateOptions): Promise<ExampleScores> {
  rowsOf(model, images, 'scoreExamples');
  const { recon, kl, is } = await score(model, images, opts);
  const negElbo = recon.map((v, i) => v + kl[i]);
  return is ? { negElbo, nll: is.nll } : { negElbo };
}

/** ELBO terms, then IS-NLL: the one order both entry points draw noise in. */
async function score(model: VaeModel, images: Float32Array, opts: EvaluateOptions) {
  if (opts.mask && opts.k !== undefined) {
    throw new VaekitError('importance sampling (--iw) over data with missing values is not supported; score with the −ELBO (leave out --iw)', 'E_ARG');
  }
  const { recon, kl } = await model.elboTerms(images, opts.rng, { labels: opts.labels, mask: opts.mask });
  const is =
    opts.k === undefined ? undefined : await importanceSampledNll(model, images, { k: opts.k, rng: opts.rng, chunk: opts.chunk, onProgress: opts.onProgress, labels: opts.labels });
  return { recon, kl, is };
}

function rowsOf(model: VaeModel, images: Float32Array, fn: string): number {
  const D = model.dataDim;
  if (images.length === 0 || images.length % D !== 0) {
    throw new VaekitError(`${fn}: images must be [n, ${D}] with n ≥ 1, got ${images.length} values; flatten each image to ${D} pixels`, 'E_SHAPE');
  }
  return images.length / D;
}
