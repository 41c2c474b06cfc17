// The read-ahead of an .npy on disk: the plan of a read (sorted runs, shared slots for repeats) against a
// direct construction, and rows read and converted on the worker thread (uint8 channels-last, float32,
// float64) against numpy's own conversion of the file.
import assert from 'node:assert/strict';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeNpy } from '../../src/data/npy.js';
import { rowSize, type RowDataset } from '../../src/data/rowDataset.js';
import { openNpyDataset } from '../../src/node/npyFileDataset.js';
import { planRead } from '../../src/node/npyPrefetch.js';
import { Prng } from '../../src/random/prng.js';
import { npyLayoutsScript, numpy, numpyMissing } from '../helpers/numpy.js';

test('a read plan visits each distinct row once, in ascending runs, and maps every position to its row', () => {
  assert.deepEqual(planRead([7, 3, 4, 7]), { slot: Int32Array.of(2, 0, 1, 2), slots: 3, runs: Float64Array.of(3, 0, 2, 7, 2, 1) });
  const rng = new Prng(4);
  for (let trial = 0; trial < 50; trial++) {
    const n = 1 + (rng.nextU32() % 60);
    const idx = Array.from({ length: 1 + (rng.nextU32() % 80) }, () => rng.nextU32() % n);
    const { slot, slots, runs } = planRead(idx);
    // the row held by each slot, from the runs
    const rowOf: number[] = [];
    for (let r = 0; r < runs.length; r += 3) for (let j = 0; j < runs[r + 2]; j++) rowOf[runs[r + 1] + j] = runs[r] + j;
    const distinct = [...new Set(idx)].sort((a, b) => a - b);
    assert.deepEqual(rowOf, distinct, 'slots hold the distinct rows in ascending order');
    assert.equal(slots, distinct.length);
    idx.forEach((i, k) => assert.equal(rowOf[slot[k]], i, `position ${k}`));
    for (let r = 3; r < runs.length; r += 3) assert.ok(runs[r] > runs[r - 3] + runs[r - 1], 'runs are maximal and ascending');
  }
});

const WRITE = npyLayoutsScript(53, 2); // test/helpers/numpy.ts: each layout and its truth

/** Reads `idx` through `ds`, announced by prefetch when `ahead`, and compares each row with the truth. */
function readAndCheck(ds: RowDataset, truth: Float32Array, idx: number[], ahead: boolean): void {
  const d = rowSize(ds);
  if (ahead) ds.prefetch!(idx);
  const x = new Float32Array(idx.length * d).fill(NaN);
  ds.read(idx, x);
  idx.forEach((i, k) => assert.deepEqual(x.subarray(k * d, (k + 1) * d), truth.subarray(i * d, (i + 1) * d), `${ds.name} row ${i} at position ${k}`));
}

test('rows read ahead on a worker thread equal numpy\'s conversion; a read of other rows ignores the read-ahead', { skip: numpyMissing() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vaekit-prefetch-'));
  try {
    numpy(WRITE, [dir]);
    const rng = new Prng(5);
    for (const [name, channelsLast] of [['nhwc', true], ['nchw', undefined], ['nd', undefined]] as const) {
      const truth = decodeNpy(readFileSync(join(dir, `${name}_truth.npy`)), name).data as Float32Array;
      const ds = openNpyDataset(join(dir, `${name}.npy`), { channelsLast, prefetchBytes: 1 << 20 });
      try {
        for (let b = 0; b < 10; b++) readAndCheck(ds, truth, Array.from({ length: 16 }, () => rng.nextU32() % 53), true);
        readAndCheck(ds, truth, [4, 5, 6, 6, 52, 0], true); // runs and repeats
        ds.prefetch!([1, 2, 3]);
        readAndCheck(ds, truth, [3, 2, 1], false); // same rows, other order: read directly
        readAndCheck(ds, truth, [1, 2, 3], false); // the stale read-ahead is gone
        ds.prefetch!([9, 8]);
        ds.prefetch!([10, 11]); // replaces the first
        readAndCheck(ds, truth, [9, 8], false);
        ds.prefetch!([12]); // left pending at close
      } finally {
        ds.close?.();
      }
    }
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('a read announced by prefetch is served from the worker\'s read, made before the call', { skip: numpyMissing() }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vaekit-prefetch-'));
  try {
    numpy(WRITE, [dir]);
    const truth = decodeNpy(readFileSync(join(dir, 'nd_truth.npy')), 'nd').data as Float32Array;
    const file = join(dir, 'nd.npy');
    const ds = openNpyDataset(file);
    try {
      readAndCheck(ds, truth, [1, 2], true); // the worker thread is up
      const idx = [30, 2, 17];
      ds.prefetch!(idx);
      await sleep(1000); // it has read the three rows by now
      const fd = openSync(file, 'r+');
      writeSync(fd, new Uint8Array(53 * 11 * 8), 0, 53 * 11 * 8, 128); // zero every value on disk
      closeSync(fd);
      readAndCheck(ds, truth, idx, false); // the values read ahead, before the file changed
      const x = new Float32Array(3 * 11).fill(NaN);
      ds.read(idx, x); // no read-ahead now: the zeros on disk
      assert.deepEqual(x, new Float32Array(33));
    } finally {
      ds.close?.();
    }
  } finally {
    rmSync(dir, { recursive: true });
  }
});
