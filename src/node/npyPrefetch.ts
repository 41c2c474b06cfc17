import { Worker } from 'node:worker_threads';

/**
 * Reads the rows of the next training call from an `.npy` file on a worker thread while ONNX Runtime runs
 * the current one. onnxruntime-node runs a session synchronously on the JavaScript thread, so a read on that
 * thread can never overlap it; the worker's positioned reads can. The worker only copies stored bytes into a
 * shared staging buffer (no conversion, so the dtype logic stays in one place: the reading thread converts
 * with the dataset's row layout). Results are the same bytes a synchronous read gets, so exact resume holds.
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

// The worker: positioned reads of each run into the shared staging bytes, then a flag (1 done, 2 failed).
// Plain CommonJS evaluated from a string, so it needs no file of its own beside a bundle.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { readSync } = require('node:fs');
parentPort.on('message', ({ fd, staging, flag, runs, dataOffset, rowBytes }) => {
  const bytes = new Uint8Array(staging);
  let result = 1;
  try {
    for (let r = 0; r < runs.length; r += 3) {
      const len = runs[r + 2] * rowBytes, at = runs[r + 1] * rowBytes, pos = dataOffset + runs[r] * rowBytes;
      for (let got = 0; got < len; ) {
        const k = readSync(fd, bytes, at + got, len - got, pos + got);
        if (k === 0) throw new Error('end of file');
        got += k;
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
 * {@link take} blocks until they are in and hands back the staging bytes with the plan, or null when the
 * rows differ from those started (or the worker failed), so the caller reads them itself.
 *
 * @example
 * const ahead = new NpyPrefetcher(fd, header.dataOffset, rowBytes);
 * ahead.start(nextRows);          // returns at once
 * await session.run(feeds);       // the worker reads meanwhile
 * const got = ahead.take(nextRows); // { staging, plan } or null
 */
export class NpyPrefetcher {
  private worker: Worker | null = null;
  private broken = false;
  private staging = new SharedArrayBuffer(0);
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private pending: { indices: Int32Array; plan: ReadPlan } | null = null;

  constructor(
    private readonly fd: number,
    private readonly dataOffset: number,
    private readonly rowBytes: number,
  ) {}

  /** Starts reading rows `indices` in the background (after the previous read-ahead, if any, has ended). */
  start(indices: ArrayLike<number>): void {
    if (this.broken) return;
    this.settle();
    const plan = planRead(indices);
    const bytes = plan.slots * this.rowBytes;
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
    const { fd, staging, dataOffset, rowBytes } = this;
    this.worker.postMessage({ fd, staging, flag: this.flag.buffer, runs: plan.runs, dataOffset, rowBytes });
    this.pending = { indices: Int32Array.from(indices), plan };
  }

  /** The staging bytes and plan of a finished read-ahead of exactly `indices`, or null (read them yourself). */
  take(indices: ArrayLike<number>): { staging: SharedArrayBuffer; plan: ReadPlan } | null {
    const p = this.pending;
    if (!p || p.indices.length !== indices.length) return null;
    for (let k = 0; k < indices.length; k++) if (p.indices[k] !== indices[k]) return null;
    this.pending = null;
    return this.wait() ? { staging: this.staging, plan: p.plan } : null;
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
