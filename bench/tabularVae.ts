// A minimal MLP VAE over a CSV table, built from the existing pieces (nn/mlp, models/vae's reparameterize,
// the tabular likelihood, buildTrainStep/StepRunner): the proof that the mixed likelihood trains, until the
// model contract of issue #9 carries tables. Used by bench/tabular.ts and its test.
import { add, concat, mean as meanOp, neg, relu, slice } from '../src/graph/ops/index.js';
import { Graph, type Tensor } from '../src/graph/tensor.js';
import { reparameterize } from '../src/models/vae.js';
import { initMlp, mlp, mlpShapes } from '../src/nn/mlp.js';
import { adam } from '../src/optim/adam.js';
import { StepRunner } from '../src/optim/stepRunner.js';
import { type TrainStepSpec } from '../src/optim/trainStep.js';
import { klStandardNormal } from '../src/prob/logDensity.js';
import { segmentsWidth, tabularLikelihood, tabularParamShapes, type TabularSegment } from '../src/prob/tabularLikelihood.js';
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

// Encoder [x, mask] (2D) → hidden → 2L: seeing the mask tells it which zeros are missing cells.
const encDims = (d: number, o: TabularVaeOptions) => [2 * d, o.hidden, o.hidden, 2 * o.latent];
const decDims = (d: number, o: TabularVaeOptions) => [o.latent, o.hidden, o.hidden, d];

function decoderOut(p: Record<string, Tensor>, segs: readonly TabularSegment[], o: TabularVaeOptions, z: Tensor) {
  return tabularLikelihood(segs, mlp(p, 'dec', decDims(segmentsWidth(segs), o), z, relu), p['lik.logvar']);
}

/** The training spec: loss = mean over the batch of −log p(x_obs|z) + KL(q(z|x) ‖ N(0, I)), in nats per row. */
export function tabularVaeSpec(segs: readonly TabularSegment[], o: TabularVaeOptions): TrainStepSpec {
  const d = segmentsWidth(segs);
  const L = o.latent;
  return {
    params: { ...mlpShapes('enc', encDims(d, o)), ...mlpShapes('dec', decDims(d, o)), ...tabularParamShapes(segs) },
    data: { x: { shape: [o.batch, d] }, mask: { shape: [o.batch, d] }, eps: { shape: [o.batch, L] } },
    optimizer: adam({ lr: o.lr }),
    loss: (p, b) => {
      const h = mlp(p, 'enc', encDims(d, o), concat([b.x, b.mask], 1), relu);
      const mu = slice(h, [0], [L], [1]);
      const logvar = slice(h, [L], [2 * L], [1]);
      const recon = neg(decoderOut(p, segs, o, reparameterize(mu, logvar, b.eps)).logProb(b.x, b.mask));
      const kl = klStandardNormal(mu, logvar);
      const r = meanOp(recon), k = meanOp(kl);
      return { loss: add(r, k), metrics: { recon: r, kl: k } };
    },
  };
}

/** Fresh parameters: PyTorch Linear init, log σ² = 0. */
export function initTabularVae(spec: TrainStepSpec, segs: readonly TabularSegment[], o: TabularVaeOptions, rng: Prng): Record<string, Float32Array> {
  const d = segmentsWidth(segs);
  const p = { ...initMlp(rng, 'enc', encDims(d, o)), ...initMlp(rng, 'dec', decDims(d, o)) };
  for (const [k, s] of Object.entries(spec.params)) if (!(k in p)) (p as Record<string, Float32Array>)[k] = new Float32Array(s.reduce((a, b) => a * b, 1));
  return p;
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
  const spec = tabularVaeSpec(segs, o);
  const runner = await StepRunner.create(engine, spec, { params: initTabularVae(spec, segs, o, rng) }, 1);
  const d = segmentsWidth(segs);
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
  const spec = tabularVaeSpec(segs, o);
  const g = new Graph();
  const p = Object.fromEntries(Object.entries(spec.params).map(([k, s]) => [k, g.input(k, s)]));
  const z = g.input('z', [n, o.latent]);
  const f = await engine.compile(g, { mean: decoderOut(p, segs, o, z).mean }, 'tabular-sample');
  const feeds = { ...params, z: rng.normals(new Float32Array(n * o.latent)) };
  const mean = (await f.run(feeds)).mean as Float32Array;
  return sampleTabular(segs, mean, n, params['lik.logvar'] ?? new Float32Array(0), rng);
}
