// The Keras conv VAE (../shared/reference/torch_conv_vae.py) written directly with vaekit ops, for
// bench:conv until the `conv` preset exists: swapping it in changes only `convVae` below.
import { add, conv2d, convTranspose2d, exp, mean, mul, relu, reshape } from '../src/graph/ops/index.js';
import { type Tensor } from '../src/graph/tensor.js';
import { dense } from '../src/nn/dense.js';
import { bernoulliLogProb, klStandardNormal } from '../src/prob/logDensity.js';
import { type Prng } from '../src/random/prng.js';

/** A model as bench:conv needs it: parameter shapes, PyTorch-style initial values, the loss and its cost. */
export interface BenchModel {
  shapes: Record<string, number[]>;
  init: (rng: Prng) => Record<string, Float32Array>;
  /** Batch-mean −ELBO (summed Bernoulli BCE from logits + KL) of x [B,784] with noise ε [B,L]. */
  loss: (p: Record<string, Tensor>, d: Record<string, Tensor>) => { loss: Tensor; metrics: Record<string, Tensor> };
  /** FLOPs of one training step at batch B (2 per multiply-add of convolutions and dense layers, forward + gradients). */
  flopsPerStep: (batch: number) => number;
}

// name, weight shape [out, in, kh, kw] as PyTorch stores it (ConvTranspose: [in, out, kh, kw]), kind
const LAYERS = (L: number): [string, number[], 'conv' | 'convT' | 'dense'][] => [
  ['c1', [32, 1, 3, 3], 'conv'],
  ['c2', [64, 32, 3, 3], 'conv'],
  ['fc', [16, 3136], 'dense'],
  ['mu', [L, 16], 'dense'],
  ['lv', [L, 16], 'dense'],
  ['dfc', [3136, L], 'dense'],
  ['t1', [64, 64, 3, 3], 'convT'],
  ['t2', [64, 32, 3, 3], 'convT'],
  ['t3', [32, 1, 3, 3], 'convT'],
];

/**
 * The Keras example's network: Conv(32,3,s2,p1) ReLU, Conv(64,3,s2,p1) ReLU, Dense 16 ReLU, Dense L ×2;
 * Dense 3136 ReLU, ConvT(64,3,s2,p1,op1) ReLU, ConvT(32,3,s2,p1,op1) ReLU, ConvT(1,3,s1,p1) → logits.
 */
export function convVae(L: number): BenchModel {
  const layers = LAYERS(L);
  const shapes: Record<string, number[]> = {};
  for (const [name, w, kind] of layers) {
    shapes[`${name}.weight`] = w;
    shapes[`${name}.bias`] = [kind === 'convT' ? w[1] : w[0]];
  }
  const loss: BenchModel['loss'] = (p, d) => {
    const B = d.x.shape[0];
    const s2 = { stride: 2, pad: 1 };
    const up = { stride: 2, pad: 1, outputPadding: 1 };
    const img = reshape(d.x, [B, 1, 28, 28]);
    const h1 = relu(conv2d(img, p['c1.weight'], p['c1.bias'], s2)); // [B,32,14,14]
    const h2 = relu(conv2d(h1, p['c2.weight'], p['c2.bias'], s2)); // [B,64,7,7]
    const h = relu(dense(reshape(h2, [B, 3136]), p['fc.weight'], p['fc.bias'])); // [B,16]
    const mu = dense(h, p['mu.weight'], p['mu.bias']);
    const logvar = dense(h, p['lv.weight'], p['lv.bias']);
    const z = add(mu, mul(exp(mul(logvar, 0.5)), d.eps)); // [B,L]
    const g0 = reshape(relu(dense(z, p['dfc.weight'], p['dfc.bias'])), [B, 64, 7, 7]);
    const g1 = relu(convTranspose2d(g0, p['t1.weight'], p['t1.bias'], up)); // [B,64,14,14]
    const g2 = relu(convTranspose2d(g1, p['t2.weight'], p['t2.bias'], up)); // [B,32,28,28]
    const logits = reshape(convTranspose2d(g2, p['t3.weight'], p['t3.bias'], { pad: 1 }), [B, 784]);
    const recon = mean(mul(bernoulliLogProb(d.x, logits), -1));
    const kl = mean(klStandardNormal(mu, logvar));
    return { loss: add(recon, kl), metrics: { recon, kl } };
  };
  return {
    shapes,
    loss,
    init: (rng) => {
      // PyTorch's default: U(±1/√fan_in) for weights and biases, fan_in = size(1)·kh·kw (also for ConvTranspose)
      const out: Record<string, Float32Array> = {};
      for (const [name, w] of layers) {
        const bound = 1 / Math.sqrt(w.slice(1).reduce((a, b) => a * b, 1));
        for (const k of [`${name}.weight`, `${name}.bias`]) {
          out[k] = Float32Array.from({ length: shapes[k].reduce((a, b) => a * b, 1) }, () => (2 * rng.uniform() - 1) * bound);
        }
      }
      return out;
    },
    flopsPerStep: (B) => {
      // multiply-adds per example of each layer's forward pass: output pixels (input pixels for ConvT) × taps × in × out
      const pixels: Record<string, number> = { c1: 14 * 14, c2: 7 * 7, t1: 7 * 7, t2: 14 * 14, t3: 28 * 28 };
      let total = 0;
      for (const [name, w] of layers) {
        const macs = B * (pixels[name] ?? 1) * w.reduce((a, b) => a * b, 1);
        // forward, weight gradient, input gradient (none for the first layer: the data needs none)
        total += 2 * macs * (name === 'c1' ? 2 : 3);
      }
      return total;
    },
  };
}
