// Real tables for tests and the tabular benchmark: vega-datasets (a dev dependency) and Debian's sklearn data.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { writeCsvFile } from '../../src/node/csvFiles.js';

const require = createRequire(import.meta.url);
/** vega-datasets' data folder (the package exports only its JS entry, build/index.js). */
export const VEGA_DATA = path.join(path.dirname(path.dirname(require.resolve('vega-datasets'))), 'data');

/** Installed by Debian's python3-sklearn; its first line is `569,30,malignant,benign`, not a header. */
export const BREAST_CANCER = '/usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv';

/** vega-datasets ships penguins and cars as JSON: writes `dir/<name>.csv` (null → empty cell), returns its path. */
export function vegaJsonToCsv(name: string, dir: string): string {
  const records = JSON.parse(readFileSync(path.join(VEGA_DATA, `${name}.json`), 'utf8')) as Record<string, unknown>[];
  const columns = Object.keys(records[0]);
  const file = path.join(dir, `${name}.csv`);
  writeCsvFile(file, columns, records.map((r) => columns.map((c) => (r[c] === null || r[c] === undefined ? '' : String(r[c])))));
  return file;
}
