// Table schema inference, overrides and the encode/decode transforms on hand-checkable tables.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvDataset } from '../../src/data/csvDataset.js';
import { parseCsv } from '../../src/data/csvParse.js';
import { decodeTable, encodeTable, fillMissing } from '../../src/data/tableCodec.js';
import { fitTableSchema, parseTableSchema, tableWidth } from '../../src/data/tableSchema.js';
import { VaekitError } from '../../src/errors.js';

const TEXT = [
  'id,mass,island,sex,ratio,species',
  '1,3750,Torgersen,MALE,0.25,Adelie',
  '2,NA,Biscoe,,0.5,Gentoo',
  '3,3250,Dream,FEMALE,NaN,Adelie',
  '4,4000,Biscoe,MALE,1.125,Chinstrap',
].join('\n');

test('kinds are inferred, overrides win, levels are sorted, stats are over observed values', () => {
  const t = parseCsv(TEXT, { source: 't.csv' });
  const s = fitTableSchema(t, { ignore: ['id'], label: 'species' });
  assert.deepEqual(s.columns.map((c) => [c.name, c.kind]), [['id', 'ignore'], ['mass', 'numeric'], ['island', 'categorical'], ['sex', 'categorical'], ['ratio', 'numeric'], ['species', 'label']]);
  const mass = s.columns[1], ratio = s.columns[4];
  // mass over 3750, 3250, 4000 (NA left out): mean 3666.67, population std √(97222.2)
  assert.ok(mass.kind === 'numeric' && Math.abs(mass.mean - 11000 / 3) < 1e-9 && Math.abs(mass.std - Math.sqrt(((3750 - 11000 / 3) ** 2 + (3250 - 11000 / 3) ** 2 + (4000 - 11000 / 3) ** 2) / 3)) < 1e-9);
  assert.ok(mass.kind === 'numeric' && mass.decimals === 0 && ratio.kind === 'numeric' && ratio.decimals === 3);
  assert.deepEqual(s.columns[2].kind === 'categorical' && s.columns[2].levels, ['Biscoe', 'Dream', 'Torgersen']);
  assert.deepEqual(s.columns[5].kind === 'label' && s.columns[5].levels, ['Adelie', 'Chinstrap', 'Gentoo']);
  // id forced categorical; mass forced categorical too
  const s2 = fitTableSchema(t, { categorical: ['id', 'mass'] });
  assert.deepEqual(s2.columns.map((c) => c.kind), ['categorical', 'categorical', 'categorical', 'categorical', 'numeric', 'categorical']);
  // saved and re-read: JSON round trip through the zod schema
  assert.deepEqual(parseTableSchema(JSON.parse(JSON.stringify(s))), s);
  assert.throws(() => fitTableSchema(t, { numeric: ['nope'] }), /no column "nope" \(for numeric\); columns: id, mass/);
  assert.throws(() => fitTableSchema(t, { numeric: ['id'], ignore: ['id'] }), /"id" is given as both numeric and ignore/);
});

test('encode: standardized numbers, one-hot levels, a missing categorical masks its whole segment', () => {
  const t = parseCsv(TEXT, { source: 't.csv' });
  const s = fitTableSchema(t, { ignore: ['id'], label: 'species' });
  const e = encodeTable(s, t);
  // mass 1 + island 3 + sex 2 + ratio 1
  assert.equal(e.d, 7);
  assert.equal(tableWidth(s), 7);
  const mass = s.columns[1] as { mean: number; std: number };
  const row = (i: number) => Array.from(e.x.subarray(i * 7, i * 7 + 7));
  const m = (i: number) => Array.from(e.mask!.subarray(i * 7, i * 7 + 7));
  assert.ok(Math.abs(row(0)[0] - (3750 - mass.mean) / mass.std) < 1e-6);
  assert.deepEqual(row(0).slice(1), [0, 0, 1, 0, 1, row(0)[6]]); // Torgersen, MALE
  assert.deepEqual([row(1)[0], m(1)], [0, [0, 1, 1, 1, 0, 0, 1]]); // mass NA, sex empty: 2 mask zeros for sex
  assert.deepEqual(row(1).slice(4, 6), [0, 0]);
  assert.deepEqual(m(2), [1, 1, 1, 1, 1, 1, 0]); // ratio NaN
  assert.deepEqual(Array.from(e.labels!), [0, 2, 0, 1]);
  // decode inverts: original strings (numbers in their decimals), and the missing token where masked
  const d = decodeTable(s, e.x, e.n, e.mask);
  assert.deepEqual(d.columns, ['mass', 'island', 'sex', 'ratio']);
  assert.deepEqual(d.rows, [['3750', 'Torgersen', 'MALE', '0.25'], ['', 'Biscoe', '', '0.5'], ['3250', 'Dream', 'FEMALE', ''], ['4000', 'Biscoe', 'MALE', '1.125']]);
});

test('bad values name file, line and column; skip drops the row and refits on the kept rows', () => {
  const text = 'a,b\n1,x\n2,y\n"oops\nhere",y\n4,z\n';
  const s = fitTableSchema(parseCsv(text, { source: 'v.csv' }), { numeric: ['a'] });
  assert.throws(() => encodeTable(s, parseCsv(text, { source: 'v.csv' })), (e: Error) => e instanceof VaekitError && e.message.startsWith('v.csv: line 4: column "a": "oops\\nhere" is not a number'));
  const r = csvDataset(text, 'v.csv', { numeric: ['a'], onBad: 'skip' });
  assert.equal(r.dataset.n, 3);
  assert.deepEqual(r.skipped, { count: 1, first: [{ line: 4, reason: 'column "a": "oops\\nhere" is not a number' }] });
  const a = r.schema.columns[0];
  assert.ok(a.kind === 'numeric' && Math.abs(a.mean - 7 / 3) < 1e-12, 'mean over the kept rows 1, 2, 4');
  // a saved schema applied to new rows: an unknown level is a bad value
  assert.throws(() => csvDataset('a,b\n1,w\n', 'new.csv', { schema: r.schema }), /new\.csv: line 2: column "b": level "w" is not one of the 3 known levels/);
  assert.throws(() => csvDataset('b\nx\n', 'new.csv', { schema: r.schema }), /new\.csv: no column "a"/);
});

test('the dataset reads rows and mask by index', () => {
  const { dataset, schema } = csvDataset(TEXT, 't.csv', { ignore: ['id'], label: 'species' });
  assert.deepEqual([dataset.n, dataset.shape, dataset.hasMask, dataset.classNames], [4, [7], true, ['Adelie', 'Chinstrap', 'Gentoo']]);
  const x = new Float32Array(14), m = new Float32Array(14);
  dataset.read([3, 1], x, m);
  const e = encodeTable(schema, parseCsv(TEXT));
  assert.deepEqual(Array.from(x), [...e.x.subarray(21, 28), ...e.x.subarray(7, 14)]);
  assert.deepEqual(Array.from(m), [...e.mask!.subarray(21, 28), ...e.mask!.subarray(7, 14)]);
  assert.throws(() => dataset.read([4], x), /index 4/);
});

test('fillMissing replaces only missing x cells and keeps every other cell as read', () => {
  const t = parseCsv(TEXT, { source: 't.csv' });
  const s = fitTableSchema(t, { ignore: ['id'], label: 'species' });
  const e = encodeTable(s, t);
  // a "model" that predicts mass 4100, island Dream, sex FEMALE, ratio 2 for every row
  const mass = s.columns[1] as { mean: number; std: number }, ratio = s.columns[4] as { mean: number; std: number };
  const guess = [(4100 - mass.mean) / mass.std, 0, 0.9, 0.1, 0.8, 0.2, (2 - ratio.mean) / ratio.std];
  const filled = new Float32Array(e.n * 7);
  for (let i = 0; i < e.n; i++) filled.set(guess, i * 7);
  const out = fillMissing(s, t, e.rowIndex, filled);
  assert.deepEqual(out.columns, t.columns);
  assert.deepEqual(out.rows, [
    ['1', '3750', 'Torgersen', 'MALE', '0.25', 'Adelie'],
    ['2', '4100', 'Biscoe', 'FEMALE', '0.5', 'Gentoo'],
    ['3', '3250', 'Dream', 'FEMALE', '2', 'Adelie'],
    ['4', '4000', 'Biscoe', 'MALE', '1.125', 'Chinstrap'],
  ]);
});
