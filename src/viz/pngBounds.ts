/**
 * The size a PNG's pixel data may inflate to, from its IHDR chunk, and a check that its IDAT stream
 * inflates to no more than that, before the decoder (fast-png, which inflates without a limit) sees it.
 * A 3 MB "28×28" PNG whose data inflates to gigabytes is refused after inflating 28·(1 + 28) bytes.
 */
import { type BoundedInflate, inflateBounded } from '../data/boundedInflate.js';
import { VaekitError } from '../errors.js';

/** Samples per pixel of each PNG colour type: grey, RGB, palette, grey+alpha, RGBA. */
const CHANNELS: Partial<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Adam7 passes: [x0, y0, dx, dy]. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

/**
 * Bytes of filtered scanlines a width×height image needs: per row one filter byte plus the packed samples,
 * summed over the seven reduced images when interlaced.
 *
 * @example
 * pngRawBytes(28, 28, 8, 1, false); // 812
 */
export function pngRawBytes(width: number, height: number, depth: number, channels: number, interlaced: boolean): number {
  const rows = (w: number, h: number) => (w === 0 || h === 0 ? 0 : h * (1 + Math.ceil((w * channels * depth) / 8)));
  if (!interlaced) return rows(width, height);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) total += rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy));
  return total;
}

/**
 * Walks the chunks (length, type, data, CRC), joins the IDAT data and inflates it no further than IHDR allows.
 *
 * @throws VaekitError naming `source` when the chunks are malformed or the data inflates past the header's size
 * @example
 * checkPngInflation(bytes, 'digit.png');
 */
export function checkPngInflation(bytes: Uint8Array, source: string, inflate: BoundedInflate = inflateBounded): void {
  const fail = (what: string) => new VaekitError(`${source}: unreadable PNG (${what}); the file is truncated or corrupted, re-export it`, 'E_DATA');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idat: Uint8Array[] = [];
  let idatBytes = 0;
  let header: { width: number; height: number; depth: number; color: number; interlaced: boolean } | undefined;
  for (let at = 8; at + 8 <= bytes.length; ) {
    const len = v.getUint32(at, false);
    const type = String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]);
    if (at + 12 + len > bytes.length) throw fail(`chunk ${type} at byte ${at} claims ${len} bytes past the end of the file`);
    const data = bytes.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR' && len >= 13) {
      header = { width: v.getUint32(at + 8, false), height: v.getUint32(at + 12, false), depth: data[8], color: data[9], interlaced: data[12] === 1 };
    } else if (type === 'IDAT') {
      idat.push(data);
      idatBytes += len;
    } else if (type === 'IEND') break;
    at += 12 + len;
  }
  if (!header) throw fail('no IHDR chunk');
  const channels = CHANNELS[header.color];
  if (channels === undefined) throw fail(`colour type ${header.color} in IHDR is not a PNG colour type`);
  const limit = pngRawBytes(header.width, header.height, header.depth, channels, header.interlaced);
  const stream = new Uint8Array(idatBytes);
  let off = 0;
  for (const d of idat) {
    stream.set(d, off);
    off += d.length;
  }
  const what = `${header.width}x${header.height} ${header.depth}-bit ${['grey', '', 'RGB', 'palette', 'grey+alpha', '', 'RGBA'][header.color]}${header.interlaced ? ' interlaced' : ''}`;
  try {
    inflate(stream, { format: 'zlib', limit, source, why: (l) => `its header (${what}) needs ${l} bytes of pixel data` });
  } catch (e) {
    if (e instanceof VaekitError && e.code !== 'E_INFLATE_LIMIT') throw fail(`its pixel data does not inflate: ${e.message.replace(`${source}: `, '')}`);
    throw e;
  }
}
