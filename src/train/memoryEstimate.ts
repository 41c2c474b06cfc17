/**
 * Memory a training run needs, estimated before anything is allocated (isomorphic; the CLI compares it with
 * the machine's limit). Counted in float32 values:
 * - per parameter, 12 copies: the two buffer sets the step runner swaps (parameters + 2 Adam slots each = 6),
 *   onnxruntime-node's fresh output copies per call (3), and inside the step graph the gradient, the Adam
 *   update temporaries and the parameter inputs (≈ 3);
 * - per example of a call's batches, the activations the backward pass keeps: input, reconstruction logits
 *   and their gradient (3·D), each hidden layer's pre-activation, output and gradient (3·Σ hidden, encoder
 *   and decoder), and the latent statistics and noise (6·L).
 */
import { sizeOf } from '../graph/dtype.js';
import { vaeParamShapes } from '../models/vae.js';
import { dataDim, type VaeConfig } from '../models/vaeConfig.js';

/** Float32 copies of every parameter alive during a training call (see the file comment). */
const COPIES_PER_PARAM = 12;

/**
 * Bytes of parameters, optimizer state and step buffers for training `model` with `batchSize` examples per
 * step and `stepsPerCall` steps per ORT call.
 *
 * @example
 * trainingBytes(parseVaeConfig({ hidden: [65536, 65536] }), 128, 32); // ≈ 2.1e11: refused on any laptop
 */
export function trainingBytes(model: VaeConfig, batchSize: number, stepsPerCall: number): number {
  const params = Object.values(vaeParamShapes(model)).reduce((n, s) => n + sizeOf(s), 0);
  const D = dataDim(model);
  const hidden = model.hidden.reduce((a, b) => a + b, 0);
  const perExample = 3 * D + 2 * 3 * hidden + 6 * model.latentDim;
  return 4 * (COPIES_PER_PARAM * params + stepsPerCall * batchSize * perExample);
}
