import { z } from 'zod';
import { VaekitError } from '../errors.js';
import { type TabularSegment } from '../prob/tabularLikelihood.js';
import { parseOrThrow } from '../schemaIssues.js';

/** Cell strings that mean "missing" unless a schema says otherwise (compared after trimming). */
export const DEFAULT_MISSING = ['', 'NA', 'NaN'];

/** Decimal number syntax accepted in numeric columns (no hex, no Infinity, no thousands separators). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

// Saved in config.json: every field a later `sample`, `encode`, `score` or `impute` needs to apply and invert
// the transform exactly.
const NumericColumn = z.object({
  name: z.string(),
  kind: z.literal('numeric'),
  /** Standardization z = (v − mean) / std over the observed values of the fitted table. */
  mean: z.number(),
  /** Population std of the observed values; 1 for a constant column. */
  std: z.number().positive(),
  /** Most fractional digits seen (≤ 10): decoded values are rounded to it, so integer columns stay integers. */
  decimals: z.number().int().min(0).max(10),
});
const CategoricalColumn = z.object({
  name: z.string(),
  kind: z.literal('categorical'),
  /** One-hot order: sorted by code unit, so it does not depend on row order. */
  levels: z.array(z.string()).min(1),
});
/** The class label: not part of x; becomes the dataset's labels (index into levels). */
const LabelColumn = z.object({ name: z.string(), kind: z.literal('label'), levels: z.array(z.string()).min(1) });
const IgnoredColumn = z.object({ name: z.string(), kind: z.literal('ignore') });
const Column = z.discriminatedUnion('kind', [NumericColumn, CategoricalColumn, LabelColumn, IgnoredColumn]);

/** The zod schema of a saved table schema (part of config.json). */
export const TableSchemaSchema = z.object({
  format: z.literal('vaekit-table'),
  version: z.literal(1),
  columns: z.array(Column).min(1),
  missing: z.array(z.string()).default(DEFAULT_MISSING),
});

export type TableSchema = z.infer<typeof TableSchemaSchema>;
export type TableColumn = z.infer<typeof Column>;
export type NumericColumn = z.infer<typeof NumericColumn>;
export type CategoricalColumn = z.infer<typeof CategoricalColumn>;

/** Column type overrides, by column name. Every other column is inferred. */
export interface SchemaOverrides {
  categorical?: readonly string[];
  numeric?: readonly string[];
  ignore?: readonly string[];
  /** At most one label column. */
  label?: string;
  /** Missing-value tokens; default {@link DEFAULT_MISSING}. */
  missing?: readonly string[];
}

/** A table of raw strings as {@link parseCsv} returns it (only the parts the schema needs). */
export interface RawTable {
  source: string;
  columns: readonly string[];
  rows: readonly (readonly string[])[];
}

/**
 * Validates a saved schema (e.g. from config.json).
 *
 * @example
 * const schema = parseTableSchema(JSON.parse(text).table);
 */
export function parseTableSchema(raw: unknown, source = 'table schema'): TableSchema {
  const s = parseOrThrow(TableSchemaSchema, raw, (issues) => new VaekitError(`${source}: invalid: ${issues}`, 'E_CONFIG'));
  const names = new Set<string>();
  for (const c of s.columns) {
    if (names.has(c.name)) throw new VaekitError(`${source}: column ${JSON.stringify(c.name)} appears twice`, 'E_CONFIG');
    names.add(c.name);
    if (c.kind !== 'numeric' && c.kind !== 'ignore' && new Set(c.levels).size !== c.levels.length) {
      throw new VaekitError(`${source}: column ${JSON.stringify(c.name)} repeats a level`, 'E_CONFIG');
    }
  }
  if (s.columns.filter((c) => c.kind === 'label').length > 1) throw new VaekitError(`${source}: more than one label column`, 'E_CONFIG');
  if (xColumns(s).length === 0) throw new VaekitError(`${source}: no numeric or categorical column to model`, 'E_CONFIG');
  return s;
}

/**
 * True when a cell is missing under the schema's tokens.
 *
 * @example
 * isMissing(' NA ', new Set(schema.missing)) // true
 */
export const isMissing = (cell: string, missing: ReadonlySet<string>): boolean => missing.has(cell.trim());

/**
 * The number in a cell, or undefined when it is not a finite decimal number.
 *
 * @example
 * parseNumber(' -1.5e3 ') // -1500; parseNumber('0x10') // undefined
 */
export function parseNumber(cell: string): number | undefined {
  const t = cell.trim();
  if (!NUMBER.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined; // '1e400' overflows float64: not a usable number
}

/**
 * Infers column kinds and fits the transforms on `table`: a column is numeric when every non-missing cell is
 * a decimal number, categorical otherwise; a column with no observed cell is ignored. Overrides name columns
 * to force; a cell that does not parse in a forced-numeric column is reported later by {@link encodeTable}
 * (the fit uses the cells that do parse).
 *
 * @example
 * const schema = fitTableSchema(parseCsv(text), { label: 'Species', ignore: ['id'] });
 */
export function fitTableSchema(table: RawTable, overrides: SchemaOverrides = {}): TableSchema {
  const forced = checkOverrides(table, overrides);
  const missing = new Set(overrides.missing ?? DEFAULT_MISSING);
  const columns = table.columns.map((name, j): TableColumn => {
    const kind = forced.get(name);
    if (kind === 'ignore') return { name, kind };
    const cells: string[] = [];
    for (const row of table.rows) if (!isMissing(row[j], missing)) cells.push(row[j].trim());
    if (kind === 'label' || kind === 'categorical') {
      if (cells.length === 0) throw new VaekitError(`${table.source}: column ${JSON.stringify(name)} has no observed value`, 'E_DATA');
      return { name, kind, levels: sortedLevels(cells) };
    }
    if (kind !== 'numeric' && cells.length === 0) return { name, kind: 'ignore' };
    const nums: (number | undefined)[] = [];
    for (const c of cells) {
      const v = parseNumber(c);
      if (v === undefined && kind !== 'numeric') return { name, kind: 'categorical', levels: sortedLevels(cells) }; // first non-number decides
      nums.push(v);
    }
    return fitNumeric(name, cells, nums, table.source);
  });
  return parseTableSchema({ format: 'vaekit-table', version: 1, columns, missing: [...missing] }, table.source);
}

function fitNumeric(name: string, cells: string[], nums: (number | undefined)[], source: string): NumericColumn {
  let n = 0, sum = 0, decimals = 0, largest = 0;
  nums.forEach((v, i) => {
    if (v === undefined) return;
    n++;
    sum += v;
    largest = Math.max(largest, Math.abs(v));
    decimals = Math.max(decimals, fractionDigits(cells[i]));
  });
  if (n === 0) throw new VaekitError(`${source}: numeric column ${JSON.stringify(name)} has no numeric value`, 'E_DATA');
  const mean = sum / n;
  let ss = 0;
  for (const v of nums) if (v !== undefined) ss += (v - mean) ** 2;
  const std = Math.sqrt(ss / n);
  if (!Number.isFinite(mean) || !Number.isFinite(ss)) throw new VaekitError(`${source}: numeric column ${JSON.stringify(name)} has values too large to standardize in float64 (largest magnitude ${largest})`, 'E_DATA');
  return { name, kind: 'numeric', mean, std: std > 0 && Number.isFinite(std) ? std : 1, decimals: Math.min(decimals, 10) };
}

// Digits after the point, counting an exponent: '1.25' → 2, '1.5e-3' → 4, '120' → 0.
function fractionDigits(cell: string): number {
  if (!/[.eE]/.test(cell)) return 0; // an integer, the common case: no second full regex
  const m = /^[+-]?\d*(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(cell);
  if (!m) return 0;
  return Math.max(0, (m[1]?.length ?? 0) - Number(m[2] ?? 0));
}

const sortedLevels = (cells: string[]): string[] => [...new Set(cells)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function checkOverrides(table: RawTable, o: SchemaOverrides): Map<string, TableColumn['kind']> {
  const known = new Set(table.columns);
  const forced = new Map<string, TableColumn['kind']>();
  const lists: [TableColumn['kind'], readonly string[]][] = [
    ['categorical', o.categorical ?? []],
    ['numeric', o.numeric ?? []],
    ['ignore', o.ignore ?? []],
    ['label', o.label === undefined ? [] : [o.label]],
  ];
  for (const [kind, names] of lists) {
    for (const name of names) {
      if (!known.has(name)) throw new VaekitError(`${table.source}: no column ${JSON.stringify(name)} (for ${kind}); columns: ${table.columns.join(', ')}`, 'E_ARG');
      const before = forced.get(name);
      if (before) throw new VaekitError(`${table.source}: column ${JSON.stringify(name)} is given as both ${before} and ${kind}`, 'E_ARG');
      forced.set(name, kind);
    }
  }
  return forced;
}

/**
 * The columns that form x (numeric and categorical), in table order.
 *
 * @example
 * xColumns(schema).map((c) => c.name) // the columns decodeTable writes
 */
export function xColumns(schema: TableSchema): (NumericColumn | CategoricalColumn)[] {
  return schema.columns.filter((c): c is NumericColumn | CategoricalColumn => c.kind === 'numeric' || c.kind === 'categorical');
}

/**
 * The x-space layout: one Gaussian segment of width 1 per numeric column, one categorical segment of width
 * `levels.length` per categorical column, in table order. Its total width is the data and decoder-output width.
 *
 * @example
 * tableSegments(schema) // [{ kind: 'gaussian', start: 0, width: 1, column: 'mass' }, { kind: 'categorical', start: 1, width: 3, column: 'island' }]
 */
export function tableSegments(schema: TableSchema): TabularSegment[] {
  let start = 0;
  return xColumns(schema).map((c) => {
    const width = c.kind === 'numeric' ? 1 : c.levels.length;
    const seg: TabularSegment = { kind: c.kind === 'numeric' ? 'gaussian' : 'categorical', start, width, column: c.name };
    start += width;
    return seg;
  });
}

/**
 * Width D of x for a schema (= the decoder-output width of the tabular likelihood).
 *
 * @example
 * const d = tableWidth(schema); // mlp dims [latent, ..., d]
 */
export const tableWidth = (schema: TableSchema): number => tableSegments(schema).reduce((d, s) => d + s.width, 0);
