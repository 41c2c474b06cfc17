import { decodeTable, fillMissing, type DecodedTable } from '../data/tableCodec.js';
import { tableSegments, type RawTable, type TableSchema } from '../data/tableSchema.js';
import { VaekitError } from '../errors.js';
import { sampleTabular } from '../prob/tabularSample.js';
import { type Prng } from '../random/prng.js';
import { type VaeModel } from './vaeModel.js';

function logvarOf(model: VaeModel): Float32Array {
  if (model.config.likelihood.type !== 'tabular') throw new VaekitError('this model was not trained on a table (CSV); its samples are not rows', 'E_ARG');
  return model.params['lik.logvar'] ?? new Float32Array(0);
}

/**
 * `n` synthetic rows in the table's own columns, units and category levels: z ~ N(0, I), the decoder's
 * per-column distributions, then one draw per cell (numbers from N(μ, σ²), levels from their probabilities).
 *
 * @example
 * const { columns, rows } = await sampleRows(model, schema, 500, new Prng(1)); // → formatCsv(columns, rows)
 */
export async function sampleRows(model: VaeModel, schema: TableSchema, n: number, rng: Prng, opts: { labels?: number | ArrayLike<number> } = {}): Promise<DecodedTable> {
  const logvar = logvarOf(model);
  const mean = await model.sample(n, rng, opts);
  return decodeTable(schema, sampleTabular(tableSegments(schema), mean, n, logvar, rng), n);
}

/**
 * Fills the missing cells of `table`'s rows from the posterior: each row (missing cells masked out of x) is
 * encoded to μ(x) and decoded; a missing number gets the decoder's mean, a missing category its most
 * likely level. Observed cells are kept exactly as read.
 *
 * @example
 * const filled = await imputeRows(model, schema, table, enc.rowIndex, enc.x);
 */
export async function imputeRows(model: VaeModel, schema: TableSchema, table: RawTable, rowIndex: ArrayLike<number>, x: Float32Array): Promise<DecodedTable> {
  logvarOf(model);
  const n = rowIndex.length;
  const mean = await model.reconstruct(x); // [n, D]: numeric means and level probabilities
  // the mode of each categorical segment: decodeTable picks the largest probability
  return fillMissing(schema, table, rowIndex, mean.subarray(0, n * (mean.length / Math.max(1, n))));
}
