/**
 * Memory a training run needs, estimated before anything is allocated (isomorphic; the CLI compares it with
 * the machine's limit). Counted in float32 values:
 * - per parameter, 12 copies: the two buffer sets the step runner swaps (parameters + 2 Adam slots each = 6),
 *   onnxruntime-node's fresh output copies per call (3), and inside the step graph the gradient, the Adam
 *   update temporaries and the parameter inputs (≈ 3);
 * - per example of a call's batches, the activations the backward pass keeps: every tensor of the forward
 *   pass and its gradient, plus the input (3 × the traced activation sizes, K samples for the decoder's part
 *   under a K-sample objective counted as K times the whole, an upper bound), and the stored rows a disk
 *   source reads ahead for the next call (converted to float32 on a worker thread) and a
 *   conditional model's one-hot labels (one value per class).
 */
import { sizeOf } from '../graph/dtype.js';
import { activationSizes } from '../models/activationSizes.js';
import { asVae, type Vae } from '../models/vae.js';
import { type VaeConfig } from '../models/vaeConfig.js';

/** Float32 copies of every parameter alive during a training call (see the file comment). */
const COPIES_PER_PARAM = 12;

/**
 * Bytes of parameters, optimizer state and step buffers for training `model` with `batchSize` examples per
 * step and `stepsPerCall` steps per ORT call.
 *
 * @example
 * trainingBytes(parseVaeConfig({ hidden: [65536, 65536] }), 128, 32); // ≈ 2.1e11: refused on any laptop
 */
export function trainingBytes(model: VaeConfig | Vae, batchSize: number, stepsPerCall: number): number {
  const vae = asVae(model);
  const params = Object.values(vae.specs).reduce((n, s) => n + sizeOf(s.shape), 0);
  const perExample = 3 * activationSizes(vae).total * vae.config.objective.k + sizeOf(vae.config.dataShape) + vae.config.classes;
  return 4 * (COPIES_PER_PARAM * params + stepsPerCall * batchSize * perExample);
}
