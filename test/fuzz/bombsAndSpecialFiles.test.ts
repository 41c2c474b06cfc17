// Robustness beyond random bytes: decompression bombs and files that are not regular files, given to every
// reader of user files (IDX dataset directory, model directory, checkpoint, score inputs). Each must end in
// a VaekitError naming the path within a second, without reading the device or waiting on the FIFO.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { VaekitError } from '../../src/errors.js';
import { parseIdx } from '../../src/data/idx.js';
import { loadCheckpoint } from '../../src/node/checkpointFiles.js';
import { loadIdxDataset } from '../../src/node/fashionMnist.js';
import { loadModelDir } from '../../src/node/modelDir.js';
import { readRegularFile } from '../../src/node/safeRead.js';
import { decodePng } from '../../src/viz/png.js';
import { tempDir } from '../helpers/tempDir.js';

const root = tempDir('vaekit-special-');

const fifo = path.join(root, 'fifo');
const hasFifo = spawnSync('mkfifo', [fifo]).status === 0;

/** Calls f, expecting a VaekitError matching every pattern, within `ms`. */
function refusedFast(what: string, f: () => unknown, patterns: RegExp[], ms = 1000): void {
  const t0 = performance.now();
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof VaekitError, `${what}: expected a VaekitError, got ${e instanceof Error ? e.stack : String(e)}`);
    for (const p of patterns) assert.match(e.message, p, what);
    return true;
  });
  const took = performance.now() - t0;
  assert.ok(took < ms, `${what}: took ${took.toFixed(0)} ms`);
}

test('devices, FIFOs, directories and symlinks to devices are refused before any read', (t) => {
  const specials: [string, RegExp][] = [
    ['/dev/zero', /is a character device, not a regular file/],
    ['/dev/urandom', /is a character device/],
    [root, /is a directory/],
  ];
  const link = path.join(root, 'link');
  symlinkSync('/dev/urandom', link);
  specials.push([link, /link is a character device/]);
  if (hasFifo) specials.push([fifo, /is a FIFO \(named pipe\)/]);
  else t.diagnostic('mkfifo is not available: FIFO case skipped');
  for (const [file, p] of specials) refusedFast(file, () => readRegularFile(file, { maxBytes: 1 << 20, what: 'test file' }), [p]);
  const big = path.join(root, 'big');
  writeFileSync(big, Buffer.alloc(2048));
  refusedFast('big', () => readRegularFile(big, { maxBytes: 1024, what: 'config.json' }), [/config\.json .*big has 2048 bytes, more than the 1024 bytes/]);
  assert.equal(readRegularFile(big, { maxBytes: 2048, what: 'x' }).length, 2048, 'the positive control reads a regular file');
});

test('every reader of user files goes through the bounded read', async () => {
  // a model directory whose files are a device and a symlink to one
  const model = path.join(root, 'model');
  mkdirSync(model);
  symlinkSync('/dev/zero', path.join(model, 'config.json'));
  symlinkSync('/dev/urandom', path.join(model, 'weights.safetensors'));
  refusedFast('model dir', () => loadModelDir(model), [/config\.json .*config\.json is a character device/]);
  // a checkpoint that is a device: refused, so the run directory reports no usable checkpoint
  const run = path.join(root, 'run');
  mkdirSync(run);
  symlinkSync('/dev/zero', path.join(run, 'checkpoint.safetensors'));
  refusedFast('checkpoint', () => loadCheckpoint(run), [/no usable checkpoint .*checkpoint\.safetensors is a character device/]);
  // an IDX dataset directory with a device for its training images
  const data = path.join(root, 'idx');
  mkdirSync(data);
  for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) symlinkSync('/dev/zero', path.join(data, f));
  const t0 = performance.now();
  await assert.rejects(loadIdxDataset(data, 'digits'), (e: unknown) => e instanceof VaekitError && /is a character device/.test(e.message));
  assert.ok(performance.now() - t0 < 1000);
});

test('bombs: gzip IDX and PNG inflate no further than their headers allow', () => {
  const header = Buffer.from([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28]);
  const idxBomb = zlib.gzipSync(Buffer.concat([header, Buffer.alloc(32 << 20)]), { level: 9 });
  refusedFast('idx bomb', () => parseIdx(idxBomb, 'bomb.gz'), [/bomb\.gz.*needs 800 bytes but the gzip trailer says/], 3000);
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(28, 0);
  ihdr.writeUInt32BE(28, 4);
  ihdr[8] = 8;
  const pngBomb = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(32 << 20), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  refusedFast('png bomb', () => decodePng(pngBomb, 'bomb.png'), [/bomb\.png: decompresses to more than 812 bytes/], 3000);
});
