import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { VaekitError } from '../errors.js';
import { encodeNpy, encodeNpyHeader, NPY_ITEM_SIZE, type NpyArray, type NpyDtype } from '../data/npy.js';
import { syncDir, writeFileAtomic } from './atomicWrite.js';

/**
 * Writes a whole array as an `.npy` file that numpy reads, atomically (a crash leaves the old file or the new).
 *
 * @example
 * writeNpy('codes.npy', { dtype: 'float32', shape: [n, latentDim], data: mu });
 */
export function writeNpy(file: string, a: NpyArray): void {
  writeFileAtomic(file, encodeNpy(a));
}

/** Typed arrays {@link NpyFileWriter} appends, by dtype. */
type RowsOf = { uint8: Uint8Array; int32: Int32Array; int64: BigInt64Array; float32: Float32Array; float64: Float64Array };

/**
 * Streams rows into an `.npy` file without holding the array: rows go to a temporary file beside the target;
 * `finish()` writes the final row count into the header (room for it was reserved), fsyncs and renames, so
 * the target appears whole or not at all. `abort()` removes the temporary file.
 *
 * @example
 * const w = new NpyFileWriter('cache.npy', 'uint8', [3, 64, 64]);
 * w.append(rowBytes); // any number of whole rows
 * w.finish();
 */
export class NpyFileWriter<D extends NpyDtype = NpyDtype> {
  readonly tmp: string;
  private fd: number | undefined;
  private rows = 0;
  private readonly rowElems: number;
  private readonly headerBytes: number;

  constructor(
    readonly file: string,
    readonly dtype: D,
    readonly rowShape: readonly number[],
  ) {
    this.rowElems = rowShape.reduce((a, b) => a * b, 1);
    // reserve room for the largest row count a file can hold (2^53), so the final header fits in place
    this.headerBytes = encodeNpyHeader(dtype, [Number.MAX_SAFE_INTEGER, ...rowShape]).length;
    this.tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    this.fd = openSync(this.tmp, 'w');
    this.write(encodeNpyHeader(dtype, [0, ...rowShape], this.headerBytes), 0);
  }

  /** Rows written so far. */
  get n(): number {
    return this.rows;
  }

  /** Appends whole rows: `data.length` must be a multiple of the row size. */
  append(data: RowsOf[D]): void {
    if (data.length % this.rowElems !== 0) {
      throw new VaekitError(`NpyFileWriter ${this.file}: ${data.length} values are not whole rows of shape [${this.rowShape}]`, 'E_ARG');
    }
    const pos = this.headerBytes + this.rows * this.rowElems * NPY_ITEM_SIZE[this.dtype];
    this.write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), pos);
    this.rows += data.length / this.rowElems;
  }

  /** Writes the header with the final count, makes the file durable and renames it over the target. */
  finish(): void {
    this.write(encodeNpyHeader(this.dtype, [this.rows, ...this.rowShape], this.headerBytes), 0);
    fsyncSync(this.openFd());
    closeSync(this.openFd());
    this.fd = undefined;
    renameSync(this.tmp, this.file);
    syncDir(path.dirname(this.file));
  }

  /** Closes and deletes the temporary file (after an error); the target is untouched. */
  abort(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.tmp, { force: true });
  }

  private openFd(): number {
    if (this.fd === undefined) throw new VaekitError(`NpyFileWriter ${this.file}: already finished or aborted`, 'E_STATE');
    return this.fd;
  }

  private write(bytes: Uint8Array, pos: number): void {
    const fd = this.openFd();
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off, pos + off);
  }
}
