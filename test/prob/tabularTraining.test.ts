// End to end on real data: an MLP VAE with the tabular likelihood trains on penguins (missing cells masked),
// and its samples decode into valid rows. The model is bench/tabularVae.ts (the benchmark's).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { decodeTable } from '../../src/data/tableCodec.js';
import { tableSegments } from '../../src/data/tableSchema.js';
import { nodeEngine } from '../../src/node.js';
import { openCsvDataset } from '../../src/node/csvFiles.js';
import { Prng } from '../../src/random/prng.js';
import { sampleTabularVae, trainTabularVae } from '../../bench/tabularVae.js';
import { vegaJsonToCsv } from '../helpers/tables.js';

test('the tabular VAE loss falls on penguins and samples are rows of valid levels and numbers', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vaekit-tab-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { dataset, schema } = openCsvDataset(vegaJsonToCsv('penguins', dir));
  const d = dataset.shape[0];
  const x = new Float32Array(dataset.n * d), mask = new Float32Array(x.length);
  dataset.read(Array.from({ length: dataset.n }, (_, i) => i), x, mask);
  assert.ok(mask.includes(0), 'penguins has missing cells');
  const segs = tableSegments(schema);
  const opts = { hidden: 32, latent: 4, batch: 32, lr: 3e-3 };
  const rng = new Prng(1);
  const { params, losses } = await trainTabularVae(nodeEngine({ threads: 1 }), segs, { n: dataset.n, x, mask }, opts, 40, rng);
  // −ELBO starts near D·(½ log 2πe) + categorical entropy terms and must fall by nats, not noise
  const first = losses[0], last = losses.at(-1)!;
  assert.ok(losses.every(Number.isFinite));
  assert.ok(first - last > 2, `loss ${first.toFixed(2)} → ${last.toFixed(2)} nats per row`);
  assert.ok(params['lik.logvar'].every((v) => v < 0), 'learned σ < 1 (standardized units) for every numeric column');

  const n = 200;
  const rows = decodeTable(schema, await sampleTabularVae(nodeEngine({ threads: 1 }), segs, params, opts, n, rng), n);
  for (const [j, name] of rows.columns.entries()) {
    const col = schema.columns.find((c) => c.name === name)!;
    const cells = rows.rows.map((r) => r[j]);
    if (col.kind === 'categorical') assert.ok(cells.every((c) => col.levels.includes(c)), `${name}: only known levels`);
    if (col.kind === 'numeric') {
      assert.ok(cells.every((c) => /^-?\d+(\.\d+)?$/.test(c) && (c.split('.')[1]?.length ?? 0) <= col.decimals), `${name}: numbers with ≤ ${col.decimals} decimals`);
      const mean = cells.reduce((a, c) => a + Number(c), 0) / n;
      assert.ok(Math.abs(mean - col.mean) < 0.5 * col.std, `${name}: sample mean ${mean} near the data mean ${col.mean} (original units)`);
    }
  }
});
