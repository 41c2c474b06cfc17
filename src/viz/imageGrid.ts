/**
 * Tile grey or colour images into one picture. One mechanism: `rowsGrid` lays out rows of images (one row per
 * latent dimension in a traversal, one per pair in an interpolation, originals over reconstructions);
 * `imageGrid` cuts a flat batch into rows and calls it.
 */
import { VaekitError } from '../errors.js';

export { encodePng, decodePng } from './png.js';

/** Layout shared by `imageGrid` and `rowsGrid`. */
export interface GridOptions {
  /** Image height and width in pixels: each image is [c, h, w] (channel planes, row-major), as vaekit's data. */
  h: number;
  w: number;
  /** Channels per image: 1 grey (default) or 3 RGB. */
  c?: 1 | 3;
  /** Pixels between tiles and around the border. Default 2. */
  pad?: number;
  /** Grey of the padding and of empty cells, in [0, 1]. Default 1 (white), which frames black backgrounds. */
  padValue?: number;
}

/** An 8-bit grey or RGB picture, ready for `encodePng`. */
export interface ImageGrid {
  width: number;
  height: number;
  /** [height, width, channels] 0..255, row-major, channels interleaved (as PNG stores them). */
  data: Uint8Array;
  channels: 1 | 3;
}

/** The grid type before colour; same as {@link ImageGrid}. */
export type GreyGrid = ImageGrid;

/**
 * Tile N images row-major into a grid of `cols` columns (default ceil(√N)). Values are clamped to [0, 1]
 * and rounded to 0..255. Size: width = cols*(w+pad)+pad, height = rows*(h+pad)+pad.
 *
 * @example
 * const grid = imageGrid(samples, { h: 28, w: 28, cols: 8 }); // samples: [64, 784] → 8×8 tiles
 * await writeFile('samples.png', encodePng(grid));
 */
export function imageGrid(images: Float32Array, opts: GridOptions & { n?: number; cols?: number }): ImageGrid {
  const hw = checkSize(opts.h, opts.w) * checkChannels(opts.c);
  const n = opts.n ?? images.length / hw;
  if (!Number.isInteger(n) || n < 1 || n * hw > images.length) {
    throw new VaekitError(
      `imageGrid: images has ${images.length} values, which is not N*c*h*w for c=${opts.c ?? 1}, h=${opts.h}, w=${opts.w}` +
        (opts.n === undefined ? '' : `, n=${opts.n}`) +
        '; pass the flattened [N, c*h*w] batch and the right c, h, w',
      'E_SHAPE',
    );
  }
  const cols = opts.cols ?? Math.ceil(Math.sqrt(n));
  if (!Number.isInteger(cols) || cols < 1) throw new VaekitError(`imageGrid: cols must be a positive integer, got ${cols}`, 'E_ARG');
  const rows: Float32Array[] = [];
  for (let start = 0; start < n; start += cols) rows.push(images.subarray(start * hw, Math.min(n, start + cols) * hw));
  return rowsGrid(rows, { ...opts, cols });
}

/**
 * Lay out rows of images: rows[r] is [k_r, c*h*w] and becomes grid row r; the grid has
 * `cols` = max k_r columns unless given, and shorter rows end in empty (padValue) cells.
 *
 * @example
 * // originals over reconstructions: 2 rows of 10 digits
 * const grid = rowsGrid([x.subarray(0, 7840), xHat.subarray(0, 7840)], { h: 28, w: 28 });
 */
export function rowsGrid(rows: Float32Array[], opts: GridOptions & { cols?: number }): ImageGrid {
  const { h, w } = opts;
  const C = checkChannels(opts.c);
  const hw = checkSize(h, w);
  const chw = C * hw;
  const pad = opts.pad ?? 2;
  const padByte = toByte(opts.padValue ?? 1);
  if (!Number.isInteger(pad) || pad < 0) throw new VaekitError(`grid: pad must be a non-negative integer, got ${pad}`, 'E_ARG');
  if (rows.length === 0) throw new VaekitError('grid: no rows to draw; pass at least one row of images', 'E_ARG');
  rows.forEach((row, r) => {
    if (row.length % chw !== 0) {
      throw new VaekitError(`grid: row ${r} has ${row.length} values, not a multiple of c*h*w = ${C}*${h}*${w}`, 'E_SHAPE');
    }
  });
  const cols = opts.cols ?? Math.max(...rows.map((row) => row.length / chw));
  const width = cols * (w + pad) + pad;
  const height = rows.length * (h + pad) + pad;
  const data = new Uint8Array(width * height * C).fill(padByte);
  rows.forEach((row, r) => {
    const k = row.length / chw;
    if (k > cols) throw new VaekitError(`grid: row ${r} has ${k} images but the grid has ${cols} columns`, 'E_SHAPE');
    for (let c = 0; c < k; c++) {
      const x0 = pad + c * (w + pad); // top-left corner of tile (r, c)
      const y0 = pad + r * (h + pad);
      for (let ch = 0; ch < C; ch++) {
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            const v = row[c * chw + ch * hw + y * w + x]; // planar [c, h, w] in → interleaved [y, x, c] out
            if (Number.isNaN(v)) {
              throw new VaekitError(`grid: image ${c} of row ${r} has NaN at pixel (${y}, ${x}); the model produced NaNs`, 'E_DATA');
            }
            data[((y0 + y) * width + x0 + x) * C + ch] = toByte(v);
          }
        }
      }
    }
  });
  return { width, height, data, channels: C };
}

/** [0, 1] → 0..255, clamped and rounded. */
function toByte(v: number): number {
  return Math.round(Math.min(1, Math.max(0, v)) * 255);
}

function checkChannels(c: number | undefined): 1 | 3 {
  if (c === undefined || c === 1 || c === 3) return c ?? 1;
  throw new VaekitError(`grid: c must be 1 (grey) or 3 (RGB), got ${c}`, 'E_ARG');
}

function checkSize(h: number, w: number): number {
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) {
    throw new VaekitError(`grid: h and w must be positive integers (image height and width), got h=${h}, w=${w}`, 'E_ARG');
  }
  return h * w;
}
