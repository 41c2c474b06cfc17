import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parseIdx, type IdxArray } from '../../src/data/idx.js';
import { inflateBounded } from '../../src/data/boundedInflate.js';
import { nodeInflateBounded } from '../../src/node/nodeInflate.js';
import { VaekitError } from '../../src/errors.js';
import { datasetToIdx } from '../../src/data/idxWrite.js';
import { imageSetFromIdx } from '../../src/data/imageSetFromIdx.js';
import { FASHION_MNIST_DIR, skipWithoutFashionMnist } from '../helpers/fashionMnist.js';

const FASHION = FASHION_MNIST_DIR;

// Independent IDX encoder (big-endian through DataView), so parseIdx is checked against the spec, not itself.
const CODES = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e } as const;
const SIZES = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 } as const;
function encodeIdx(dtype: keyof typeof CODES, dims: number[], values: number[]): Uint8Array {
  const head = 4 + 4 * dims.length;
  const out = new Uint8Array(head + values.length * SIZES[dtype]);
  const v = new DataView(out.buffer);
  out[2] = CODES[dtype];
  out[3] = dims.length;
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  values.forEach((x, i) => {
    const at = head + i * SIZES[dtype];
    if (dtype === 'uint8') v.setUint8(at, x);
    else if (dtype === 'int8') v.setInt8(at, x);
    else if (dtype === 'int16') v.setInt16(at, x, false);
    else if (dtype === 'int32') v.setInt32(at, x, false);
    else if (dtype === 'float32') v.setFloat32(at, x, false);
    else v.setFloat64(at, x, false);
  });
  return out;
}

/** Asserts that `fn` throws a VaekitError whose message matches every pattern. */
function refuses(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof VaekitError, `expected VaekitError, got ${String(e)}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

function counts(labels: Uint8Array): number[] {
  const c = new Array<number>(10).fill(0);
  for (const l of labels) c[l]++;
  return c;
}

test('real Fashion-MNIST: shapes, labels and pixel sums match an independent gzip+struct reader', (t) => {
  if (skipWithoutFashionMnist(t)) return;
  const read = (f: string) => parseIdx(readFileSync(`${FASHION}/${f}`), f);
  const trainLabels = read('train-labels-idx1-ubyte.gz');
  const testLabels = read('t10k-labels-idx1-ubyte.gz');
  assert.equal(trainLabels.dtype, 'uint8');
  assert.deepEqual(trainLabels.dims, [60000]);
  assert.deepEqual(testLabels.dims, [10000]);
  // Known facts: 10 balanced classes; first items are ankle boot (9), t-shirt (0), ...
  assert.deepEqual(counts(trainLabels.data as Uint8Array), new Array(10).fill(6000));
  assert.deepEqual(counts(testLabels.data as Uint8Array), new Array(10).fill(1000));
  assert.deepEqual(Array.from(trainLabels.data.subarray(0, 10)), [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
  assert.deepEqual(Array.from(testLabels.data.subarray(0, 10)), [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);

  const testImages = read('t10k-images-idx3-ubyte.gz');
  assert.equal(testImages.dtype, 'uint8');
  assert.deepEqual(testImages.dims, [10000, 28, 28]);
  // Sum of all pixel bytes and row 14 of image 0, from Python's gzip + struct.
  assert.equal(testImages.data.reduce((a, b) => a + b, 0), 573469082);
  const row = [0, 0, 0, 0, 0, 0, 2, 4, 1, 0, 0, 0, 98, 136, 110, 109, 110, 162, 135, 144, 149, 159, 167, 144, 158, 169, 119, 0];
  assert.deepEqual(Array.from(testImages.data.subarray(14 * 28, 15 * 28)), row);
});

test('real Fashion-MNIST train images: 60000x28x28, same result raw and gzipped', (t) => {
  if (skipWithoutFashionMnist(t)) return;
  const gz = readFileSync(`${FASHION}/train-images-idx3-ubyte.gz`);
  const images = parseIdx(gz, 'train-images-idx3-ubyte.gz');
  assert.deepEqual(images.dims, [60000, 28, 28]);
  assert.equal(images.data.length, 47040000);
  let sum = 0;
  for (let i = 0; i < images.data.length; i++) sum += images.data[i];
  assert.equal(sum, 3431114169);
  const raw = parseIdx(gunzipSync(gz), 'train-images-idx3-ubyte');
  assert.deepEqual(raw.dims, images.dims);
  assert.ok(Buffer.from(raw.data.buffer).equals(Buffer.from(images.data.buffer)));
});

test('round trips every dtype, big-endian, with extreme values', () => {
  const cases: [keyof typeof CODES, number[]][] = [
    ['uint8', [0, 1, 127, 128, 255, 42]],
    ['int8', [-128, -1, 0, 1, 127, 5]],
    ['int16', [-32768, -2, 0, 258, 32767, 7]],
    ['int32', [-2147483648, -1, 0, 16909060, 2147483647, 9]],
    ['float32', [0, -0, 1.5, -3.25, 3.4028234663852886e38, Math.fround(1e-45)]],
    ['float64', [Math.PI, -Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity, 0.1]],
  ];
  for (const [dtype, values] of cases) {
    const bytes = encodeIdx(dtype, [2, 3], values);
    const a = parseIdx(bytes, `t.${dtype}`);
    assert.equal(a.dtype, dtype);
    assert.deepEqual(a.dims, [2, 3]);
    assert.deepEqual(Array.from(a.data as ArrayLike<number>), values, dtype);
    // Same through gzip (Node's zlib as the independent compressor); the result is aligned and fresh.
    const z = parseIdx(gzipSync(bytes), `t.${dtype}.gz`);
    assert.deepEqual(Array.from(z.data as ArrayLike<number>), values, `${dtype} gz`);
    assert.equal(z.data.byteOffset, 0);
  }
  // int32 0x01020304 is stored as bytes 01 02 03 04 (big-endian)
  const be = encodeIdx('int32', [1], [0x01020304]);
  assert.deepEqual(Array.from(be.subarray(8)), [1, 2, 3, 4]);
  // NaN survives too
  assert.ok(Number.isNaN(parseIdx(encodeIdx('float32', [1], [NaN]), 'nan').data[0] as number));
});

test('does not alias the input and accepts a view into a bigger buffer', () => {
  const bytes = encodeIdx('uint8', [4], [1, 2, 3, 4]);
  const padded = new Uint8Array(bytes.length + 3);
  padded.set(bytes, 3);
  const a = parseIdx(padded.subarray(3), 'view') as Extract<IdxArray, { dtype: 'uint8' }>;
  assert.deepEqual(Array.from(a.data), [1, 2, 3, 4]);
  padded[padded.length - 1] = 99;
  assert.equal(a.data[3], 4);
});

test('refuses truncation at every kind of offset, naming source and sizes', () => {
  const good = encodeIdx('uint8', [3, 2, 2], [...Array(12).keys()]);
  for (const cut of [0, 1, 3]) refuses(() => parseIdx(good.subarray(0, cut), 'cut.idx'), /cut\.idx/, /truncated/, /at least 4 bytes/);
  for (const cut of [4, 7, 15]) refuses(() => parseIdx(good.subarray(0, cut), 'cut.idx'), /truncated/, /needs 16 bytes/);
  for (const cut of [16, 20, 27]) {
    refuses(() => parseIdx(good.subarray(0, cut), 'cut.idx'), new RegExp(`data ends at byte ${cut} but the header \\(dims 3x2x2, uint8\\) needs 28 bytes`));
  }
  const f32 = encodeIdx('float32', [3], [1, 2, 3]);
  refuses(() => parseIdx(f32.subarray(0, f32.length - 1), 'f.idx'), /data ends at byte 19 .* needs 20 bytes/);
});

test('refuses bad magic, dtype code, ndim and trailing garbage', () => {
  const good = encodeIdx('uint8', [2], [1, 2]);
  const with_ = (i: number, b: number) => Object.assign(good.slice(), { [i]: b });
  refuses(() => parseIdx(with_(0, 1), 'm'), /bad magic at byte 0: expected 00 00, found 01 00/);
  refuses(() => parseIdx(with_(1, 0x42), 'm'), /bad magic/);
  refuses(() => parseIdx(with_(2, 0x0a), 'm'), /unknown dtype code 0a at byte 2/);
  refuses(() => parseIdx(with_(3, 0), 'm'), /bad number of dims 0 at byte 3/);
  refuses(() => parseIdx(with_(3, 9), 'm'), /bad number of dims 9/);
  const extra = new Uint8Array(good.length + 5);
  extra.set(good);
  refuses(() => parseIdx(extra, 'x.idx'), /x\.idx/, /5 trailing bytes from byte 10/);
});

test('refuses a header claiming 10^12 elements before allocating anything', () => {
  const before = process.memoryUsage().arrayBuffers;
  const huge = encodeIdx('uint8', [1_000_000, 1_000_000], []);
  refuses(() => parseIdx(huge, 'huge.idx'), /dims 1000000x1000000, uint8\) needs 1000000000012 bytes/);
  const monster = encodeIdx('float64', Array(8).fill(0xffffffff), []);
  refuses(() => parseIdx(monster, 'monster.idx'), /truncated/);
  refuses(() => parseIdx(gzipSync(huge), 'huge.idx.gz'), /gzip file huge\.idx\.gz: the IDX header inside it \(dims 1000000x1000000, uint8\) needs 1000000000012 bytes but the gzip trailer says 12/);
  assert.ok(process.memoryUsage().arrayBuffers - before < 64 << 20, 'no large buffer was allocated');
});

test('refuses bad gzip: corrupt body, bad CRC, lying or huge ISIZE, truncation, extra members', () => {
  const raw = encodeIdx('int16', [50, 20], Array.from({ length: 1000 }, (_, i) => (i * 37) % 1000));
  const gz = gzipSync(raw);
  const n = gz.length;
  const patch = (at: number, bytes: number[]) => {
    const c = Uint8Array.from(gz);
    c.set(bytes, at);
    return c;
  };
  const corruptBody = patch(20, [gz[20] ^ 0xff, gz[21] ^ 0x55, gz[22] ^ 0xaa]);
  refuses(() => parseIdx(corruptBody, 'body.gz'), /gzip file body\.gz/, /cannot decompress|CRC-32 mismatch|decompressed to/);
  refuses(() => parseIdx(patch(n - 8, [gz[n - 8] ^ 1]), 'crc.gz'), new RegExp(`CRC-32 mismatch: the trailer at byte ${n - 8}`));
  const isize = (v: number) => {
    const c = Uint8Array.from(gz);
    new DataView(c.buffer).setUint32(n - 4, v, true);
    return c;
  };
  const len = raw.length; // 12-byte header + 1000 int16
  refuses(() => parseIdx(isize(len - 1), 's.gz'), new RegExp(`dims 50x20, int16\\) needs ${len} bytes but the gzip trailer says ${len - 1}`));
  refuses(() => parseIdx(isize(len + 1), 'l.gz'), new RegExp(`dims 50x20, int16\\) needs ${len} bytes but the gzip trailer says ${len + 1}`));
  refuses(() => parseIdx(isize(0x7fffffff), 'bomb.gz'), /claims 2147483647 uncompressed bytes, more than the 1073741824-byte limit/);
  refuses(() => parseIdx(isize(50_000_000), 'ratio.gz'), /more than DEFLATE can produce/);
  for (const cut of [2, 10, 17, 30, n - 9, n - 1]) {
    refuses(() => parseIdx(gz.subarray(0, cut), 'cut.gz'), /cut\.gz/);
  }
  // A second member with other content: the trailer no longer describes the first member.
  refuses(() => parseIdx(Buffer.concat([gz, gzipSync(raw.subarray(0, 100))]), 'two.gz'), /two\.gz.*(multi-member|the gzip trailer says 100 )/);
  refuses(() => parseIdx(Buffer.concat([gz, Buffer.from('garbage!')]), 'tail.gz'), /tail\.gz/);
  refuses(() => parseIdx(gzipSync(Buffer.from('not idx')), 'text.gz'), /IDX file text\.gz \(after gunzip\): bad magic/);
});

// A decompression bomb: a small gzip whose IDX header says 10 images of 28x28 (7,856 bytes) but whose stream
// goes on for 128 MiB of zeros. Inflation stops at what the header allows, whichever size the trailer claims.
for (const [name, inflate] of [['fflate', inflateBounded], ['node:zlib', nodeInflateBounded]] as const) test(`a gzip IDX bomb is refused after inflating what its header allows, in bounded memory and time (${name})`, () => {
  const header = encodeIdx('uint8', [10, 28, 28], []);
  const body = new Uint8Array(header.length + (128 << 20));
  body.set(header);
  const bomb = gzipSync(body, { level: 9 });
  assert.ok(bomb.length < 200_000, `the bomb is small (${bomb.length} bytes)`);
  const lying = Uint8Array.from(bomb);
  new DataView(lying.buffer).setUint32(lying.length - 4, header.length + 7840, true); // trailer agrees with the header
  const before = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  refuses(() => parseIdx(bomb, 'bomb.gz', { inflate }), /gzip file bomb\.gz: the IDX header inside it \(dims 10x28x28, uint8\) needs 7856 bytes but the gzip trailer says 134217744/);
  refuses(() => parseIdx(lying, 'lying.gz', { inflate }), /gzip file lying\.gz: decompresses to more than 7856 bytes, but the IDX header inside it says the file is 7856 bytes; .*decompression bomb/);
  assert.ok(process.memoryUsage().arrayBuffers - before < 32 << 20, 'inflated no more than a few pieces');
  assert.ok(performance.now() - t0 < 3000, `refused in ${(performance.now() - t0).toFixed(0)} ms`);
  // the positive control: the same inflater reads a real gzip IDX file whole
  const ok = encodeIdx('uint8', [3, 2], [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(parseIdx(gzipSync(ok), 'ok.gz', { inflate }).data), [1, 2, 3, 4, 5, 6]);
  const badCrc = Uint8Array.from(gzipSync(ok));
  badCrc[badCrc.length - 8] ^= 1; // the trailer's CRC-32: caught by the parser (fflate) or by zlib itself
  refuses(() => parseIdx(badCrc, 'crc.gz', { inflate }), /crc\.gz.*(CRC-32 mismatch|incorrect data check)/);
});

test("the explorer's test set: colour images and labels past 255 as IDX (the spec's bytes) and back", () => {
  // 3 examples of 2 channels × 2×3 pixels (k/255 values), labels that need int32
  const images = Float32Array.from({ length: 3 * 12 }, (_, k) => (k * 7 % 256) / 255);
  const ds = { name: 'tiny', images, labels: Int32Array.of(0, 299, 70_000), n: 3, rows: 2, cols: 3 };
  const idx = datasetToIdx(ds, 2);
  assert.deepEqual(idx.images, encodeIdx('uint8', [2, 2, 2, 3], Array.from(images.subarray(0, 24), (v) => Math.round(v * 255))));
  assert.deepEqual(idx.labels, encodeIdx('int32', [2], [0, 299]));
  const back = imageSetFromIdx(parseIdx(idx.images, 'i'), parseIdx(idx.labels, 'l'), 'back');
  assert.deepEqual([back.n, back.channels, back.rows, back.cols], [2, 2, 2, 3]);
  assert.deepEqual(back.images, images.subarray(0, 24));
  assert.deepEqual(Array.from(back.labels), [0, 299]);
  // grey images with byte labels stay [N, rows, cols] and uint8, as the built-in datasets' files are
  const grey = datasetToIdx({ name: 'g', images: images.subarray(0, 18), labels: Uint8Array.of(1, 2, 3), n: 3, rows: 2, cols: 3 });
  assert.deepEqual(parseIdx(grey.images, 'g').dims, [3, 2, 3]);
  assert.equal(parseIdx(grey.labels, 'g').dtype, 'uint8');
  refuses(() => imageSetFromIdx(parseIdx(encodeIdx('float32', [1, 1, 1], [0]), 'f'), parseIdx(grey.labels, 'l'), 'test set'), /test set: images must be a uint8 IDX array/, /got float32/);
  refuses(() => imageSetFromIdx(parseIdx(idx.images, 'i'), parseIdx(grey.labels, 'l'), 'test set'), /test set: 2 images but 3 labels/);
});
