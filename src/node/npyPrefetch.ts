import { Worker } from 'node:worker_threads';
import { type NpyDtype } from '../data/npy.js';
import { convertStoredRow, type RowGeometry } from '../data/npyRows.js';

/**
 * Reads the rows of the next training call from an `.npy` file on a worker thread while ONNX Runtime runs
 * the current one. onnxruntime-node runs a session synchronously on the JavaScript thread, so a read on that
 * thread can never overlap it; the worker's positioned reads and conversion can. The worker converts with the
 * dataset's own function ({@link convertStoredRow}) into a shared float32 buffer, so the reading thread only
 * copies rows into place, as from memory; the values are the same a direct read gets, so exact resume holds.
 */

/** How a set of rows is read: each position's slot in the staging area, and runs of consecutive rows. */
export interface ReadPlan {
  /** slot[k]: where the row of position k sits (repeated indices share a slot). */
  slot: Int32Array;
  /** Distinct rows = slots used. */
  slots: number;
  /** Runs as triples (first row, first slot, row count), in ascending row order. */
  runs: Float64Array;
}

/**
 * Plans reading rows `indices` in ascending file order, runs of consecutive rows merged, repeats read once.
 *
 * @example
 * planRead([7, 3, 4, 7]); // slots: 7→2, 3→0, 4→1, 7→2; runs (3, 0, 2), (7, 2, 1)
 */
export function planRead(indices: ArrayLike<number>): ReadPlan {
  const m = indices.length;
  const order = sortedPositions(indices);
  const slot = new Int32Array(m);
  const runs: number[] = [];
  let slots = 0;
  for (let j = 0; j < m; j++) {
    const k = order[j];
    const i = indices[k];
    const prev = j > 0 ? indices[order[j - 1]] : -2;
    if (i === prev) {
      slot[k] = slot[order[j - 1]];
      continue;
    }
    if (i === prev + 1) runs[runs.length - 1]++;
    else runs.push(i, slots, 1);
    slot[k] = slots++;
  }
  return { slot, slots, runs: Float64Array.from(runs) };
}

/**
 * Positions 0..m−1 ordered by their index (ties by position), with a native numeric sort when keys fit.
 *
 * @example
 * sortedPositions([7, 3, 7, 1]); // Float64Array [3, 1, 0, 2]
 */
export function sortedPositions(indices: ArrayLike<number>): Float64Array {
  const m = indices.length;
  let max = 0;
  for (let k = 0; k < m; k++) max = Math.max(max, indices[k]);
  if ((max + 1) * m < 2 ** 53) {
    // one key per position, index · m + position: sorting the keys sorts by index, then position
    const keys = new Float64Array(m);
    for (let k = 0; k < m; k++) keys[k] = indices[k] * m + k;
    keys.sort();
    for (let j = 0; j < m; j++) keys[j] = keys[j] % m;
    return keys;
  }
  return Float64Array.from(Array.from({ length: m }, (_, k) => k).sort((a, b) => indices[a] - indices[b] || a - b));
}

// The worker: positioned reads of each run (in pieces of at most 1 MiB), each row converted to float32 into the
// shared output by the dataset's own conversion function (its source text), then a flag (1 done, 2 failed).
// Plain CommonJS evaluated from a string, so it needs no file of its own beside a bundle.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { readSync } = require('node:fs');
const convertStoredRow = ${convertStoredRow.toString()};
const u8 = Float32Array.from({ length: 256 }, (_, v) => v / 255);
const CTOR = { uint8: Uint8Array, float32: Float32Array, float64: Float64Array };
let scratch = new ArrayBuffer(0);
parentPort.on('message', ({ fd, out, flag, runs, dataOffset, rowBytes, dtype, geometry }) => {
  const dst = new Float32Array(out);
  const E = geometry.rowElems;
  const per = Math.max(1, Math.floor((1 << 20) / rowBytes));
  let result = 1;
  try {
    for (let r = 0; r < runs.length; r += 3) {
      for (let j = 0; j < runs[r + 2]; j += per) {
        const m = Math.min(per, runs[r + 2] - j), len = m * rowBytes, pos = dataOffset + (runs[r] + j) * rowBytes;
        if (scratch.byteLength < len) scratch = new ArrayBuffer(len);
        const bytes = new Uint8Array(scratch, 0, len);
        for (let got = 0; got < len; ) {
          const k = readSync(fd, bytes, got, len - got, pos + got);
          if (k === 0) throw new Error('end of file');
          got += k;
        }
        const src = new CTOR[dtype](scratch, 0, m * E);
        for (let q = 0; q < m; q++) convertStoredRow(src, q * E, dst, (runs[r + 1] + j + q) * E, geometry, u8);
      }
    }
  } catch {
    result = 2;
  }
  const f = new Int32Array(flag);
  Atomics.store(f, 0, result);
  Atomics.notify(f, 0);
});
`;

/** Longest wait for the worker's reads before reading on this thread instead. */
const WAIT_MS = 60_000;

/**
 * One pending read-ahead of an open `.npy` file: {@link start} hands the rows to a worker thread and returns;
 * {@link take} blocks until they are in and hands back the converted rows with the plan, or null when the
 * rows differ from those started (or the worker failed), so the caller reads them itself.
 *
 * @example
 * const ahead = new NpyPrefetcher(fd, header.dataOffset, rowBytes, header.dtype, layout.geometry);
 * ahead.start(nextRows);          // returns at once
 * await session.run(feeds);       // the worker reads meanwhile
 * const got = ahead.take(nextRows); // { rows, plan } or null
 */
export class NpyPrefetcher {
  private worker: Worker | null = null;
  private broken = false;
  /** Converted rows, [slots, rowElems] float32. */
  private staging = new SharedArrayBuffer(0);
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private pending: { indices: Int32Array; plan: ReadPlan } | null = null;

  constructor(
    private readonly fd: number,
    private readonly dataOffset: number,
    private readonly rowBytes: number,
    private readonly dtype: NpyDtype,
    private readonly geometry: RowGeometry,
  ) {}

  /** Starts reading rows `indices` in the background (after the previous read-ahead, if any, has ended). */
  start(indices: ArrayLike<number>): void {
    if (this.broken) return;
    this.settle();
    const plan = planRead(indices);
    const bytes = plan.slots * this.geometry.rowElems * 4;
    if (this.staging.byteLength < bytes) this.staging = new SharedArrayBuffer(bytes);
    if (!this.worker) {
      try {
        this.worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
      } catch {
        this.broken = true; // no worker threads here: reads stay on this thread
        return;
      }
      this.worker.unref(); // never keeps the process alive
      this.worker.on('error', () => (this.broken = true));
    }
    Atomics.store(this.flag, 0, 0);
    const { fd, staging, dataOffset, rowBytes, dtype, geometry } = this;
    this.worker.postMessage({ fd, out: staging, flag: this.flag.buffer, runs: plan.runs, dataOffset, rowBytes, dtype, geometry });
    this.pending = { indices: Int32Array.from(indices), plan };
  }

  /** The converted rows ([slots, rowElems]) and plan of a finished read-ahead of exactly `indices`, or null (read them yourself). */
  take(indices: ArrayLike<number>): { rows: Float32Array; plan: ReadPlan } | null {
    const p = this.pending;
    if (!p || p.indices.length !== indices.length) return null;
    for (let k = 0; k < indices.length; k++) if (p.indices[k] !== indices[k]) return null;
    this.pending = null;
    return this.wait() ? { rows: new Float32Array(this.staging, 0, p.plan.slots * this.geometry.rowElems), plan: p.plan } : null;
  }

  /** Waits for any read in flight and stops the worker; the caller may close the file after this. */
  close(): void {
    this.settle();
    void this.worker?.terminate();
    this.worker = null;
    this.broken = true;
  }

  /** Lets a started read finish (the staging buffer is then free) and forgets it. */
  private settle(): void {
    if (this.pending) this.wait();
    this.pending = null;
  }

  /** True once the worker's reads succeeded; false if they failed or took too long (then no more read-ahead). */
  private wait(): boolean {
    if (this.broken) return false; // the worker failed to start or run: its flag may never be set
    if (Atomics.wait(this.flag, 0, 0, WAIT_MS) === 'timed-out') this.broken = true;
    return Atomics.load(this.flag, 0) === 1;
  }
}
