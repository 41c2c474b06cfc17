import { VaekitError } from '../errors.js';
import { isMissing, parseNumber, type RawTable, type TableSchema } from '../data/tableSchema.js';

/** How close one synthetic column's distribution is to the real one. */
export interface ColumnFidelity {
  column: string;
  kind: 'numeric' | 'categorical';
  /** 'ks': two-sample Kolmogorov–Smirnov statistic over observed values; 'tvd': total variation distance of level frequencies (missing counted as a level). */
  metric: 'ks' | 'tvd';
  distance: number;
  /** 1 − distance. */
  score: number;
}

/** How well one pair of columns keeps its relationship. */
export interface PairFidelity {
  columns: [string, string];
  /** 'correlation' for two numeric columns, 'contingency' otherwise (numbers binned). */
  metric: 'correlation' | 'contingency';
  /** Pearson r in the real and synthetic tables (correlation pairs only). */
  real?: number;
  synth?: number;
  /** correlation: 1 − |r_real − r_synth| / 2; contingency: 1 − TVD of the joint frequencies. */
  score: number;
}

/** The fidelity report; every score is in [0, 1], 1 = indistinguishable by that statistic. */
export interface FidelityReport {
  columns: ColumnFidelity[];
  pairs: PairFidelity[];
  /** Mean column score (SDMetrics' "Column Shapes"). */
  columnShapes: number;
  /** Mean pair score (SDMetrics' "Column Pair Trends"); 1 when the table has one column. */
  pairTrends: number;
  /** Mean |r_real − r_synth| over numeric pairs with a defined correlation (0 when none). */
  correlationDiff: number;
  /** (columnShapes + pairTrends) / 2, as SDMetrics' quality report. */
  overall: number;
}

/** Bins per numeric column in contingency tables (SDMetrics' default). */
const BINS = 10;

/**
 * Compares a synthetic table with the real one, in the spirit of SDMetrics' single-table quality report:
 * Column Shapes = mean over columns of 1 − KS (numeric) or 1 − TVD (categorical); Column Pair Trends = mean
 * over column pairs of 1 − |r_real − r_synth|/2 (Pearson, two numeric columns) or 1 − TVD of the joint
 * frequencies (otherwise; numbers cut into 10 equal-width bins over the real range, synthetic values clamped
 * into the end bins); overall = the mean of the two. Numeric missing cells are left out of KS and of pairs;
 * a missing categorical cell counts as its own level. The schema's numeric and categorical columns (and its
 * label, as a categorical column, when the synthetic table has it) are compared; ignored columns are not.
 *
 * @example
 * const r = compareTables(parseCsv(real), parseCsv(synth), fitTableSchema(parseCsv(real)));
 * r.overall // 0.87
 */
export function compareTables(real: LinedTable, synth: LinedTable, schema: TableSchema): FidelityReport {
  const missing = new Set(schema.missing);
  // a label column is compared when the synthetic table has it (sampling from a model trained with a label writes none)
  const cols = schema.columns.filter((c) => c.kind !== 'ignore' && (c.kind !== 'label' || synth.columns.includes(c.name)));
  const R = cols.map((c) => readColumn(real, c.name, c.kind === 'numeric', missing));
  const S = cols.map((c) => readColumn(synth, c.name, c.kind === 'numeric', missing));
  const columns: ColumnFidelity[] = cols.map((c, j) => {
    const numeric = c.kind === 'numeric';
    const distance = numeric ? ksStatistic(observed(R[j].nums!), observed(S[j].nums!)) : tvd(frequencies(R[j].keys), frequencies(S[j].keys));
    return { column: c.name, kind: numeric ? 'numeric' : 'categorical', metric: numeric ? 'ks' : 'tvd', distance, score: 1 - distance };
  });
  const pairs: PairFidelity[] = [];
  for (let a = 0; a < cols.length; a++) {
    for (let b = a + 1; b < cols.length; b++) {
      const names: [string, string] = [cols[a].name, cols[b].name];
      if (R[a].nums && R[b].nums) {
        const r = pearson(R[a].nums!, R[b].nums!), s = pearson(S[a].nums!, S[b].nums!);
        if (Number.isNaN(r)) continue; // a constant real column has no correlation to keep
        pairs.push({ columns: names, metric: 'correlation', real: r, synth: s, score: Number.isNaN(s) ? 0.5 : 1 - Math.abs(r - s) / 2 });
      } else {
        const [ra, sa] = binned(R[a], S[a]), [rb, sb] = binned(R[b], S[b]);
        pairs.push({ columns: names, metric: 'contingency', score: 1 - tvd(joint(ra, rb), joint(sa, sb)) });
      }
    }
  }
  const mean = (xs: number[], empty: number) => (xs.length ? xs.reduce((p, v) => p + v, 0) / xs.length : empty);
  const columnShapes = mean(columns.map((c) => c.score), 1);
  const pairTrends = mean(pairs.map((p) => p.score), 1);
  const diffs = pairs.filter((p) => p.metric === 'correlation' && p.synth !== undefined && !Number.isNaN(p.synth)).map((p) => Math.abs(p.real! - p.synth!));
  return { columns, pairs, columnShapes, pairTrends, correlationDiff: mean(diffs, 0), overall: (columnShapes + pairTrends) / 2 };
}

/** Raw rows, with the file line of each row when known (for messages). */
export type LinedTable = RawTable & { lines?: readonly number[] };

interface Column {
  /** Per row: the value, NaN where missing (numeric columns only). */
  nums?: Float64Array;
  /** Per row: the trimmed cell, or MISSING_KEY. */
  keys: string[];
}

const MISSING_KEY = '\u0000missing';

function readColumn(t: LinedTable, name: string, numeric: boolean, missing: ReadonlySet<string>): Column {
  const j = t.columns.indexOf(name);
  if (j < 0) throw new VaekitError(`${t.source}: no column ${JSON.stringify(name)}; columns: ${t.columns.join(', ')}`, 'E_DATA');
  const keys = t.rows.map((r) => (isMissing(r[j], missing) ? MISSING_KEY : r[j].trim()));
  if (!numeric) return { keys };
  const nums = new Float64Array(keys.length);
  keys.forEach((k, i) => {
    const v = k === MISSING_KEY ? NaN : parseNumber(k);
    const where = t.lines ? `line ${t.lines[i]}` : `row ${i + 1}`;
    if (v === undefined) throw new VaekitError(`${t.source}: ${where}: column ${JSON.stringify(name)}: ${JSON.stringify(k)} is not a number`, 'E_DATA');
    nums[i] = v;
  });
  return { nums, keys };
}

const observed = (v: Float64Array): Float64Array => v.filter((x) => !Number.isNaN(x)).sort();

/**
 * Two-sample Kolmogorov–Smirnov statistic sup_x |F_a(x) − F_b(x)| of sorted samples (1 when one is empty
 * and the other not, 0 when both are).
 *
 * @example
 * ksStatistic(Float64Array.of(1, 2, 3), Float64Array.of(2, 3, 4)) // 1/3
 */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : 1;
  let i = 0, j = 0, d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i], b[j]);
    while (i < a.length && a[i] === x) i++; // step over ties in both samples before comparing the CDFs
    while (j < b.length && b[j] === x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

function frequencies(keys: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  for (const [k, c] of m) m.set(k, c / keys.length);
  return m;
}

/** ½ Σ |p − q| over the union of keys. */
function tvd(p: Map<string, number>, q: Map<string, number>): number {
  if (p.size === 0 || q.size === 0) return p.size === q.size ? 0 : 1;
  let s = 0;
  for (const [k, v] of p) s += Math.abs(v - (q.get(k) ?? 0));
  for (const [k, v] of q) if (!p.has(k)) s += v;
  return s / 2;
}

// Pearson r over rows where both are observed; NaN if either is constant there.
function pearson(x: Float64Array, y: Float64Array): number {
  let n = 0, sx = 0, sy = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]) && !Number.isNaN(y[i])) (n++, (sx += x[i]), (sy += y[i]));
  const mx = sx / n, my = sy / n;
  let cxy = 0, cxx = 0, cyy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    cxy += (x[i] - mx) * (y[i] - my);
    cxx += (x[i] - mx) ** 2;
    cyy += (y[i] - my) ** 2;
  }
  return cxx > 0 && cyy > 0 ? Math.max(-1, Math.min(1, cxy / Math.sqrt(cxx * cyy))) : NaN;
}

// Categorical keys as they are; numbers as one of BINS equal-width bins over the real range (missing stays missing).
function binned(real: Column, synth: Column): [string[], string[]] {
  if (!real.nums) return [real.keys, synth.keys];
  const obs = observed(real.nums);
  const lo = obs[0] ?? 0, hi = obs[obs.length - 1] ?? 0;
  const width = (hi - lo) / BINS;
  const bin = (v: number) => (Number.isNaN(v) ? MISSING_KEY : String(width > 0 ? Math.min(BINS - 1, Math.max(0, Math.floor((v - lo) / width))) : 0));
  return [Array.from(real.nums, bin), Array.from(synth.nums!, bin)];
}

const joint = (a: string[], b: string[]): Map<string, number> => frequencies(a.map((k, i) => `${k}\u0001${b[i]}`));
