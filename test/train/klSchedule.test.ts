// KL schedules: klScalars against hand-computed values, and training runs whose every step's loss obeys the
// schedule's formula across a stop, a checkpoint to bytes and a resume. The per-step metrics give loss,
// recon and kl, so under warm-up and cyclical annealing loss = recon + β_t·kl, and under capacity control
// loss = recon + γ·|kl − C_t|; β_t and C_t are checked against klScalars AND an independent derivation here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrayDataset } from '../../src/data/rowDataset.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/io/checkpointCodec.js';
import { parseVaeConfig, type VaeConfig } from '../../src/models/vaeConfig.js';
import { nodeEngine } from '../../src/node.js';
import { Prng } from '../../src/random/prng.js';
import { klScalars } from '../../src/train/klSchedule.js';
import { parseTrainConfig } from '../../src/train/trainConfig.js';
import { Trainer } from '../../src/train/trainer.js';

const engine = nodeEngine({ threads: 2 });
const schedule = (beta: number, kl: unknown) => parseVaeConfig({ dataShape: [8], beta, kl });

test('klScalars: hand-computed values', () => {
  const at = (cfg: VaeConfig, steps: number[], key: 'beta' | 'capacity' = 'beta') => steps.map((t) => klScalars(cfg, t)[key]!);
  assert.deepEqual(at(schedule(0.5, { type: 'constant' }), [1, 2, 1000]), [0.5, 0.5, 0.5]);
  // β·min(1, t/N), N = 4, β = 2
  assert.deepEqual(at(schedule(2, { type: 'warmup', steps: 4 }), [1, 2, 3, 4, 5, 100]), [0.5, 1, 1.5, 2, 2, 2]);
  // Fu et al. 2019, T = 10, M = 2, R = 0.5: period 5, τ = (t−1 mod 5)/5 = 0, .2, .4, .6, .8; β = τ/R, capped at 1
  const cyc = at(schedule(1, { type: 'cyclical', totalSteps: 10, cycles: 2, ratio: 0.5 }), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  [0, 0.4, 0.8, 1, 1, 0, 0.4, 0.8, 1, 1].forEach((v, i) => assert.ok(Math.abs(cyc[i] - v) < 1e-12, `cyclical step ${i + 1}: ${cyc[i]} vs ${v}`));
  // T = 9, M = 2 (T/M = 4.5): cycles restart every ⌈4.5⌉ = 5 steps; τ = (t−1 mod 5)/4.5; R = 0.5, β = 3
  const odd = at(schedule(3, { type: 'cyclical', totalSteps: 9, cycles: 2, ratio: 0.5 }), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  [0, 3 * (1 / 4.5 / 0.5), 3 * (2 / 4.5 / 0.5), 3, 3, 0, 3 * (1 / 4.5 / 0.5), 3 * (2 / 4.5 / 0.5), 3].forEach((v, i) =>
    assert.ok(Math.abs(odd[i] - v) < 1e-12, `cyclical (T/M = 4.5) step ${i + 1}: ${odd[i]} vs ${v}`),
  );
  // ratio 1: the whole cycle rises; T = 8, M = 2: 0, .25, .5, .75, 0, …
  assert.deepEqual(at(schedule(1, { type: 'cyclical', totalSteps: 8, cycles: 2, ratio: 1 }), [1, 2, 3, 4, 5, 8]), [0, 0.25, 0.5, 0.75, 0, 0.75]);
  // capacity: C = C_max·min(1, t/N), N = 10, C_max = 5; β stays
  const cap = schedule(1, { type: 'capacity', cMax: 5, steps: 10, gamma: 100 });
  assert.deepEqual(at(cap, [1, 2, 5, 10, 11, 50], 'capacity'), [0.5, 1, 2.5, 5, 5, 5]);
  assert.deepEqual(at(cap, [1, 50]), [1, 1]);
});

// ---- independent derivations of the three schedules (written from the papers, not from klSchedule.ts)
function warmupBeta(beta: number, n: number, t: number): number {
  return t >= n ? beta : (beta * t) / n;
}
/** Fu et al. 2019 eq. 6 spelled out: cycle c spans steps c·P+1 … (c+1)·P with P = ⌈T/M⌉; position i = 0 … P−1. */
function cyclicalBeta(beta: number, T: number, M: number, R: number, t: number): number {
  const P = Math.ceil(T / M);
  const i = t - 1 - P * Math.floor((t - 1) / P);
  const tau = i / (T / M);
  return tau <= R ? (beta * tau) / R : beta;
}
function capacityC(cMax: number, n: number, t: number): number {
  return t >= n ? cMax : (cMax * t) / n;
}

interface StepRow {
  step: number;
  loss: number;
  recon: number;
  kl: number;
}

// 300 rows of 8 values with a large spread, so the encoder's means (and the KL) are far from 0 from the start
function data() {
  const rng = new Prng(4);
  return arrayDataset('spread', Float32Array.from(rng.normals(new Float32Array(300 * 8)), (v) => 4 * v), [8]);
}

/**
 * Trains `model` for 3 epochs of 6 steps, stopping after the call that holds step 7, checkpointing to bytes
 * and resuming (with other steps per call) from the decoded checkpoint. Returns every step's metrics, in order.
 */
async function stopAndResume(model: VaeConfig): Promise<{ rows: StepRow[]; resumedModel: VaeConfig }> {
  const training = parseTrainConfig({ epochs: 3, batchSize: 50, seed: 2, lr: 3e-3 });
  const train = data();
  const rows: StepRow[] = [];
  const collect = (e: { type: string; step?: number; metrics?: Record<string, number> }) => {
    if (e.type === 'step') rows.push({ step: e.step!, loss: e.metrics!.loss, recon: e.metrics!.recon, kl: e.metrics!.kl });
  };
  const first = await Trainer.create(engine, model, training, { train }, undefined, { stepsPerCall: 4 });
  assert.equal(
    await first.run((e) => {
      collect(e);
      if (e.type === 'step' && e.step === 7) first.stop();
    }),
    'stopped',
  );
  const ck = decodeCheckpoint(encodeCheckpoint({ model, training, dataset: { name: 'spread' }, state: first.state() }), 'memory');
  const resumed = await Trainer.create(engine, ck.model, ck.training, { train }, ck.state, { stepsPerCall: 3 });
  assert.equal(await resumed.run(collect), 'finished');
  assert.deepEqual(rows.map((r) => r.step), Array.from({ length: 18 }, (_, i) => i + 1), 'every step once, in order, across the resume');
  assert.ok(rows.findIndex((r) => r.step === 11) > 0, 'the run was resumed mid-training');
  return { rows, resumedModel: ck.model };
}

/** Float32 rounding of loss and recon, in loss units. */
const slack = (r: StepRow) => 4e-7 * (Math.abs(r.loss) + Math.abs(r.recon)) + 1e-6;

test('warm-up and cyclical β across a stop, checkpoint and resume: loss = recon + β_t·kl at every step', async () => {
  const cases = [
    { kl: { type: 'warmup', steps: 10 }, beta: 1, ref: (t: number) => warmupBeta(1, 10, t) },
    // T = 18 steps in M = 4 cycles: T/M = 4.5, so cycles restart at steps 1, 6, 11, 16
    { kl: { type: 'cyclical', totalSteps: 18, cycles: 4, ratio: 0.5 }, beta: 1.5, ref: (t: number) => cyclicalBeta(1.5, 18, 4, 0.5, t) },
  ];
  for (const c of cases) {
    const model = parseVaeConfig({ dataShape: [8], hidden: [16], latentDim: 3, likelihood: { type: 'gaussian', sigma: 1 }, beta: c.beta, kl: c.kl });
    const { rows, resumedModel } = await stopAndResume(model);
    assert.deepEqual(resumedModel.kl, model.kl, 'the schedule comes back from the checkpoint');
    for (const r of rows) {
      const want = c.ref(r.step);
      assert.ok(Math.abs(klScalars(model, r.step).beta - want) < 1e-12, `${c.kl.type} step ${r.step}: klScalars ${klScalars(model, r.step).beta} vs ${want}`);
      const tol = slack(r);
      // the test can tell neighbouring steps apart: β moves by ≥ 0.1 a step while rising, and kl is large
      assert.ok(0.05 * r.kl > tol, `${c.kl.type} step ${r.step}: kl ${r.kl} too small to read β from (tolerance ${tol})`);
      assert.ok(Math.abs(r.loss - (r.recon + want * r.kl)) < tol, `${c.kl.type} step ${r.step}: β from the loss ${(r.loss - r.recon) / r.kl}, formula ${want}`);
    }
  }
});

test('capacity control across a stop, checkpoint and resume: loss = recon + γ·|kl − C_t| at every step', async () => {
  const kl = { type: 'capacity', cMax: 6, steps: 12, gamma: 20 } as const;
  const model = parseVaeConfig({ dataShape: [8], hidden: [16], latentDim: 3, likelihood: { type: 'gaussian', sigma: 1 }, kl });
  const { rows, resumedModel } = await stopAndResume(model);
  assert.deepEqual(resumedModel.kl, model.kl);
  for (const r of rows) {
    const C = capacityC(6, 12, r.step);
    assert.ok(Math.abs(klScalars(model, r.step).capacity! - C) < 1e-12, `step ${r.step}: klScalars C ${klScalars(model, r.step).capacity} vs ${C}`);
    const want = r.recon + 20 * Math.abs(r.kl - C);
    // C moves by 0.5 nats a step, 10 nats of loss at γ = 20: far above float32 rounding
    assert.ok(Math.abs(r.loss - want) < slack(r), `step ${r.step}: loss ${r.loss} vs recon + γ|kl − C| = ${want} (kl ${r.kl}, C ${C})`);
  }
});
