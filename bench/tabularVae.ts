// An MLP VAE over a CSV table through the model contract: the `mlp` preset on rows [D] with the tabular
// likelihood, trained by a StepRunner over shuffled full batches. Used by bench/tabular.ts and its test.
import { initVaeParams, makeVae, vaeLoss, type Vae } from '../src/models/vae.js';
import { parseVaeConfig } from '../src/models/vaeConfig.js';
import { VaeModel } from '../src/models/vaeModel.js';
import { shapesOf } from '../src/nn/scope.js';
import { adam } from '../src/optim/adam.js';
import { StepRunner } from '../src/optim/stepRunner.js';
import { segmentsWidth, type TabularSegment } from '../src/prob/tabularLikelihood.js';
import { sampleTabular } from '../src/prob/tabularSample.js';
import { type Engine } from '../src/runtime/engine.js';
import { type Prng } from '../src/random/prng.js';

export interface TabularVaeOptions {
  hidden: number;
  latent: number;
  batch: number;
  lr: number;
}

/** x [n, D] and its mask (1 observed, 0 missing), as encodeTable gives them. */
export interface TableData {
  n: number;
  x: Float32Array;
  mask: Float32Array;
}

/** The model: two hidden layers of `hidden` ReLU units each side, the tabular likelihood over `segs`. */
export function tabularVae(segs: readonly TabularSegment[], o: TabularVaeOptions): Vae {
  const d = segmentsWidth(segs);
  return makeVae(parseVaeConfig({ dataShape: [d], latentDim: o.latent, hidden: [o.hidden, o.hidden], likelihood: { type: 'tabular', segments: segs } }));
}

/** Trains for `epochs` over shuffled rows (full batches only); returns the mean loss of each epoch. */
export async function trainTabularVae(
  engine: Engine,
  segs: readonly TabularSegment[],
  data: TableData,
  o: TabularVaeOptions,
  epochs: number,
  rng: Prng,
): Promise<{ params: Record<string, Float32Array>; losses: number[] }> {
  const vae = tabularVae(segs, o);
  const d = segmentsWidth(segs);
  const spec = {
    params: shapesOf(vae.specs, 'param'),
    data: { x: { shape: [o.batch, d] }, mask: { shape: [o.batch, d] }, eps: { shape: [o.batch, o.latent] } },
    loss: vaeLoss(vae),
    optimizer: adam({ lr: o.lr }),
  };
  const runner = await StepRunner.create(engine, spec, { params: initVaeParams(vae, rng) }, 1);
  const perEpoch = Math.floor(data.n / o.batch);
  const x = new Float32Array(perEpoch * o.batch * d), mask = new Float32Array(x.length);
  const eps = new Float32Array(perEpoch * o.batch * o.latent);
  const losses: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const perm = rng.permutation(data.n);
    for (let i = 0; i < perEpoch * o.batch; i++) {
      x.set(data.x.subarray(perm[i] * d, (perm[i] + 1) * d), i * d);
      mask.set(data.mask.subarray(perm[i] * d, (perm[i] + 1) * d), i * d);
    }
    rng.normals(eps);
    const m = await runner.runSteps({ x, mask, eps }, perEpoch);
    losses.push(m.reduce((s, r) => s + r.loss, 0) / m.length);
  }
  return { params: runner.params(), losses };
}

/** `n` synthetic x-space rows: z ~ N(0, I), decoder, then a draw from the likelihood (sampleTabular). */
export async function sampleTabularVae(
  engine: Engine,
  segs: readonly TabularSegment[],
  params: Record<string, Float32Array>,
  o: TabularVaeOptions,
  n: number,
  rng: Prng,
): Promise<Float32Array> {
  const mean = await new VaeModel(engine, tabularVae(segs, o), params).sample(n, rng);
  return sampleTabular(segs, mean, n, params['lik.logvar'] ?? new Float32Array(0), rng);
}
