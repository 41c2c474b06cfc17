import { readFileSync, statSync } from 'node:fs';
import { csvDataset, type CsvDataset, type CsvDatasetOptions } from '../data/csvDataset.js';
import { formatCsv } from '../data/csvFormat.js';
import { VaekitError } from '../errors.js';
import { writeFileAtomic } from './atomicWrite.js';

/** Largest CSV file read (the text, its parsed strings and x live in memory together). */
export const MAX_CSV_BYTES = 1 * 2 ** 30;

/**
 * Reads a CSV file into a dataset: {@link csvDataset} over the file's UTF-8 text. Errors name the path.
 *
 * @example
 * const { dataset, schema, skipped } = openCsvDataset('penguins.csv', { label: 'Species', onBad: 'skip' });
 */
export function openCsvDataset(path: string, opts: CsvDatasetOptions = {}): CsvDataset {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new VaekitError(`${path}: cannot read the CSV file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, 'E_DATA_MISSING');
  }
  if (size > MAX_CSV_BYTES) throw new VaekitError(`${path}: ${size} bytes, over the ${MAX_CSV_BYTES}-byte limit for CSV tables held in memory`, 'E_DATA');
  return csvDataset(readFileSync(path, 'utf8'), path, opts);
}

/**
 * Writes rows as a CSV file, atomically (a crash leaves the old file or none, never half a table).
 *
 * @example
 * writeCsvFile('synth.csv', decoded.columns, decoded.rows);
 */
export function writeCsvFile(path: string, columns: readonly string[], rows: readonly (readonly string[])[], delimiter = ','): void {
  writeFileAtomic(path, formatCsv(columns, rows, delimiter));
}
