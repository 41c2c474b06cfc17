/**
 * Everything the CLI writes: result files (atomic, parent directory created, format by extension) and
 * text on stdout (results) and stderr (progress, warnings).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { VaekitError } from '../errors.js';
import { writeFileAtomic } from '../node/atomicWrite.js';
import { fsError } from '../node/fsError.js';
import { svgToPng } from '../node/svgToPng.js';
import { type GreyGrid } from '../viz/imageGrid.js';
import { encodePng, MAX_PNG_PIXELS } from '../viz/png.js';

/**
 * Writes `data` to `file` atomically, creating its directory.
 *
 * @example
 * writeOutput('out/scores.csv', csv);
 */
export function writeOutput(file: string, data: Uint8Array | string): void {
  if (existsSync(file) && statSync(file).isDirectory()) throw new VaekitError(`--out ${file} is a directory; give a file name, e.g. ${path.join(file, 'out' + path.extname(file))}`, 'E_ARG');
  const dir = path.dirname(path.resolve(file));
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw fsError(e, 'create', dir);
  }
  writeFileAtomic(file, data);
}

/**
 * Fails unless `file` ends in one of `exts` (e.g. ['.png']).
 *
 * @example
 * requireExtension('--out', opts.out, ['.csv']);
 */
export function requireExtension(flag: string, file: string, exts: string[]): string {
  if (file.trim() === '') throw new VaekitError(`${flag} is empty; give a file name ending in ${exts.join(' or ')}`, 'E_ARG');
  const ext = path.extname(file).toLowerCase();
  if (!exts.includes(ext)) throw new VaekitError(`${flag} ${file}: expected a file ending in ${exts.join(' or ')}`, 'E_ARG');
  return ext;
}

/**
 * Writes an image grid as a PNG file; returns its size in pixels.
 *
 * @example
 * writeGridPng(opts.out, imageGrid(samples, { h: 28, w: 28 }));
 */
export function writeGridPng(file: string, grid: GreyGrid): { width: number; height: number } {
  requireExtension('--out', file, ['.png']);
  writeOutput(file, encodePng(grid));
  return { width: grid.width, height: grid.height };
}

/**
 * Refuses a count flag whose image grid would exceed the largest PNG vaekit writes ({@link MAX_PNG_PIXELS}),
 * before anything is decoded; the message gives the largest value that fits. `layout(v)` is the grid for
 * flag value v: tiles, columns (rows = ⌈tiles/cols⌉) and the tile size; the padding is imageGrid's 2 px.
 *
 * @throws VaekitError naming the flag, the grid size, the limit and the largest value that fits
 * @example
 * checkGridSize('--n', o.n, (n) => ({ tiles: n, cols: Math.ceil(Math.sqrt(n)) }), m.shape);
 */
export function checkGridSize(flag: string, value: number, layout: (v: number) => { tiles: number; cols: number }, [h, w]: readonly [number, number]): void {
  const pixels = (v: number) => {
    const { tiles, cols } = layout(v);
    return (cols * (w + 2) + 2) * (Math.ceil(tiles / cols) * (h + 2) + 2);
  };
  if (pixels(value) <= MAX_PNG_PIXELS) return;
  let lo = 0; // largest value known to fit (0: none)
  let hi = value;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (pixels(mid) <= MAX_PNG_PIXELS) lo = mid;
    else hi = mid;
  }
  const { tiles, cols } = layout(value);
  throw new VaekitError(
    `${flag} ${value} makes a grid of ${tiles} images (${cols * (w + 2) + 2}x${Math.ceil(tiles / cols) * (h + 2) + 2} = ${pixels(value)} pixels), ` +
      `more than the ${MAX_PNG_PIXELS} pixels of a PNG vaekit writes; ${lo > 0 ? `use ${flag} ${lo} or less` : 'use fewer images'}`,
    'E_ARG',
  );
}

/**
 * Writes a chart as SVG or, for a .png name, rendered to PNG at twice its size (sharp text).
 *
 * @example
 * writeChart('latent.svg', scatterSvg(points));
 */
export function writeChart(file: string, svg: string): 'svg' | 'png' {
  const ext = requireExtension('--out', file, ['.svg', '.png']);
  if (ext === '.svg') {
    writeOutput(file, svg);
    return 'svg';
  }
  const width = Number(/<svg\b[^>]*\swidth="([0-9.]+)"/.exec(svg)?.[1] ?? 640);
  writeOutput(file, svgToPng(svg, Math.round(2 * width)));
  return 'png';
}

/** A result line on stdout. */
export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** The one JSON object of --json on stdout; non-finite numbers become null. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`);
}

/** Progress or a note on stderr. */
export function note(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** `vaekit: warning: …` on stderr. */
export function warn(text: string): void {
  note(`vaekit: warning: ${text}`);
}

/**
 * A number for people: 4 significant digits by default (e.g. nats per example).
 *
 * @example
 * fmt(123.4567); // '123.5'
 */
export function fmt(v: number, digits = 4): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : String(v);
}
