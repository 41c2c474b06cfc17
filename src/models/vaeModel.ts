import { VaekitError } from '../errors.js';
import { sizeOf } from '../graph/dtype.js';
import { Graph, type Tensor } from '../graph/tensor.js';
import { bindScope, type Scope } from '../nn/scope.js';
import { type CompiledGraph, type Engine } from '../runtime/engine.js';
import { type Prng } from '../random/prng.js';
import { batched } from './batched.js';
import { asVae, elboTerms, type ParamTensors, type Vae } from './vae.js';
import { type VaeConfig } from './vaeConfig.js';

/** Rows per inference call; the last chunk is zero-padded (static shapes, one compiled graph). */
export const INFER_BATCH = 500;

/** Labels of a conditional model: one class for every row, or one per row. */
export type Labels = number | ArrayLike<number>;

type Builder = (p: ParamTensors, g: Graph, s: Scope, cond: Tensor | undefined) => Record<string, Tensor>;

/**
 * One-hot rows [n, classes] for `labels` (a class for all rows, or one per row).
 *
 * @example
 * oneHot(3, 10, 2) // two rows with a 1 in column 3
 */
export function oneHot(labels: Labels, classes: number, n: number): Float32Array {
  const out = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) {
    const l = typeof labels === 'number' ? labels : labels[i];
    if (!Number.isInteger(l) || l < 0 || l >= classes) throw new VaekitError(`label ${l} is not a class of this model (0 … ${classes - 1})`, 'E_ARG');
    out[i * classes + l] = 1;
  }
  return out;
}

/**
 * A trained VAE ready for inference: encode, decode, sample, reconstruct and per-example ELBO terms, each a
 * graph compiled once (lazily) and run in chunks of {@link INFER_BATCH}. Parameters (and buffers) are fed on
 * each call, so `params` can be swapped (e.g. during training) without recompiling. Conditional models take
 * `labels`; using one without labels is an error that says so.
 *
 * @example
 * const vae = new VaeModel(engine, cfg, params);
 * const { mu } = await vae.encode(images);
 * const imgs = await vae.sample(64, new Prng(1));
 */
export class VaeModel {
  private graphs = new Map<string, Promise<CompiledGraph>>();
  readonly vae: Vae;

  constructor(
    readonly engine: Engine,
    model: VaeConfig | Vae,
    public params: Record<string, Float32Array>,
  ) {
    this.vae = asVae(model);
  }

  get config(): VaeConfig {
    return this.vae.config;
  }

  get latentDim(): number {
    return this.vae.config.latentDim;
  }

  /** Values per example, D. */
  get dataDim(): number {
    return sizeOf(this.vae.config.dataShape);
  }

  /** q(z|x) for n = x.length / D rows: μ and log σ², each [n, L]. */
  async encode(x: Float32Array, opts: { labels?: Labels } = {}): Promise<{ mu: Float32Array; logvar: Float32Array }> {
    const L = this.latentDim;
    const build: Builder = (_p, g, s, cond) => ({ ...this.vae.def.encode(s, g.input('x', [INFER_BATCH, ...this.config.dataShape]), cond) });
    const r = await this.run('encode', build, { x: [x, this.dataDim] }, { mu: L, logvar: L }, opts.labels);
    return { mu: r.mu, logvar: r.logvar };
  }

  /** E[x|z] for latent rows z [n, L] → [n, D] (pixel means: σ(logits) for Bernoulli). */
  async decode(z: Float32Array, opts: { labels?: Labels } = {}): Promise<Float32Array> {
    const L = this.latentDim;
    const build: Builder = (_p, g, s, cond) => ({ mean: this.vae.def.decode(s, g.input('z', [INFER_BATCH, L]), cond).mean });
    return (await this.run('decode', build, { z: [z, L] }, { mean: this.dataDim }, opts.labels)).mean;
  }

  /** Decoded prior samples: z ~ N(0, I) from `rng`, [n, D]. */
  async sample(n: number, rng: Prng, opts: { labels?: Labels } = {}): Promise<Float32Array> {
    return this.decode(rng.normals(new Float32Array(n * this.latentDim)), opts);
  }

  /** Decoded posterior means: x → μ(x) → E[x|z=μ], [n, D]. */
  async reconstruct(x: Float32Array, opts: { labels?: Labels } = {}): Promise<Float32Array> {
    return this.decode((await this.encode(x, opts)).mu, opts);
  }

  /** Per-example single-sample ELBO terms (nats) with noise from `rng`: recon = −log p(x|z), kl. */
  async elboTerms(x: Float32Array, rng: Prng, opts: { labels?: Labels; mask?: Float32Array } = {}): Promise<{ recon: Float32Array; kl: Float32Array }> {
    const D = this.dataDim;
    const L = this.latentDim;
    const n = x.length / D;
    const eps = rng.normals(new Float32Array(n * L));
    const shape = this.config.dataShape;
    const { mask } = opts;
    const build: Builder = (p, g, _s, cond) => ({
      ...elboTerms(this.vae, p, g.input('x', [INFER_BATCH, ...shape]), g.input('eps', [INFER_BATCH, L]), cond, mask && g.input('mask', [INFER_BATCH, D])),
    });
    const inputs: Record<string, [Float32Array, number]> = { x: [x, D], eps: [eps, L] };
    if (mask) inputs.mask = [mask, D];
    const r = await this.run(mask ? 'elbo-masked' : 'elbo', build, inputs, { recon: 1, kl: 1 }, opts.labels);
    return { recon: r.recon, kl: r.kl };
  }

  /**
   * Compiles (once per key) and runs an inference graph over rows. Parameters and buffers become graph inputs
   * so the same session serves new weights; a conditional model gets a one-hot `cond` input from `labels`.
   */
  async run(
    key: string,
    build: Builder,
    inputs: Record<string, [Float32Array, number]>,
    outputs: Record<string, number>,
    labels?: Labels,
  ): Promise<Record<string, Float32Array>> {
    const K = this.config.classes;
    const n = Object.values(inputs)[0][0].length / Object.values(inputs)[0][1];
    if (K > 0 && labels === undefined) throw new VaekitError(`this is a conditional model (${K} classes): give a label (e.g. --label 3)`, 'E_ARG');
    if (K === 0 && labels !== undefined) throw new VaekitError('this model is not conditional: it takes no label', 'E_ARG');
    let cg = this.graphs.get(key);
    if (!cg) {
      const g = new Graph();
      const p = Object.fromEntries(Object.entries(this.vae.specs).map(([k, s]) => [k, g.input(k, s.shape)]));
      const cond = K > 0 ? g.input('cond', [INFER_BATCH, K]) : undefined;
      cg = this.engine.compile(g, build(p, g, bindScope(p, false).scope, cond), key);
      this.graphs.set(key, cg);
    }
    const compiled = await cg;
    const all = K > 0 ? { ...inputs, cond: [oneHot(labels!, K, n), K] as [Float32Array, number] } : inputs;
    return batched(n, INFER_BATCH, all, outputs, (feeds) => compiled.run({ ...this.params, ...feeds }));
  }
}
