import { VaekitError } from '../errors.js';
import { imageKind, notAnImage } from '../data/imageKind.js';
import { decodePng8 } from '../viz/png.js';

export { imageKind } from '../data/imageKind.js';

/**
 * One image file → [C, H, W] 8-bit pixels at the requested size. PNG is decoded by fast-png (pure JS: on
 * 28×28 images 2,200/s against sharp's 330/s, whose per-call overhead dominates small files); JPEG by sharp
 * (libvips with shrink-on-load: a 1600×1200 photo to 64×64 in 11 ms against jpeg-js's 650 ms for the decode
 * alone). Resizing, when the size differs, is sharp's for both: scale to cover H×W, then crop the centre.
 * Alpha is composited over black; grey from RGB is Rec. 601 luma (as decodePng).
 */

/** Target of {@link decodeImage}: height, width and channels (1 grey, 3 RGB). */
export interface ImageTarget {
  h: number;
  w: number;
  c: 1 | 3;
}

/**
 * Width, height and whether the image is grey, without resizing (used to pick defaults from a first image).
 *
 * @example
 * const { width, height, grey } = await imageInfo(bytes, 'a.jpg');
 */
export async function imageInfo(bytes: Uint8Array, file: string): Promise<{ width: number; height: number; grey: boolean }> {
  const kind = checkKind(bytes, file);
  if (kind === 'png') {
    const img = decodePng8(bytes, file, 3);
    let grey = true;
    for (let i = 0; i < img.data.length && grey; i += 3) grey = img.data[i] === img.data[i + 1] && img.data[i] === img.data[i + 2];
    return { width: img.width, height: img.height, grey };
  }
  const sharp = await loadSharp();
  try {
    const m = await sharp(bytes).metadata();
    const [w, h] = (m.orientation ?? 1) >= 5 ? [m.height, m.width] : [m.width, m.height]; // EXIF 5..8 rotate by 90°
    return { width: w ?? 0, height: h ?? 0, grey: m.channels === 1 || m.space === 'b-w' };
  } catch (e) {
    throw unreadable(file, e);
  }
}

/**
 * Decodes `bytes` (PNG or JPEG, by content) to [c, h, w] uint8.
 *
 * @example
 * const px = await decodeImage(await readFile('cat.jpg'), 'cat.jpg', { h: 64, w: 64, c: 3 }); // Uint8Array(3*64*64)
 */
export async function decodeImage(bytes: Uint8Array, file: string, t: ImageTarget): Promise<Uint8Array> {
  let hwc: Uint8Array; // [h, w, 3] or [h, w, 1] interleaved, at the target size
  let channels: number;
  if (checkKind(bytes, file) === 'png') {
    const img = decodePng8(bytes, file, t.c);
    channels = t.c;
    hwc = img.width === t.w && img.height === t.h ? img.data : await resize(img.data, img.width, img.height, t.c, t);
  } else {
    const sharp = await loadSharp();
    try {
      const { data, info } = await sharp(bytes, { failOn: 'error' })
        .rotate() // EXIF orientation
        .resize(t.w, t.h, { fit: 'cover' })
        .removeAlpha()
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
      [hwc, channels] = [data, info.channels];
    } catch (e) {
      throw unreadable(file, e);
    }
  }
  return planar(hwc, channels, t);
}

/** [h, w, channels] → [c, h, w]; 3 → 1 by Rec. 601 luma, 1 → 3 by replication. */
function planar(hwc: Uint8Array, channels: number, t: ImageTarget): Uint8Array {
  const hw = t.h * t.w;
  const out = new Uint8Array(t.c * hw);
  for (let p = 0; p < hw; p++) {
    const o = p * channels;
    if (t.c === 1) out[p] = channels === 1 ? hwc[o] : Math.round(0.299 * hwc[o] + 0.587 * hwc[o + 1] + 0.114 * hwc[o + 2]);
    else for (let k = 0; k < 3; k++) out[k * hw + p] = hwc[o + (channels === 1 ? 0 : k)];
  }
  return out;
}

async function resize(data: Uint8Array, width: number, height: number, c: 1 | 3, t: ImageTarget): Promise<Uint8Array> {
  const sharp = await loadSharp();
  return sharp(data, { raw: { width, height, channels: c } }).resize(t.w, t.h, { fit: 'cover' }).raw().toBuffer();
}

function checkKind(bytes: Uint8Array, file: string): 'png' | 'jpeg' {
  const kind = imageKind(bytes);
  if (kind) return kind;
  throw new VaekitError(notAnImage(file, bytes), 'E_DATA');
}

function unreadable(file: string, e: unknown): VaekitError {
  const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
  return new VaekitError(`${file}: unreadable image (${why}); the file is truncated or corrupted, re-export it`, 'E_DATA');
}

type Sharp = typeof import('sharp').default;
let sharpModule: Promise<Sharp> | undefined;

/** sharp is loaded on first use, so commands that never decode a JPEG or resize do not pay for libvips. */
function loadSharp(): Promise<Sharp> {
  sharpModule ??= import('sharp').then((m) => m.default);
  return sharpModule;
}
