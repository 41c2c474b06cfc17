// Real tables: vega-datasets (penguins with missing values, cars, seattle-weather) and Debian's sklearn
// breast_cancer.csv: parse, schema, and encode → decode giving back every original cell.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { decodeTable } from '../../src/data/tableCodec.js';
import { isMissing, parseNumber } from '../../src/data/tableSchema.js';
import { openCsvDataset } from '../../src/node/csvFiles.js';
import { BREAST_CANCER, VEGA_DATA, vegaJsonToCsv } from '../helpers/tables.js';
import { type CsvDataset } from '../../src/data/csvDataset.js';

// Every kept cell comes back: numbers equal as numbers, levels as strings, missing cells as missing.
function assertRoundTrip(r: CsvDataset): void {
  const { dataset, schema, table } = r;
  const x = new Float32Array(dataset.n * dataset.shape[0]);
  const mask = dataset.hasMask ? new Float32Array(x.length) : undefined;
  dataset.read(Array.from({ length: dataset.n }, (_, i) => i), x, mask);
  const back = decodeTable(schema, x, dataset.n, mask);
  const missing = new Set(schema.missing);
  back.columns.forEach((name, j) => {
    const src = table.columns.indexOf(name);
    const col = schema.columns.find((c) => c.name === name)!;
    for (let i = 0; i < dataset.n; i++) {
      const orig = table.rows[i][src], got = back.rows[i][j];
      if (isMissing(orig, missing)) assert.equal(got, '', `${name} row ${i}: missing`);
      else if (col.kind === 'numeric') assert.equal(parseNumber(got), parseNumber(orig), `${name} row ${i}: ${got} vs ${orig}`);
      else assert.equal(got, orig.trim(), `${name} row ${i}`);
    }
  });
}

test('penguins: numeric and categorical columns with missing values, species as label', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vaekit-csv-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = openCsvDataset(vegaJsonToCsv('penguins', dir), { label: 'Species' });
  assert.equal(r.dataset.n, 344);
  assert.deepEqual(r.schema.columns.map((c) => c.kind), ['label', 'categorical', 'numeric', 'numeric', 'numeric', 'numeric', 'categorical']);
  assert.deepEqual(r.dataset.classNames, ['Adelie', 'Chinstrap', 'Gentoo']);
  const sex = r.schema.columns[6];
  assert.deepEqual(sex.kind === 'categorical' && sex.levels, ['.', 'FEMALE', 'MALE']); // '.' is a real (odd) level in this data
  // island 3 + 4 numeric + sex 3
  assert.deepEqual(r.dataset.shape, [10]);
  assert.ok(r.dataset.hasMask);
  const mask = new Float32Array(344 * 10);
  r.dataset.read(Array.from({ length: 344 }, (_, i) => i), new Float32Array(344 * 10), mask);
  // 2 rows miss all four measurements; 10 (including those 2) miss sex, whose segment has 3 mask zeros each
  assert.equal(mask.reduce((a, v) => a + (v === 0 ? 1 : 0), 0), 2 * 4 + 10 * 3);
  assertRoundTrip(r);
});

test('cars and seattle-weather round-trip through encode and decode', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vaekit-csv-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cars = openCsvDataset(vegaJsonToCsv('cars', dir), { ignore: ['Name'], categorical: ['Cylinders'] });
  assert.equal(cars.dataset.n, 406);
  assert.deepEqual(cars.schema.columns.map((c) => c.kind), ['ignore', 'numeric', 'categorical', 'numeric', 'numeric', 'numeric', 'numeric', 'categorical', 'categorical']);
  assert.ok(cars.dataset.hasMask, 'cars has missing mpg and horsepower');
  assertRoundTrip(cars);
  const weather = openCsvDataset(path.join(VEGA_DATA, 'seattle-weather.csv'), { ignore: ['date'], label: 'weather' });
  assert.equal(weather.dataset.n, 1461);
  assert.deepEqual(weather.dataset.classNames, ['drizzle', 'fog', 'rain', 'snow', 'sun']);
  assert.equal(weather.dataset.hasMask, false);
  assertRoundTrip(weather);
});

test('breast_cancer.csv (its first line is "569,30,malignant,benign", not a header)', { skip: !existsSync(BREAST_CANCER) && 'apt-get install python3-sklearn for breast_cancer.csv' }, () => {
  const columns = [...Array.from({ length: 30 }, (_, i) => `f${i}`), 'target'];
  const r = openCsvDataset(BREAST_CANCER, { skipLines: 1, columns, label: 'target' });
  assert.deepEqual([r.dataset.n, r.dataset.shape, r.dataset.classNames], [569, [30], ['0', '1']]);
  // sklearn: 212 malignant (0), 357 benign (1)
  assert.deepEqual([r.dataset.labels!.filter((l) => l === 0).length, r.dataset.labels!.filter((l) => l === 1).length], [212, 357]);
  assertRoundTrip(r);
  // read as-is, the 4-field first line is taken as the header and every data row has the wrong field count
  assert.throws(() => openCsvDataset(BREAST_CANCER), /breast_cancer\.csv: line 2: 31 fields, the header has 4/);
});

test('a missing file is a VaekitError naming the path', () => {
  assert.throws(() => openCsvDataset('/nonexistent/x.csv'), /\/nonexistent\/x\.csv: cannot read the CSV file \(ENOENT\)/);
});
