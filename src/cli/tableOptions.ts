/**
 * Flags for reading CSV tables, shared by the commands that take one (`compare`; `train --data x.csv`,
 * `impute`): delimiter, column-kind overrides, missing-value tokens and what to do with bad rows.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { type CsvDatasetOptions } from '../data/csvDataset.js';
import { type Skipped } from '../data/csvParse.js';

/** Parsed table flags (commander camel-cases them). */
export interface TableFlags {
  delimiter?: string;
  categorical?: string[];
  numeric?: string[];
  ignore?: string[];
  label?: string;
  missing?: string[];
  onBad?: 'skip' | 'fail';
}

// 'a,b' → ['a', 'b'] (names may hold spaces; empty names are refused)
const namesArg = (v: string): string[] => {
  const names = v.split(',').map((s) => s.trim());
  if (names.some((s) => s === '')) throw new InvalidArgumentError('expected comma-separated column names');
  return names;
};

/**
 * Adds --delimiter, --categorical, --numeric, --ignore, --label, --missing and --on-bad.
 *
 * @example
 * addTableOptions(program.command('compare'));
 */
export function addTableOptions(cmd: Command, opts: { label?: boolean; onBad?: boolean } = {}): Command {
  cmd
    .option('--delimiter <char>', 'field delimiter of the CSV files', (v: string) => {
      const d = v === '\\t' || v === 'tab' ? '\t' : v;
      if (d.length !== 1 || /["\r\n]/.test(d)) throw new InvalidArgumentError('expected one character (or "tab")');
      return d;
    })
    .option('--categorical <names>', 'treat these columns as categorical, e.g. cylinders,year', namesArg)
    .option('--numeric <names>', 'treat these columns as numeric (a non-number is then a bad row)', namesArg)
    .option('--ignore <names>', 'leave these columns out', namesArg)
    .option('--missing <tokens>', 'cells meaning "missing" (default: empty, NA, NaN)', (v: string) => v.split(','));
  if (opts.onBad !== false) cmd.addOption(new Option('--on-bad <what>', 'a bad row: stop (fail) or leave it out and report it (skip)').choices(['skip', 'fail']).default('fail'));
  if (opts.label !== false) cmd.option('--label <name>', 'the class label column (kept out of the data)');
  return cmd;
}

/** The library options for {@link TableFlags}. */
export const tableOptions = (f: TableFlags): CsvDatasetOptions => ({
  delimiter: f.delimiter,
  categorical: f.categorical,
  numeric: f.numeric,
  ignore: f.ignore,
  label: f.label,
  missing: f.missing,
  onBad: f.onBad,
});

/** One line for stderr about rows left out, or undefined when none were. */
export function skippedNote(source: string, s: Skipped): string | undefined {
  if (s.count === 0) return undefined;
  const list = s.first.map((b) => `line ${b.line}: ${b.reason}`).join('; ');
  return `${source}: skipped ${s.count} bad row${s.count === 1 ? '' : 's'} (${list}${s.count > s.first.length ? '; …' : ''})`;
}
