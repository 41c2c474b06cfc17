// The one place where export and the browser runtime call into a model: "build the encoder graph / the
// decoder graph of a saved model at a batch size". When models change (one contract for MLP, conv and
// conditional models), this file changes and its callers do not.
import { Graph, type Tensor } from '../graph/tensor.js';
import { decode, encode, vaeParamShapes } from '../models/vae.js';
import { dataDim, type VaeConfig } from '../models/vaeConfig.js';

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
  /** Image shape [rows, cols] for pictures. */
  imageShape: [number, number];
}

/**
 * Per-example sizes of a model's inference graphs.
 *
 * @example
 * inferenceSignature(cfg) // { dataSize: 784, latentDim: 20, imageShape: [28, 28] }
 */
export function inferenceSignature(cfg: VaeConfig): InferenceSignature {
  return { dataSize: dataDim(cfg), latentDim: cfg.latentDim, imageShape: [...cfg.imageShape] };
}

function withParams(cfg: VaeConfig): { g: Graph; p: Record<string, Tensor> } {
  const g = new Graph();
  const shapes = vaeParamShapes(cfg);
  const p = Object.fromEntries(Object.keys(shapes).sort().map((k) => [k, g.input(k, shapes[k])]));
  return { g, p };
}

/**
 * The encoder q(z|x) at a batch size: x [B, D] → mu, logvar [B, L].
 *
 * @example
 * const { graph, outputs } = encoderGraph(cfg, 1);
 */
export function encoderGraph(cfg: VaeConfig, batch: number): InferenceGraph {
  const { g, p } = withParams(cfg);
  const D = dataDim(cfg);
  const { mu, logvar } = encode(cfg, p, g.input('x', [batch, D]));
  return { graph: g, outputs: { mu, logvar }, input: { name: 'x', size: D } };
}

/**
 * The decoder p(x|z) at a batch size: z [B, L] → mean [B, D] (E[x|z]) and the likelihood's parameters
 * (Bernoulli `logits` [B, D]; Gaussian `logvar`).
 *
 * @example
 * const { graph, outputs } = decoderGraph(cfg, 1); // outputs.mean, outputs.logits
 */
export function decoderGraph(cfg: VaeConfig, batch: number): InferenceGraph {
  const { g, p } = withParams(cfg);
  const lik = decode(cfg, p, g.input('z', [batch, cfg.latentDim]));
  return { graph: g, outputs: { mean: lik.mean, ...lik.params }, input: { name: 'z', size: cfg.latentDim } };
}
