// Your own RGB images end to end: a .npy of coloured 64×64 pictures trains the vanilla64 preset (batch norm,
// five stride-2 convolutions) and the picture commands draw them in colour.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { encodeNpy } from '../../src/data/npy.js';
import { decodePng8 } from '../../src/viz/png.js';
import { Prng } from '../../src/random/prng.js';
import { cli, ONE_THREAD, show, tmp } from './helpers.js';

test('train --data rgb.npy --channels-last --arch vanilla64; reconstruct draws the stored colours beside the model', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // 24 images [64, 64, 3]: a red, green or blue square on grey, channels last as most image code writes them
  const rng = new Prng(3);
  const n = 24;
  const data = new Uint8Array(n * 64 * 64 * 3).fill(128);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    const x0 = Math.floor(rng.uniform() * 32);
    for (let y = 16; y < 48; y++) for (let x = x0; x < x0 + 32; x++) for (let k = 0; k < 3; k++) data[((i * 64 + y) * 64 + x) * 3 + k] = k === c ? 255 : 0;
  }
  const file = path.join(dir, 'rgb.npy');
  writeFileSync(file, encodeNpy({ dtype: 'uint8', shape: [n, 64, 64, 3], data }));
  const run = path.join(dir, 'run');
  const tr = await cli(['train', '--data', file, '--channels-last', '--arch', 'vanilla64', '--latent', '4', '--batch', '8', '--epochs', '1', '--test-fraction', '0.25', '--out', run, ...ONE_THREAD]);
  assert.equal(tr.code, 0, show(tr));
  const cfg = JSON.parse(readFileSync(path.join(run, 'config.json'), 'utf8'));
  assert.deepEqual(cfg.model.dataShape, [3, 64, 64]);
  assert.ok(cfg.model.encoder.some((l: { type: string }) => l.type === 'batchNorm'));
  const png = path.join(dir, 'recon.png');
  const r = await cli(['reconstruct', '--model', run, '--n', '3', '--cols', '3', '--out', png, ...ONE_THREAD]);
  assert.equal(r.code, 0, show(r));
  const img = decodePng8(readFileSync(png), png, 3);
  assert.equal(img.channels, 3);
  // the first original tile (pad 2) holds a saturated square of one colour on grey
  const px = (x: number, y: number) => [0, 1, 2].map((k) => img.data[(y * img.width + x) * 3 + k]);
  const tile = Array.from({ length: 64 * 64 }, (_, p) => px(2 + (p % 64), 2 + Math.floor(p / 64)));
  assert.ok(tile.some((c) => c.filter((v) => v === 255).length === 1 && c.filter((v) => v === 0).length === 2), 'a pure red, green or blue pixel');
  assert.ok(tile.some((c) => c.every((v) => v === 128)), 'grey background');
});
