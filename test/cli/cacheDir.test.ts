// --cache-dir and $VAEKIT_CACHE_DIR: an image folder is decoded into a cache in the given directory, never
// beside the data; later commands reuse it (the same decoded file, the manifest untouched) and rebuild it
// when an image changes; config.json names the source folder, not the cache, so moving or deleting the
// cache only costs a new decode.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { imageCacheDir } from '../../src/node/imageFolder.js';
import { encodePng } from '../../src/viz/png.js';
import { fashionMissing, writeFashionPngs } from '../helpers/imageFixtures.js';
import { cli, ONE_THREAD, show, tmp, type CliResult } from './helpers.js';

const ok = (r: CliResult) => (assert.equal(r.code, 0, show(r)), r);
const NO_ENV = { VAEKIT_CACHE_DIR: '' };

/** The manifest of the 28×28 grey cache in `dir`: its `data` file name and its mtime. */
function manifest(dir: string): { data: string; mtimeMs: number } {
  const f = path.join(dir, 'images-28x28-c1.json');
  return { data: JSON.parse(readFileSync(f, 'utf8')).data, mtimeMs: statSync(f).mtimeMs };
}

test('train --cache-dir decodes into that directory, not beside the data; eval reuses it and notices a changed image', { skip: fashionMissing() }, async () => {
  const root = tmp('vaekit-cachedir-');
  const pngs = path.join(root, 'fashion');
  const cache = path.join(root, 'cache');
  const run = path.join(root, 'run');
  writeFashionPngs(pngs, 120);
  ok(await cli(['train', '--data', pngs, '--cache-dir', cache, '--hidden', '16', '--latent', '2', '--batch', '50', '--epochs', '1', '--out', run, ...ONE_THREAD], { env: NO_ENV }));
  assert.equal(existsSync(path.join(pngs, '.vaekit-cache')), false, 'nothing written beside the data');
  const mine = imageCacheDir(pngs, cache);
  assert.equal(path.dirname(mine), path.join(cache, 'images'));
  const first = manifest(mine);
  assert.deepEqual(readdirSync(mine).sort(), ['images-28x28-c1.json', first.data].sort());
  const config = readFileSync(path.join(run, 'config.json'), 'utf8');
  assert.equal(JSON.parse(config).dataset.path, pngs, 'the model names its source folder');
  assert.ok(!config.includes(cache), 'and not the cache');

  const evalArgs = ['eval', '--model', run, '--split', 'train', '--json', ...ONE_THREAD];
  const e1 = JSON.parse(ok(await cli([...evalArgs, '--cache-dir', cache], { env: NO_ENV })).stdout);
  assert.deepEqual(manifest(mine), first, 'reused: same decoded file, manifest not rewritten');

  // one image changes (new content, new mtime): the next command decodes again
  const changed = path.join(pngs, 'boot', '00000.png');
  writeFileSync(changed, encodePng({ width: 28, height: 28, data: new Uint8Array(784).fill(255) }));
  utimesSync(changed, new Date(), new Date(Date.now() + 5000));
  const e2 = JSON.parse(ok(await cli([...evalArgs, '--cache-dir', cache], { env: NO_ENV })).stdout);
  assert.notEqual(manifest(mine).data, first.data, 'rebuilt');
  assert.notEqual(e2.negElbo, e1.negElbo, 'and scored on the new pixels');
  assert.equal(readdirSync(mine).length, 2, 'the old decoded file is gone');

  // $VAEKIT_CACHE_DIR does what --cache-dir does; the flag wins over it
  const envCache = path.join(root, 'env-cache');
  ok(await cli(evalArgs, { env: { VAEKIT_CACHE_DIR: envCache } }));
  assert.ok(existsSync(path.join(imageCacheDir(pngs, envCache), 'images-28x28-c1.json')));
  const before = manifest(mine);
  ok(await cli([...evalArgs, '--cache-dir', cache], { env: { VAEKIT_CACHE_DIR: envCache } }));
  assert.deepEqual(manifest(mine), before);

  // the cache deleted: the model still loads its data, decoded again (beside the data, the default)
  rmSync(cache, { recursive: true });
  rmSync(envCache, { recursive: true });
  const e3 = JSON.parse(ok(await cli(evalArgs, { env: NO_ENV })).stdout);
  assert.equal(e3.negElbo, e2.negElbo);
  assert.ok(existsSync(path.join(pngs, '.vaekit-cache', 'images-28x28-c1.json')));
});

test('folders of the same name get caches of their own in one --cache-dir', () => {
  const a = imageCacheDir('/data/a/photos', '/c');
  const b = imageCacheDir('/data/b/photos', '/c');
  assert.notEqual(a, b);
  assert.match(a, /^\/c\/images\/photos-[0-9a-f]{16}$/);
  assert.equal(imageCacheDir('/data/a/photos'), '/data/a/photos/.vaekit-cache');
  assert.equal(imageCacheDir('rel/photos', '/c'), imageCacheDir(path.resolve('rel/photos'), '/c'), 'relative and absolute paths share a cache');
});

test('the embedded digits are cached in --cache-dir too', async () => {
  const root = tmp('vaekit-cachedir-');
  const cache = path.join(root, 'cache');
  ok(await cli(['train', '--cache-dir', cache, '--hidden', '8', '--latent', '2', '--batch', '500', '--epochs', '1', '--out', path.join(root, 'run'), ...ONE_THREAD], { env: NO_ENV }));
  assert.match(readdirSync(cache).join(','), /^mnist-10k-[\d.]+\.npz$/);
});
