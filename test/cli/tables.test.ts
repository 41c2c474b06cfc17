// CSV tables end to end through the CLI: train on penguins (numbers, categories, missing cells), then sample
// synthetic rows, impute missing cells and compare — every output in the table's own columns and units.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseCsv } from '../../src/data/csvParse.js';
import { readAll } from '../../src/data/datasetView.js';
import { parseTableSchema } from '../../src/data/tableSchema.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { loadModelDir, nodeEngine } from '../../src/node.js';
import { openCsvDataset } from '../../src/node/csvFiles.js';
import { Prng } from '../../src/random/prng.js';
import { evalSeed } from '../../src/train/heldOut.js';
import { vegaJsonToCsv } from '../helpers/tables.js';
import { cli, ONE_THREAD, show, tmp } from './helpers.js';

test('train --data penguins.csv; sample --out synth.csv, impute and compare speak the table’s columns, units and levels', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const csv = vegaJsonToCsv('penguins', dir);
  const real = parseCsv(readFileSync(csv, 'utf8'), { source: csv });
  const run = path.join(dir, 'run');
  const tr = await cli(['train', '--data', csv, '--label', 'Species', '--missing', ',NA,NaN,.', '--epochs', '30', '--batch', '32', '--hidden', '64', '--latent', '4', '--out', run, '--json', ...ONE_THREAD]);
  assert.equal(tr.code, 0, show(tr));
  const cfg = JSON.parse(readFileSync(path.join(run, 'config.json'), 'utf8'));
  assert.equal(cfg.model.likelihood.type, 'tabular');
  assert.equal(cfg.dataset.preprocessing.kind, 'table');
  const loss = JSON.parse(tr.stdout).metrics.test.negElbo;
  assert.ok(Number.isFinite(loss) && loss < 12, `test −ELBO per row ${loss}`); // untrained: ≈ 17 nats (10 standardized columns and 3 categoricals)

  // eval reads the recorded CSV with the saved schema and masks: it repeats training's test −ELBO
  const ev = await cli(['eval', '--model', run, '--json', ...ONE_THREAD]);
  assert.equal(ev.code, 0, show(ev));
  assert.equal(JSON.parse(ev.stdout).negElbo, loss);

  const synth = path.join(dir, 'synth.csv');
  const s = await cli(['sample', '--model', run, '--n', '300', '--out', synth, ...ONE_THREAD]);
  assert.equal(s.code, 0, show(s));
  const got = parseCsv(readFileSync(synth, 'utf8'), { source: synth });
  assert.equal(got.rows.length, 300);
  for (const col of ['Island', 'Sex']) {
    const levels = new Set(real.rows.map((r) => r[real.columns.indexOf(col)]).filter((v) => v !== '' && v !== '.'));
    for (const r of got.rows) assert.ok(levels.has(r[got.columns.indexOf(col)]), `${col} level ${r[got.columns.indexOf(col)]}`);
  }
  const mass = got.rows.map((r) => Number(r[got.columns.indexOf('Body Mass (g)')]));
  const realMass = real.rows.map((r) => Number(r[real.columns.indexOf('Body Mass (g)')])).filter((v) => v > 0);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  // grams, not standardized units: the synthetic mean lies near the real one (≈ 4200 g)
  assert.ok(Math.abs(mean(mass) - mean(realMass)) < 400, `synthetic mean mass ${mean(mass)} vs real ${mean(realMass)}`);

  const rows = path.join(dir, 'rows.csv');
  writeFileSync(rows, `${real.columns.join(',')}\nAdelie,Torgersen,39.1,18.7,181,,\nGentoo,Biscoe,,,,5000,MALE\n`);
  const filled = path.join(dir, 'filled.csv');
  const im = await cli(['impute', '--model', run, '--data', rows, '--out', filled, ...ONE_THREAD]);
  assert.equal(im.code, 0, show(im));
  const f = parseCsv(readFileSync(filled, 'utf8'), { source: filled });
  assert.deepEqual(f.rows[0].slice(0, 5), ['Adelie', 'Torgersen', '39.1', '18.7', '181'], 'observed cells kept as read');
  assert.ok(Number(f.rows[0][5]) > 2000 && ['MALE', 'FEMALE'].includes(f.rows[0][6]), `filled ${f.rows[0]}`);
  assert.ok(f.rows[1].every((c) => c !== ''), `filled ${f.rows[1]}`);

  // score reads rows with missing cells through the saved schema and leaves those cells out: the same
  // numbers as the library's elboTerms with the mask (and not those of the cells read as zeros)
  const scores = path.join(dir, 'scores.csv');
  const sc = await cli(['score', '--model', run, '--data', rows, '--out', scores, ...ONE_THREAD]);
  assert.equal(sc.code, 0, show(sc));
  const got2 = readFileSync(scores, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',').at(-1)));
  const saved = loadModelDir(run);
  const csvRows = openCsvDataset(rows, { schema: parseTableSchema((saved.meta.dataset as unknown as { preprocessing: { schema: unknown } }).preprocessing.schema, 'schema') });
  const { x, mask } = readAll(csvRows.dataset);
  const vae = new VaeModel(nodeEngine({ threads: 1 }), saved.meta.model, saved.params);
  const seed = evalSeed(saved.meta.training!.seed);
  const masked = await vae.elboTerms(x, new Prng(seed), { mask });
  const unmasked = await vae.elboTerms(x, new Prng(seed));
  masked.recon.forEach((r, i) => assert.ok(Math.abs(r + masked.kl[i] - got2[i]) < 1e-3, `row ${i}: ${got2[i]} vs ${r + masked.kl[i]}`));
  assert.ok(Math.abs(unmasked.recon[1] - masked.recon[1]) > 0.1, 'the second row\'s missing cells matter');

  const cmp = await cli(['compare', csv, synth, '--ignore', 'Species', '--missing', ',NA,NaN,.', '--json']);
  assert.equal(cmp.code, 0, show(cmp));
  assert.ok(JSON.parse(cmp.stdout).overall > 0.6, cmp.stdout);
});
