import { VaekitError } from '../errors.js';
import { type Tensor } from '../graph/tensor.js';
import { type LayerSpec } from './layerSpec.js';
import { LAYERS, WEIGHTED, type LayerContext } from './layers/registry.js';
import { type Scope } from './scope.js';

/**
 * Applies a layer list in order. The k-th layer that owns parameters keeps them under `<scope>.<k>`
 * ('enc.0.weight', 'enc.1.bias'…; activations, reshapes and flattens are not counted, so an MLP's names
 * are those of vaekit's first model files). A conditioning row, when given, goes into the first dense layer.
 * Any error names the list, the layer's index and type, and the shape that reached it.
 *
 * @example
 * sequential(s.sub('enc'), x, [{ type: 'flatten' }, { type: 'dense', units: 400 }, { type: 'relu' }], 'encoder')
 */
export function sequential(s: Scope, x: Tensor, layers: readonly LayerSpec[], what: string, ctx: LayerContext = {}): Tensor {
  let h = x;
  let cond = ctx.cond;
  let k = 0;
  layers.forEach((l, i) => {
    const apply = LAYERS[l.type] as (s: Scope, x: Tensor, l: LayerSpec, c: LayerContext) => Tensor;
    if (!apply) throw new VaekitError(`${what} layer ${i}: unknown type "${(l as { type: string }).type}"`, 'E_LAYER');
    const takesCond = cond !== undefined && l.type === 'dense';
    try {
      h = apply(s.sub(WEIGHTED.has(l.type) ? k++ : `_${i}`), h, l, { out: ctx.out, cond: takesCond ? cond : undefined });
    } catch (e) {
      // the leading axis is the batch, whatever size the graph was traced at
      if (e instanceof VaekitError) throw new VaekitError(`${what} layer ${i} (${l.type}) on input [B,${h.shape.slice(1)}]: ${e.message}`, 'E_LAYER');
      throw e;
    }
    if (takesCond) cond = undefined;
  });
  if (cond !== undefined) throw new VaekitError(`${what}: a conditional model needs a dense layer to take the label, and this list has none`, 'E_LAYER');
  return h;
}
