import { VaekitError } from '../../errors.js';
import { fmtShape } from '../dtype.js';

/**
 * NumPy/ONNX multidirectional broadcasting of two static shapes.
 *
 * @example
 * broadcastShapes('add', [128, 1], [400]); // [128, 400]
 */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new VaekitError(`${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} do not broadcast (dim ${i}: ${da} vs ${db})`, 'E_SHAPE');
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/**
 * The axes of `out` along which a tensor of shape `inp` was broadcast: leading extra axes and axes where
 * `inp` has size 1. Summing a gradient over them (keepdims) and reshaping gives the gradient of `inp`.
 */
export function broadcastAxes(inp: readonly number[], out: readonly number[]): number[] {
  const lead = out.length - inp.length;
  const axes: number[] = [];
  for (let i = 0; i < out.length; i++) {
    if (i < lead || (inp[i - lead] === 1 && out[i] !== 1)) axes.push(i);
  }
  return axes;
}
