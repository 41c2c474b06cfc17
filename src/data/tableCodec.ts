import { VaekitError } from '../errors.js';
import { BadRows, type OnBad, type Skipped } from './csvParse.js';
import { isMissing, parseNumber, tableWidth, xColumns, type CategoricalColumn, type NumericColumn, type RawTable, type TableSchema } from './tableSchema.js';

/** Rows encoded into x-space. */
export interface EncodedTable {
  n: number;
  /** Width of a row: Σ numeric 1 + Σ categorical levels. */
  d: number;
  /** [n, d]: standardized numbers and one-hot levels; 0 where missing. */
  x: Float32Array;
  /** [n, d]: 1 observed, 0 missing (a missing categorical zeroes its whole segment); undefined when nothing is missing. */
  mask?: Float32Array;
  /** [n] label index, when the schema has a label column. */
  labels?: Int32Array;
  /** [n] index of each kept row in the input table. */
  rowIndex: Int32Array;
  skipped: Skipped;
}

/** A decoded table: the schema's x columns (numeric and categorical, in table order) as strings. */
export interface DecodedTable {
  columns: string[];
  rows: string[][];
}

/** Encoding limit: x and mask together, in bytes (refused above, naming both numbers). */
export const MAX_ENCODED_BYTES = 4 * 2 ** 30;

/**
 * Applies a schema to raw rows: numeric cells standardized, categorical cells one-hot, missing cells 0 with
 * mask 0. A bad cell — not a number in a numeric column, a level the schema does not know, a missing label —
 * fails naming the source, line and column, or with `onBad: 'skip'` drops its row (counted in `skipped`).
 * `lines` gives each row's file line for messages (default: row index + 2, after a header).
 *
 * @example
 * const { x, mask } = encodeTable(schema, parseCsv(text, { source: 'p.csv' }));
 */
export function encodeTable(schema: TableSchema, table: RawTable & { lines?: readonly number[] }, opts: { onBad?: OnBad } = {}): EncodedTable {
  const bad = new BadRows(table.source, opts.onBad ?? 'fail');
  const at = new Map(table.columns.map((c, j) => [c, j]));
  const cols = xColumns(schema);
  for (const c of schema.columns) {
    if (c.kind !== 'ignore' && !at.has(c.name)) throw new VaekitError(`${table.source}: no column ${JSON.stringify(c.name)} (the model's table has it); columns: ${table.columns.join(', ')}`, 'E_DATA');
  }
  const d = tableWidth(schema);
  const bytes = 2 * 4 * d * table.rows.length;
  if (bytes > MAX_ENCODED_BYTES) throw new VaekitError(`${table.source}: ${table.rows.length} rows × ${d} values need ${bytes} bytes, over the ${MAX_ENCODED_BYTES}-byte limit`, 'E_DATA');
  const missing = new Set(schema.missing);
  // per x column: where its cell is in the row, its width and level lookup (built once, not per cell)
  const plan: Plan[] = cols.map((c) => ({ col: c, src: at.get(c.name)!, width: c.kind === 'numeric' ? 1 : c.levels.length, levels: c.kind === 'categorical' ? new Map(c.levels.map((l, k) => [l, k])) : undefined }));
  const label = schema.columns.find((c) => c.kind === 'label');
  const labelPlan = label && { src: at.get(label.name)!, name: label.name, levels: new Map(label.levels.map((l, k) => [l, k])) };

  const x = new Float32Array(table.rows.length * d);
  const mask = new Float32Array(table.rows.length * d).fill(1);
  const labels = new Int32Array(table.rows.length);
  const rowIndex: number[] = [];
  table.rows.forEach((row, r) => {
    const i = rowIndex.length; // output row
    let problem = encodeRow(plan, row, missing, x, mask, i * d);
    if (problem === undefined && labelPlan) {
      const cell = row[labelPlan.src].trim();
      const k = labelPlan.levels.get(cell);
      if (k === undefined) problem = `label column ${JSON.stringify(labelPlan.name)}: ${isMissing(cell, missing) ? 'missing' : `level ${JSON.stringify(cell)} unknown`}`;
      else labels[i] = k;
    }
    if (problem === undefined) return void rowIndex.push(r);
    x.fill(0, i * d, (i + 1) * d); // the next row overwrites this one
    mask.fill(1, i * d, (i + 1) * d);
    bad.add(table.lines?.[r] ?? r + 2, problem);
  });
  const n = rowIndex.length;
  const anyMissing = mask.subarray(0, n * d).includes(0);
  return {
    n,
    d,
    x: x.slice(0, n * d),
    mask: anyMissing ? mask.slice(0, n * d) : undefined,
    labels: label ? labels.slice(0, n) : undefined,
    rowIndex: Int32Array.from(rowIndex),
    skipped: bad.skipped,
  };
}

interface Plan {
  col: NumericColumn | CategoricalColumn;
  src: number;
  width: number;
  levels?: Map<string, number>;
}

// Writes one row's x and mask at offset o; returns a problem description, or undefined when the row is good.
function encodeRow(plan: readonly Plan[], cells: readonly string[], missing: ReadonlySet<string>, x: Float32Array, mask: Float32Array, o: number): string | undefined {
  for (const { col: c, src, width, levels } of plan) {
    const cell = cells[src];
    if (cell === undefined || isMissing(cell, missing)) mask.fill(0, o, o + width);
    else if (c.kind === 'numeric') {
      const v = parseNumber(cell);
      if (v === undefined) return `column ${JSON.stringify(c.name)}: ${JSON.stringify(cell)} is not a number`;
      x[o] = (v - c.mean) / c.std;
      if (!Number.isFinite(x[o])) return `column ${JSON.stringify(c.name)}: ${cell.trim()} is too far from the fitted mean ${c.mean} for float32`;
    } else {
      const k = levels!.get(cell.trim());
      if (k === undefined) return `column ${JSON.stringify(c.name)}: level ${JSON.stringify(cell.trim())} is not one of the ${c.levels.length} known levels`;
      x[o + k] = 1;
    }
    o += width;
  }
  return undefined;
}

/**
 * Turns x-space rows [n, D] back into the original columns: numbers un-standardized and rounded to the
 * column's decimals, categorical segments to the level with the largest value (a one-hot row, or
 * probabilities). With `mask`, cells with mask 0 are written as the schema's first missing token.
 *
 * @example
 * const { columns, rows } = decodeTable(schema, x, n);
 */
export function decodeTable(schema: TableSchema, x: Float32Array, n: number, mask?: Float32Array): DecodedTable {
  const d = tableWidth(schema);
  if (x.length !== n * d) throw new VaekitError(`decodeTable: ${x.length} values are not ${n} rows × ${d}`, 'E_SHAPE');
  if (mask && mask.length !== x.length) throw new VaekitError(`decodeTable: mask has ${mask.length} values, x has ${x.length}`, 'E_SHAPE');
  const cols = xColumns(schema);
  const missingToken = schema.missing[0] ?? '';
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    let o = i * d;
    const row: string[] = [];
    for (const c of cols) {
      if (mask && mask[o] === 0) row.push(missingToken);
      else if (c.kind === 'numeric') row.push(formatNumber(x[o] * c.std + c.mean, c.decimals));
      else {
        let best = 0;
        for (let k = 1; k < c.levels.length; k++) if (x[o + k] > x[o + best]) best = k;
        row.push(c.levels[best]);
      }
      o += c.kind === 'numeric' ? 1 : c.levels.length;
    }
    rows.push(row);
  }
  return { columns: cols.map((c) => c.name), rows };
}

// Rounded to `decimals` places, without float noise ('0.30000000000000004') or a '-0'.
function formatNumber(v: number, decimals: number): string {
  if (!Number.isFinite(v)) return String(v);
  const s = String(Number(v.toFixed(decimals)));
  return s === '-0' ? '0' : s;
}

/**
 * Imputation output: the input rows with every missing x cell (numeric or categorical) replaced by the
 * decoded model value of that row, and every other cell — observed, ignored or label — kept exactly as read.
 * `filled` is x-space [n, D] for the kept rows (`rowIndex` from {@link encodeTable}), e.g. the decoder mean.
 *
 * @example
 * const e = encodeTable(schema, table);
 * const out = fillMissing(schema, table, e.rowIndex, posteriorMean); // then formatCsv(out.columns, out.rows)
 */
export function fillMissing(schema: TableSchema, table: RawTable, rowIndex: ArrayLike<number>, filled: Float32Array): DecodedTable {
  const decoded = decodeTable(schema, filled, rowIndex.length);
  const missing = new Set(schema.missing);
  const at = decoded.columns.map((c) => table.columns.indexOf(c));
  const rows = Array.from(rowIndex, (r, i) => {
    const row = [...table.rows[r]];
    at.forEach((j, k) => {
      if (isMissing(row[j], missing)) row[j] = decoded.rows[i][k];
    });
    return row;
  });
  return { columns: [...table.columns], rows };
}
