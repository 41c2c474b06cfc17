// Exact resume on data streamed from disk: an .npy read row by row (never loaded whole), a conv model with
// batch norm, stopped mid-epoch, checkpointed to bytes and resumed, ends bit-identical to one that ran
// through, and to the same run on the same rows held in memory.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { encodeNpy } from '../../src/data/npy.js';
import { arrayDataset } from '../../src/data/rowDataset.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/io/checkpointCodec.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { openNpyDataset } from '../../src/node/npyFileDataset.js';
import { nodeEngine } from '../../src/node.js';
import { Prng } from '../../src/random/prng.js';
import { parseTrainConfig } from '../../src/train/trainConfig.js';
import { Trainer } from '../../src/train/trainer.js';

const engine = nodeEngine({ threads: 1 });

test('stop mid-epoch and resume on an .npy read from disk: bit-identical to an uninterrupted run and to the in-memory run', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vaekit-stream-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const n = 300;
  const rng = new Prng(5);
  const data = Uint8Array.from({ length: n * 12 * 12 }, () => Math.floor(rng.uniform() * 256));
  const file = path.join(dir, 'x.npy');
  writeFileSync(file, encodeNpy({ dtype: 'uint8', shape: [n, 12, 12], data }));
  const model = parseVaeConfig({
    dataShape: [1, 12, 12],
    latentDim: 3,
    encoder: [{ type: 'conv2d', filters: 4, kernel: 3, stride: 2, padding: 1 }, { type: 'batchNorm' }, { type: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 'out' }],
    decoder: [{ type: 'dense', units: 144 }, { type: 'relu' }, { type: 'dense', units: 'out' }],
  });
  const training = parseTrainConfig({ epochs: 2, seed: 7, batchSize: 32, binarize: 'dynamic' });
  const disk = () => ({ train: openNpyDataset(file) });

  const full = await Trainer.create(engine, model, training, disk());
  await full.run();
  const part = await Trainer.create(engine, model, training, disk(), undefined, { stepsPerCall: 3 });
  await part.run((e) => e.type === 'step' && e.step === 6 && part.stop());
  const ck = decodeCheckpoint(encodeCheckpoint({ model, training, dataset: { name: 'x.npy' }, state: part.state() }), 'memory');
  assert.ok(ck.state.batch > 0 && ck.state.batch < part.stepsPerEpoch, 'stopped mid-epoch');
  const resumed = await Trainer.create(engine, ck.model, ck.training, disk(), ck.state, { stepsPerCall: 2 });
  assert.equal(await resumed.run(), 'finished');
  const memory = await Trainer.create(engine, model, training, { train: arrayDataset('x', Float32Array.from(data, (v) => v / 255), [1, 12, 12]) });
  await memory.run();

  const pa = full.params();
  assert.ok(Object.keys(pa).some((k) => k.endsWith('running_var')), 'batch-norm buffers are part of the state');
  for (const other of [resumed.params(), memory.params()]) {
    for (const k of Object.keys(pa)) assert.ok(Buffer.from(pa[k].buffer).equals(Buffer.from(other[k].buffer)), `${k} differs`);
  }
});
