import { VaekitError } from '../../errors.js';

/** A layer's complaint about its input; `sequential` prefixes it with the layer list, index and type. */
export class LayerError extends VaekitError {
  constructor(message: string) {
    super(message, 'E_LAYER');
  }
}
