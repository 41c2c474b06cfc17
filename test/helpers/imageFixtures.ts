import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIdx } from '../../src/data/idx.js';
import { Prng } from '../../src/random/prng.js';
import { encodePng } from '../../src/viz/png.js';

export const FASHION_DIR = '/usr/share/datasets/fashion-mnist';
/** Why Fashion-MNIST tests skip, or undefined when the IDX files are there. */
export const fashionMissing = (): string | undefined =>
  existsSync(join(FASHION_DIR, 't10k-images-idx3-ubyte.gz')) ? undefined : 'Fashion-MNIST not found: apt-get install dataset-fashion-mnist';

/** Fashion-MNIST's class names; sorted, they are not in label order, which tests the folder → label mapping. */
export const FASHION_CLASSES = ['tshirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'boot'];

/**
 * Writes the first `n` Fashion-MNIST test images as 28×28 grey PNGs into `dir/<class>/<index>.png`
 * (or flat `dir/<index>.png`); returns the source pixels [n, 784] and labels, the truth for the reader.
 */
export function writeFashionPngs(dir: string, n: number, classFolders = true): { pixels: Uint8Array; labels: Uint8Array } {
  const images = parseIdx(readFileSync(join(FASHION_DIR, 't10k-images-idx3-ubyte.gz')), 'images');
  const labels = parseIdx(readFileSync(join(FASHION_DIR, 't10k-labels-idx1-ubyte.gz')), 'labels');
  const pixels = (images.data as Uint8Array).slice(0, n * 784);
  const y = (labels.data as Uint8Array).slice(0, n);
  for (let i = 0; i < n; i++) {
    const sub = classFolders ? join(dir, FASHION_CLASSES[y[i]]) : dir;
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `${String(i).padStart(5, '0')}.png`), encodePng({ width: 28, height: 28, data: pixels.subarray(i * 784, (i + 1) * 784) }));
  }
  return { pixels, labels: y };
}

/**
 * Renders `n` RGB images [h, w, 3] of coloured shapes (a filled rectangle and a disc on a coloured
 * background), seeded; returns them interleaved, as PNG stores them.
 */
export function renderShapes(n: number, h: number, w: number, seed = 1): Uint8Array[] {
  const rng = new Prng(seed);
  const colour = () => [rng.int(256), rng.int(256), rng.int(256)];
  return Array.from({ length: n }, () => {
    const img = new Uint8Array(h * w * 3);
    const [bg, fg1, fg2] = [colour(), colour(), colour()];
    const [x0, y0] = [rng.int(Math.floor(w / 2)), rng.int(Math.floor(h / 2))];
    const [rw, rh] = [2 + rng.int(Math.floor(w / 2)), 2 + rng.int(Math.floor(h / 2))];
    const [cx, cy, r] = [rng.int(w), rng.int(h), 2 + rng.int(Math.floor(Math.min(h, w) / 3))];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const c = (x - cx) ** 2 + (y - cy) ** 2 <= r * r ? fg2 : x >= x0 && x < x0 + rw && y >= y0 && y < y0 + rh ? fg1 : bg;
        img.set(c, (y * w + x) * 3);
      }
    }
    return img;
  });
}

/** Writes rendered shapes as RGB PNGs `dir/shape-<i>.png`. */
export function writeShapePngs(dir: string, shapes: Uint8Array[], h: number, w: number): void {
  mkdirSync(dir, { recursive: true });
  shapes.forEach((data, i) => writeFileSync(join(dir, `shape-${String(i).padStart(3, '0')}.png`), encodePng({ width: w, height: h, channels: 3, data })));
}

/**
 * Two class folders `rust/` and `teal/` of 20 RGB PNGs each (8×8 noise around two colours, neither grey, so a
 * decoded mean is coloured too), numbered 000…039 across both; returns each file's interleaved RGB bytes.
 *
 * @example
 * const written = writeColourClassFolder(path.join(dir, 'colours'));
 */
export function writeColourClassFolder(folder: string): Map<string, Uint8Array> {
  const written = new Map<string, Uint8Array>();
  const prng = new Prng(9);
  let k = 0;
  for (const [name, rgb] of [['rust', [200, 70, 30]], ['teal', [30, 160, 150]]] as const) {
    mkdirSync(join(folder, name), { recursive: true });
    for (let i = 0; i < 20; i++) {
      const data = Uint8Array.from({ length: 8 * 8 * 3 }, (_, j) => Math.max(0, Math.min(255, rgb[j % 3] + Math.round(60 * (prng.uniform() - 0.5)))));
      const file = join(folder, name, `${String(k++).padStart(3, '0')}.png`);
      writeFileSync(file, encodePng({ width: 8, height: 8, channels: 3, data }));
      written.set(file, data);
    }
  }
  return written;
}
