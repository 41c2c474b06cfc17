// Image files decoded in the browser for training data: PNG by the library's own decoder (fast-png, as the
// CLI decodes PNG), JPEG and every resize by the browser (createImageBitmap + OffscreenCanvas, in a page or a
// worker). The result has the CLI's layout and rules: [C, H, W] bytes, scaled to cover H×W and centre-cropped,
// alpha over black, grey from RGB by Rec. 601 luma.
import { imageKind, notAnImage } from '../data/imageKind.js';
import { VaekitError } from '../errors.js';
import { decodePng8 } from '../viz/png.js';

/** Target of {@link decodeWebImage}: height, width and channels (1 grey, 3 RGB). */
export interface WebImageTarget {
  h: number;
  w: number;
  c: 1 | 3;
}

/**
 * Width, height and whether the image is grey (R = G = B everywhere), to pick defaults from a first image.
 *
 * @example
 * const { width, height, grey } = await webImageInfo(bytes, 'cats/a.png');
 */
export async function webImageInfo(bytes: Uint8Array, file: string): Promise<{ width: number; height: number; grey: boolean }> {
  const { width, height, rgb } = await decodeRgb(bytes, file);
  let grey = true;
  for (let i = 0; i < rgb.length && grey; i += 3) grey = rgb[i] === rgb[i + 1] && rgb[i] === rgb[i + 2];
  return { width, height, grey };
}

/**
 * Decodes a PNG or JPEG to [c, h, w] bytes at the target size.
 *
 * @example
 * const px = await decodeWebImage(bytes, 'a.jpg', { h: 28, w: 28, c: 1 }); // Uint8Array(784)
 */
export async function decodeWebImage(bytes: Uint8Array, file: string, t: WebImageTarget): Promise<Uint8Array> {
  let img = await decodeRgb(bytes, file);
  if (img.width !== t.w || img.height !== t.h) img = await coverResize(img, t, file);
  const hw = t.h * t.w;
  const out = new Uint8Array(t.c * hw);
  const px = img.rgb;
  for (let p = 0; p < hw; p++) {
    const o = 3 * p;
    if (t.c === 1) out[p] = Math.round(0.299 * px[o] + 0.587 * px[o + 1] + 0.114 * px[o + 2]);
    else for (let k = 0; k < 3; k++) out[k * hw + p] = px[o + k];
  }
  return out;
}

interface Rgb {
  width: number;
  height: number;
  /** [height, width, 3] interleaved */
  rgb: Uint8Array;
}

async function decodeRgb(bytes: Uint8Array, file: string): Promise<Rgb> {
  const kind = imageKind(bytes);
  if (!kind) throw new VaekitError(notAnImage(file, bytes), 'E_DATA');
  if (kind === 'png') {
    const img = decodePng8(bytes, file, 3);
    return { width: img.width, height: img.height, rgb: img.data };
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }));
  } catch (e) {
    throw new VaekitError(`${file}: unreadable image (${e instanceof Error ? e.message : String(e)}); the file is truncated or corrupted, re-export it`, 'E_DATA');
  }
  const { width, height } = bitmap;
  return { width, height, rgb: draw(bitmap, width, height, 0, 0, width, height) };
}

/** Scales to cover the target and crops the centre (the CLI's `fit: 'cover'`). */
async function coverResize(img: Rgb, t: WebImageTarget, file: string): Promise<Rgb> {
  const rgba = new Uint8ClampedArray(img.width * img.height * 4);
  for (let p = 0; p < img.width * img.height; p++) rgba.set([img.rgb[3 * p], img.rgb[3 * p + 1], img.rgb[3 * p + 2], 255], 4 * p);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new ImageData(rgba, img.width, img.height));
  } catch (e) {
    throw new VaekitError(`${file}: cannot resize the image in this browser (${e instanceof Error ? e.message : String(e)})`, 'E_DATA');
  }
  const s = Math.max(t.w / img.width, t.h / img.height);
  const [dw, dh] = [img.width * s, img.height * s];
  return { width: t.w, height: t.h, rgb: draw(bitmap, t.w, t.h, (t.w - dw) / 2, (t.h - dh) / 2, dw, dh) };
}

/** Draws a bitmap onto a black w×h canvas at (x, y, dw, dh) and reads it back as RGB. */
function draw(bitmap: ImageBitmap, w: number, h: number, x: number, y: number, dw: number, dh: number): Uint8Array {
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, w, h);
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, x, y, dw, dh);
  bitmap.close();
  const d = ctx.getImageData(0, 0, w, h).data;
  const rgb = new Uint8Array(w * h * 3);
  for (let p = 0; p < w * h; p++) rgb.set([d[4 * p], d[4 * p + 1], d[4 * p + 2]], 3 * p);
  return rgb;
}
