// The fidelity report on hand-computable tables, and the KS statistic against scipy.stats.ks_2samp.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fitTableSchema, type RawTable } from '../../src/data/tableSchema.js';
import { compareTables, ksStatistic } from '../../src/eval/tableFidelity.js';
import { Prng } from '../../src/random/prng.js';

const table = (source: string, columns: string[], rows: (string | number)[][]): RawTable => ({ source, columns, rows: rows.map((r) => r.map(String)) });
const close = (a: number, b: number, msg?: string) => assert.ok(Math.abs(a - b) < 1e-12, `${msg ?? ''} ${a} vs ${b}`);

// x = 0..99, y = 2x + 1, c alternating A/B, with a few missing cells
const REAL = table('real.csv', ['x', 'y', 'c'], Array.from({ length: 100 }, (_, i) => [i, i % 17 === 3 ? 'NA' : 2 * i + 1, i % 2 ? 'A' : 'B']));
const SCHEMA = fitTableSchema(REAL);

test('identical tables score 1 everywhere', () => {
  const r = compareTables(REAL, REAL, SCHEMA);
  assert.deepEqual(r.columns.map((c) => [c.column, c.metric, c.distance]), [['x', 'ks', 0], ['y', 'ks', 0], ['c', 'tvd', 0]]);
  assert.deepEqual(r.pairs.map((p) => [p.columns.join('-'), p.metric, p.score]), [['x-y', 'correlation', 1], ['x-c', 'contingency', 1], ['y-c', 'contingency', 1]]);
  assert.deepEqual([r.columnShapes, r.pairTrends, r.correlationDiff, r.overall], [1, 1, 0, 1]);
});

test('a shifted column, changed frequencies and a reversed correlation give the known numbers', () => {
  // x shifted by 10 of 100 evenly spaced values: KS = 0.1; c 80/20 instead of 50/50: TVD = 0.3;
  // y = −2x: r = −1 instead of +1: pair score 1 − |1 − (−1)|/2 = 0
  const synth = table('synth.csv', ['x', 'y', 'c'], Array.from({ length: 100 }, (_, i) => [i + 10, -2 * i, i % 5 ? 'A' : 'B']));
  const r = compareTables(REAL, synth, SCHEMA);
  close(r.columns[0].distance, 0.1, 'KS of x');
  close(r.columns[2].distance, 0.3, 'TVD of c');
  const xy = r.pairs[0];
  close(xy.real!, 1, 'real r');
  close(xy.synth!, -1, 'synth r');
  assert.equal(xy.score, 0);
  close(r.correlationDiff, 2);
  close(r.columnShapes, (0.9 + r.columns[1].score + 0.7) / 3);
  close(r.overall, (r.columnShapes + r.pairTrends) / 2);
  // a level the real table never had counts against TVD; a missing synthetic column is named
  const odd = table('odd.csv', ['x', 'y', 'c'], Array.from({ length: 100 }, (_, i) => [i, 2 * i + 1, 'Z']));
  close(compareTables(REAL, odd, SCHEMA).columns[2].distance, 1);
  assert.throws(() => compareTables(REAL, table('s.csv', ['x', 'c'], [[1, 'A']]), SCHEMA), /s\.csv: no column "y"/);
  assert.throws(() => compareTables(REAL, table('s.csv', ['x', 'y', 'c'], [[1, 'big', 'A']]), SCHEMA), /s\.csv: row 1: column "y": "big" is not a number/);
});

test('a label column is compared when the synthetic table has one, and skipped when it has not', () => {
  const schema = fitTableSchema(REAL, { label: 'c' });
  const withLabel = compareTables(REAL, REAL, schema);
  assert.deepEqual(withLabel.columns.map((c) => c.column), ['x', 'y', 'c']);
  const noLabel = table('s.csv', ['x', 'y'], REAL.rows.map((r) => r.slice(0, 2)));
  assert.deepEqual(compareTables(REAL, noLabel, schema).columns.map((c) => c.column), ['x', 'y']);
});

test('contingency pairs: a categorical column paired with a binned numeric one', () => {
  // real: c = A exactly when x < 50; synth breaks the link (c alternates): joint TVD = 0.5
  const real = table('r.csv', ['x', 'c'], Array.from({ length: 100 }, (_, i) => [i, i < 50 ? 'A' : 'B']));
  const synth = table('s.csv', ['x', 'c'], Array.from({ length: 100 }, (_, i) => [i, i % 2 ? 'A' : 'B']));
  const r = compareTables(real, synth, fitTableSchema(real));
  assert.deepEqual(r.columns.map((c) => c.distance), [0, 0]);
  close(r.pairs[0].score, 0.5);
});

const hasScipy = spawnSync('/usr/bin/python3', ['-c', 'import scipy.stats'], { encoding: 'utf8' }).status === 0;

test('ksStatistic equals scipy.stats.ks_2samp on samples with ties', { skip: !hasScipy && 'apt-get install python3-scipy for the cross-check' }, () => {
  const rng = new Prng(4);
  const cases = Array.from({ length: 12 }, (_, k) => {
    const draw = (n: number, shift: number) => Float64Array.from({ length: n }, () => Math.round((rng.normal() + shift) * (k % 3 === 0 ? 2 : 50)) / 10).sort();
    return [draw(5 + rng.int(60), 0), draw(5 + rng.int(60), k % 4 === 0 ? 0 : 0.3)];
  });
  const code = 'import json,sys; from scipy.stats import ks_2samp; print(json.dumps([ks_2samp(a, b).statistic for a, b in json.load(sys.stdin)]))';
  const py = spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8', input: JSON.stringify(cases.map(([a, b]) => [Array.from(a), Array.from(b)])) });
  assert.equal(py.status, 0, py.stderr);
  const ref = JSON.parse(py.stdout) as number[];
  cases.forEach(([a, b], k) => close(ksStatistic(a, b), ref[k], `case ${k}`));
});
