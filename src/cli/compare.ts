/**
 * `vaekit compare REAL.csv SYNTH.csv`: how faithful a synthetic table is to the real one — per-column KS or
 * total variation distance, pairwise correlation differences and one overall score (see compareTables).
 */
import { type Command } from 'commander';
import { compareTables, type FidelityReport } from '../eval/tableFidelity.js';
import { openCsvDataset, readCsvTable } from '../node/csvFiles.js';
import { addJsonOption } from './options.js';
import { fmt, note, print, printJson } from './output.js';
import { addTableOptions, skippedNote, tableOptions, type TableFlags } from './tableOptions.js';

interface CompareFlags extends TableFlags {
  json?: boolean;
}

/**
 * Adds `vaekit compare <real.csv> <synth.csv> [--json] [table flags]`.
 *
 * @example
 * registerCompare(program);
 */
export function registerCompare(program: Command): void {
  const cmd = program
    .command('compare')
    .description('fidelity of a synthetic CSV table to the real one: per-column KS (numeric) or total variation (categorical), pairwise correlation differences, one overall score in [0, 1]')
    .argument('<real.csv>', 'the real table (its column kinds are inferred, or set by the flags)')
    .argument('<synth.csv>', 'the synthetic table, with the same column names');
  addJsonOption(addTableOptions(cmd)).action((real: string, synth: string, o: CompareFlags) => compare(real, synth, o));
}

function compare(realPath: string, synthPath: string, o: CompareFlags): void {
  const opts = tableOptions(o);
  const real = openCsvDataset(realPath, opts);
  // the synthetic table is read as raw rows under the real table's schema: levels it invents count against it
  const synth = readCsvTable(synthPath, { delimiter: opts.delimiter, onBad: opts.onBad });
  for (const [path, skipped] of [[realPath, real.skipped], [synthPath, synth.skipped]] as const) {
    const s = skippedNote(path, skipped);
    if (s) note(s);
  }
  const report = compareTables(real.table, synth, real.schema);
  if (o.json) printJson({ real: realPath, synth: synthPath, rows: { real: real.table.rows.length, synth: synth.rows.length }, ...report });
  else print(formatReport(report, real.table.rows.length, synth.rows.length));
}

function formatReport(r: FidelityReport, nReal: number, nSynth: number): string {
  const w = Math.max(6, ...r.columns.map((c) => c.column.length));
  const lines = [`real ${nReal} rows, synthetic ${nSynth} rows`, `${'column'.padEnd(w)}  metric  distance  score`];
  for (const c of r.columns) lines.push(`${c.column.padEnd(w)}  ${c.metric.toUpperCase().padEnd(6)}  ${fmt(c.distance).padEnd(8)}  ${fmt(c.score)}`);
  const corr = r.pairs.filter((p) => p.metric === 'correlation');
  lines.push(
    `column shapes ${fmt(r.columnShapes)} (mean of 1 − distance)`,
    `column pair trends ${fmt(r.pairTrends)} over ${r.pairs.length} pairs; mean |Δ correlation| ${fmt(r.correlationDiff)} over ${corr.length} numeric pairs`,
    `overall score ${fmt(r.overall)} (mean of the two; 1 = same statistics)`,
  );
  return lines.join('\n');
}
