import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { VaekitError } from '../errors.js';
import { decodeNpy, npyHeaderSize, npyLabels, NPY_ITEM_SIZE, parseNpyHeader, type NpyHeader } from '../data/npy.js';
import { npyRowLayout, type StoredRows } from '../data/npyRows.js';
import { checkIndices, type RowDataset } from '../data/rowDataset.js';
import { NpyPrefetcher, planRead } from './npyPrefetch.js';

/**
 * A {@link RowDataset} that reads rows of an `.npy` file on disk with positioned reads on a file descriptor
 * it keeps open, so data larger than memory trains with bounded memory. A batch's rows are read in
 * ascending file order (runs of consecutive rows in one read), in chunks of at most `chunkBytes`, then
 * placed at their positions in the batch: a shuffled epoch never loads the file. `prefetch` reads the rows
 * of a coming `read` on a worker thread (see {@link NpyPrefetcher}), overlapping a training call.
 */

/** Options of {@link openNpyDataset}. */
export interface NpyDatasetOptions {
  /** The array is [N, H, W, C]; rows are transposed to [C, H, W]. */
  channelsLast?: boolean;
  /** [N] class per row (see {@link readNpyLabels}). */
  labels?: Int32Array;
  classNames?: readonly string[];
  /** Dataset name (default: the file's base name). */
  name?: string;
  /** Largest read buffer in bytes (default 8 MiB); bounds memory whatever the batch size. */
  chunkBytes?: number;
  /** Largest read-ahead ({@link RowDataset.prefetch}) in bytes of float32 rows (default 256 MiB; 0: none). */
  prefetchBytes?: number;
}

/**
 * Opens `file` as a disk-backed dataset; only the header is read now. Call `close()` when done.
 *
 * @example
 * const ds = openNpyDataset('big.npy', { labels: readNpyLabels('big_labels.npy') });
 * const x = new Float32Array(2 * rowSize(ds));
 * ds.read([7, 3], x);
 * ds.close?.();
 */
export function openNpyDataset(file: string, opts: NpyDatasetOptions = {}): RowDataset {
  const fd = openSync(file, 'r');
  try {
    return npyFileDataset(fd, file, opts);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/**
 * The header of an `.npy` file, reading only the header bytes.
 *
 * @example
 * readNpyFileHeader('big.npy'); // { dtype: 'uint8', shape: [5000000, 1, 28, 28], dataOffset: 128, dataBytes: … }
 */
export function readNpyFileHeader(file: string): NpyHeader {
  const fd = openSync(file, 'r');
  try {
    return headerOf(fd, file, fstatSync(fd).size);
  } finally {
    closeSync(fd);
  }
}

function headerOf(fd: number, file: string, size: number): NpyHeader {
  const head = readAt(fd, file, new Uint8Array(Math.min(size, 12)), 0);
  return parseNpyHeader(readAt(fd, file, new Uint8Array(Math.min(size, npyHeaderSize(head, file))), 0), file);
}

function npyFileDataset(fd: number, file: string, opts: NpyDatasetOptions): RowDataset {
  const size = fstatSync(fd).size;
  const header = headerOf(fd, file, size);
  const L = npyRowLayout(header.shape, header.dtype, file, opts.channelsLast);
  const item = NPY_ITEM_SIZE[header.dtype];
  const rowBytes = L.rowElems * item;
  const end = header.dataOffset + header.dataBytes;
  if (size < end) {
    const row = Math.floor((size - header.dataOffset) / rowBytes);
    throw new VaekitError(
      `.npy file ${file}: truncated: shape (${header.shape.join(', ')}) ${header.dtype} needs ${header.dataBytes} bytes from byte ${header.dataOffset} to byte ${end}, but the file ends at byte ${size} (in row ${row})`,
      'E_DATA',
    );
  }
  if (size > end) throw new VaekitError(`.npy file ${file}: ${size - end} unexpected bytes after the data, from byte ${end}`, 'E_DATA');
  if (opts.labels && opts.labels.length !== L.n) throw new VaekitError(`${file}: ${L.n} rows but ${opts.labels.length} labels`, 'E_DATA');
  const name = opts.name ?? path.basename(file);
  const chunkRows = Math.max(1, Math.floor((opts.chunkBytes ?? 8 << 20) / rowBytes));
  const prefetchRows = Math.floor((opts.prefetchBytes ?? 256 << 20) / (4 * L.rowElems));
  const prefetcher = prefetchRows > 0 ? new NpyPrefetcher(fd, header.dataOffset, rowBytes, header.dtype, L.geometry) : null;
  const elemsOf = (b: ArrayBufferLike): StoredRows =>
    header.dtype === 'uint8' ? new Uint8Array(b) : header.dtype === 'float32' ? new Float32Array(b) : new Float64Array(b);
  let scratch = new ArrayBuffer(0);
  let open = true;

  // rows `indices` (chunk of positions) in ascending file order into scratch, then converted into their places in x
  const readChunk = (indices: ArrayLike<number>, x: Float32Array, at: number) => {
    const { slot, slots, runs } = planRead(indices);
    if (scratch.byteLength < slots * rowBytes) scratch = new ArrayBuffer(slots * rowBytes);
    for (let r = 0; r < runs.length; r += 3) {
      readAt(fd, file, new Uint8Array(scratch, runs[r + 1] * rowBytes, runs[r + 2] * rowBytes), header.dataOffset + runs[r] * rowBytes);
    }
    const elems = elemsOf(scratch);
    for (let k = 0; k < indices.length; k++) L.convert(elems, slot[k] * L.rowElems, x, (at + k) * L.rowElems);
  };

  return {
    name,
    n: L.n,
    shape: L.shape,
    labels: opts.labels,
    classNames: opts.classNames,
    read(indices, x) {
      if (!open) throw new VaekitError(`${name}: read after close()`, 'E_STATE');
      checkIndices(name, L.n, indices);
      if (x.length < indices.length * L.rowElems) throw new VaekitError(`${name}: x holds ${x.length} values, ${indices.length} rows need ${indices.length * L.rowElems}`, 'E_SHAPE');
      const ahead = prefetcher?.take(indices);
      if (ahead) {
        const E = L.rowElems;
        for (let k = 0; k < indices.length; k++) x.set(ahead.rows.subarray(ahead.plan.slot[k] * E, (ahead.plan.slot[k] + 1) * E), k * E);
        return;
      }
      // chunks of positions bound the scratch buffer whatever the request
      for (let c0 = 0; c0 < indices.length; c0 += chunkRows) {
        const c1 = Math.min(indices.length, c0 + chunkRows);
        readChunk(c1 - c0 === indices.length ? indices : Array.from({ length: c1 - c0 }, (_, j) => indices[c0 + j]), x, c0);
      }
    },
    prefetch(indices) {
      if (!open || !prefetcher || indices.length > prefetchRows) return;
      checkIndices(name, L.n, indices);
      prefetcher.start(indices);
    },
    close() {
      if (open) {
        prefetcher?.close();
        closeSync(fd);
      }
      open = false;
    },
  };
}

/** Fills `buf` from byte `pos` of the file (looping over short reads); refuses a file that ends early. */
function readAt(fd: number, file: string, buf: Uint8Array, pos: number): Uint8Array {
  let got = 0;
  while (got < buf.length) {
    const k = readSync(fd, buf, got, buf.length - got, pos + got);
    if (k === 0) throw new VaekitError(`.npy file ${file}: ends at byte ${pos + got}, expected data to byte ${pos + buf.length}; the file changed or is truncated`, 'E_DATA');
    got += k;
  }
  return buf;
}

/** Largest labels file read into memory. */
const MAX_LABEL_FILE_BYTES = 1 << 30;

/**
 * Reads an `.npy` of integer labels ([N], int32/int64/uint8) into memory.
 *
 * @example
 * const labels = readNpyLabels('y.npy'); // Int32Array [N]
 */
export function readNpyLabels(file: string): Int32Array {
  const size = statSync(file).size;
  if (size > MAX_LABEL_FILE_BYTES) throw new VaekitError(`labels ${file}: ${size} bytes exceed the limit of ${MAX_LABEL_FILE_BYTES} for a labels file`, 'E_DATA');
  return npyLabels(decodeNpy(readFileSync(file), file), file);
}
