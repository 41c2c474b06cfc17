import { collectParams } from '../nn/scope.js';
import { type Vae } from './vae.js';

/**
 * Values per example of the tensors one forward pass makes (encoder and decoder traced on one row): their
 * sum (what a training step keeps alive for the backward pass, per example) and the widest one (what sizes
 * a chunk of importance samples). Tracing allocates no data, so this is cheap for any model size.
 *
 * @example
 * activationSizes(makeVae(parseVaeConfig({}))) // { total: ≈ 2·(784+400+…), widest: 784 }
 */
export function activationSizes(vae: Vae): { total: number; widest: number } {
  let total = 0;
  let widest = 2 * vae.config.latentDim;
  collectParams((s, g) => {
    const c = vae.config;
    const cond = c.classes > 0 ? g.input('cond', [1, c.classes]) : undefined;
    vae.def.encode(s, g.input('x', [1, ...c.dataShape]), cond);
    vae.def.decode(s, g.input('z', [1, c.latentDim]), cond);
    for (const n of g.nodes) {
      for (const t of n.outputs) {
        total += t.size;
        widest = Math.max(widest, t.size);
      }
    }
  });
  return { total, widest };
}
