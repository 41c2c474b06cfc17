// The Keras conv VAE (../shared/reference/torch_conv_vae.py) as bench:conv trains it: vaekit's `conv` preset,
// with the network's FLOPs counted from the reference's layer table.
import { type Tensor } from '../src/graph/tensor.js';
import { initVaeParams, makeVae, vaeLoss, vaeParamShapes } from '../src/models/vae.js';
import { parseVaeConfig } from '../src/models/vaeConfig.js';
import { type Prng } from '../src/random/prng.js';

/** A model as bench:conv needs it: parameter shapes, PyTorch-style initial values, the loss and its cost. */
export interface BenchModel {
  shapes: Record<string, number[]>;
  init: (rng: Prng) => Record<string, Float32Array>;
  /** Batch-mean −ELBO (summed Bernoulli BCE from logits + KL) of x [B,1,28,28] with noise ε [B,L]. */
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
 * The Keras example's network, vaekit's `conv` preset: Conv(32,3,s2,p1) ReLU, Conv(64,3,s2,p1) ReLU, Dense 16
 * ReLU, Dense 2L; Dense 3136 ReLU, ConvT(64,3,s2,p1,op1) ReLU, ConvT(32,3,s2,p1,op1) ReLU, ConvT(1,3,s1,p1).
 */
export function convVae(L: number): BenchModel {
  const vae = makeVae(parseVaeConfig({ arch: 'conv', latentDim: L }));
  const layers = LAYERS(L);
  return {
    shapes: vaeParamShapes(vae),
    loss: vaeLoss(vae),
    init: (rng) => initVaeParams(vae, rng),
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
