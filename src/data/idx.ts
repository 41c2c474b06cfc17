import { VaekitError } from '../errors.js';
import { crc32, hex32 } from '../io/crc32.js';
import { type BoundedInflate, inflateBounded } from './boundedInflate.js';

/**
 * Parser for the IDX format of (Fashion-)MNIST, raw or gzip-compressed. Isomorphic: it works on bytes,
 * the caller reads the file (src/node/) or fetches it (browser).
 *
 * Layout: bytes 0..1 are zero, byte 2 is the dtype code, byte 3 the number of dims, then one big-endian
 * uint32 per dim, then the elements in row-major order, big-endian.
 */

/**
 * Element types an IDX file can hold (codes 08, 09, 0b, 0c, 0d, 0e).
 *
 * @example
 * const t: IdxDtype = 'uint8'; // MNIST pixels and labels
 */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

interface IdxDataOf {
  uint8: Uint8Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  float32: Float32Array;
  float64: Float64Array;
}

/**
 * A parsed IDX array: `data` has prod(dims) elements in row-major order, in the platform's byte order.
 * Discriminated on `dtype`, so `if (a.dtype === 'uint8')` narrows `a.data` to a Uint8Array.
 *
 * @example
 * const a: IdxArray = { dtype: 'uint8', dims: [2, 2], data: new Uint8Array([0, 1, 2, 3]) };
 */
export type IdxArray = { [K in IdxDtype]: { dtype: K; dims: number[]; data: IdxDataOf[K] } }[IdxDtype];

/** IDX dtype code (byte 2) → name and bytes per element. */
const DTYPES: Partial<Record<number, { dtype: IdxDtype; size: number }>> = {
  0x08: { dtype: 'uint8', size: 1 },
  0x09: { dtype: 'int8', size: 1 },
  0x0b: { dtype: 'int16', size: 2 },
  0x0c: { dtype: 'int32', size: 4 },
  0x0d: { dtype: 'float32', size: 4 },
  0x0e: { dtype: 'float64', size: 8 },
};

/**
 * Largest uncompressed size (bytes) parseIdx agrees to inflate; the biggest real IDX file (MNIST train
 * images) is 47 MB.
 *
 * @example
 * if (isize > MAX_IDX_BYTES) throw new VaekitError('too big', 'E_DATA');
 */
export const MAX_IDX_BYTES = 1 << 30;

/** DEFLATE cannot expand by more than 1032:1 (a 258-byte match coded in 2 bits), so a larger claim is a lie. */
const MAX_DEFLATE_RATIO = 1032;

/**
 * Parses an IDX file (raw, or gzip detected by its 1f 8b magic). Every size in the header is checked
 * against the bytes present before anything is allocated, so a corrupt or hostile header cannot make it
 * allocate more than the file holds; trailing bytes are refused too.
 *
 * @param bytes the whole file
 * @param source a name for error messages (usually the path)
 * @param opts.inflate a bounded gunzip (default: fflate's, isomorphic; Node passes its native zlib, ~20× faster)
 * @throws VaekitError naming `source`, the byte offset and what was expected
 * @example
 * const images = parseIdx(fileBytes, 'train-images-idx3-ubyte.gz');
 * images.dims; // [60000, 28, 28]
 */
export function parseIdx(bytes: Uint8Array, source: string, opts: { inflate?: BoundedInflate } = {}): IdxArray {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    return parseRaw(gunzipChecked(bytes, source, opts.inflate ?? inflateBounded), `${source} (after gunzip)`);
  }
  return parseRaw(bytes, source);
}

function parseRaw(bytes: Uint8Array, source: string): IdxArray {
  const fail = (what: string) => new VaekitError(`IDX file ${source}: ${what}`, 'E_DATA');
  if (bytes.length < 4) throw fail(`truncated: file ends at byte ${bytes.length} but the IDX header needs at least 4 bytes`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw fail(`bad magic at byte 0: expected 00 00, found ${hex(bytes[0])} ${hex(bytes[1])} (not an IDX file; a gzip file would start with 1f 8b)`);
  }
  const type = DTYPES[bytes[2]];
  if (type === undefined) {
    throw fail(`unknown dtype code ${hex(bytes[2])} at byte 2: expected 08 (uint8), 09 (int8), 0b (int16), 0c (int32), 0d (float32) or 0e (float64)`);
  }
  const { dtype, size } = type;
  const ndim = bytes[3];
  if (ndim < 1 || ndim > 8) throw fail(`bad number of dims ${ndim} at byte 3: expected 1 to 8`);
  const headerLen = 4 + 4 * ndim;
  if (bytes.length < headerLen) {
    throw fail(`truncated: file ends at byte ${bytes.length} but the header with ${ndim} dims needs ${headerLen} bytes`);
  }

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let d = 0; d < ndim; d++) dims.push(view.getUint32(4 + 4 * d, false));
  // Exact while below 2^53; above that it only needs to compare as "far too big", which doubles still do.
  const count = dims.reduce((a, b) => a * b, 1);
  const needed = headerLen + count * size;
  const shape = `dims ${dims.join('x')}, ${dtype}`;
  if (needed > bytes.length) {
    throw fail(`truncated: data ends at byte ${bytes.length} but the header (${shape}) needs ${needed} bytes`);
  }
  if (needed < bytes.length) {
    throw fail(`${bytes.length - needed} trailing bytes from byte ${needed}: the header (${shape}) needs exactly ${needed} bytes`);
  }
  return { dtype, dims, data: readBigEndian(bytes, view, headerLen, count, dtype) } as IdxArray;
}

/** Copies `count` big-endian elements starting at `offset` into a fresh, aligned typed array. */
function readBigEndian(bytes: Uint8Array, view: DataView, offset: number, count: number, dtype: IdxDtype): IdxArray['data'] {
  switch (dtype) {
    // new Uint8Array(view) copies; bytes.slice would alias when bytes is a Node Buffer
    case 'uint8':
      return new Uint8Array(bytes.subarray(offset, offset + count));
    case 'int8':
      return new Int8Array(new Uint8Array(bytes.subarray(offset, offset + count)).buffer);
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/**
 * Gunzips one gzip member with a bounded output: the ISIZE trailer (last 4 bytes, little-endian) is
 * checked against MAX_IDX_BYTES and against what DEFLATE can produce from the compressed length; then the
 * stream is inflated piece by piece only as far as the IDX header at its start says the file is (a
 * decompression bomb stops there); afterwards the real length and the CRC-32 must match the trailer.
 * Limit: fflate does not report where the DEFLATE stream ends, so bytes between its end and the trailer
 * (e.g. an identical second member) go unnoticed; the length and CRC-32 still vouch for the data returned.
 */
function gunzipChecked(bytes: Uint8Array, source: string, inflate: BoundedInflate): Uint8Array {
  const fail = (what: string) => new VaekitError(`gzip file ${source}: ${what}`, 'E_DATA');
  // 10-byte header + 8-byte trailer (CRC-32, ISIZE) around the DEFLATE data
  if (bytes.length < 18) throw fail(`truncated: file ends at byte ${bytes.length} but a gzip member needs at least 18 bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const crcClaim = view.getUint32(bytes.length - 8, true);
  const isize = view.getUint32(bytes.length - 4, true);
  if (isize > MAX_IDX_BYTES) {
    throw fail(`the trailer at byte ${bytes.length - 4} claims ${isize} uncompressed bytes, more than the ${MAX_IDX_BYTES}-byte limit for IDX files`);
  }
  if (isize > MAX_DEFLATE_RATIO * bytes.length) {
    throw fail(`the trailer at byte ${bytes.length - 4} claims ${isize} uncompressed bytes, more than DEFLATE can produce from ${bytes.length} bytes (corrupt file)`);
  }
  // the IDX header at the start of the stream says how many bytes the array needs: inflate no further
  const out = inflate(bytes, {
    format: 'gzip',
    source: `gzip file ${source}`,
    limit: (head) => idxSizeFromHead(head, isize, (what) => fail(what)),
    why: (l) => `the IDX header inside it says the file is ${l} bytes`,
  });
  if (out.length !== isize) {
    throw fail(`decompressed to ${out.length > isize ? `more than ${isize}` : out.length} bytes but the trailer at byte ${bytes.length - 4} says ${isize} (corrupt, truncated or multi-member gzip)`);
  }
  const crc = inflate.checksGzipTrailer ? crcClaim : crc32(out); // zlib has verified it already
  if (crc !== crcClaim) {
    throw fail(`CRC-32 mismatch: the trailer at byte ${bytes.length - 8} says ${hex32(crcClaim)} but the data gives ${hex32(crc)} (corrupt file)`);
  }
  return out;
}

/**
 * The total size of an IDX file from the first bytes of its (decompressed) stream, once they hold the whole
 * header; undefined before. A header the parser would refuse gives the trailer's claim, so parseRaw names
 * the problem; a header whose size disagrees with the gzip trailer is refused at once.
 */
function idxSizeFromHead(head: Uint8Array, isize: number, fail: (what: string) => VaekitError): number | undefined {
  if (head.length < 4) return undefined;
  const type = DTYPES[head[2]];
  const ndim = head[3];
  if (head[0] !== 0 || head[1] !== 0 || type === undefined || ndim < 1 || ndim > 8) return isize;
  const headerLen = 4 + 4 * ndim;
  if (head.length < headerLen) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dims = Array.from({ length: ndim }, (_, d) => view.getUint32(4 + 4 * d, false));
  const needed = headerLen + dims.reduce((a, b) => a * b, 1) * type.size;
  if (needed !== isize) {
    throw fail(`the IDX header inside it (dims ${dims.join('x')}, ${type.dtype}) needs ${needed} bytes but the gzip trailer says ${isize} (corrupt file or decompression bomb)`);
  }
  return needed;
}

function hex(b: number | undefined): string {
  return b === undefined ? '--' : b.toString(16).padStart(2, '0');
}

