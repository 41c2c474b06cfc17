import { VaekitError } from '../errors.js';
import { encodeNpyHeader, NPY_ITEM_SIZE, parseNpyHeader, type NpyDtype } from './npyHeader.js';

export { encodeNpyHeader, npyHeaderSize, parseNpyHeader, NPY_ITEM_SIZE, MAX_NPY_HEADER_BYTES, type NpyDtype, type NpyHeader } from './npyHeader.js';

interface NpyDataOf {
  uint8: Uint8Array;
  int32: Int32Array;
  int64: BigInt64Array;
  float32: Float32Array;
  float64: Float64Array;
}

/**
 * A whole NumPy array: `data` holds prod(shape) elements in C order. Discriminated on `dtype`, so
 * `if (a.dtype === 'float32')` narrows `a.data` to a Float32Array.
 *
 * @example
 * const a: NpyArray = { dtype: 'uint8', shape: [2, 2], data: Uint8Array.of(0, 1, 2, 3) };
 */
export type NpyArray = { [K in NpyDtype]: { dtype: K; shape: number[]; data: NpyDataOf[K] } }[NpyDtype];

const CTOR = { uint8: Uint8Array, int32: Int32Array, int64: BigInt64Array, float32: Float32Array, float64: Float64Array };

/** Largest body decodeNpy copies into memory (bytes); bigger arrays are read row by row from disk (src/node). */
export const MAX_NPY_IN_MEMORY_BYTES = 2 ** 31;

/**
 * Decodes a whole `.npy` file. The body must hold exactly the bytes the header promises: a short body is
 * refused naming the byte offset where it ends, as are trailing bytes.
 *
 * @example
 * const a = decodeNpy(await readFile('x.npy'), 'x.npy'); // { dtype: 'float32', shape: [100, 784], data }
 */
export function decodeNpy(bytes: Uint8Array, source: string): NpyArray {
  const h = parseNpyHeader(bytes, source);
  const end = h.dataOffset + h.dataBytes;
  const shape = `(${h.shape.join(', ')}) ${h.dtype}`;
  if (bytes.length < end) {
    throw new VaekitError(`.npy file ${source}: truncated: shape ${shape} needs ${h.dataBytes} bytes from byte ${h.dataOffset} to byte ${end}, but the file ends at byte ${bytes.length}`, 'E_DATA');
  }
  if (bytes.length > end) throw new VaekitError(`.npy file ${source}: ${bytes.length - end} unexpected bytes after the data, from byte ${end}`, 'E_DATA');
  if (h.dataBytes > MAX_NPY_IN_MEMORY_BYTES) {
    throw new VaekitError(`.npy file ${source}: ${h.dataBytes} bytes exceed the in-memory limit of ${MAX_NPY_IN_MEMORY_BYTES}; open it from disk (openNpyDataset)`, 'E_DATA');
  }
  const count = h.dataBytes / NPY_ITEM_SIZE[h.dtype];
  // a copy (not Buffer#slice, which aliases): aligned for the typed array whatever the input's offset
  const body = new Uint8Array(bytes.subarray(h.dataOffset, end)).buffer;
  return { dtype: h.dtype, shape: h.shape, data: new CTOR[h.dtype](body, 0, count) } as NpyArray;
}

/**
 * Encodes an array as `.npy` bytes (format 1.0, C order, little-endian) that `numpy.load` reads.
 *
 * @example
 * const bytes = encodeNpy({ dtype: 'float32', shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) });
 */
export function encodeNpy(a: NpyArray): Uint8Array {
  const count = a.shape.reduce((p, d) => p * d, 1);
  if (a.data.length !== count) {
    throw new VaekitError(`encodeNpy: data has ${a.data.length} elements but shape [${a.shape}] needs ${count}`, 'E_ARG');
  }
  if (!(a.data instanceof CTOR[a.dtype])) throw new VaekitError(`encodeNpy: dtype ${a.dtype} needs a ${CTOR[a.dtype].name}`, 'E_ARG');
  const head = encodeNpyHeader(a.dtype, a.shape);
  const out = new Uint8Array(head.length + a.data.byteLength);
  out.set(head, 0);
  out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), head.length);
  return out;
}

/**
 * Integer labels as Int32Array from an int32/int64/uint8 array of shape [N] (or [N, 1]); refuses negative
 * values and values that do not fit an int32, naming the index.
 *
 * @example
 * const y = npyLabels(decodeNpy(bytes, 'y.npy'), 'y.npy'); // Int32Array [N]
 */
export function npyLabels(a: NpyArray, source: string): Int32Array {
  if (a.shape.length !== 1 && !(a.shape.length === 2 && a.shape[1] === 1)) {
    throw new VaekitError(`labels ${source}: shape (${a.shape.join(', ')}); expected (N,) integers`, 'E_DATA');
  }
  if (a.dtype === 'float32' || a.dtype === 'float64') {
    throw new VaekitError(`labels ${source}: dtype ${a.dtype}; labels must be integers, save y.astype('int64')`, 'E_DATA');
  }
  const out = new Int32Array(a.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = Number(a.data[i]);
    if (!(v >= 0 && v <= 0x7fffffff)) throw new VaekitError(`labels ${source}: label ${v} at index ${i} is not an integer in [0, 2^31)`, 'E_DATA');
    out[i] = v;
  }
  return out;
}
