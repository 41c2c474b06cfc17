/** `vaekit impute`: fills the missing cells of CSV rows from a table model's posterior. */
import { type Command } from 'commander';
import { readAll } from '../data/datasetView.js';
import { formatCsv } from '../data/csvFormat.js';
import { imputeRows } from '../models/tableRows.js';
import { openCsvDataset } from '../node/csvFiles.js';
import { loadModel, makeEngine, tableSchemaOf } from './common.js';
import { addJsonOption, addModelOptions } from './options.js';
import { print, printJson, requireExtension, warn, writeOutput } from './output.js';

interface ImputeFlags {
  model: string;
  data: string;
  out: string;
  onBad: 'skip' | 'fail';
  threads?: number;
  json?: boolean;
}

/**
 * Adds `vaekit impute --model DIR --data rows.csv --out filled.csv`.
 *
 * @example
 * registerImpute(program);
 */
export function registerImpute(program: Command): void {
  const cmd = program
    .command('impute')
    .description('fill the missing cells (empty, NA, NaN) of CSV rows from the posterior of a model trained on a table; observed cells are kept as read')
    .requiredOption('--data <rows.csv>', 'rows with the columns the model was trained on')
    .requiredOption('--out <filled.csv>', 'output CSV')
    .option('--on-bad <what>', 'a bad row: fail, or skip it and report', 'fail');
  addJsonOption(addModelOptions(cmd)).action((o: ImputeFlags) => impute(o));
}

async function impute(o: ImputeFlags): Promise<void> {
  requireExtension('--out', o.out, ['.csv']);
  const m = loadModel(o.model, makeEngine(o.threads));
  const schema = tableSchemaOf(m);
  const source = (m.meta.dataset as { source?: { table?: { delimiter?: string } } } | null)?.source;
  const csv = openCsvDataset(o.data, { schema, delimiter: source?.table?.delimiter, onBad: o.onBad === 'skip' ? 'skip' : 'fail' });
  if (csv.skipped.count > 0) warn(`vaekit: left out ${csv.skipped.count} bad row(s) of ${o.data}: ${csv.skipped.first.map((b) => `line ${b.line}: ${b.reason}`).join('; ')}`);
  const { x, mask } = readAll(csv.dataset);
  const missing = mask ? mask.reduce((k, v) => k + (v === 0 ? 1 : 0), 0) : 0;
  const rowIndex = Array.from({ length: csv.dataset.n }, (_, i) => i);
  const filled = await imputeRows(m.model, schema, csv.table, rowIndex, x);
  writeOutput(o.out, formatCsv(filled.columns, filled.rows));
  if (o.json) printJson({ out: o.out, rows: csv.dataset.n, missingValues: missing, skipped: csv.skipped.count });
  else print(`wrote ${o.out}: ${csv.dataset.n} rows, ${missing} missing value(s) filled from the posterior`);
}
