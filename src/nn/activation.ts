import { VaekitError } from '../errors.js';
import { leakyRelu, relu, softplus, tanh, sigmoid } from '../graph/ops/index.js';
import { type Tensor } from '../graph/tensor.js';

/** Hidden-layer activations by name (the config stores the name). */
export const ACTIVATIONS = {
  relu,
  tanh,
  softplus,
  sigmoid,
  leakyRelu: (x: Tensor) => leakyRelu(x, 0.01),
} satisfies Record<string, (x: Tensor) => Tensor>;

export type ActivationName = keyof typeof ACTIVATIONS;

/** The activation for a name, or a clear error listing the known ones. */
export function activation(name: string): (x: Tensor) => Tensor {
  const f = (ACTIVATIONS as Record<string, (x: Tensor) => Tensor>)[name];
  if (!f) throw new VaekitError(`unknown activation "${name}"; choose one of ${Object.keys(ACTIVATIONS).join(', ')}`, 'E_CONFIG');
  return f;
}
