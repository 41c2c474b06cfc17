/** Element types vaekit graphs use. float32 carries all math; int64 indexes; bool comes from comparisons. */
export type DType = 'float32' | 'int64' | 'bool';

/** ONNX TensorProto.DataType codes for each dtype. */
export const ONNX_DTYPE: Record<DType, number> = { float32: 1, int64: 7, bool: 9 };

/** JS storage for a dtype's values. */
export type DataOf<D extends DType> = D extends 'float32' ? Float32Array : D extends 'int64' ? BigInt64Array : Uint8Array;

/** Number of elements of a static shape (1 for a scalar []). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** "[128,784]" — how shapes appear in every error message. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
