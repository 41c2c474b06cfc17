import { VaekitError } from '../errors.js';
import { crc32, hex32 } from './crc32.js';

/**
 * The safetensors format (Hugging Face), isomorphic: bytes in, bytes out.
 *
 * Layout: [0, 8) header length N as little-endian uint64; [8, 8+N) UTF-8 JSON
 * `{"__metadata__": {string: string}, name: {"dtype", "shape", "data_offsets": [begin, end]}, ...}`
 * padded with spaces; [8+N, end) the byte buffer, each tensor little-endian row-major at
 * data_offsets (relative to the buffer), tensors contiguous and covering the buffer exactly.
 */

/**
 * Element types vaekit reads and writes (others, e.g. F16 or BF16, are refused with a clear error).
 *
 * @example
 * const d: SafetensorsDtype = 'F32';
 */
export type SafetensorsDtype = 'F32' | 'F64' | 'I64' | 'I32' | 'U8';

interface DataOf {
  F32: Float32Array;
  F64: Float64Array;
  I64: BigInt64Array;
  I32: Int32Array;
  U8: Uint8Array;
}

/**
 * One tensor: `data` holds prod(shape) elements, row-major. Discriminated on `dtype`.
 *
 * @example
 * const w: SafetensorsTensor = { dtype: 'F32', shape: [2, 3], data: new Float32Array(6) };
 */
export type SafetensorsTensor = { [K in SafetensorsDtype]: { dtype: K; shape: number[]; data: DataOf[K] } }[SafetensorsDtype];

/**
 * A decoded file.
 *
 * @example
 * const { tensors, metadata } = decodeSafetensors(bytes, 'weights.safetensors');
 */
export interface SafetensorsFile {
  tensors: Record<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

const DTYPES: Record<SafetensorsDtype, { size: number; make: (n: number) => DataOf[SafetensorsDtype] }> = {
  F64: { size: 8, make: (n) => new Float64Array(n) },
  I64: { size: 8, make: (n) => new BigInt64Array(n) },
  F32: { size: 4, make: (n) => new Float32Array(n) },
  I32: { size: 4, make: (n) => new Int32Array(n) },
  U8: { size: 1, make: (n) => new Uint8Array(n) },
};

/**
 * Largest JSON header (bytes) decodeSafetensors accepts, the reference implementation's limit; a bigger
 * header is corrupt or hostile.
 *
 * @example
 * headerLen > MAX_HEADER_BYTES; // refused before reading the header
 */
export const MAX_HEADER_BYTES = 100_000_000;

/**
 * Metadata key of the CRC-32 of the whole byte buffer (all tensor data, as stored), which
 * {@link encodeSafetensors} writes and {@link decodeSafetensors} verifies when present. The format itself
 * has no checksum, so a file from another writer (e.g. Python's safetensors) without this key is read unchecked.
 *
 * @example
 * file.metadata[DATA_CRC_KEY]; // never present: decode verifies and removes it
 */
export const DATA_CRC_KEY = 'vaekit.dataCrc32';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Encodes tensors and string metadata. Deterministic: tensors are laid out by element size (8, 4, 1 bytes)
 * then by name (code-unit order), metadata keys sorted, so equal input gives equal bytes, and every
 * tensor starts at a multiple of its element size (the data section starts at a multiple of 8), which
 * lets readers that map the file view tensors in place, as the reference implementation also arranges.
 *
 * Unless `opts.digest` is false, the metadata also records the CRC-32 of the byte buffer ({@link DATA_CRC_KEY}),
 * so a flipped bit or an overwritten value in the tensor data is caught when the file is read back.
 *
 * @throws VaekitError if a tensor's data does not match its dtype or shape, or a name is '__metadata__'
 * @example
 * const bytes = encodeSafetensors({ 'enc.w': { dtype: 'F32', shape: [784, 400], data: w } }, { format: 'vaekit' });
 */
export function encodeSafetensors(tensors: Record<string, SafetensorsTensor>, metadata: Record<string, string> = {}, opts: { digest?: boolean } = {}): Uint8Array {
  for (const [name, t] of Object.entries(tensors)) checkTensor(name, t);
  if (Object.hasOwn(metadata, DATA_CRC_KEY)) throw encodeError(`metadata key '${DATA_CRC_KEY}' is reserved for the data checksum`);
  const names = Object.keys(tensors).sort((a, b) => {
    const bySize = DTYPES[tensors[b].dtype].size - DTYPES[tensors[a].dtype].size;
    return bySize !== 0 ? bySize : a < b ? -1 : a > b ? 1 : 0;
  });
  const parts: string[] = [];
  const digest = opts.digest === false ? undefined : dataCrc(tensors, names);
  const meta = digest === undefined ? metadata : { ...metadata, [DATA_CRC_KEY]: hex32(digest) };
  const metaKeys = Object.keys(meta).sort();
  if (metaKeys.length > 0) {
    for (const k of metaKeys) {
      if (typeof meta[k] !== 'string') throw encodeError(`metadata '${k}' must be a string, got ${typeof meta[k]}`);
    }
    parts.push(`"__metadata__":{${metaKeys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(meta[k])}`).join(',')}}`);
  }
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    const end = offset + t.data.byteLength;
    parts.push(`${JSON.stringify(name)}:{"dtype":"${t.dtype}","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${end}]}`);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLen = Math.ceil(json.length / 8) * 8; // pad so the data section starts 8-aligned
  const out = new Uint8Array(8 + headerLen + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLen), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen);
  let at = 8 + headerLen;
  for (const name of names) {
    const { data } = tensors[name];
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    if (!LITTLE_ENDIAN) swapBytes(out.subarray(at, at + data.byteLength), DTYPES[tensors[name].dtype].size);
    at += data.byteLength;
  }
  return out;
}

/** CRC-32 of the tensors' little-endian bytes in file order, without building the buffer. */
function dataCrc(tensors: Record<string, SafetensorsTensor>, names: string[]): number {
  let c = 0;
  for (const name of names) {
    const { data } = tensors[name];
    let raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (!LITTLE_ENDIAN) swapBytes((raw = raw.slice()), DTYPES[tensors[name].dtype].size);
    c = crc32(raw, c);
  }
  return c;
}

function checkTensor(name: string, t: SafetensorsTensor): void {
  if (name === '__metadata__') throw encodeError(`'__metadata__' is reserved; rename the tensor`);
  const spec = DTYPES[t.dtype];
  if (spec === undefined) throw encodeError(`tensor '${name}': unknown dtype '${String(t.dtype)}', expected one of ${Object.keys(DTYPES).join(', ')}`);
  if (spec.make(0).constructor !== t.data.constructor) {
    throw encodeError(`tensor '${name}': dtype ${t.dtype} needs a ${spec.make(0).constructor.name}, got ${t.data.constructor.name}`);
  }
  if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw encodeError(`tensor '${name}': shape [${t.shape}] must hold non-negative integers`);
  const count = t.shape.reduce((a, b) => a * b, 1);
  if (count !== t.data.length) throw encodeError(`tensor '${name}': shape [${t.shape}] has ${count} elements but data has ${t.data.length}`);
}

function encodeError(what: string): VaekitError {
  return new VaekitError(`encodeSafetensors: ${what}`, 'E_IO');
}

/**
 * Decodes and validates a safetensors file: header length against the file size before anything is
 * allocated, the JSON, every entry's dtype, shape and offsets, and that the tensors tile the byte buffer
 * exactly, and the CRC-32 of the byte buffer when the metadata records one ({@link DATA_CRC_KEY}; the key is
 * removed from the returned metadata). Tensor data is copied into fresh, aligned typed arrays (nothing aliases `bytes`).
 *
 * @param source a name for error messages (usually the path)
 * @throws VaekitError naming `source` and the byte offset of the problem
 * @example
 * const { tensors } = decodeSafetensors(await readFile(path), path);
 * const w = tensors['enc.w']; // { dtype: 'F32', shape: [784, 400], data: Float32Array }
 */
export function decodeSafetensors(bytes: Uint8Array, source: string): SafetensorsFile {
  const fail = (what: string) => new VaekitError(`safetensors file ${source}: ${what}`, 'E_IO');
  if (bytes.length < 8) throw fail(`truncated: file ends at byte ${bytes.length} but the header length needs 8 bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32; // exact below 2^53, huge above
  if (headerLen > MAX_HEADER_BYTES) throw fail(`header length ${headerLen} at byte 0 exceeds the ${MAX_HEADER_BYTES}-byte limit (corrupt file)`);
  if (8 + headerLen > bytes.length) {
    throw fail(`truncated: the header length at byte 0 says the header ends at byte ${8 + headerLen} but the file has ${bytes.length} bytes`);
  }
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;

  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (e) {
    throw fail(`the header at bytes 8..${dataStart} is not valid UTF-8 JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObject(header)) throw fail(`the header at bytes 8..${dataStart} must be a JSON object`);

  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, value] of Object.entries(header)) {
    const where = `header entry '${name}' (bytes 8..${dataStart})`;
    if (name === '__metadata__') {
      if (!isObject(value)) throw fail(`${where} must be an object of strings`);
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') throw fail(`${where}: value of '${k}' must be a string, got ${JSON.stringify(v)}`);
        define(metadata, k, v);
      }
      continue;
    }
    if (!isObject(value)) throw fail(`${where} must be an object with dtype, shape and data_offsets`);
    const { dtype, shape, data_offsets: offsets } = value;
    if (typeof dtype !== 'string' || !Object.hasOwn(DTYPES, dtype)) {
      throw fail(`${where}: dtype ${JSON.stringify(dtype)} is not supported, expected one of ${Object.keys(DTYPES).join(', ')}`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw fail(`${where}: shape ${JSON.stringify(shape)} must be an array of non-negative integers`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      throw fail(`${where}: data_offsets ${JSON.stringify(offsets)} must be [begin, end] with non-negative integers`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataLen) {
      throw fail(`${where}: data_offsets [${begin}, ${end}] (file bytes ${dataStart + begin}..${dataStart + end}) must satisfy begin <= end <= ${dataLen}, the size of the byte buffer`);
    }
    const size = DTYPES[dtype as SafetensorsDtype].size;
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (count * size !== end - begin) {
      throw fail(`${where}: shape [${shape}] of ${dtype} needs ${count * size} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`);
    }
    entries.push({ name, dtype: dtype as SafetensorsDtype, shape: shape as number[], begin, end });
  }

  // The tensors must tile [0, dataLen): no gap, no overlap, nothing left over.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const e of entries) {
    if (e.begin !== cursor) {
      const what = e.begin < cursor ? 'overlaps the previous tensor' : `leaves a gap of ${e.begin - cursor} bytes`;
      throw fail(`tensor '${e.name}' starts at file byte ${dataStart + e.begin} and ${what} (expected it at byte ${dataStart + cursor})`);
    }
    cursor = e.end;
  }
  if (cursor !== dataLen) throw fail(`${dataLen - cursor} bytes from byte ${dataStart + cursor} belong to no tensor (trailing garbage or a missing entry)`);
  if (Object.hasOwn(metadata, DATA_CRC_KEY)) {
    const claimed = metadata[DATA_CRC_KEY];
    const actual = hex32(crc32(bytes.subarray(dataStart)));
    if (claimed !== actual) {
      throw fail(`tensor data (bytes ${dataStart}..${bytes.length}) has CRC-32 ${actual} but the header records ${claimed}: the file is corrupt (restore it from a copy, or use checkpoint.prev.safetensors)`);
    }
    delete metadata[DATA_CRC_KEY];
  }

  const tensors: Record<string, SafetensorsTensor> = {};
  for (const e of entries) {
    const { size, make } = DTYPES[e.dtype];
    const data = make((e.end - e.begin) / size);
    const raw = new Uint8Array(data.buffer);
    raw.set(bytes.subarray(dataStart + e.begin, dataStart + e.end));
    if (!LITTLE_ENDIAN) swapBytes(raw, size);
    define(tensors, e.name, { dtype: e.dtype, shape: e.shape, data } as SafetensorsTensor);
  }
  return { tensors, metadata };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Sets an own property even for names like '__proto__', which plain assignment would treat specially. */
function define<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Reverses the bytes of each `size`-byte element: safetensors is little-endian, this platform is not. */
function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}
