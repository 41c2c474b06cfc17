import { BAD_LISTED, parseCsv, type CsvParseOptions, type CsvTable, type OnBad, type Skipped } from './csvParse.js';
import { arrayDataset, type RowDataset } from './rowDataset.js';
import { encodeTable } from './tableCodec.js';
import { fitTableSchema, type SchemaOverrides, type TableSchema } from './tableSchema.js';

/** How to read a CSV table into a dataset. */
export interface CsvDatasetOptions extends SchemaOverrides, Pick<CsvParseOptions, 'delimiter' | 'skipLines' | 'columns' | 'maxCells'> {
  /** Default 'fail'. */
  onBad?: OnBad;
  /** Apply this saved schema (from a model's config.json) instead of fitting one: for encode, score, impute. */
  schema?: TableSchema;
}

/** A CSV table as a dataset, with the schema that encodes it and the rows left out. */
export interface CsvDataset {
  dataset: RowDataset;
  schema: TableSchema;
  /** Rows left out under onBad 'skip' (parse and value problems together, first few by line). */
  skipped: Skipped;
  /** The parsed table of kept rows (raw strings), e.g. for `compare` or to write imputed rows beside the originals. */
  table: CsvTable;
}

/**
 * Parses CSV text, fits (or applies) a table schema and encodes the rows into an in-memory {@link RowDataset}
 * of shape [D] with a missing-value mask when any cell is missing, and labels when a label column is given.
 * With `onBad: 'skip'`, rows with bad values are dropped and the schema is fitted again on the kept rows, so
 * no statistic sees a dropped row.
 *
 * @example
 * const { dataset, schema, skipped } = csvDataset(text, 'penguins.csv', { label: 'Species' });
 */
export function csvDataset(text: string, source: string, opts: CsvDatasetOptions = {}): CsvDataset {
  const onBad = opts.onBad ?? 'fail';
  let table = parseCsv(text, { source, delimiter: opts.delimiter, skipLines: opts.skipLines, columns: opts.columns, maxCells: opts.maxCells, onBad });
  let schema = opts.schema ?? fitTableSchema(table, opts);
  let enc = encodeTable(schema, table, { onBad });
  const skipped = mergeSkipped(table.skipped, enc.skipped);
  if (enc.skipped.count > 0) {
    const keep = Array.from(enc.rowIndex);
    table = { ...table, rows: keep.map((r) => table.rows[r]), lines: keep.map((r) => table.lines[r]), skipped };
    if (!opts.schema) schema = fitTableSchema(table, opts);
    enc = encodeTable(schema, table, { onBad: 'fail' }); // every kept row encoded once already
  }
  const label = schema.columns.find((c) => c.kind === 'label');
  const dataset = arrayDataset(source, enc.x, [enc.d], { mask: enc.mask, labels: enc.labels, classNames: label?.kind === 'label' ? label.levels : undefined });
  return { dataset, schema, skipped, table: { ...table, skipped } };
}

function mergeSkipped(a: Skipped, b: Skipped): Skipped {
  const first = [...a.first, ...b.first].sort((x, y) => x.line - y.line).slice(0, BAD_LISTED);
  return { count: a.count + b.count, first };
}
