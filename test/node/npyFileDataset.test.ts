import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeNpy } from '../../src/data/npy.js';
import { rowSize, type RowDataset } from '../../src/data/rowDataset.js';
import { VaekitError } from '../../src/errors.js';
import { openNpyDataset, readNpyLabels } from '../../src/node/npyFileDataset.js';
import { NpyFileWriter } from '../../src/node/npyWriter.js';
import { Prng } from '../../src/random/prng.js';
import { npyLayoutsScript, numpy, numpyMissing } from '../helpers/numpy.js';

const skip = numpyMissing();
const refused = (re: RegExp) => (e: unknown) => e instanceof VaekitError && re.test(e.message);

/** numpy writes each layout and its truth (test/helpers/numpy.ts). */
const WRITE = npyLayoutsScript(37, 1);

/** Reads `order` through `ds` in batches of `batch` and compares each row with the truth array. */
function checkRows(ds: RowDataset, truth: Float32Array, order: number[], batch: number): void {
  const d = rowSize(ds);
  for (let s = 0; s < order.length; s += batch) {
    const idx = order.slice(s, s + batch);
    const x = new Float32Array(idx.length * d).fill(NaN);
    ds.read(idx, x);
    idx.forEach((i, k) => assert.deepEqual(x.subarray(k * d, (k + 1) * d), truth.subarray(i * d, (i + 1) * d), `${ds.name} row ${i} at position ${k}`));
  }
}

test('rows read from disk equal numpy\'s conversion in every layout, for shuffled, repeated and chunked reads', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vaekit-npyds-'));
  try {
    numpy(WRITE, [dir]);
    const labels = readNpyLabels(join(dir, 'y.npy'));
    const cases: [string, number[], boolean | undefined][] = [
      ['nhwc', [3, 5, 4], true],
      ['nchw', [2, 3, 4], undefined],
      ['nhw', [1, 6, 7], undefined],
      ['nd', [11], undefined],
    ];
    const rng = new Prng(3);
    const perm = Array.from({ length: 37 }, (_, i) => i);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = rng.nextU32() % (i + 1);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    for (const [name, shape, channelsLast] of cases) {
      const truth = decodeNpy(readFileSync(join(dir, `${name}_truth.npy`)), name).data as Float32Array;
      for (const chunkBytes of [undefined, 1, 200]) {
        const ds = openNpyDataset(join(dir, `${name}.npy`), { channelsLast, labels, chunkBytes });
        try {
          assert.deepEqual([ds.n, ds.shape], [37, shape]);
          checkRows(ds, truth, perm, 8); // a shuffled epoch
          checkRows(ds, truth, [5, 5, 6, 7, 4, 36, 0, 5], 8); // runs and repeats
          checkRows(ds, truth, Array.from({ length: 37 }, (_, i) => i), 37); // one sequential read
        } finally {
          ds.close?.();
        }
      }
    }
    assert.equal(labels.length, 37);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('a truncated .npy names the file, the byte offset and the row; bad shapes and indices are refused', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vaekit-npyds-'));
  try {
    numpy(WRITE, [dir]);
    const f = join(dir, 'nd.npy');
    truncateSync(f, 128 + 88 * 20 + 13); // rows of 11 float64 = 88 bytes: ends inside row 20
    assert.throws(() => openNpyDataset(f), refused(/nd\.npy: truncated: shape \(37, 11\) float64 needs 3256 bytes from byte 128 to byte 3384, but the file ends at byte 1901 \(in row 20\)/));
    assert.throws(() => openNpyDataset(join(dir, 'nhwc.npy')), refused(/looks like \(N, H, W, C\); pass --channels-last/));
    assert.throws(() => openNpyDataset(join(dir, 'y.npy')), refused(/y\.npy: dtype int64 is not data/));
    const ds = openNpyDataset(join(dir, 'nhw.npy'));
    assert.throws(() => ds.read([37], new Float32Array(42)), refused(/index 37 at position 0 is not an integer in \[0, 37\)/));
    ds.close?.();
    assert.throws(() => ds.read([0], new Float32Array(42)), refused(/read after close/));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('NpyFileWriter streams rows into a file numpy reads, and abort leaves nothing', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vaekit-npyds-'));
  try {
    const f = join(dir, 'out.npy');
    const w = new NpyFileWriter(f, 'float32', [2, 3]);
    w.append(Float32Array.from({ length: 6 }, (_, i) => i));
    w.append(Float32Array.from({ length: 12 }, (_, i) => -i / 4));
    assert.equal(existsSync(f), false, 'nothing at the target before finish');
    w.finish();
    const got = JSON.parse(numpy('a = np.load(sys.argv[1]); print(json.dumps({"s": list(a.shape), "v": a.ravel().tolist(), "t": str(a.dtype)}))', [f]));
    assert.deepEqual(got, { s: [3, 2, 3], t: 'float32', v: [0, 1, 2, 3, 4, 5, ...Array.from({ length: 12 }, (_, i) => -i / 4)] });
    writeFileSync(join(dir, 'keep.npy'), 'old');
    const a = new NpyFileWriter(join(dir, 'keep.npy'), 'uint8', [4]);
    a.append(Uint8Array.of(1, 2, 3, 4));
    a.abort();
    assert.deepEqual(readdirSync(dir).sort(), ['keep.npy', 'out.npy']);
    assert.equal(readFileSync(join(dir, 'keep.npy'), 'utf8'), 'old');
  } finally {
    rmSync(dir, { recursive: true });
  }
});
