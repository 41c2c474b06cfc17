import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode } from 'fast-png';
import { imageGrid, rowsGrid, encodePng, decodePng } from '../../src/viz/imageGrid.js';
import { decodePng8 } from '../../src/viz/png.js';
import { VaekitError } from '../../src/errors.js';

// 3 images of 2×3 pixels; image k pixel p has value (10k + p) / 40, so every pixel is distinct
const h = 2;
const w = 3;
const images = Float32Array.from({ length: 3 * h * w }, (_, i) => (10 * Math.floor(i / 6) + (i % 6)) / 40);
const byte = (v: number) => Math.round(v * 255);

test('imageGrid places each tile row-major with padding between and around tiles', () => {
  const g = imageGrid(images, { h, w, cols: 2, pad: 1, padValue: 0.5 });
  assert.equal(g.width, 2 * (w + 1) + 1); // 9
  assert.equal(g.height, 2 * (h + 1) + 1); // 7
  assert.equal(g.channels, 1);
  const at = (x: number, y: number) => g.data[y * g.width + x];
  // tile k at row r = k div 2, col c = k mod 2 starts at (1 + 4c, 1 + 3r)
  for (let k = 0; k < 3; k++) {
    const [x0, y0] = [1 + 4 * (k % 2), 1 + 3 * Math.floor(k / 2)];
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) assert.equal(at(x0 + x, y0 + y), byte((10 * k + y * w + x) / 40));
  }
  // border, gutters and the empty 4th cell are padValue: 0.5 → 128
  for (const [x, y] of [[0, 0], [4, 1], [8, 6], [2, 3], [5, 4], [7, 5]]) assert.equal(at(x, y), 128, `pixel (${x}, ${y})`);
});

test('imageGrid clamps to [0, 1], defaults to ceil(√N) columns, pad 2 and white padding', () => {
  const g = imageGrid(Float32Array.from([-1, 2, 0.5, 1.5, -0.2]), { h: 1, w: 1 });
  assert.equal(g.width, 3 * 3 + 2); // cols = ceil(√5) = 3, each tile 1 + pad 2, plus pad 2
  assert.equal(g.height, 2 * 3 + 2);
  const at = (r: number, c: number) => g.data[(2 + 3 * r) * g.width + 2 + 3 * c];
  assert.deepEqual([at(0, 0), at(0, 1), at(0, 2), at(1, 0), at(1, 1), at(1, 2)], [0, 255, 128, 255, 0, 255]);
  assert.equal(g.data[0], 255);
});

test('imageGrid n takes the first n images', () => {
  const g = imageGrid(images, { h, w, n: 2, cols: 2, pad: 0 });
  assert.deepEqual([g.width, g.height], [6, 2]);
});

test('rowsGrid: one grid row per array, ragged rows end in padding', () => {
  const one = images.subarray(0, 6);
  const g = rowsGrid([images, one], { h, w, pad: 0, padValue: 0 });
  assert.deepEqual([g.width, g.height], [9, 4]);
  assert.equal(g.data[2 * 9 + 0], byte(0)); // row 1 starts with image 0
  assert.equal(g.data[3 * 9 + 2], byte(5 / 40));
  assert.equal(g.data[2 * 9 + 3], 0); // empty cell
  assert.equal(g.data[1 * 9 + 8], byte(25 / 40)); // last pixel of image 2 in row 0
});

test('grid errors are VaekitErrors that say what was expected', () => {
  assert.throws(() => imageGrid(new Float32Array(7), { h: 2, w: 3 }), (e) => e instanceof VaekitError && /N\*c\*h\*w/.test(e.message));
  assert.throws(() => imageGrid(Float32Array.from([0, NaN]), { h: 1, w: 1 }), (e) => e instanceof VaekitError && /NaN/.test(e.message));
  assert.throws(() => rowsGrid([new Float32Array(5)], { h: 2, w: 2 }), VaekitError);
  assert.throws(() => rowsGrid([], { h: 2, w: 2 }), VaekitError);
});

test('encodePng → decodePng round trip gives identical pixels', () => {
  const g = imageGrid(images, { h, w, cols: 2 });
  const png = encodePng(g);
  const raw = decode(png);
  assert.deepEqual([raw.width, raw.height, raw.channels, raw.depth], [g.width, g.height, 1, 8]);
  assert.deepEqual(Array.from(raw.data), Array.from(g.data));
  const back = decodePng(png, 'grid.png');
  assert.deepEqual(Array.from(back.data, (v) => Math.round(v * 255)), Array.from(g.data));
  assert.equal(back.channels, 1);
});

test('encodePng rejects data of the wrong length', () => {
  assert.throws(() => encodePng({ width: 2, height: 2, data: new Uint8Array(5) }), (e) => e instanceof VaekitError && /expected/.test(e.message));
  assert.throws(() => encodePng({ width: 2, height: 2, data: new Uint8Array(4), channels: 3 }), VaekitError);
});

test('decodePng turns RGB into Rec. 601 luma', () => {
  const png = encodePng({ width: 4, height: 1, channels: 3, data: Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]) });
  const img = decodePng(png, 'rgb.png');
  assert.equal(img.channels, 3);
  const want = [0.299, 0.587, 0.114, 1];
  img.data.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6, `pixel ${i}: ${v} vs ${want[i]}`));
});

test('decodePng composites RGBA over the background (default black)', () => {
  const data = Uint8Array.from([255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0, 51]);
  const png = encodePng({ width: 3, height: 1, channels: 4, data });
  const black = decodePng(png, 'rgba.png');
  assert.equal(black.channels, 4);
  assert.deepEqual(Array.from(black.data), [1, 0, 0]);
  const white = decodePng(png, 'rgba.png', { background: 1 });
  assert.ok(Math.abs(white.data[1] - 1) < 1e-6 && Math.abs(white.data[2] - (1 - 51 / 255)) < 1e-6);
});

test('decodePng reads 16-bit, 1-bit and palette PNGs', () => {
  const g16 = decodePng(encode({ width: 3, height: 1, depth: 16, channels: 1, data: Uint16Array.from([0, 65535, 32768]) }), 'g16.png');
  assert.deepEqual(Array.from(g16.data), [0, 1, Math.fround(32768 / 65535)]);
  // 1-bit: rows are byte-aligned, so row 0 = 101, row 1 = 010
  const g1 = decodePng(encode({ width: 3, height: 2, depth: 1, channels: 1, data: Uint8Array.from([0b10100000, 0b01000000]) }), 'g1.png');
  assert.deepEqual(Array.from(g1.data), [1, 0, 1, 0, 1, 0]);
  const pal = encode({ width: 2, height: 1, depth: 8, channels: 1, data: Uint8Array.from([1, 0]), palette: [[0, 0, 0], [0, 255, 0]] });
  const p = decodePng(pal, 'palette.png');
  assert.ok(Math.abs(p.data[0] - 0.587) < 1e-6 && p.data[1] === 0);
});

test('decodePng names the source when the file is not a readable PNG', () => {
  const png = encodePng(imageGrid(images, { h, w }));
  assert.throws(() => decodePng(png.subarray(0, png.length - 30), '/data/cut.png'), (e) => e instanceof VaekitError && /\/data\/cut\.png/.test(e.message));
  const garbage = png.slice();
  garbage.fill(7, 40); // keep signature and IHDR, trash the compressed pixels
  assert.throws(() => decodePng(garbage, 'bad.png'), (e) => e instanceof VaekitError && /bad\.png: unreadable/.test(e.message));
  assert.throws(() => decodePng(new TextEncoder().encode('GIF89a....'), 'x.gif'), (e) => e instanceof VaekitError && /x\.gif: not a PNG/.test(e.message));
});

test('RGB grids: planar [n, 3, h, w] images become interleaved RGB tiles that a PNG decoder reads back', () => {
  // 5 images of 3 channels, 2×3 pixels; every value distinct: image k, channel ch, pixel p = (30k + 6ch + p) / 150
  const rgb = Float32Array.from({ length: 5 * 3 * h * w }, (_, i) => i / 150);
  const g = imageGrid(rgb, { h, w, c: 3, cols: 2, pad: 1, padValue: 0 });
  assert.deepEqual([g.width, g.height, g.channels], [2 * (w + 1) + 1, 3 * (h + 1) + 1, 3]);
  const raw = decode(encodePng(g)); // fast-png's decoder: the independent reader
  assert.deepEqual([raw.channels, raw.width, raw.height], [3, g.width, g.height]);
  for (let k = 0; k < 5; k++) {
    const [r, c] = [Math.floor(k / 2), k % 2];
    for (let ch = 0; ch < 3; ch++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const at = ((1 + r * (h + 1) + y) * g.width + 1 + c * (w + 1) + x) * 3 + ch;
          assert.equal(raw.data[at], byte(rgb[k * 3 * h * w + ch * h * w + y * w + x]), `image ${k} channel ${ch} pixel (${y}, ${x})`);
        }
      }
    }
  }
  // the empty sixth cell and the padding are black in all three channels
  assert.deepEqual(Array.from(raw.data.subarray(0, 3 * g.width)), new Array(3 * g.width).fill(0));
  assert.throws(() => imageGrid(rgb.subarray(1), { h, w, c: 3 }), (e) => e instanceof VaekitError && /N\*c\*h\*w for c=3/.test(e.message));
  assert.throws(() => rowsGrid([rgb], { h, w, c: 2 as 3 }), (e) => e instanceof VaekitError && /c must be 1 \(grey\) or 3/.test(e.message));
});

test('decodePng8 gives 8-bit RGB (grey replicated, alpha over black) or grey', () => {
  const rgba = encode({ width: 3, height: 1, channels: 4, depth: 8, data: Uint8Array.from([10, 20, 30, 255, 200, 100, 50, 0, 255, 255, 255, 51]) });
  assert.deepEqual(Array.from(decodePng8(rgba, 'a.png', 3).data), [10, 20, 30, 0, 0, 0, 51, 51, 51]);
  assert.deepEqual(Array.from(decodePng8(rgba, 'a.png', 1).data), [Math.round(0.299 * 10 + 0.587 * 20 + 0.114 * 30), 0, 51]);
  const grey = encode({ width: 2, height: 1, channels: 1, depth: 16, data: Uint16Array.from([65535, 257 * 7]) });
  assert.deepEqual(Array.from(decodePng8(grey, 'g.png', 3).data), [255, 255, 255, 7, 7, 7]);
});

test('decodePng refuses a header claiming more pixels than its compressed data can hold, before decoding', () => {
  const png = encode({ width: 2, height: 2, channels: 4, depth: 8, data: new Uint8Array(16) });
  const claim = png.slice();
  new DataView(claim.buffer).setUint32(16, 0x01000002, false); // width 16,777,218 (CRC now wrong too)
  const t0 = performance.now();
  assert.throws(() => decodePng(claim, 'bomb.png'), (e) => e instanceof VaekitError && /bomb\.png: PNG header \(byte 16\) claims 16777218x2 pixels \(134217746 bytes of scanlines\) but the file holds \d+ compressed bytes/.test(e.message));
  assert.ok(performance.now() - t0 < 100, 'refused without inflating');
});
