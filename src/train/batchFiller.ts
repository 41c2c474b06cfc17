import { binarizeDynamic, binarizeStatic } from '../data/binarize.js';
import { type RowDataset } from '../data/rowDataset.js';
import { sizeOf } from '../graph/dtype.js';
import { noiseShape, stepScalarNames } from '../models/objective.js';
import { type Vae } from '../models/vae.js';
import { type DataSpec } from '../optim/trainStep.js';
import { type Prng } from '../random/prng.js';
import { klScalars } from './klSchedule.js';
import { type TrainConfig } from './trainConfig.js';

/**
 * The data inputs of one training step for batch size B, by name: x [B, ...dataShape], noise ε (see
 * noiseShape), one-hot `cond` [B, classes] for a conditional model, `mask` [B, D] for data with missing
 * values, and the per-step scalars of the KL schedule (`beta`, maybe `capacity`) as [] values.
 *
 * @example
 * const spec = stepDataSpec(vae, 128, false); // { x: { shape: [128, 1, 28, 28] }, eps: …, beta: … }
 */
export function stepDataSpec(vae: Vae, B: number, hasMask: boolean): Record<string, DataSpec> {
  const c = vae.config;
  const spec: Record<string, DataSpec> = { x: { shape: [B, ...c.dataShape] }, eps: { shape: noiseShape(c, B) } };
  if (c.classes > 0) spec.cond = { shape: [B, c.classes] };
  if (hasMask) spec.mask = { shape: [B, sizeOf(c.dataShape)] };
  for (const k of stepScalarNames(c)) spec[k] = { shape: [], perStep: true };
  return spec;
}

/** One call's data, k steps back to back per input, with the rows of each step. */
export interface CallData {
  data: Record<string, Float32Array>;
  sizes: number[];
}

/**
 * Fills the inputs of up to `maxSteps` consecutive steps into buffers it owns and reuses: reads each batch's
 * rows from the dataset in the epoch's order, binarizes as configured (dynamic draws from the data stream),
 * draws ε from the noise stream, one-hot labels, masks and the schedule's scalars for each step's count.
 */
export class BatchFiller {
  private readonly bufs: Record<string, Float32Array>;
  private readonly per: Record<string, number>;
  /** Inputs with one value set per step rather than per row (the schedule's scalars). */
  private readonly perStep: Set<string>;

  constructor(
    private readonly vae: Vae,
    private readonly training: TrainConfig,
    private readonly ds: RowDataset,
    maxSteps: number,
  ) {
    const spec = stepDataSpec(vae, training.batchSize, ds.hasMask === true);
    // values per row for batched inputs, per step for per-step scalars
    this.per = Object.fromEntries(Object.entries(spec).map(([k, d]) => [k, d.perStep ? sizeOf(d.shape) : sizeOf(d.shape.slice(1))]));
    this.perStep = new Set(Object.keys(spec).filter((k) => spec[k].perStep));
    const rows = (k: string) => (this.perStep.has(k) ? 1 : training.batchSize);
    this.bufs = Object.fromEntries(Object.keys(spec).map((k) => [k, new Float32Array(maxSteps * rows(k) * this.per[k])]));
  }

  /**
   * Fills steps for batches `first … first+k−1` of an epoch whose order is `perm`; `step0` is the count of
   * steps taken before (schedules read step0 + 1, …). Returns views of the filled part.
   */
  fill(perm: ArrayLike<number>, first: number, k: number, step0: number, dataRng: Prng, noiseRng: Prng, after: (i: number) => void): CallData {
    const { batchSize, binarize } = this.training;
    const at = (name: string, r0: number, m: number) => this.bufs[name].subarray(r0 * this.per[name], (r0 + m) * this.per[name]);
    // every row of the call in one read (one sorted pass over a disk source, or what prefetch started)
    const idx = this.callRows(perm, first, k);
    const sizes = Array.from({ length: k }, (_, i) => Math.min(batchSize, idx.length - i * batchSize));
    this.ds.read(idx, at('x', 0, idx.length), this.bufs.mask && at('mask', 0, idx.length));
    let rows = 0;
    for (let i = 0; i < k; i++) {
      const m = sizes[i];
      const x = at('x', rows, m);
      if (binarize === 'static') binarizeStatic(x, x);
      if (binarize === 'dynamic') binarizeDynamic(x, dataRng, x);
      noiseRng.normals(at('eps', rows, m));
      if (this.bufs.cond) {
        const c = at('cond', rows, m).fill(0);
        const K = this.vae.config.classes;
        for (let j = 0; j < m; j++) c[j * K + this.ds.labels![idx[rows + j]]] = 1;
      }
      const sc = klScalars(this.vae.config, step0 + i + 1);
      this.bufs.beta[i] = sc.beta;
      if (this.bufs.capacity) this.bufs.capacity[i] = sc.capacity!;
      after(i);
      rows += m;
    }
    const data: Record<string, Float32Array> = {};
    for (const name of Object.keys(this.bufs)) data[name] = this.perStep.has(name) ? this.bufs[name].subarray(0, k * this.per[name]) : at(name, 0, rows);
    return { data, sizes };
  }

  /**
   * Tells the dataset which rows the call for batches `first … first+k−1` will read, so a disk source reads
   * them while the current call runs (see {@link RowDataset.prefetch}).
   */
  prefetch(perm: ArrayLike<number>, first: number, k: number): void {
    this.ds.prefetch?.(this.callRows(perm, first, k));
  }

  /** Dataset rows of batches `first … first+k−1` of the epoch order `perm`, back to back. */
  private callRows(perm: ArrayLike<number>, first: number, k: number): Int32Array {
    const { batchSize } = this.training;
    const r0 = first * batchSize;
    const r1 = Math.min(perm.length, (first + k) * batchSize);
    return Int32Array.from({ length: r1 - r0 }, (_, j) => perm[r0 + j]);
  }

  /** Step i's inputs within a call's data (for a step-by-step replay). */
  stepData(call: CallData, i: number): Record<string, Float32Array> {
    const r0 = call.sizes.slice(0, i).reduce((a, b) => a + b, 0);
    const m = call.sizes[i];
    return Object.fromEntries(
      Object.entries(call.data).map(([k, v]) => [k, this.perStep.has(k) ? v.subarray(i * this.per[k], (i + 1) * this.per[k]) : v.subarray(r0 * this.per[k], (r0 + m) * this.per[k])]),
    );
  }
}
