import { VaekitError } from '../../errors.js';
import { fmtShape, sizeOf } from '../dtype.js';
import { type Tensor } from '../tensor.js';
import { emit, shapeError } from './core.js';

const ints = (v: number[]) => ({ kind: 'ints' as const, v });

/**
 * Reshape to a static shape; one dim may be -1 (inferred).
 *
 * @example
 * reshape(x, [128, 1, 28, 28]) // [128,784] → images for conv2d
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const known = shape.filter((d) => d !== -1);
  const free = shape.length - known.length;
  const out = [...shape];
  if (free > 1) shapeError('Reshape', `at most one -1 allowed in target ${fmtShape(shape)}`, x);
  if (free === 1) {
    const k = sizeOf(known);
    if (k === 0 || x.size % k !== 0) shapeError('Reshape', `cannot infer -1 in ${fmtShape(shape)}`, x);
    out[shape.indexOf(-1)] = x.size / k;
  }
  if (sizeOf(out) !== x.size) shapeError('Reshape', `target ${fmtShape(shape)} has ${sizeOf(out)} elements, input has ${x.size}`, x);
  if (out.length === x.rank && out.every((d, i) => d === x.shape[i])) return x;
  return emit('Reshape', [x], { shape: ints(out) }, out, x.dtype);
}

/**
 * Permute axes (default: reverse them).
 *
 * @example
 * transpose(w) // [784,400] → [400,784]
 */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm ? [...perm] : x.shape.map((_, i) => x.rank - 1 - i);
  const sorted = [...p].sort((a, b) => a - b);
  if (p.length !== x.rank || sorted.some((v, i) => v !== i)) shapeError('Transpose', `invalid permutation ${fmtShape(p)}`, x);
  return emit('Transpose', [x], { perm: ints(p) }, p.map((i) => x.shape[i]), x.dtype);
}

/**
 * Inputs per Concat node. onnxruntime-web's WebGPU Concat binds one storage buffer per input plus one for
 * the output, and WebGPU promises only 8 per shader stage: a 9-input Concat (the per-step losses of an
 * 8-steps-per-call training graph) fails pipeline validation there and yields zeros without an error.
 */
const CONCAT_MAX_INPUTS = 7;

/**
 * Join tensors along an axis; all other dims must agree. More than 7 tensors become a tree of Concats.
 *
 * @example
 * concat([mu, logvar], 1) // [B,20] ++ [B,20] → [B,40]
 */
export function concat(xs: readonly Tensor[], axis: number): Tensor {
  if (xs.length === 0) throw new VaekitError('Concat: needs at least one tensor', 'E_SHAPE');
  const r = xs[0].rank;
  const a = axis < 0 ? axis + r : axis;
  if (a < 0 || a >= r) shapeError('Concat', `axis ${axis} out of range for rank ${r}`, ...xs);
  for (const t of xs) {
    if (t.rank !== r || t.dtype !== xs[0].dtype || t.shape.some((d, i) => i !== a && d !== xs[0].shape[i])) {
      shapeError('Concat', `shapes/dtypes disagree off axis ${a}`, ...xs);
    }
  }
  if (xs.length > CONCAT_MAX_INPUTS) {
    const groups: Tensor[] = [];
    for (let i = 0; i < xs.length; i += CONCAT_MAX_INPUTS) {
      const g = xs.slice(i, i + CONCAT_MAX_INPUTS);
      groups.push(g.length === 1 ? g[0] : concat(g, a));
    }
    return concat(groups, a);
  }
  const out = [...xs[0].shape];
  out[a] = xs.reduce((s, t) => s + t.shape[a], 0);
  return emit('Concat', xs, { axis: { kind: 'int', v: a } }, out, xs[0].dtype);
}

/**
 * Static slice with unit or positive steps: for each listed axis, [start, end) by step.
 *
 * @example
 * slice(h, [0], [20], [1]) // first 20 columns: μ out of [μ, log σ²]
 */
export function slice(x: Tensor, starts: readonly number[], ends: readonly number[], axes?: readonly number[], steps?: readonly number[]): Tensor {
  const ax = axes ? axes.map((a) => (a < 0 ? a + x.rank : a)) : starts.map((_, i) => i);
  const st = steps ? [...steps] : starts.map(() => 1);
  if (ends.length !== starts.length || ax.length !== starts.length || st.length !== starts.length) {
    shapeError('Slice', 'starts, ends, axes and steps must have the same length', x);
  }
  const out = [...x.shape];
  const s0: number[] = [];
  const e0: number[] = [];
  ax.forEach((a, i) => {
    if (a < 0 || a >= x.rank) shapeError('Slice', `axis ${a} out of range`, x);
    if (!(st[i] >= 1)) shapeError('Slice', `step ${st[i]} must be a positive integer`, x);
    const d = x.shape[a];
    const s = Math.min(Math.max(starts[i] < 0 ? starts[i] + d : starts[i], 0), d);
    const e = Math.min(Math.max(ends[i] < 0 ? ends[i] + d : ends[i], 0), d);
    out[a] = Math.max(0, Math.ceil((e - s) / st[i]));
    s0.push(s);
    e0.push(e);
  });
  return emit('Slice', [x], { starts: ints(s0), ends: ints(e0), axes: ints(ax), steps: ints(st) }, out, x.dtype);
}

/**
 * Broadcast to a larger static shape (ONNX Expand).
 *
 * @example
 * expand(bias, [128, 400])
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const lead = shape.length - x.rank;
  if (lead < 0 || x.shape.some((d, i) => d !== 1 && d !== shape[lead + i])) {
    shapeError('Expand', `cannot broadcast to ${fmtShape(shape)}`, x);
  }
  if (lead === 0 && x.shape.every((d, i) => d === shape[i])) return x;
  return emit('Expand', [x], { shape: ints([...shape]) }, shape, x.dtype);
}

/**
 * Zero padding per axis: `pads` = [begin_0..begin_{r-1}, end_0..end_{r-1}]; negative values crop.
 *
 * @example
 * pad(g, [0, 2, 0, 3]) // [B,10] → [B,15]
 */
export function pad(x: Tensor, pads: readonly number[]): Tensor {
  if (pads.length !== 2 * x.rank) shapeError('Pad', `needs ${2 * x.rank} pad values, got ${pads.length}`, x);
  const out = x.shape.map((d, i) => d + pads[i] + pads[i + x.rank]);
  if (out.some((d) => d < 0)) shapeError('Pad', `pads ${fmtShape(pads)} crop below zero`, x);
  if (pads.every((p) => p === 0)) return x;
  return emit('Pad', [x], { pads: ints([...pads]) }, out, x.dtype);
}
