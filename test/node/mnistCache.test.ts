// The embedded digits through the binary cache equal the package's own digits exactly; a damaged cache is
// rebuilt, and an unwritable cache directory only costs the parse.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { loadEmbeddedMnistCached } from '../../src/node/mnistCache.js';

test('cached embedded digits equal the package’s; a damaged cache is rebuilt; a file in place of the directory is survived', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vaekit-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const truth = await loadEmbeddedMnist();
  const same = (a: Awaited<ReturnType<typeof loadEmbeddedMnist>>) => {
    for (const s of ['train', 'test'] as const) {
      assert.equal(a[s].name, truth[s].name);
      assert.deepEqual([a[s].n, a[s].rows, a[s].cols], [truth[s].n, truth[s].rows, truth[s].cols]);
      assert.ok(Buffer.from(a[s].images.buffer, a[s].images.byteOffset, a[s].images.byteLength).equals(Buffer.from(truth[s].images.buffer, truth[s].images.byteOffset, truth[s].images.byteLength)), `${s} pixels`);
      assert.deepEqual([...a[s].labels], [...truth[s].labels]);
    }
  };
  same(await loadEmbeddedMnistCached(dir)); // builds the cache
  const files = readdirSync(dir);
  assert.equal(files.length, 1, `one cache file: ${files}`);
  same(await loadEmbeddedMnistCached(dir)); // reads it
  writeFileSync(path.join(dir, files[0]), 'not an npz');
  same(await loadEmbeddedMnistCached(dir)); // damaged: rebuilt
  const blocked = path.join(dir, 'file');
  writeFileSync(blocked, 'x');
  same(await loadEmbeddedMnistCached(path.join(blocked, 'sub'))); // cannot create the directory: no cache
});
