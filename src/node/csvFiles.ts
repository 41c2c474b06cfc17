import { readFileSync, statSync } from 'node:fs';
import { csvDataset, type CsvDataset, type CsvDatasetOptions } from '../data/csvDataset.js';
import { formatCsv } from '../data/csvFormat.js';
import { parseCsv, type CsvParseOptions, type CsvTable } from '../data/csvParse.js';
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
  return csvDataset(readCsvText(path), path, opts);
}

/**
 * Reads a CSV file into raw rows ({@link parseCsv}), e.g. a synthetic table to compare.
 *
 * @example
 * const synth = readCsvTable('synth.csv');
 */
export function readCsvTable(path: string, opts: Omit<CsvParseOptions, 'source'> = {}): CsvTable {
  return parseCsv(readCsvText(path), { ...opts, source: path });
}

function readCsvText(path: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new VaekitError(`${path}: cannot read the CSV file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, 'E_DATA_MISSING');
  }
  if (size > MAX_CSV_BYTES) throw new VaekitError(`${path}: ${size} bytes, over the ${MAX_CSV_BYTES}-byte limit for CSV tables held in memory`, 'E_DATA');
  return readFileSync(path, 'utf8');
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
