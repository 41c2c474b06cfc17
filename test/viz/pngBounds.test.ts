// PNG decompression bombs: the pixel data may inflate only to what IHDR says the image needs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { VaekitError } from '../../src/errors.js';
import { decodePng, encodePng } from '../../src/viz/png.js';
import { pngRawBytes } from '../../src/viz/pngBounds.js';

/** A PNG from chunks, each with its CRC (node:zlib's crc32, independent of vaekit's). */
function png(chunks: [string, Uint8Array][]): Uint8Array {
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])];
  for (const [type, data] of chunks) {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    parts.push(head, Buffer.from(data), crc);
  }
  return Buffer.concat(parts);
}

function ihdr(w: number, h: number, depth = 8, color = 0, interlace = 0): [string, Uint8Array] {
  const b = Buffer.alloc(13);
  b.writeUInt32BE(w, 0);
  b.writeUInt32BE(h, 4);
  b.set([depth, color, 0, 0, interlace], 8);
  return ['IHDR', b];
}

test('the raw size from IHDR equals the inflated IDAT of real files', () => {
  for (const [w, h, c] of [[28, 28, 1], [5, 3, 3], [7, 2, 4]] as const) {
    const file = Buffer.from(encodePng({ width: w, height: h, channels: c, data: new Uint8Array(w * h * c).fill(9) }));
    const idatAt = file.indexOf('IDAT', 0, 'latin1');
    const len = file.readUInt32BE(idatAt - 4);
    assert.equal(zlib.inflateSync(file.subarray(idatAt + 4, idatAt + 4 + len)).length, pngRawBytes(w, h, 8, c, false), `${w}x${h}x${c}`);
  }
  assert.equal(pngRawBytes(1, 1, 8, 1, true), 2, 'interlaced 1x1: only pass 1, one row of 1 + 1 bytes');
  // Adam7 on 8x8: passes of 1x1, 1x1, 2x1, 2x2, 4x2, 4x4, 8x4 pixels = 15 rows, each 1 filter byte + 1 byte of 1-bit samples
  assert.equal(pngRawBytes(8, 8, 1, 1, true), 30);
});

test('a 28x28 PNG whose data inflates to 64 MiB is refused after 812 bytes, in bounded memory and time', () => {
  const bomb = png([ihdr(28, 28), ['IDAT', zlib.deflateSync(Buffer.alloc(64 << 20), { level: 9 })], ['IEND', new Uint8Array(0)]]);
  assert.ok(bomb.length < 100_000, `the bomb is small (${bomb.length} bytes)`);
  const before = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  assert.throws(
    () => decodePng(bomb, 'bomb.png'),
    (e: unknown) => e instanceof VaekitError && /^bomb\.png: decompresses to more than 812 bytes, but its header \(28x28 8-bit grey\) needs 812 bytes of pixel data; .*decompression bomb/.test(e.message),
  );
  assert.ok(process.memoryUsage().arrayBuffers - before < 32 << 20, 'no large buffer');
  assert.ok(performance.now() - t0 < 3000, `refused in ${(performance.now() - t0).toFixed(0)} ms`);
  // the positive control: the same image with exactly its 812 bytes decodes
  const good = png([ihdr(28, 28), ['IDAT', zlib.deflateSync(Buffer.alloc(812))], ['IEND', new Uint8Array(0)]]);
  assert.equal(decodePng(good, 'good.png').data.length, 784);
});
