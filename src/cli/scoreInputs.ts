/**
 * The images `vaekit score` can score besides a dataset split: one IDX image file, or a directory of PNGs.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { type LabelArray } from '../data/dataset.js';
import { VaekitError } from '../errors.js';
import { MAX_IDX_BYTES, parseIdx } from '../data/idx.js';
import { nodeInflateBounded } from '../node/nodeInflate.js';
import { readRegularFile } from '../node/safeRead.js';
import { decodePng } from '../viz/png.js';
import { checkImageSize, type LoadedModel } from './common.js';
import { warn } from './output.js';

/** Largest PNG file read: 64 MiB, far above any image a VAE reads (their pixel data is bounded separately). */
const MAX_PNG_FILE_BYTES = 64 << 20;

/** Images to score: [n, D], with labels and file names when the source has them. */
export interface ScoreInput {
  name: string;
  images: Float32Array;
  n: number;
  labels?: LabelArray;
  files?: string[];
  /** Missing values of table rows: 1 observed, 0 missing, [n, D]. */
  mask?: Float32Array;
}

/**
 * Reads an IDX image file ([N, rows, cols] uint8, raw or gzip), scaled to [0, 1].
 *
 * @throws VaekitError naming the file when it cannot be read, is not 3-D uint8, or has the wrong image size
 * @example
 * const input = readIdxImages('t10k-images-idx3-ubyte.gz', model);
 */
export function readIdxImages(file: string, m: LoadedModel): ScoreInput {
  const arr = parseIdx(readBytes(file, 'IDX file'), file, { inflate: nodeInflateBounded });
  if (arr.dtype !== 'uint8' || arr.dims.length !== 3) {
    throw new VaekitError(`${file}: expected 3-D uint8 IDX images [N, rows, cols], got ${arr.dtype} with dims [${arr.dims.join(', ')}]`, 'E_DATA');
  }
  const [n, rows, cols] = arr.dims;
  checkImageSize(m, rows, cols, file);
  const images = new Float32Array(arr.data.length);
  for (let i = 0; i < images.length; i++) images[i] = arr.data[i] / 255;
  return { name: file, images, n };
}

/**
 * Reads every *.png of `dir` (sorted by name) as grey [0, 1] images. A file that is not a readable PNG of
 * the model's size is an error naming it, or with `skipBad` a warning, and the file is left out.
 *
 * @example
 * const input = readPngDir('my-digits/', model, { skipBad: true });
 */
export function readPngDir(dir: string, m: LoadedModel, opts: { skipBad?: boolean } = {}): ScoreInput {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.png')).sort();
  } catch (e) {
    throw new VaekitError(`--png-dir ${dir}: cannot read the directory (${(e as NodeJS.ErrnoException).code ?? String(e)})`, 'E_DATA_MISSING');
  }
  const D = m.shape[0] * m.shape[1];
  const images: Float32Array[] = [];
  const files: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const img = decodePng(readBytes(file, 'PNG file'), file);
      checkImageSize(m, img.height, img.width, file);
      images.push(img.data);
      files.push(name);
    } catch (e) {
      if (!(e instanceof VaekitError) || !opts.skipBad) throw e;
      warn(`skipping ${e.message}`);
    }
  }
  if (files.length === 0) throw new VaekitError(`--png-dir ${dir}: no readable ${m.shape[0]}x${m.shape[1]} .png files to score`, 'E_DATA');
  const all = new Float32Array(files.length * D);
  images.forEach((img, i) => all.set(img, i * D));
  return { name: dir, images: all, n: files.length, files };
}

/** A regular file no larger than its format can need (devices, FIFOs and huge files are refused). */
function readBytes(file: string, what: 'IDX file' | 'PNG file'): Uint8Array {
  return readRegularFile(file, { maxBytes: what === 'IDX file' ? MAX_IDX_BYTES + 4 + 4 * 8 : MAX_PNG_FILE_BYTES, what });
}
