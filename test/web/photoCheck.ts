// The photo check both browsers run: three smooth colour fields written as PNG and JPEG by sharp (40×30), opened
// by the page at 16×16 RGB, against the pixels the CLI (sharp, cover crop) decodes from the same files.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openDataSource } from '../../src/node/openDataSource.js';

/** The photos' file names, in the order the CLI and the page read them. */
export const PHOTOS = ['0.png', '1.jpg', '2.png'];

/**
 * Writes the photos into a new folder: R across, G down, B a wave, so two resamplers agree closely and a
 * channel mix-up does not.
 *
 * @example
 * await writePhotos(path.join(dir, 'photos'));
 */
export async function writePhotos(folder: string): Promise<void> {
  const sharp = (await import('sharp')).default;
  mkdirSync(folder);
  const [W, H] = [40, 30];
  for (const [k, name] of PHOTOS.entries()) {
    const rgb = new Uint8Array(W * H * 3);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) rgb.set([Math.round((255 * x) / W), Math.round((255 * y) / H), Math.round(128 + 100 * Math.sin((x + y + 10 * k) / 6))], 3 * (y * W + x));
    }
    const img = sharp(rgb, { raw: { width: W, height: H, channels: 3 } });
    writeFileSync(path.join(folder, name), name.endsWith('.png') ? await img.png().toBuffer() : await img.jpeg({ quality: 95 }).toBuffer());
  }
}

/**
 * Asserts the page's 16×16 RGB values of the photos ([3, 3·16·16] in file order) are the CLI's to resampling.
 *
 * @example
 * await checkPhotoPixels(pagePixels, folder, path.join(dir, 'cache'));
 */
export async function checkPhotoPixels(px: ArrayLike<number>, folder: string, cacheDir: string): Promise<void> {
  const cli = await openDataSource(folder, { imageSize: [16, 16], channels: 3, cacheDir });
  const want = new Float32Array(3 * 768);
  cli.train.read([0, 1, 2], want);
  assert.equal(px.length, want.length);
  let sum = 0;
  for (let i = 0; i < want.length; i++) sum += Math.abs(px[i] - want[i]);
  // measured 0.021 in Chromium: the browser's and libvips' cover crops sit about half a pixel apart on these
  // steep gradients; stretched instead of cropped measured 0.057, and swapped channels fail as well
  assert.ok(sum / want.length < 0.04, `mean |page − CLI| = ${(sum / want.length).toFixed(4)} (values in [0, 1])`);
}
