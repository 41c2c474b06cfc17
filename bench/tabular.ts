// npm run bench:tabular — the tabular benchmark on penguins (vega-datasets): train an MLP VAE with
// the mixed Gaussian/categorical likelihood on 70% of the rows, sample as many synthetic rows, and report
// (a) the fidelity score of compareTables against the training rows and (b) train-on-synthetic,
// test-on-real accuracy of a softmax regression predicting Species from the other columns on the held-out
// 30% — against a sampler that draws every column independently from its marginal. Exits 1 if the VAE does
// not beat the marginal sampler on both.
//   --epochs N (default 200)  --seeds K (default 5)  --threads T (default 1)
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatCsv } from '../src/data/csvFormat.js';
import { parseCsv, type CsvTable } from '../src/data/csvParse.js';
import { decodeTable, encodeTable } from '../src/data/tableCodec.js';
import { fitTableSchema, tableSegments, type RawTable, type TableSchema } from '../src/data/tableSchema.js';
import { compareTables } from '../src/eval/tableFidelity.js';
import { nodeEngine } from '../src/node.js';
import { Prng } from '../src/random/prng.js';
import { VEGA_DATA } from '../test/helpers/tables.js';
import { accuracy, fitSoftmaxRegression, type Labeled } from './softmaxRegression.js';
import { sampleTabularVae, trainTabularVae, type TabularVaeOptions } from './tabularVae.js';

const { values } = parseArgs({ options: { epochs: { type: 'string', default: '200' }, seeds: { type: 'string', default: '5' }, threads: { type: 'string', default: '1' } } });
const EPOCHS = Number(values.epochs), SEEDS = Number(values.seeds);
const engine = nodeEngine({ threads: Number(values.threads) });
const OPTS: TabularVaeOptions = { hidden: 64, latent: 4, batch: 32, lr: 2e-3 };
const TARGET = 'Species';
/** penguins has one Sex cell '.', a data-entry placeholder: read as missing (else a split may see a level its training rows lack). */
const MISSING = ['', 'NA', 'NaN', '.'];

/** penguins.json as a parsed CSV table (null → empty cell). */
function penguins(): CsvTable {
  const records = JSON.parse(readFileSync(`${VEGA_DATA}/penguins.json`, 'utf8')) as Record<string, unknown>[];
  const columns = Object.keys(records[0]);
  return parseCsv(formatCsv(columns, records.map((r) => columns.map((c) => (r[c] == null ? '' : String(r[c]))))), { source: 'penguins.csv' });
}

const subset = (t: RawTable, idx: ArrayLike<number>): RawTable => ({ source: t.source, columns: t.columns, rows: Array.from(idx, (i) => t.rows[i]) });

/** Features: every encoded column but the target (missing cells 0); label: the target's level. */
function labeled(schema: TableSchema, t: RawTable): Labeled {
  const e = encodeTable(schema, t);
  const target = tableSegments(schema).find((s) => s.column === TARGET)!;
  const f = e.d - target.width;
  const features = new Float64Array(e.n * f), labels = new Int32Array(e.n);
  for (let i = 0; i < e.n; i++) {
    let o = 0, best = 0;
    for (let j = 0; j < e.d; j++) {
      if (j >= target.start && j < target.start + target.width) continue;
      features[i * f + o++] = e.x[i * e.d + j];
    }
    for (let k = 1; k < target.width; k++) if (e.x[i * e.d + target.start + k] > e.x[i * e.d + target.start + best]) best = k;
    labels[i] = best;
  }
  return { n: e.n, f, features, labels };
}

/** Each column drawn independently from the training rows' cells (missing cells included). */
function marginalSample(t: RawTable, n: number, rng: Prng): RawTable {
  return { source: 'marginal', columns: t.columns, rows: Array.from({ length: n }, () => t.columns.map((_, j) => t.rows[rng.int(t.rows.length)][j])) };
}

function evaluate(schema: TableSchema, train: RawTable, test: RawTable, synth: RawTable) {
  const fid = compareTables(train, synth, schema);
  const classes = (schema.columns.find((c) => c.name === TARGET) as { levels: string[] }).levels.length;
  const tstr = accuracy(fitSoftmaxRegression(labeled(schema, synth), classes), labeled(schema, test));
  return { overall: fid.overall, shapes: fid.columnShapes, pairs: fid.pairTrends, tstr };
}

const table = penguins();
const rows: Record<string, ReturnType<typeof evaluate>[]> = { vae: [], marginal: [] };
const trtr: number[] = [];
for (let seed = 1; seed <= SEEDS; seed++) {
  const rng = new Prng(seed);
  const perm = rng.permutation(table.rows.length);
  const nTrain = Math.round(0.7 * table.rows.length);
  const train = subset(table, perm.subarray(0, nTrain)), test = subset(table, perm.subarray(nTrain));
  const schema = fitTableSchema(train, { missing: MISSING });
  const segs = tableSegments(schema);
  const enc = encodeTable(schema, train);
  const t0 = performance.now();
  const { params, losses } = await trainTabularVae(engine, segs, { n: enc.n, x: enc.x, mask: enc.mask ?? new Float32Array(enc.x.length).fill(1) }, OPTS, EPOCHS, rng);
  const secs = (performance.now() - t0) / 1000;
  const x = await sampleTabularVae(engine, segs, params, OPTS, nTrain, rng);
  const synth = { source: 'vae', ...decodeTable(schema, x, nTrain) };
  rows.vae.push(evaluate(schema, train, test, synth));
  rows.marginal.push(evaluate(schema, train, test, marginalSample(train, nTrain, rng)));
  const classes = (schema.columns.find((c) => c.name === TARGET) as { levels: string[] }).levels.length;
  trtr.push(accuracy(fitSoftmaxRegression(labeled(schema, train), classes), labeled(schema, test)));
  console.log(
    `seed ${seed}: ${nTrain} train / ${table.rows.length - nTrain} test rows, D = ${enc.d}; VAE loss (−ELBO, nats/row) ` +
      `epoch 1 ${losses[0].toFixed(2)} → epoch ${EPOCHS} ${losses[EPOCHS - 1].toFixed(2)} in ${secs.toFixed(1)} s ` +
      `(${Math.floor(nTrain / OPTS.batch) * EPOCHS} steps of ${OPTS.batch})`,
  );
}

const ms = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  return `${m.toFixed(3)} ± ${sd.toFixed(3)}`;
};
console.log(`\npenguins, ${SEEDS} seeds (mean ± sd); fidelity vs the training rows; TSTR: softmax regression for ${TARGET}, tested on the held-out real rows`);
console.log('sampler            overall score    column shapes    pair trends      TSTR accuracy');
for (const [name, r] of Object.entries(rows)) {
  console.log(`${name.padEnd(18)} ${ms(r.map((v) => v.overall)).padEnd(16)} ${ms(r.map((v) => v.shapes)).padEnd(16)} ${ms(r.map((v) => v.pairs)).padEnd(16)} ${ms(r.map((v) => v.tstr))}`);
}
console.log(`${'real (TRTR)'.padEnd(18)} ${'1'.padEnd(16)} ${'1'.padEnd(16)} ${'1'.padEnd(16)} ${ms(trtr)}`);
const mean = (k: 'overall' | 'tstr', name: string) => rows[name].reduce((a, v) => a + v[k], 0) / SEEDS;
const beats = mean('overall', 'vae') > mean('overall', 'marginal') && mean('tstr', 'vae') > mean('tstr', 'marginal');
console.log(beats ? 'VAE synthesis beats the marginal sampler on fidelity and TSTR accuracy' : 'FAIL: VAE synthesis does not beat the marginal sampler');
process.exitCode = beats ? 0 : 1;
