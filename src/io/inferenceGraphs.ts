// The one place where export and the browser runtime call into a model: "build the encoder graph / the
// decoder graph of a saved model at a batch size". When models change (one contract for MLP, conv and
// conditional models), this file changes and its callers do not.
import { reshape } from '../graph/ops/index.js';
import { Graph, type Tensor } from '../graph/tensor.js';
import { asVae, type Vae } from '../models/vae.js';
import { dataDim, planeShape, type VaeConfig } from '../models/vaeConfig.js';
import { bindScope, type Scope } from '../nn/scope.js';

/** A traced inference graph: parameters are graph inputs named like the weights in weights.safetensors. */
export interface InferenceGraph {
  graph: Graph;
  /** Named outputs, in the order they are written. */
  outputs: Record<string, Tensor>;
  /** The one data input: its name and per-example size. */
  input: { name: string; size: number };
}

/** What a saved model's inference graphs read and write per example. */
export interface InferenceSignature {
  /** Per-example size of the data x (the encoder's input, the decoder's `mean`). */
  dataSize: number;
  latentDim: number;
  /** Image shape [rows, cols] for pictures ([1, D] for table rows). */
  imageShape: [number, number];
  /** One example's shape: [C, H, W] or [D]. */
  dataShape: number[];
  /** Classes of a conditional model (its graphs also read `cond` [B, classes]); 0 if none. */
  classes: number;
}

/**
 * Per-example sizes of a model's inference graphs.
 *
 * @example
 * inferenceSignature(cfg) // { dataSize: 784, latentDim: 20, imageShape: [28, 28] }
 */
export function inferenceSignature(cfg: VaeConfig): InferenceSignature {
  const ds = cfg.dataShape;
  return { dataSize: dataDim(cfg), latentDim: cfg.latentDim, imageShape: planeShape(ds), dataShape: [...ds], classes: cfg.classes };
}

// parameters and buffers as graph inputs (sorted names), an evaluation-mode scope, and `cond` when conditional
function withParams(m: VaeConfig | Vae, batch: number): { g: Graph; s: Scope; vae: Vae; cond?: Tensor } {
  const vae = asVae(m);
  const g = new Graph();
  const p = Object.fromEntries(Object.keys(vae.specs).sort().map((k) => [k, g.input(k, vae.specs[k].shape)]));
  const cond = vae.config.classes > 0 ? g.input('cond', [batch, vae.config.classes]) : undefined;
  return { g, s: bindScope(p, false).scope, vae, cond };
}

/**
 * The encoder q(z|x) at a batch size: x [B, D] → mu, logvar [B, L].
 *
 * @example
 * const { graph, outputs } = encoderGraph(cfg, 1);
 */
export function encoderGraph(m: VaeConfig | Vae, batch: number): InferenceGraph {
  const { g, s, vae, cond } = withParams(m, batch);
  const D = dataDim(vae.config);
  // x arrives flattened, [B, D], and takes the model's example shape inside
  const { mu, logvar } = vae.def.encode(s, reshape(g.input('x', [batch, D]), [batch, ...vae.config.dataShape]), cond);
  return { graph: g, outputs: { mu, logvar }, input: { name: 'x', size: D } };
}

/**
 * The decoder p(x|z) at a batch size: z [B, L] → mean [B, D] (E[x|z]) and the likelihood's parameters
 * (Bernoulli `logits` [B, D]; Gaussian `logvar`).
 *
 * @example
 * const { graph, outputs } = decoderGraph(cfg, 1); // outputs.mean, outputs.logits
 */
export function decoderGraph(m: VaeConfig | Vae, batch: number): InferenceGraph {
  const { g, s, vae, cond } = withParams(m, batch);
  const lik = vae.def.decode(s, g.input('z', [batch, vae.config.latentDim]), cond);
  return { graph: g, outputs: { mean: lik.mean, ...lik.params }, input: { name: 'z', size: vae.config.latentDim } };
}
