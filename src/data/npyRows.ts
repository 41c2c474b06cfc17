import { VaekitError } from '../errors.js';
import { type NpyArray, type NpyDtype } from './npy.js';
import { arrayDataset, type RowDataset } from './rowDataset.js';

/**
 * How the rows of an `.npy` array become vaekit examples, shared by the in-memory and on-disk sources:
 * [N, D] → [D]; [N, H, W] → [1, H, W]; [N, C, H, W] → [C, H, W]; [N, H, W, C] (channels-last) → [C, H, W].
 * uint8 is scaled by 1/255; float32 is kept; float64 is rounded to float32.
 */
export interface NpyRowLayout {
  n: number;
  /** Per-example shape in vaekit's order ([C, H, W] or [D]). */
  shape: number[];
  /** Elements per row (the product of `shape`). */
  rowElems: number;
  /** The multiplier applied to stored values (1/255 for uint8, else 1). */
  scale: number;
  channelsLast: boolean;
  /** What {@link convertStoredRow} needs to know of a row. */
  geometry: RowGeometry;
  /** Converts one stored row (`src[from .. from+rowElems)`, file order) into `dst` at `at`. */
  convert(src: StoredRows, from: number, dst: Float32Array, at: number): void;
}

/** A row's channels, pixels per channel plane, values, and whether it is stored channels-last. */
export interface RowGeometry {
  c: number;
  hw: number;
  rowElems: number;
  last: boolean;
}

/**
 * Converts one stored row (`src[from .. from+rowElems)`, file order) into float32 `dst` at `at`, in vaekit's
 * [C, H, W] order; uint8 through `u8` (the table of v / 255). One loop per case, each over a single
 * typed-array type, so the hot loop stays monomorphic. Self-contained (it names nothing outside itself):
 * the `.npy` read-ahead worker runs this function's own source text.
 *
 * @example
 * convertStoredRow(Uint8Array.of(0, 255), 0, out, 0, { c: 1, hw: 2, rowElems: 2, last: false }, u8); // out: [0, 1]
 */
export function convertStoredRow(src: StoredRows, from: number, dst: Float32Array, at: number, g: RowGeometry, u8: Float32Array): void {
  const { c, hw, rowElems, last } = g;
  if (src instanceof Uint8Array) {
    if (last) for (let p = 0; p < hw; p++) for (let k = 0; k < c; k++) dst[at + k * hw + p] = u8[src[from + p * c + k]];
    else for (let j = 0; j < rowElems; j++) dst[at + j] = u8[src[from + j]];
  } else if (src instanceof Float32Array) {
    if (last) for (let p = 0; p < hw; p++) for (let k = 0; k < c; k++) dst[at + k * hw + p] = src[from + p * c + k];
    else dst.set(src.subarray(from, from + rowElems), at);
  } else {
    if (last) for (let p = 0; p < hw; p++) for (let k = 0; k < c; k++) dst[at + k * hw + p] = src[from + p * c + k];
    else for (let j = 0; j < rowElems; j++) dst[at + j] = src[from + j];
  }
}

/** uint8 → [0, 1]: v / 255 (not v * (1/255): the same rounding as the IDX loader), faster by table than dividing. */
export const U8_TO_UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/** Stored elements of data arrays. */
export type StoredRows = Uint8Array | Float32Array | Float64Array;

/** dtypes vaekit accepts for x (integers other than uint8 are labels, not pixels). */
const DATA_DTYPES: readonly NpyDtype[] = ['uint8', 'float32', 'float64'];

/**
 * The row layout of an array of `shape` and `dtype`. `channelsLast` undefined means "not said": a rank-4
 * array that looks like [N, H, W, C] (C ≤ 4 last, more than 4 second) is then refused with the flag to pass.
 *
 * @example
 * const L = npyRowLayout([100, 28, 28], 'uint8', 'x.npy'); // L.shape = [1, 28, 28], L.scale = 1/255
 */
export function npyRowLayout(shape: readonly number[], dtype: NpyDtype, source: string, channelsLast?: boolean): NpyRowLayout {
  const fail = (what: string) => new VaekitError(`${source}: ${what}`, 'E_DATA');
  if (!DATA_DTYPES.includes(dtype)) throw fail(`dtype ${dtype} is not data vaekit trains on; save x as uint8, float32 or float64 (x.astype('float32'))`);
  const dims = `(${shape.join(', ')})`;
  if (shape.length < 2 || shape.length > 4) throw fail(`shape ${dims}: expected (N, D), (N, H, W), (N, C, H, W) or (N, H, W, C)`);
  const [n, ...rest] = shape;
  if (n === 0 || rest.some((d) => d === 0)) throw fail(`shape ${dims} holds no examples`);
  if (channelsLast && shape.length !== 4) throw fail(`--channels-last needs a 4-d array (N, H, W, C), got shape ${dims}`);
  if (shape.length === 4 && channelsLast === undefined && rest[0] > 4 && rest[2] <= 4) {
    throw fail(`shape ${dims} looks like (N, H, W, C); pass --channels-last (or channelsLast: false if it really is (N, C, H, W))`);
  }
  const last = channelsLast === true;
  const rowShape = shape.length === 2 ? [rest[0]] : shape.length === 3 ? [1, rest[0], rest[1]] : last ? [rest[2], rest[0], rest[1]] : rest;
  const rowElems = rest.reduce((a, b) => a * b, 1);
  const scale = dtype === 'uint8' ? 1 / 255 : 1;
  const [c, h, w] = rowShape;
  const geometry: RowGeometry = { c, hw: h * w, rowElems, last };
  const convert = (src: StoredRows, from: number, dst: Float32Array, at: number): void => convertStoredRow(src, from, dst, at, geometry, U8_TO_UNIT);
  return { n, shape: rowShape, rowElems, scale, channelsLast: last, geometry, convert };
}

/**
 * An in-memory {@link RowDataset} over a decoded array (from `.npz`, or a small `.npy`), converted to
 * float32 once.
 *
 * @example
 * const ds = npyArrayDataset('x.npz:x', decodeNpz(bytes, 'x.npz').x, { labels });
 */
export function npyArrayDataset(
  name: string,
  a: NpyArray,
  opts: { channelsLast?: boolean; labels?: Int32Array; classNames?: readonly string[] } = {},
): RowDataset {
  if (a.dtype === 'int32' || a.dtype === 'int64') npyRowLayout(a.shape, a.dtype, name); // throws the dtype message
  const L = npyRowLayout(a.shape, a.dtype, name, opts.channelsLast);
  const x = new Float32Array(L.n * L.rowElems);
  const data = a.data as Uint8Array | Float32Array | Float64Array;
  for (let i = 0; i < L.n; i++) L.convert(data, i * L.rowElems, x, i * L.rowElems);
  return arrayDataset(name, x, L.shape, { labels: opts.labels, classNames: opts.classNames });
}
