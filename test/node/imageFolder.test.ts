import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { rowSize, type RowDataset } from '../../src/data/rowDataset.js';
import { VaekitError } from '../../src/errors.js';
import { skippedSummary } from '../../src/node/imageCache.js';
import { openImageFolder, parseImageSize } from '../../src/node/imageFolder.js';
import { encodePng } from '../../src/viz/png.js';
import { FASHION_CLASSES, fashionMissing, renderShapes, writeFashionPngs, writeShapePngs } from '../helpers/imageFixtures.js';

const refused = (re: RegExp) => (e: unknown) => e instanceof VaekitError && re.test(e.message);
const tmp = () => mkdtempSync(join(tmpdir(), 'vaekit-img-'));

/** All rows of `ds` as one array [n, ...shape]. */
function readAll(ds: RowDataset): Float32Array {
  const x = new Float32Array(ds.n * rowSize(ds));
  ds.read(Array.from({ length: ds.n }, (_, i) => i), x);
  return x;
}

test('a Fashion-MNIST folder of class subfolders reads back the source pixels and labels, and its cache is reused until a file changes', { skip: fashionMissing() }, async () => {
  const dir = tmp();
  try {
    const n = 200;
    const { pixels, labels } = writeFashionPngs(dir, n);
    const first = await openImageFolder(dir);
    const ds = first.dataset;
    assert.deepEqual([ds.n, ds.shape, first.channels, first.imageSize, first.report.reused], [n, [1, 28, 28], 1, [28, 28], false]);
    assert.deepEqual(ds.classNames, [...FASHION_CLASSES].sort());
    // rows come in (class folder, file name) order; map each back to its source index through the label and order
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => FASHION_CLASSES[labels[a]].localeCompare(FASHION_CLASSES[labels[b]]) || a - b);
    const x = readAll(ds);
    order.forEach((src, row) => {
      assert.equal(ds.classNames![ds.labels![row]], FASHION_CLASSES[labels[src]], `row ${row} label`);
      for (let p = 0; p < 784; p++) assert.equal(x[row * 784 + p], Math.fround(pixels[src * 784 + p] / 255), `row ${row} pixel ${p}`);
    });
    ds.close?.();

    const again = await openImageFolder(dir);
    assert.equal(again.report.reused, true);
    assert.deepEqual(readAll(again.dataset), x);
    again.dataset.close?.();

    // change one image (same size, new mtime): the cache is rebuilt and shows the new pixels
    const changed = join(dir, FASHION_CLASSES[labels[order[0]]], `${String(order[0]).padStart(5, '0')}.png`);
    writeFileSync(changed, encodePng({ width: 28, height: 28, data: new Uint8Array(784).fill(255) }));
    utimesSync(changed, new Date(), new Date(Date.now() + 5000));
    const rebuilt = await openImageFolder(dir);
    assert.equal(rebuilt.report.reused, false);
    const y = readAll(rebuilt.dataset);
    assert.deepEqual(Array.from(y.subarray(0, 784)), new Array(784).fill(1));
    assert.deepEqual(y.subarray(784), x.subarray(784));
    rebuilt.dataset.close?.();
    assert.equal(readdirSync(join(dir, '.vaekit-cache')).length, 2, 'one manifest and one data file: the old data file was removed');
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('RGB shapes: PNGs read back exactly as [3, H, W], as grey by Rec. 601 luma, and resized close to a box average', async () => {
  const dir = tmp();
  try {
    const [h, w] = [24, 32];
    const shapes = renderShapes(12, h, w);
    writeShapePngs(dir, shapes, h, w);
    const rgb = await openImageFolder(dir, { onBad: 'fail' });
    assert.deepEqual([rgb.dataset.shape, rgb.channels, rgb.dataset.labels], [[3, h, w], 3, undefined]);
    const x = readAll(rgb.dataset);
    shapes.forEach((img, i) => {
      for (let p = 0; p < h * w; p++) for (let c = 0; c < 3; c++) assert.equal(x[i * 3 * h * w + c * h * w + p], Math.fround(img[p * 3 + c] / 255));
    });
    rgb.dataset.close?.();

    const grey = await openImageFolder(dir, { channels: 1 });
    const g = readAll(grey.dataset);
    shapes.forEach((img, i) => {
      for (let p = 0; p < h * w; p++) {
        const luma = Math.round(0.299 * img[p * 3] + 0.587 * img[p * 3 + 1] + 0.114 * img[p * 3 + 2]);
        assert.equal(g[i * h * w + p], Math.fround(luma / 255));
      }
    });
    grey.dataset.close?.();

    // half size: each output pixel against the mean of its 2×2 source block (the kernels differ only at edges)
    const half = await openImageFolder(dir, { imageSize: [h / 2, w / 2], channels: 3 });
    const s = readAll(half.dataset);
    const [H, W] = [h / 2, w / 2];
    let err = 0;
    shapes.forEach((img, i) => {
      for (let c = 0; c < 3; c++) {
        for (let y = 0; y < H; y++) {
          for (let xx = 0; xx < W; xx++) {
            const box = [0, 1].flatMap((dy) => [0, 1].map((dx) => img[((2 * y + dy) * w + 2 * xx + dx) * 3 + c])).reduce((a, b) => a + b) / 4 / 255;
            err += Math.abs(s[i * 3 * H * W + c * H * W + y * W + xx] - box);
          }
        }
      }
    });
    const mae = err / (12 * 3 * H * W);
    assert.ok(mae < 0.03, `mean absolute difference from a 2×2 box average: ${mae}`);
    half.dataset.close?.();
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('JPEG photos decode close to their source pixels, cropped to the aspect ratio of --image-size', async () => {
  const dir = tmp();
  try {
    const [h, w] = [32, 32];
    const shapes = renderShapes(6, h, w, 7);
    for (const [i, img] of shapes.entries()) {
      writeFileSync(join(dir, `p${i}.jpg`), await sharp(img, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 98, chromaSubsampling: '4:4:4' }).toBuffer());
    }
    const src = await openImageFolder(dir);
    const x = readAll(src.dataset);
    let err = 0;
    shapes.forEach((img, i) => {
      for (let p = 0; p < h * w; p++) for (let c = 0; c < 3; c++) err += Math.abs(x[i * 3 * h * w + c * h * w + p] - img[p * 3 + c] / 255);
    });
    assert.ok(err / x.length < 0.02, `JPEG mean absolute error ${err / x.length}`);
    src.dataset.close?.();
    const wide = await openImageFolder(dir, { imageSize: parseImageSize('16x8') });
    assert.deepEqual(wide.dataset.shape, [3, 16, 8]);
    wide.dataset.close?.();
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('a corrupt PNG or JPEG fails naming the file and leaves no cache; --on-bad skip reports them', async () => {
  const dir = tmp();
  try {
    const shapes = renderShapes(8, 16, 16, 3);
    writeShapePngs(dir, shapes, 16, 16);
    const png = readFileSync(join(dir, 'shape-000.png'));
    writeFileSync(join(dir, 'shape-002.png'), png.subarray(0, png.length - 40)); // truncated PNG
    const jpg = await sharp(shapes[0], { raw: { width: 16, height: 16, channels: 3 } }).jpeg().toBuffer();
    writeFileSync(join(dir, 'shape-005.jpg'), jpg.subarray(0, jpg.length / 2)); // truncated JPEG
    writeFileSync(join(dir, 'shape-006.png'), 'not an image');
    await assert.rejects(openImageFolder(dir, { imageSize: [16, 16], channels: 3 }), refused(/shape-002\.png: unreadable PNG .*--on-bad skip/));
    assert.deepEqual(readdirSync(join(dir, '.vaekit-cache')), [], 'nothing half-written after a failed build');
    const skip = await openImageFolder(dir, { imageSize: [16, 16], channels: 3, onBad: 'skip' });
    assert.deepEqual(skip.report.skipped.map((s) => s.file), ['shape-002.png', 'shape-005.jpg', 'shape-006.png']);
    assert.match(skip.report.skipped[1].reason, /shape-005\.jpg: unreadable image/);
    assert.match(skip.report.skipped[2].reason, /shape-006\.png: not a PNG or JPEG image \(12 bytes, starting 6e 6f 74 20\)/);
    assert.equal(skip.dataset.n, 6);
    assert.equal(skippedSummary(skip.report.skipped), 'skipped 3 unreadable images: shape-002.png, shape-005.jpg, shape-006.png');
    skip.dataset.close?.();
    // the cache built with skip is reused, but --on-bad fail still stops on its bad files
    await assert.rejects(openImageFolder(dir, { imageSize: [16, 16], channels: 3 }), refused(/shape-002\.png: unreadable PNG.*3 bad in/));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('folders mixing loose images and class folders, empty folders and bad sizes are refused', async () => {
  const dir = tmp();
  try {
    await assert.rejects(openImageFolder(dir), refused(/no \.png, \.jpg or \.jpeg images/));
    writeShapePngs(dir, renderShapes(1, 4, 4), 4, 4);
    writeShapePngs(join(dir, 'cats'), renderShapes(1, 4, 4), 4, 4);
    await assert.rejects(openImageFolder(dir), refused(/holds both images \(shape-000\.png, …\) and class subfolders \(cats\/, …\)/));
    mkdirSync(join(dir, 'x'));
    assert.deepEqual(parseImageSize('64'), [64, 64]);
    assert.deepEqual(parseImageSize('32x48'), [32, 48]);
    assert.throws(() => parseImageSize('64x'), refused(/--image-size 64x: expected N or HxW/));
  } finally {
    rmSync(dir, { recursive: true });
  }
});
