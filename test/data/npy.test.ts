import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeNpy, encodeNpy, encodeNpyHeader, npyLabels, parseNpyHeader, type NpyArray } from '../../src/data/npy.js';
import { decodeNpz, encodeNpz, npzNames } from '../../src/data/npz.js';
import { VaekitError } from '../../src/errors.js';
import { numpy, numpyMissing } from '../helpers/numpy.js';

const skip = numpyMissing();
const refused = (re: RegExp) => (e: unknown) => e instanceof VaekitError && re.test(e.message);

/** numpy writes arrays of every supported dtype and rank; JSON of their values is the truth. */
const WRITE = `
rng = np.random.default_rng(0)
arrs = {
  'u8': rng.integers(0, 256, (3, 4, 5), dtype=np.uint8),
  'f32': rng.standard_normal((7, 3)).astype(np.float32),
  'f64': rng.standard_normal((2, 2, 2, 3)) * 1e10,
  'i32': np.array([0, -5, 2**31 - 1], dtype=np.int32),
  'i64': np.array([3, -(2**40), 9], dtype=np.int64),
  'scalar': np.array(2.5, dtype=np.float32),
  'empty': np.zeros((0, 4), dtype=np.float32),
}
d = sys.argv[1]
for k, a in arrs.items(): np.save(f'{d}/{k}.npy', a)
np.savez(f'{d}/stored.npz', **arrs)
np.savez_compressed(f'{d}/deflated.npz', **arrs)
print(json.dumps({k: {'shape': list(a.shape), 'values': a.ravel().tolist()} for k, a in arrs.items()}))
`;

const values = (a: NpyArray) => Array.from(a.data as ArrayLike<number | bigint>, Number);

test('.npy and .npz written by numpy decode to numpy\'s values, shapes and dtypes', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vaekit-npy-'));
  try {
    const truth = JSON.parse(numpy(WRITE, [dir])) as Record<string, { shape: number[]; values: number[] }>;
    const dtypes: Record<string, string> = { u8: 'uint8', f32: 'float32', f64: 'float64', i32: 'int32', i64: 'int64', scalar: 'float32', empty: 'float32' };
    const npzStored = decodeNpz(readFileSync(join(dir, 'stored.npz')), 'stored.npz');
    const npzDeflated = decodeNpz(readFileSync(join(dir, 'deflated.npz')), 'deflated.npz');
    for (const [k, t] of Object.entries(truth)) {
      for (const a of [decodeNpy(readFileSync(join(dir, `${k}.npy`)), k), npzStored[k], npzDeflated[k]]) {
        assert.equal(a.dtype, dtypes[k], k);
        assert.deepEqual(a.shape, t.shape, k);
        assert.deepEqual(values(a), t.values, k);
      }
    }
    assert.deepEqual(npzNames(readFileSync(join(dir, 'stored.npz')), 'x').sort(), Object.keys(truth).sort());
    assert.deepEqual(Object.keys(decodeNpz(readFileSync(join(dir, 'stored.npz')), 'x', ['i32'])), ['i32']);
    assert.throws(() => decodeNpz(readFileSync(join(dir, 'stored.npz')), 'stored.npz', ['y']), refused(/stored\.npz: no array 'y'; it holds u8, f32/));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('numpy reads the .npy and .npz files vaekit writes', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vaekit-npy-'));
  try {
    const arrays: Record<string, NpyArray> = {
      u8: { dtype: 'uint8', shape: [2, 3], data: Uint8Array.of(0, 1, 127, 128, 254, 255) },
      f32: { dtype: 'float32', shape: [3], data: Float32Array.of(0.1, -2.5e-30, 3e38) },
      f64: { dtype: 'float64', shape: [1, 2, 1], data: Float64Array.of(Math.PI, -1e300) },
      i32: { dtype: 'int32', shape: [2], data: Int32Array.of(-(2 ** 31), 7) },
      i64: { dtype: 'int64', shape: [2], data: BigInt64Array.of(-(2n ** 62n), 5n) },
      scalar: { dtype: 'float32', shape: [], data: Float32Array.of(1.25) },
      // a shape long enough to need a 128-byte header
      long: { dtype: 'uint8', shape: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2], data: Uint8Array.of(9, 8) },
    };
    for (const [k, a] of Object.entries(arrays)) writeFileSync(join(dir, `${k}.npy`), encodeNpy(a));
    writeFileSync(join(dir, 'stored.npz'), encodeNpz(arrays));
    writeFileSync(join(dir, 'deflated.npz'), encodeNpz(arrays, { compress: true }));
    // stored members hold the .npy bytes verbatim (as numpy.savez); deflated ones do not (as savez_compressed)
    const f32 = Buffer.from(encodeNpy(arrays.f32));
    assert.ok(readFileSync(join(dir, 'stored.npz')).includes(f32));
    assert.ok(!readFileSync(join(dir, 'deflated.npz')).includes(f32));
    const read = JSON.parse(
      numpy(
        `
d = sys.argv[1]
def desc(a): return {'dtype': str(a.dtype), 'shape': list(a.shape), 'values': [float(v) if a.dtype.kind == 'f' else int(v) for v in a.ravel()], 'c': bool(a.flags.c_contiguous)}
out = {k[:-4]: desc(np.load(f'{d}/{k}')) for k in ${JSON.stringify(Object.keys(arrays).map((k) => `${k}.npy`))}}
for z in ['stored', 'deflated']:
  with np.load(f'{d}/{z}.npz') as f: out[z] = {k: desc(f[k]) for k in f.files}
print(json.dumps(out))`,
        [dir],
      ),
    );
    for (const [k, a] of Object.entries(arrays)) {
      const want = { dtype: a.dtype, shape: a.shape, values: values(a), c: true };
      assert.deepEqual(read[k], want, k);
      assert.deepEqual(read.stored[k], want, `stored.npz ${k}`);
      assert.deepEqual(read.deflated[k], want, `deflated.npz ${k}`);
    }
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('refusals name the file, the byte offset and what was found', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vaekit-npy-'));
  try {
    numpy(
      `
d = sys.argv[1]
np.save(f'{d}/fortran.npy', np.asfortranarray(np.ones((2, 3), dtype=np.float32)))
np.save(f'{d}/i16.npy', np.ones(3, dtype=np.int16))
np.save(f'{d}/big.npy', np.ones(3, dtype='>f4'))
np.save(f'{d}/rec.npy', np.zeros(2, dtype=[('a', '<f4'), ('b', '<i4')]))
np.save(f'{d}/ok.npy', np.arange(10, dtype=np.float32).reshape(5, 2))`,
      [dir],
    );
    const load = (f: string) => () => decodeNpy(readFileSync(join(dir, f)), f);
    assert.throws(load('fortran.npy'), refused(/fortran\.npy: fortran_order is true; vaekit reads C order.*header at byte 10/));
    assert.throws(load('i16.npy'), refused(/i16\.npy: dtype '<i2' is not supported.*header at byte 10/));
    assert.throws(load('big.npy'), refused(/big\.npy: dtype '>f4' is not supported \(big-endian/));
    assert.throws(load('rec.npy'), refused(/rec\.npy: .*structured/));
    const ok = readFileSync(join(dir, 'ok.npy'));
    assert.throws(() => decodeNpy(ok.subarray(0, 128 + 30), 'cut.npy'), refused(/cut\.npy: truncated: shape \(5, 2\) float32 needs 40 bytes from byte 128 to byte 168, but the file ends at byte 158/));
    assert.throws(() => decodeNpy(Buffer.concat([ok, Buffer.of(1)]), 'long.npy'), refused(/long\.npy: 1 unexpected bytes after the data, from byte 168/));
    assert.throws(() => decodeNpy(ok.subarray(0, 40), 'head.npy'), refused(/head\.npy: truncated: the header ends at byte 128 but the file has 40 bytes/));
    assert.throws(() => decodeNpy(Buffer.from('PK\x03\x04 not npy'), 'x.npz'), refused(/x\.npz: not an \.npy file: byte 0 is 0x50/));
    assert.throws(() => decodeNpz(ok, 'ok.npy'), refused(/ok\.npy: not a zip archive \(no end-of-central-directory record/));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('headers are padded to 64 bytes and can reserve room for a later rewrite', () => {
  const h = encodeNpyHeader('uint8', [0, 3, 64, 64], 256);
  assert.equal(h.length, 256);
  assert.deepEqual(parseNpyHeader(h, 'h').shape, [0, 3, 64, 64]);
  assert.equal(encodeNpyHeader('float32', [10, 784]).length, 128); // 10 + 61 characters + '\n' > 64
  assert.equal(encodeNpyHeader('uint8', [7], 100).length, 128);
  const big = encodeNpyHeader('float32', [1], 70_000); // over 65535: format 2.0
  assert.equal(big[6], 2);
  assert.deepEqual(parseNpyHeader(big, 'h'), { dtype: 'float32', shape: [1], dataOffset: big.length, dataBytes: 4 });
});

test('labels: integers to Int32Array; floats and negatives refused with the index', () => {
  assert.deepEqual(Array.from(npyLabels({ dtype: 'int64', shape: [3], data: BigInt64Array.of(0n, 9n, 2n) }, 'y')), [0, 9, 2]);
  assert.throws(() => npyLabels({ dtype: 'int32', shape: [2], data: Int32Array.of(1, -1) }, 'y.npy'), refused(/y\.npy: label -1 at index 1/));
  assert.throws(() => npyLabels({ dtype: 'float32', shape: [1], data: Float32Array.of(1) }, 'y.npy'), refused(/must be integers/));
});
