import { VaekitError } from '../../errors.js';
import { type DType, fmtShape } from '../dtype.js';
import { type Attrs, Graph, Tensor } from '../tensor.js';

/** A tensor operand, or a JS number lifted to a float32 scalar constant. */
export type TensorLike = Tensor | number;

/** Records a single-output node. */
export function emit(op: string, inputs: readonly Tensor[], attrs: Attrs, shape: readonly number[], dtype: DType): Tensor {
  const g = inputs[0].graph;
  return g.addNode(op, inputs, attrs, [{ shape, dtype }])[0];
}

/** Throws the standard shape/dtype error: the op and every operand's dtype and shape. */
export function shapeError(op: string, what: string, ...ts: readonly Tensor[]): never {
  const desc = ts.map((t) => `${t.dtype}${fmtShape(t.shape)}`).join(' and ');
  throw new VaekitError(`${op}: ${what} (operands: ${desc})`, 'E_SHAPE');
}

/** Asserts a tensor is float32; every differentiable op works on float32. */
export function needFloat(op: string, ...ts: readonly Tensor[]): void {
  for (const t of ts) if (t.dtype !== 'float32') shapeError(op, `expected float32 operands, got ${t.dtype}`, ...ts);
}

/**
 * A constant tensor baked into the graph (serialized as an ONNX initializer).
 *
 * @example
 * const half = constant(g, new Float32Array([0.5]), []);
 */
export function constant(g: Graph, data: Float32Array | BigInt64Array | Uint8Array, shape: readonly number[], dtype: DType = 'float32'): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  if (data.length !== n) throw new VaekitError(`constant: ${data.length} values do not fill shape ${fmtShape(shape)}`, 'E_SHAPE');
  const attrs: Attrs = { value: { kind: 'tensor', dtype, shape: [...shape], data } };
  return g.addNode('Constant', [], attrs, [{ shape, dtype }])[0];
}

/** A float32 scalar constant. */
export function scalar(g: Graph, v: number): Tensor {
  return constant(g, new Float32Array([v]), []);
}

/** Lifts numbers to scalar constants in the graph of the tensor operand. */
export function lift(a: TensorLike, b: TensorLike, op: string): [Tensor, Tensor] {
  if (a instanceof Tensor && b instanceof Tensor) return [a, b];
  if (a instanceof Tensor) return [a, scalar(a.graph, b as number)];
  if (b instanceof Tensor) return [scalar(b.graph, a), b];
  throw new VaekitError(`${op}: at least one operand must be a Tensor`, 'E_GRAPH');
}

/** Normalizes (possibly negative) axes against a rank; sorted, unique, validated. */
export function normAxes(op: string, axes: number | readonly number[] | undefined, t: Tensor): number[] {
  if (axes === undefined) return t.shape.map((_, i) => i);
  const list = typeof axes === 'number' ? [axes] : [...axes];
  const out = list.map((a) => (a < 0 ? a + t.rank : a));
  for (const a of out) {
    if (!Number.isInteger(a) || a < 0 || a >= t.rank) shapeError(op, `axis ${a} out of range for rank ${t.rank}`, t);
  }
  return [...new Set(out)].sort((x, y) => x - y);
}
