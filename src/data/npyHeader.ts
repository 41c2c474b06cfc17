import { VaekitError } from '../errors.js';

/**
 * The header of NumPy's `.npy` format (versions 1.0, 2.0, 3.0), isomorphic: bytes in, fields out.
 *
 * Layout: magic `\x93NUMPY`, major and minor version bytes, the header length (uint16 LE in v1, uint32 LE in
 * v2/v3), then a Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (N, D), }` padded
 * with spaces and a final `\n` so that the data starts at a multiple of 64 bytes. The data follows, C order.
 */

/**
 * Element types vaekit reads and writes: pixels and features (uint8, float32, float64), labels (int32, int64).
 *
 * @example
 * const t: NpyDtype = 'float32';
 */
export type NpyDtype = 'uint8' | 'int32' | 'int64' | 'float32' | 'float64';

/** numpy `descr` strings (little-endian; `|u1` is how numpy spells uint8) ↔ vaekit dtype and element size. */
const DESCR: Record<string, NpyDtype> = { '|u1': 'uint8', '<u1': 'uint8', '<i4': 'int32', '<i8': 'int64', '<f4': 'float32', '<f8': 'float64' };
const WRITE_DESCR: Record<NpyDtype, string> = { uint8: '|u1', int32: '<i4', int64: '<i8', float32: '<f4', float64: '<f8' };

/**
 * Bytes per element of each dtype.
 *
 * @example
 * NPY_ITEM_SIZE.float32; // 4
 */
export const NPY_ITEM_SIZE: Record<NpyDtype, number> = { uint8: 1, int32: 4, int64: 8, float32: 4, float64: 8 };

/** Largest header vaekit reads: numpy's own limit for writing is 64 KiB in v1; anything above 1 MiB is hostile. */
export const MAX_NPY_HEADER_BYTES = 1 << 20;

/**
 * What an `.npy` header says: the data is `prod(shape)` elements of `dtype`, C order, from `dataOffset`.
 *
 * @example
 * const h: NpyHeader = { dtype: 'uint8', shape: [10, 28, 28], dataOffset: 128, dataBytes: 7840 };
 */
export interface NpyHeader {
  dtype: NpyDtype;
  shape: number[];
  /** Byte offset of the first element (= total header size). */
  dataOffset: number;
  /** prod(shape) * item size: the bytes the body must hold. */
  dataBytes: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * The total header size (= data offset) from the first 12 bytes (or fewer, if the file is shorter), so a
 * disk reader knows how much to read before calling {@link parseNpyHeader}.
 *
 * @example
 * const size = npyHeaderSize(first12Bytes, 'x.npy'); // e.g. 128
 */
export function npyHeaderSize(bytes: Uint8Array, source: string): number {
  const fail = (what: string) => new VaekitError(`.npy file ${source}: ${what}`, 'E_DATA');
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes.length <= i) throw fail(`truncated at byte ${bytes.length}: the .npy magic \\x93NUMPY needs 6 bytes`);
    if (bytes[i] !== MAGIC[i]) throw fail(`not an .npy file: byte ${i} is 0x${bytes[i].toString(16)}, the magic is \\x93NUMPY; save it with numpy.save`);
  }
  if (bytes.length < 8) throw fail(`truncated at byte ${bytes.length}: the version is at bytes 6..7`);
  const major = bytes[6];
  const lenBytes = major === 1 ? 2 : major === 2 || major === 3 ? 4 : 0;
  if (lenBytes === 0) throw fail(`unsupported format version ${major}.${bytes[7]} at byte 6 (vaekit reads 1.0, 2.0 and 3.0)`);
  if (bytes.length < 8 + lenBytes) throw fail(`truncated at byte ${bytes.length}: the header length is at bytes 8..${7 + lenBytes}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = lenBytes === 2 ? v.getUint16(8, true) : v.getUint32(8, true);
  if (len > MAX_NPY_HEADER_BYTES) throw fail(`header length ${len} at byte 8 exceeds the limit of ${MAX_NPY_HEADER_BYTES} bytes`);
  return 8 + lenBytes + len;
}

/**
 * Parses an `.npy` header from `bytes` (the file, or at least its first {@link npyHeaderSize} bytes).
 * Refuses Fortran order, big-endian and other dtypes, naming the byte offset and what was found.
 *
 * @example
 * const h = parseNpyHeader(fileBytes, 'x.npy'); // { dtype: 'float32', shape: [100, 784], dataOffset: 128, … }
 */
export function parseNpyHeader(bytes: Uint8Array, source: string): NpyHeader {
  const dataOffset = npyHeaderSize(bytes, source);
  const fail = (at: number, what: string) => new VaekitError(`.npy file ${source}: ${what} (header at byte ${at})`, 'E_DATA');
  const textStart = bytes[6] === 1 ? 10 : 12;
  if (bytes.length < dataOffset) throw fail(textStart, `truncated: the header ends at byte ${dataOffset} but the file has ${bytes.length} bytes`);
  const text = new TextDecoder(bytes[6] === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(textStart, dataOffset));
  const dict = parseDictLiteral(text, (at, what) => fail(textStart + at, what));
  const descr = dict.descr;
  if (typeof descr !== 'string') throw fail(textStart, `'descr' is ${JSON.stringify(descr)}; structured arrays are not supported, save a plain numeric array`);
  const dtype = DESCR[descr];
  if (dtype === undefined) {
    const hint = descr.startsWith('>') ? 'big-endian; convert with arr.astype(arr.dtype.newbyteorder("<"))' : "supported: uint8, float32, float64 (data) and int32, int64 (labels); convert with arr.astype('float32')";
    throw fail(textStart, `dtype '${descr}' is not supported (${hint})`);
  }
  if (dict.fortran_order !== false) throw fail(textStart, `fortran_order is ${String(dict.fortran_order)}; vaekit reads C order, save numpy.ascontiguousarray(arr)`);
  const shape = dict.shape;
  if (!Array.isArray(shape)) throw fail(textStart, `'shape' is ${JSON.stringify(shape)}, expected a tuple of integers`);
  let count = 1;
  for (const d of shape) count *= d;
  const dataBytes = count * NPY_ITEM_SIZE[dtype];
  if (!Number.isSafeInteger(dataBytes)) throw fail(textStart, `shape (${shape.join(', ')}) is too large`);
  return { dtype, shape, dataOffset, dataBytes };
}

/**
 * An `.npy` header for `dtype` and `shape`, padded with spaces to a multiple of 64 bytes and at least
 * `minBytes` long (a writer that learns N late reserves room, then rewrites the header in place).
 *
 * @example
 * const head = encodeNpyHeader('uint8', [0, 3, 64, 64]); // 128 bytes
 */
export function encodeNpyHeader(dtype: NpyDtype, shape: readonly number[], minBytes = 0): Uint8Array {
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new VaekitError(`encodeNpyHeader: shape [${shape}] must hold non-negative integers`, 'E_ARG');
  }
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${WRITE_DESCR[dtype]}', 'fortran_order': False, 'shape': ${tuple}, }`;
  const fit = (prefix: number) => Math.max(Math.ceil((prefix + dict.length + 1) / 64), Math.ceil(minBytes / 64)) * 64;
  const v2 = fit(10) - 10 > 0xffff; // version 2.0 only when the v1 uint16 length cannot hold it
  const total = fit(v2 ? 12 : 10);
  const out = new Uint8Array(total).fill(0x20); // spaces
  out.set(MAGIC, 0);
  out[6] = v2 ? 2 : 1;
  out[7] = 0;
  const textStart = v2 ? 12 : 10;
  const view = new DataView(out.buffer);
  if (v2) view.setUint32(8, total - 12, true);
  else view.setUint16(8, total - 10, true);
  for (let i = 0; i < dict.length; i++) out[textStart + i] = dict.charCodeAt(i);
  out[total - 1] = 0x0a; // '\n'
  return out;
}

type PyValue = string | boolean | number[] | number;

/**
 * Parses the restricted Python literal numpy writes: a dict of string keys whose values are strings,
 * True/False, or tuples of non-negative integers. `fail(offset, what)` builds the error.
 */
function parseDictLiteral(text: string, fail: (at: number, what: string) => Error): Record<string, PyValue> {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const expect = (c: string) => {
    ws();
    if (text[i] !== c) throw fail(i, `expected '${c}' in the header dict, found ${text[i] === undefined ? 'its end' : `'${text[i]}'`}`);
    i++;
  };
  const str = (): string => {
    ws();
    const q = text[i];
    if (q !== "'" && q !== '"') throw fail(i, `expected a quoted string in the header dict, found '${text[i] ?? ''}'`);
    const end = text.indexOf(q, i + 1);
    if (end < 0) throw fail(i, 'unterminated string in the header dict');
    const s = text.slice(i + 1, end);
    i = end + 1;
    return s;
  };
  const value = (): PyValue => {
    ws();
    if (text[i] === "'" || text[i] === '"') return str();
    if (text.startsWith('True', i)) return (i += 4), true;
    if (text.startsWith('False', i)) return (i += 5), false;
    if (text[i] === '(') {
      i++;
      const dims: number[] = [];
      for (;;) {
        ws();
        if (text[i] === ')') break;
        const m = /^\d+L?/.exec(text.slice(i, i + 24));
        if (!m) throw fail(i, `expected a dimension (a non-negative integer) in 'shape', found '${text.slice(i, i + 8)}'`);
        const d = Number(m[0].replace('L', ''));
        if (!Number.isSafeInteger(d)) throw fail(i, `dimension ${m[0]} is too large`);
        dims.push(d);
        i += m[0].length;
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== ')') throw fail(i, `expected ',' or ')' in 'shape', found '${text[i] ?? ''}'`);
      }
      i++;
      return dims;
    }
    if (text[i] === '[') throw fail(i, 'a list value (a structured dtype) is not supported; save a plain numeric array');
    throw fail(i, `unexpected value '${text.slice(i, i + 8)}' in the header dict`);
  };
  const out: Record<string, PyValue> = {};
  expect('{');
  for (;;) {
    ws();
    if (text[i] === '}') break;
    const key = str();
    expect(':');
    out[key] = value();
    ws();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw fail(i, `expected ',' or '}' in the header dict, found '${text[i] ?? ''}'`);
  }
  for (const k of ['descr', 'fortran_order', 'shape']) if (!(k in out)) throw fail(0, `the header dict has no '${k}'`);
  return out;
}
