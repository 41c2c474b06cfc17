import { VaekitError } from '../errors.js';
import { decoderGraph, encoderGraph, inferenceSignature, type InferenceGraph, type InferenceSignature } from '../io/inferenceGraphs.js';
import { type SavedModel } from '../io/modelFiles.js';
import { oneHot } from '../models/vaeModel.js';
import { type CompiledGraph, type Engine } from '../runtime/engine.js';

/** Compiled graphs kept per model (each batch size of each graph is one ORT session). */
const MAX_SESSIONS = 8;
/** Largest batch one call runs; longer inputs run in chunks of this size. */
export const WEB_MAX_BATCH = 1000;

type Kind = 'encoder' | 'decoder';

/**
 * A saved model for interactive use: encode and decode at the exact batch size asked for (one example per
 * animation frame runs a batch-1 graph, never a padded batch), with the weights baked into each session so
 * a call feeds only x or z. Sessions are cached per (graph, batch size), the least recently used dropped.
 *
 * @example
 * const m = new WebModel(engine, await loadModelFromUrl('model/'));
 * const img = await m.decode(new Float32Array([0.5, -1])); // one 28×28 image, [784]
 */
export class WebModel {
  readonly signature: InferenceSignature;
  private sessions = new Map<string, Promise<CompiledGraph>>();

  /**
   * `liveWeights`: feed the weights on every call instead of baking them into the sessions, so
   * {@link setParams} can swap them without recompiling (live samples while training).
   */
  constructor(readonly engine: Engine, readonly model: SavedModel, private readonly opts: { liveWeights?: boolean } = {}) {
    this.signature = inferenceSignature(model.meta.model);
  }

  /**
   * The class a conditional model encodes and decodes every row as (its graphs read a one-hot `cond`);
   * must be set for a conditional model, and stay undefined for others.
   */
  label: number | undefined;

  /** New weights (same shapes). Baked sessions are dropped and compiled again on their next use. */
  setParams(params: Record<string, Float32Array>): void {
    this.model.params = params;
    if (!this.opts.liveWeights) void this.release();
  }

  /** q(z|x) for rows x [n, D]: μ and log σ², each [n, L]. */
  async encode(x: Float32Array): Promise<{ mu: Float32Array; logvar: Float32Array }> {
    const r = await this.rows('encoder', x, this.signature.dataSize, { mu: this.signature.latentDim, logvar: this.signature.latentDim });
    return { mu: r.mu, logvar: r.logvar };
  }

  /** E[x|z] for latent rows z [n, L] → [n, D]. */
  async decode(z: Float32Array): Promise<Float32Array> {
    return (await this.rows('decoder', z, this.signature.latentDim, { mean: this.signature.dataSize })).mean;
  }

  /** Decoded posterior means x → E[x | z = μ(x)], [n, D]. */
  async reconstruct(x: Float32Array): Promise<Float32Array> {
    return this.decode((await this.encode(x)).mu);
  }

  /** Frees every session. */
  async release(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map(async (s) => (await s).release()));
  }

  private async rows(kind: Kind, input: Float32Array, size: number, outs: Record<string, number>): Promise<Record<string, Float32Array>> {
    if (input.length % size !== 0) throw new VaekitError(`${kind}: ${input.length} values are not whole rows of ${size}`, 'E_FEED');
    const n = input.length / size;
    const out = Object.fromEntries(Object.entries(outs).map(([k, d]) => [k, new Float32Array(n * d)]));
    for (let s = 0; s < n; s += WEB_MAX_BATCH) {
      const m = Math.min(WEB_MAX_BATCH, n - s);
      const g = await this.session(kind, m);
      const feeds: Record<string, Float32Array> = { [kind === 'encoder' ? 'x' : 'z']: input.subarray(s * size, (s + m) * size) };
      const K = this.signature.classes;
      if (K > 0) {
        if (this.label === undefined) {
          throw new VaekitError(`this is a conditional model (${K} classes): pick a label 0…${K - 1} (got ${this.label})`, 'E_ARG');
        }
        feeds.cond = oneHot(this.label, K, m);
      }
      const all = this.opts.liveWeights ? { ...this.model.params, ...feeds } : feeds;
      const r = await g.run(all); // runs queue in the engine (see webEngine)
      for (const [k, d] of Object.entries(outs)) out[k].set(r[k] as Float32Array, s * d);
    }
    return out;
  }

  private session(kind: Kind, batch: number): Promise<CompiledGraph> {
    const key = `${kind}@${batch}`;
    let s = this.sessions.get(key);
    if (s) {
      this.sessions.delete(key); // re-insert: most recently used last
    } else {
      const cfg = this.model.meta.model;
      const ig: InferenceGraph = kind === 'encoder' ? encoderGraph(cfg, batch) : decoderGraph(cfg, batch);
      const outputs = kind === 'encoder' ? ig.outputs : { mean: ig.outputs.mean };
      s = this.engine.compile(ig.graph, outputs, `${kind}@${batch}`, this.opts.liveWeights ? {} : { initializers: this.model.params });
      s.catch(() => this.sessions.delete(key)); // a failed compile is not cached
      if (this.sessions.size >= MAX_SESSIONS) {
        const [oldKey, old] = this.sessions.entries().next().value as [string, Promise<CompiledGraph>];
        this.sessions.delete(oldKey);
        void old.then((o) => o.release(), () => undefined);
      }
    }
    this.sessions.set(key, s);
    return s;
  }
}
