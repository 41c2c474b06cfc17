// The mixed tabular likelihood against closed forms in float64, masking, gradients by finite differences,
// and the row sampler's frequencies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitTableSchema, tableSegments, tableWidth } from '../../src/data/tableSchema.js';
import { constant } from '../../src/graph/ops/index.js';
import { Graph } from '../../src/graph/tensor.js';
import { nodeEngine } from '../../src/node.js';
import { tabularLikelihood, tabularParamShapes, type TabularSegment } from '../../src/prob/tabularLikelihood.js';
import { sampleTabular } from '../../src/prob/tabularSample.js';
import { Prng } from '../../src/random/prng.js';
import { gradCheck } from '../helpers/gradcheck.js';

const engine = nodeEngine({ threads: 1 });
// numeric, categorical(3), numeric, categorical(2): D = 7, two numeric columns
const SEGS: TabularSegment[] = [
  { kind: 'gaussian', start: 0, width: 1, column: 'a' },
  { kind: 'categorical', start: 1, width: 3, column: 'b' },
  { kind: 'gaussian', start: 4, width: 1, column: 'c' },
  { kind: 'categorical', start: 5, width: 2, column: 'd' },
];
const D = 7, B = 5;

// Row data: numbers in the Gaussian columns, a one-hot level in each categorical segment; some cells missing.
function batch(rng: Prng): { x: Float32Array; mask: Float32Array; out: Float32Array; lv: Float32Array } {
  const x = new Float32Array(B * D), mask = new Float32Array(B * D).fill(1);
  const out = Float32Array.from(rng.normals(new Float32Array(B * D)), (v) => 2 * v);
  for (let b = 0; b < B; b++) {
    for (const s of SEGS) {
      const o = b * D + s.start;
      const missing = (b + s.start) % 4 === 0; // a pattern that hits every column in some row
      if (missing) mask.fill(0, o, o + s.width);
      else if (s.kind === 'gaussian') x[o] = rng.normal();
      else x[o + rng.int(s.width)] = 1;
    }
  }
  return { x, mask, out, lv: Float32Array.of(-0.7, 0.4) };
}

// float64 closed form: Σ over observed cells of log N(x | μ, e^lv) and log softmax(logits)[level]
function reference(x: Float32Array, mask: Float32Array | undefined, out: Float32Array, lv: Float32Array): number[] {
  const res: number[] = [];
  for (let b = 0; b < B; b++) {
    let ll = 0, num = 0;
    for (const s of SEGS) {
      const o = b * D + s.start;
      const seen = !mask || mask[o] === 1;
      if (s.kind === 'gaussian') {
        const v = Math.exp(lv[num++]);
        if (seen) ll += -0.5 * Math.log(2 * Math.PI * v) - (x[o] - out[o]) ** 2 / (2 * v);
        continue;
      }
      const logits = Array.from(out.subarray(o, o + s.width));
      const lse = Math.log(logits.reduce((a, l) => a + Math.exp(l), 0));
      for (let k = 0; k < s.width; k++) if (seen && x[o + k] === 1) ll += logits[k] - lse;
    }
    res.push(ll);
  }
  return res;
}

async function run(x: Float32Array, mask: Float32Array, out: Float32Array, lv: Float32Array) {
  const g = new Graph();
  const [xi, mi, oi, li] = [g.input('x', [B, D]), g.input('m', [B, D]), g.input('o', [B, D]), g.input('lv', [2])];
  const lik = tabularLikelihood(SEGS, oi, li);
  const f = await engine.compile(g, { masked: lik.logProb(xi, mi), full: lik.logProb(xi), mean: lik.mean });
  const r = await f.run({ x, m: mask, o: out, lv });
  return { masked: r.masked as Float32Array, full: r.full as Float32Array, mean: r.mean as Float32Array };
}

test('segment log-likelihoods match the closed form; missing cells contribute exactly nothing', async () => {
  const { x, mask, out, lv } = batch(new Prng(1));
  const r = await run(x, mask, out, lv);
  const refMasked = reference(x, mask, out, lv), refFull = reference(x, undefined, out, lv);
  for (let b = 0; b < B; b++) {
    assert.ok(Math.abs(r.masked[b] - refMasked[b]) < 1e-4 * Math.max(1, Math.abs(refMasked[b])), `row ${b}: ${r.masked[b]} vs ${refMasked[b]}`);
    assert.ok(Math.abs(r.full[b] - refFull[b]) < 1e-4 * Math.max(1, Math.abs(refFull[b])), `row ${b} unmasked`);
  }
  // changing the decoder output only at missing cells leaves the masked log-likelihood bit-identical
  const out2 = Float32Array.from(out, (v, i) => (mask[i] === 0 ? v + 37 : v));
  const x2 = Float32Array.from(x, (v, i) => (mask[i] === 0 ? 5 : v)); // even a non-zero x where missing
  const r2 = await run(x2, mask, out2, lv);
  assert.deepEqual(Array.from(r2.masked), Array.from(r.masked));
  assert.notDeepEqual(Array.from(r2.full), Array.from(r.full));
});

test('mean: numeric means pass through, categorical segments are softmax probabilities', async () => {
  const { x, mask, out, lv } = batch(new Prng(2));
  const { mean } = await run(x, mask, out, lv);
  for (let b = 0; b < B; b++) {
    for (const s of SEGS) {
      const o = b * D + s.start;
      if (s.kind === 'gaussian') assert.equal(mean[o], out[o]);
      else {
        const z = Array.from(out.subarray(o, o + s.width), Math.exp).reduce((a, v) => a + v, 0);
        for (let k = 0; k < s.width; k++) assert.ok(Math.abs(mean[o + k] - Math.exp(out[o + k]) / z) < 1e-6);
      }
    }
  }
});

test('gradients of the masked log-likelihood wrt decoder output and log σ² match finite differences', async () => {
  const { x, mask } = batch(new Prng(3));
  // x and the mask are constants of the graph; the decoder output and log σ² are the checked inputs
  await gradCheck([[B, D], [2]], (o, lv) => tabularLikelihood(SEGS, o, lv).logProb(constant(o.graph, x, [B, D]), constant(o.graph, mask, [B, D])));
});

test('decoder-output width and parameter shape for a schema', () => {
  const schema = fitTableSchema({
    source: 't',
    columns: ['mass', 'island', 'id', 'sex', 'flipper'],
    rows: [['3750', 'Torgersen', 'a', 'MALE', '181'], ['NA', 'Biscoe', 'b', '', '186'], ['3250', 'Dream', 'c', 'FEMALE', '195']],
  }, { ignore: ['id'] });
  // mass 1 + island 3 + sex 2 + flipper 1 (id ignored)
  assert.equal(tableWidth(schema), 7);
  const segs = tableSegments(schema);
  assert.deepEqual(segs.map((s) => [s.kind, s.start, s.width]), [['gaussian', 0, 1], ['categorical', 1, 3], ['categorical', 4, 2], ['gaussian', 6, 1]]);
  assert.deepEqual(tabularParamShapes(segs), { 'lik.logvar': [2] });
  const g = new Graph();
  assert.throws(() => tabularLikelihood(segs, g.input('o', [2, 6]), g.input('lv', [2])), /must end in the table width 7/);
});

test('sampleTabular: level frequencies follow the probabilities, numbers follow N(μ, σ²), mode is argmax', () => {
  const n = 20000;
  const mean = new Float32Array(n * D);
  for (let i = 0; i < n; i++) mean.set([1.5, 0.2, 0.5, 0.3, -2, 0.9, 0.1], i * D);
  const lv = Float32Array.of(Math.log(0.25), 0);
  const x = sampleTabular(SEGS, mean, n, lv, new Prng(9));
  const count = new Float64Array(D);
  let s1 = 0, s2 = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < D; j++) count[j] += x[i * D + j];
    s1 += x[i * D];
    s2 += x[i * D] ** 2;
  }
  const m = s1 / n, v = s2 / n - m * m;
  assert.ok(Math.abs(m - 1.5) < 0.02 && Math.abs(v - 0.25) < 0.02, `numeric draw mean ${m} var ${v}`);
  for (const [j, p] of [[1, 0.2], [2, 0.5], [3, 0.3], [5, 0.9], [6, 0.1]]) {
    const se = Math.sqrt((p * (1 - p)) / n);
    assert.ok(Math.abs(count[j] / n - p) < 5 * se, `level ${j}: ${count[j] / n} vs ${p}`);
  }
  const mode = sampleTabular(SEGS, mean.subarray(0, D), 1, lv, new Prng(1), 'mode');
  assert.deepEqual(Array.from(mode), [1.5, 0, 1, 0, -2, 1, 0]);
});
