import { Graph, type Tensor } from '../graph/tensor.js';
import { type CompiledGraph, type Engine } from '../runtime/engine.js';
import { type Prng } from '../random/prng.js';
import { batched } from './batched.js';
import { decode, elboTerms, encode, vaeParamShapes, type ParamTensors } from './vae.js';
import { dataDim, type VaeConfig } from './vaeConfig.js';

/** Rows per inference call; the last chunk is zero-padded (static shapes, one compiled graph). */
export const INFER_BATCH = 500;

type Builder = (p: ParamTensors, g: Graph) => Record<string, Tensor>;

/**
 * A trained VAE ready for inference: encode, decode, sample, reconstruct and per-example ELBO terms, each a
 * graph compiled once (lazily) and run in chunks of {@link INFER_BATCH}. Parameters are fed on each call,
 * so `params` can be swapped (e.g. during training) without recompiling.
 *
 * @example
 * const vae = new VaeModel(engine, cfg, params);
 * const { mu } = await vae.encode(images);
 * const imgs = await vae.sample(64, new Prng(1));
 */
export class VaeModel {
  private graphs = new Map<string, Promise<CompiledGraph>>();

  constructor(
    readonly engine: Engine,
    readonly config: VaeConfig,
    public params: Record<string, Float32Array>,
  ) {}

  get latentDim(): number {
    return this.config.latentDim;
  }

  get dataDim(): number {
    return dataDim(this.config);
  }

  /** q(z|x) for n = images.length / D rows: μ and log σ², each [n, L]. */
  async encode(images: Float32Array): Promise<{ mu: Float32Array; logvar: Float32Array }> {
    const D = this.dataDim;
    const L = this.latentDim;
    const r = await this.run('encode', (p, g) => encode(this.config, p, g.input('x', [INFER_BATCH, D])), { x: [images, D] }, { mu: L, logvar: L });
    return { mu: r.mu, logvar: r.logvar };
  }

  /** E[x|z] for latent rows z [n, L] → [n, D] (pixel means: σ(logits) for Bernoulli). */
  async decode(z: Float32Array): Promise<Float32Array> {
    const L = this.latentDim;
    return (await this.run('decode', (p, g) => ({ mean: decode(this.config, p, g.input('z', [INFER_BATCH, L])).mean }), { z: [z, L] }, { mean: this.dataDim })).mean;
  }

  /** Decoded prior samples: z ~ N(0, I) from `rng`, [n, D]. */
  async sample(n: number, rng: Prng): Promise<Float32Array> {
    return this.decode(rng.normals(new Float32Array(n * this.latentDim)));
  }

  /** Decoded posterior means: x → μ(x) → E[x|z=μ], [n, D]. */
  async reconstruct(images: Float32Array): Promise<Float32Array> {
    return this.decode((await this.encode(images)).mu);
  }

  /** Per-example single-sample ELBO terms (nats) with noise from `rng`: recon = −log p(x|z), kl. */
  async elboTerms(images: Float32Array, rng: Prng): Promise<{ recon: Float32Array; kl: Float32Array }> {
    const D = this.dataDim;
    const L = this.latentDim;
    const n = images.length / D;
    const eps = rng.normals(new Float32Array(n * L));
    const build: Builder = (p, g) => ({ ...elboTerms(this.config, p, g.input('x', [INFER_BATCH, D]), g.input('eps', [INFER_BATCH, L])) });
    const r = await this.run('elbo', build, { x: [images, D], eps: [eps, L] }, { recon: 1, kl: 1 });
    return { recon: r.recon, kl: r.kl };
  }

  /**
   * Compiles (once) and runs an inference graph over rows. Parameters become graph inputs so the same
   * session serves new weights.
   */
  async run(
    key: string,
    build: Builder,
    inputs: Record<string, [Float32Array, number]>,
    outputs: Record<string, number>,
  ): Promise<Record<string, Float32Array>> {
    let cg = this.graphs.get(key);
    if (!cg) {
      const g = new Graph();
      const shapes = vaeParamShapes(this.config);
      const p = Object.fromEntries(Object.keys(shapes).sort().map((k) => [k, g.input(k, shapes[k])]));
      cg = this.engine.compile(g, build(p, g), key);
      this.graphs.set(key, cg);
    }
    const compiled = await cg;
    const n = Object.values(inputs)[0][0].length / Object.values(inputs)[0][1];
    return batched(n, INFER_BATCH, inputs, outputs, (feeds) => compiled.run({ ...this.params, ...feeds }));
  }
}
