/**
 * PNG bytes ⇄ pixels, isomorphic (fast-png: pure JS, no `node:*`).
 * Encoding writes 8-bit grey/RGB/RGBA; decoding accepts any PNG (grey, grey+alpha, RGB, RGBA,
 * palette, 1–16 bits) and returns one grey channel in [0, 1] (`decodePng`) or 8-bit grey or RGB
 * (`decodePng8`, for image folders).
 */
import { convertIndexedToRgb, decode, encode, hasPngSignature, type DecodedPng } from 'fast-png';
import { VaekitError } from '../errors.js';
import { checkPngInflation } from './pngBounds.js';

/** 8-bit pixels, row-major, `channels` interleaved values per pixel: data.length = width*height*channels. */
export interface RasterImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
  /** 1 grey, 3 RGB, 4 RGBA. Default 1. */
  channels?: 1 | 3 | 4;
}

/** A decoded PNG as one grey channel. */
export interface GreyImage {
  width: number;
  height: number;
  /** Channels stored in the file (1 grey or palette, 2 grey+alpha, 3 RGB, 4 RGBA); `data` is always grey. */
  channels: number;
  /** [height*width] grey values in [0, 1], row-major. */
  data: Float32Array;
}

/**
 * Encode 8-bit pixels as PNG bytes.
 *
 * @example
 * const png = encodePng(imageGrid(recons, { h: 28, w: 28 })); // grey grid → PNG file bytes
 */
export function encodePng(img: RasterImage): Uint8Array {
  const channels = img.channels ?? 1;
  const { width, height, data } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new VaekitError(`encodePng: width and height must be positive integers, got ${width}×${height}`, 'E_ARG');
  }
  if (![1, 3, 4].includes(channels)) {
    throw new VaekitError(`encodePng: channels must be 1, 3 or 4, got ${channels}`, 'E_ARG');
  }
  if (data.length !== width * height * channels) {
    throw new VaekitError(
      `encodePng: data has ${data.length} values, expected width*height*channels = ${width}*${height}*${channels} = ${width * height * channels}`,
      'E_ARG',
    );
  }
  return encode({ width, height, data, channels, depth: 8 });
}

/**
 * Decode PNG bytes to grey in [0, 1]. Colour becomes luma (Rec. 601: 0.299 R + 0.587 G + 0.114 B,
 * as PIL's "L" mode); alpha is composited over `background` (default 0 = black, as white-on-black
 * digit datasets); 16-bit and low-bit-depth values are scaled by their own maximum.
 * `source` (a path or URL) only names the file in errors.
 *
 * @example
 * const img = decodePng(await readFile('digit.png'), 'digit.png'); // { width: 28, height: 28, data: Float32Array(784) }
 */
export function decodePng(bytes: Uint8Array, source: string, opts: { background?: number } = {}): GreyImage {
  const { width, height, channels, values, c, max } = readPng(bytes, source);
  const background = opts.background ?? 0;
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = toGrey(values, i * c, c, max, background);
  return { width, height, channels, data: out };
}

/**
 * Decode PNG bytes to 8-bit pixels with `channels` = 1 (grey, as {@link decodePng}) or 3 (RGB; grey files
 * are replicated), [height, width, channels] interleaved. Alpha is composited over black.
 *
 * @example
 * const img = decodePng8(bytes, 'cat.png', 3); // { width, height, channels: 3, data: Uint8Array(w*h*3) }
 */
export function decodePng8(bytes: Uint8Array, source: string, channels: 1 | 3): { width: number; height: number; channels: 1 | 3; data: Uint8Array } {
  const { width, height, values, c, max } = readPng(bytes, source);
  const data = new Uint8Array(width * height * channels);
  for (let i = 0; i < width * height; i++) {
    const o = i * c;
    if (channels === 1) {
      data[i] = Math.round(toGrey(values, o, c, max, 0) * 255);
      continue;
    }
    const a = c === 2 || c === 4 ? values[o + c - 1] / max : 1; // composited over black
    for (let k = 0; k < 3; k++) data[i * 3 + k] = Math.round((values[o + (c >= 3 ? k : 0)] / max) * a * 255);
  }
  return { width, height, channels, data };
}

/** Decodes and unpacks: `values` holds `c` samples per pixel (palette expanded), each in 0..max. */
function readPng(bytes: Uint8Array, source: string): { width: number; height: number; channels: number; values: ArrayLike<number>; c: number; max: number } {
  if (!hasPngSignature(bytes)) {
    throw new VaekitError(`${source}: not a PNG file (the first 8 bytes are not the PNG signature); give a .png image`, 'E_DATA');
  }
  checkPngSize(bytes, source);
  checkPngInflation(bytes, source); // fast-png inflates without a limit: refuse a decompression bomb first
  let png: DecodedPng;
  let rgb: Uint8Array | null = null; // palette images expanded to [h*w, 3|4]
  try {
    png = decode(bytes);
    if (png.palette) rgb = convertIndexedToRgb(png);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new VaekitError(`${source}: unreadable PNG (${why}); the file is truncated or corrupted, re-export it`, 'E_DATA');
  }
  const { width, height } = png;
  if (rgb) return { width, height, channels: png.channels, values: rgb, c: png.palette![0]?.length ?? 3, max: 255 }; // 3 = RGB, 4 = RGBA (tRNS)
  // Depths 1/2/4 exist only for one-channel grey; fast-png leaves them packed, each row byte-aligned.
  const values = png.depth < 8 ? unpackRows(png.data as Uint8Array, width, height, png.depth) : png.data;
  return { width, height, channels: png.channels, values, c: png.channels, max: 2 ** png.depth - 1 };
}

/** Largest image decodePng accepts: 2²⁶ pixels (8192×8192), far above any VAE input. */
export const MAX_PNG_PIXELS = 1 << 26;

// Reads IHDR's width and height (bytes 16..24, big-endian) and refuses huge claims before the decoder
// allocates: a 112-byte file claiming 2³¹×2 pixels otherwise makes fast-png allocate gigabytes.
function checkPngSize(bytes: Uint8Array, source: string): void {
  if (bytes.length < 24) throw new VaekitError(`${source}: truncated PNG (${bytes.length} bytes; the IHDR chunk ends at byte 24)`, 'E_DATA');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [w, h] = [v.getUint32(16, false), v.getUint32(20, false)];
  if (w === 0 || h === 0 || w * h > MAX_PNG_PIXELS) {
    throw new VaekitError(`${source}: PNG header (byte 16) claims ${w}x${h} pixels; expected 1..${MAX_PNG_PIXELS} pixels`, 'E_DATA');
  }
  // The filtered scanlines, h × (1 + row bytes), are inflated from the IDAT chunks; DEFLATE expands at most
  // 1032:1, so a claim beyond that is corrupt. Checked before decoding: a 100-byte file claiming 2^25 pixels
  // otherwise costs a second of allocation and inflation.
  const samples = [1, 0, 3, 1, 2, 0, 4][bytes[25]] ?? 4; // colour type → samples per pixel
  const need = h * (1 + Math.ceil((w * samples * bytes[24]) / 8));
  let idat = 0;
  for (let at = 8; at + 8 <= bytes.length; at += 12 + v.getUint32(at, false)) {
    if (v.getUint32(at + 4, false) === 0x49444154) idat += v.getUint32(at, false); // 'IDAT'
  }
  if (need > idat * 1032 + 1024) {
    throw new VaekitError(`${source}: PNG header (byte 16) claims ${w}x${h} pixels (${need} bytes of scanlines) but the file holds ${idat} compressed bytes; the file is truncated or corrupted`, 'E_DATA');
  }
}

/** Grey of the pixel at `values[o .. o+c)`: c=1 grey, 2 grey+alpha, 3 RGB, 4 RGBA; values scaled by `max`. */
function toGrey(values: ArrayLike<number>, o: number, c: number, max: number, background: number): number {
  const luma = c >= 3 ? 0.299 * values[o] + 0.587 * values[o + 1] + 0.114 * values[o + 2] : values[o];
  const g = luma / max;
  if (c === 2 || c === 4) {
    const a = values[o + c - 1] / max;
    return a * g + (1 - a) * background;
  }
  return g;
}

/** [h, ceil(w*depth/8)] packed samples (MSB first) → [h*w] one value per pixel. */
function unpackRows(packed: Uint8Array, width: number, height: number, depth: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const rowBytes = Math.ceil((width * depth) / 8);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = packed[y * rowBytes + (bit >> 3)];
      out[y * width + x] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}
