import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { VaekitError } from '../errors.js';
import { decodeNpy, npyHeaderSize, npyLabels, NPY_ITEM_SIZE, parseNpyHeader, type NpyHeader } from '../data/npy.js';
import { npyRowLayout, type StoredRows } from '../data/npyRows.js';
import { checkIndices, type RowDataset } from '../data/rowDataset.js';

/**
 * A {@link RowDataset} that reads rows of an `.npy` file on disk with positioned reads on a file descriptor
 * it keeps open, so data larger than memory trains with bounded memory. A batch's rows are read in
 * ascending file order (runs of consecutive rows in one read), in chunks of at most `chunkBytes`, then
 * placed at their positions in the batch: a shuffled epoch never loads the file.
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
  let scratch = new ArrayBuffer(0);
  let elems: StoredRows = new Uint8Array(0); // scratch as elements of the stored dtype
  let open = true;

  // reads rows row, row+1, … into scratch slots [from, to)
  const readRows = (from: number, to: number, row: number) => {
    if (to > from) readAt(fd, file, new Uint8Array(scratch, from * rowBytes, (to - from) * rowBytes), header.dataOffset + row * rowBytes);
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
      // positions k sorted by row index: the file is read front to back
      const order = Array.from({ length: indices.length }, (_, k) => k).sort((a, b) => indices[a] - indices[b]);
      for (let c0 = 0; c0 < order.length; c0 += chunkRows) {
        const chunk = order.slice(c0, c0 + chunkRows);
        if (scratch.byteLength < chunk.length * rowBytes) {
          scratch = new ArrayBuffer(chunk.length * rowBytes);
          elems = header.dtype === 'uint8' ? new Uint8Array(scratch) : header.dtype === 'float32' ? new Float32Array(scratch) : new Float64Array(scratch);
        }
        // slot[j]: where chunk[j]'s row sits in scratch; repeated indices share a slot
        const slot = new Int32Array(chunk.length);
        let slots = 0;
        let runSlot = 0; // first slot and row of the current run of consecutive rows
        let runRow = -1;
        for (let j = 0; j < chunk.length; j++) {
          const i = indices[chunk[j]];
          const prev = j > 0 ? indices[chunk[j - 1]] : -2;
          if (i === prev) {
            slot[j] = slot[j - 1];
            continue;
          }
          if (i !== prev + 1) {
            readRows(runSlot, slots, runRow);
            [runSlot, runRow] = [slots, i];
          }
          slot[j] = slots++;
        }
        readRows(runSlot, slots, runRow);
        for (let j = 0; j < chunk.length; j++) L.convert(elems, slot[j] * L.rowElems, x, chunk[j] * L.rowElems);
      }
    },
    close() {
      if (open) closeSync(fd);
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
