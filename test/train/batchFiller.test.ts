// The trainer's reads and read-aheads: each ORT call reads its rows in one request, and every request but the
// first of an epoch was announced by prefetch with exactly its rows (what lets a disk source read them on a
// worker thread while the previous call runs); the rows of an epoch are its shuffled permutation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrayDataset, type RowDataset } from '../../src/data/rowDataset.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { nodeEngine } from '../../src/node.js';
import { Prng } from '../../src/random/prng.js';
import { parseTrainConfig } from '../../src/train/trainConfig.js';
import { Trainer } from '../../src/train/trainer.js';

test('every read of an epoch but the first was announced by prefetch with the same rows, and an epoch reads each row once', async () => {
  const n = 300;
  const rng = new Prng(2);
  const base = arrayDataset('x', Float32Array.from({ length: n * 6 }, () => rng.uniform()), [6]);
  const log: { kind: 'read' | 'prefetch'; rows: number[] }[] = [];
  const ds: RowDataset = {
    ...base,
    read: (idx, x, mask) => {
      log.push({ kind: 'read', rows: Array.from(idx) });
      base.read(idx, x, mask);
    },
    prefetch: (idx) => void log.push({ kind: 'prefetch', rows: Array.from(idx) }),
  };
  const model = parseVaeConfig({ dataShape: [6], hidden: [8], latentDim: 2, likelihood: { type: 'gaussian', sigma: 1 } });
  const trainer = await Trainer.create(nodeEngine({ threads: 1 }), model, parseTrainConfig({ epochs: 2, batchSize: 32, seed: 3 }), { train: ds }, undefined, { stepsPerCall: 4 });
  await trainer.run();
  const reads = log.filter((e) => e.kind === 'read');
  // 300 rows = 9 full batches + 12: calls of 1, 4, 4 full batches, then the partial one (epoch 2: 4, 4, 1, partial)
  assert.deepEqual(reads.map((r) => r.rows.length), [32, 128, 128, 12, 128, 128, 32, 12]);
  let unannounced = 0;
  log.forEach((e, i) => {
    if (e.kind !== 'read') return;
    const prev = log[i - 1];
    if (prev?.kind === 'prefetch') assert.deepEqual(e.rows, prev.rows, `read ${i}: the rows announced`);
    else unannounced++;
  });
  assert.equal(unannounced, 2, 'only the first call of each epoch is not read ahead (its order is drawn at the epoch start)');
  for (const epoch of [reads.slice(0, 4), reads.slice(4)]) {
    assert.deepEqual(epoch.flatMap((r) => r.rows).sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
  }
});
