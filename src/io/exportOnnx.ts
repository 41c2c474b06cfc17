import { toOnnx } from '../graph/serialize.js';
import { symbolicBatch } from '../graph/symbolicBatch.js';
import { decoderGraph, encoderGraph, type InferenceGraph } from './inferenceGraphs.js';
import { encodeModel, type SavedModel } from './modelFiles.js';

/** File names of an export. */
export const ENCODER_FILE = 'encoder.onnx';
export const DECODER_FILE = 'decoder.onnx';
/** The dim_param name of the batch dimension in exported files. */
export const BATCH_DIM = 'batch';
/** metadata_props key holding the model directory's config.json text. */
export const CONFIG_METADATA_KEY = 'vaekit.config';

/** The two exported files' bytes. */
export interface OnnxExport {
  /** x [batch, D] → mu, logvar [batch, L] */
  encoder: Uint8Array;
  /** z [batch, L] → mean [batch, D] plus the likelihood's parameters (Bernoulli: logits [batch, D]) */
  decoder: Uint8Array;
}

/**
 * Exports a saved model as two standalone ONNX files (opset 17): weights as initializers, a symbolic batch
 * dimension named {@link BATCH_DIM}, named inputs and outputs, config.json in metadata_props, and standard
 * ops only (no vaekit lowerings), so any ONNX runtime reads and optimizes them. Isomorphic: bytes out.
 *
 * @example
 * const { encoder, decoder } = exportOnnx(loadModelDir('runs/mnist'));
 */
export function exportOnnx(model: SavedModel): OnnxExport {
  const cfg = model.meta.model;
  const { configJson } = encodeModel(model); // also checks every weight is present and sized
  const write = (build: (b: number) => InferenceGraph, name: string, doc: string) => {
    const { graph, outputs, symbolic } = symbolicBatch((b) => build(b), BATCH_DIM);
    return toOnnx(graph, outputs, {
      name,
      docString: doc,
      lower: false,
      symbolic,
      initializers: model.params,
      metadata: { [CONFIG_METADATA_KEY]: configJson },
    });
  };
  const L = cfg.latentDim;
  return {
    encoder: write((b) => encoderGraph(cfg, b), 'vaekit_encoder', `vaekit encoder q(z|x): x [batch, D] -> mu, logvar [batch, ${L}]`),
    decoder: write((b) => decoderGraph(cfg, b), 'vaekit_decoder', `vaekit decoder p(x|z): z [batch, ${L}] -> mean and the ${cfg.likelihood.type} likelihood's parameters`),
  };
}
