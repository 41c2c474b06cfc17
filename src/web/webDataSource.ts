// The user's own training data in the browser: files picked or dropped (a folder of images, several images,
// an .npy, .npz or .csv) opened by the same parsers and rules as `vaekit train --data PATH`, in memory, with
// the options and preprocessing record the CLI saves in config.json so the trained model loads there.
import { csvTextSource, npyBytesSource, npyElements, npzBytesSource, type BytesSource, type TablePreprocessing } from '../data/bytesSource.js';
import { imageFileList } from '../data/imageList.js';
import { type PixelPreprocessing } from '../data/preprocessing.js';
import { arrayDataset, rowSize, type RowDataset } from '../data/rowDataset.js';
import { VaekitError } from '../errors.js';
import { decodeWebImage, webImageInfo } from './imageDecode.js';

/** Most bytes of examples a page holds (float32 values and masks of both splits, and the files as read). */
export const WEB_DATA_MAX_BYTES = 512 * 2 ** 20;

/** A file picked or dropped: its path ('photos/cats/a.png' inside a dropped folder, else its name) and content. */
export interface WebFile {
  path: string;
  blob: Blob;
}

/** How to open the files; each maps to a `vaekit train` flag. */
export interface WebDataOptions {
  /** `--image-size`: [H, W]; default the first image's size. */
  imageSize?: [number, number];
  /** `--channels`: 1 grey or 3 RGB; default grey if the first image is grey. */
  channels?: 1 | 3;
  /** `--label`: a CSV's class label column. */
  label?: string;
  /** `--on-bad`: a bad CSV row or unreadable image stops (fail, the default) or is left out and listed (skip). */
  onBad?: 'skip' | 'fail';
  /** Default {@link WEB_DATA_MAX_BYTES}. */
  maxBytes?: number;
  /** Told (done, total) while images decode. */
  onProgress?: (done: number, total: number) => void;
  /** Stops decoding (a newer choice replaced this one): rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Opened data: datasets, the record config.json keeps, and what was left out. */
export interface WebData {
  /** The file or folder name (config.json's dataset name and path). */
  name: string;
  kind: 'images' | 'npy' | 'npz' | 'table';
  train: RowDataset;
  /** The file's own test split (an .npz with x_test); otherwise the trainer holds out a seeded 10 %. */
  test?: RowDataset;
  preprocessing: PixelPreprocessing | TablePreprocessing;
  /** The `vaekit train` source options that reopen the same data (image size and channels, table options). */
  source: Record<string, unknown>;
  /** Files of a folder that are not images (left out, as the CLI leaves them out). */
  ignored: string[];
  /** CSV rows or images left out (none unless asked to skip bad ones). */
  skipped?: { count: number; first: string[] };
  /** Bytes of examples in memory. */
  bytes: number;
}

const DATA_EXT = /\.(npy|npz|csv)$/i;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

/**
 * Opens picked or dropped files as training data, refusing more than `opts.maxBytes` with the number and the limit.
 *
 * @example
 * const data = await openWebData([{ path: 'x.npy', blob: file }]);
 */
export async function openWebData(files: readonly WebFile[], opts: WebDataOptions = {}): Promise<WebData> {
  const limit = opts.maxBytes ?? WEB_DATA_MAX_BYTES;
  if (files.length === 0) throw new VaekitError('no files: drop a folder of PNG/JPEG images, an .npy, .npz or .csv', 'E_DATA');
  const check = (what: string, bytes: number) => {
    if (bytes > limit) throw new VaekitError(`${what} needs about ${mib(bytes)} in the page, more than the ${mib(limit)} limit for data trained in a browser tab; use fewer examples or smaller images, or train with the CLI (vaekit train --data)`, 'E_MEMORY');
  };
  const dataFiles = files.filter((f) => DATA_EXT.test(f.path));
  if (dataFiles.length > 0 && files.length > 1) {
    throw new VaekitError(`${files.map((f) => f.path).slice(0, 4).join(', ')}: drop one .npy, .npz or .csv at a time, or a folder of images`, 'E_DATA');
  }
  let data: WebData;
  if (dataFiles.length === 1) {
    const f = dataFiles[0];
    check(f.path, f.blob.size);
    data = await openFile(f, opts, limit, check);
  } else {
    data = await openImages(files, opts, check);
  }
  check(`${data.name}: ${data.train.n + (data.test?.n ?? 0)} examples of shape [${data.train.shape}]`, data.bytes);
  return data;
}

async function openFile(f: WebFile, opts: WebDataOptions, limit: number, check: (what: string, bytes: number) => void): Promise<WebData> {
  const name = baseName(f.path);
  const ext = name.slice(name.lastIndexOf('.')).toLowerCase();
  const bytes = new Uint8Array(await f.blob.arrayBuffer());
  let src: BytesSource;
  let source: Record<string, unknown> = {};
  if (ext === '.npy') {
    check(`${name}: ${npyElements(bytes, name)} values as float32`, 4 * npyElements(bytes, name));
    src = npyBytesSource(bytes, name, name);
  } else if (ext === '.npz') {
    src = npzBytesSource(bytes, name, name);
  } else {
    const table = opts.label ? { label: opts.label } : {};
    // a parsed cell costs a string (tens of bytes): bound the cells before parsing
    src = csvTextSource(new TextDecoder().decode(bytes), name, { ...table, onBad: opts.onBad, maxCells: Math.floor(limit / 64) });
    source = { ...(opts.onBad && { onBad: opts.onBad }), table };
  }
  const kind = src.preprocessing.kind === 'table' ? 'table' : (ext.slice(1) as 'npy' | 'npz');
  return { name, kind, train: src.train, test: src.test, preprocessing: src.preprocessing, source, ignored: [], skipped: src.skipped, bytes: bytesOf(src.train) + bytesOf(src.test) };
}

async function openImages(files: readonly WebFile[], opts: WebDataOptions, check: (what: string, bytes: number) => void): Promise<WebData> {
  // a dropped folder: every path starts with its name; loose files: their names
  const roots = new Set(files.map((f) => (f.path.includes('/') ? f.path.split('/')[0] : '')));
  const folder = roots.size === 1 && !roots.has('') ? [...roots][0] : undefined;
  const rel = (f: WebFile) => (folder ? f.path.slice(folder.length + 1) : baseName(f.path));
  const byRel = new Map(files.map((f) => [rel(f), f]));
  const name = folder ?? (files.length === 1 ? baseName(files[0].path) : `${files.length} images`);
  if (files.length === 1 && !folder && !/\.(png|jpe?g)$/i.test(files[0].path)) {
    throw new VaekitError(`${files[0].path}: not an image, .npy, .npz or .csv file; drop a folder of PNG/JPEG images (class subfolders give labels), an .npy, .npz or .csv`, 'E_DATA');
  }
  const { files: list, classNames, ignored } = imageFileList([...byRel.keys()], name);
  const read = async (r: string) => new Uint8Array(await byRel.get(r)!.blob.arrayBuffer());
  let { imageSize, channels } = opts;
  if (imageSize === undefined || channels === undefined) {
    const first = await webImageInfo(await read(list[0].rel), pathOf(folder, list[0].rel));
    imageSize ??= [first.height, first.width];
    channels ??= first.grey ? 1 : 3;
  }
  const [h, w] = imageSize;
  const d = channels * h * w;
  check(`${name}: ${list.length} images of ${channels}×${h}×${w}`, 4 * list.length * d);
  let x = new Float32Array(list.length * d);
  const kept: number[] = [];
  const skipped = { count: 0, first: [] as string[] };
  for (let i = 0; i < list.length; i++) {
    opts.signal?.throwIfAborted();
    let px: Uint8Array;
    try {
      px = await decodeWebImage(await read(list[i].rel), pathOf(folder, list[i].rel), { h, w, c: channels });
    } catch (e) {
      if (opts.onBad !== 'skip') throw e;
      if (skipped.count++ < 5) skipped.first.push((e as Error).message);
      continue;
    }
    const at = kept.length * d;
    for (let j = 0; j < d; j++) x[at + j] = px[j] / 255; // as the CLI's uint8 cache is read: v / 255
    kept.push(i);
    opts.onProgress?.(i + 1, list.length);
  }
  if (kept.length === 0) throw new VaekitError(`${name}: none of the ${list.length} images could be read (${skipped.first[0]})`, 'E_DATA');
  if (kept.length < list.length) x = x.slice(0, kept.length * d);
  const labels = classNames ? Int32Array.from(kept, (i) => list[i].label!) : undefined;
  const train = arrayDataset(name, x, [channels, h, w], { labels, classNames });
  const preprocessing: PixelPreprocessing = {
    kind: 'pixels', source: 'images', scale: 1 / 255, dtype: 'uint8', channelsLast: false, shape: [channels, h, w],
    image: { size: [h, w], channels, fit: 'cover' },
  };
  const source = { imageSize: [h, w], channels, ...(opts.onBad && { onBad: opts.onBad }) };
  return { name, kind: 'images', train, preprocessing, source, ignored, skipped, bytes: bytesOf(train) };
}

const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const pathOf = (folder: string | undefined, rel: string) => (folder ? `${folder}/${rel}` : rel);
const bytesOf = (ds: RowDataset | undefined) => (ds ? ds.n * rowSize(ds) * 4 * (ds.hasMask ? 2 : 1) : 0);

/**
 * A few lines describing opened data for the page: examples, shape, columns and their kinds, classes, and
 * what was left out.
 *
 * @example
 * describeWebData(data); // ['penguins.csv: 344 rows → 13 values each (table)', 'columns: Species label (3 levels), …']
 */
export function describeWebData(d: WebData, testFraction: number): string[] {
  const n = d.train.n;
  const split = d.test ? `its own test split of ${d.test.n}` : `${Math.round(n * testFraction)} of them (${testFraction * 100} %, seeded) held out for the test −ELBO`;
  const size = d.bytes < 2 ** 20 ? `${(d.bytes / 1024).toFixed(1)} KiB` : mib(d.bytes);
  const lines = [`${d.name}: ${n} ${d.kind === 'table' ? 'rows' : 'examples'} of shape [${d.train.shape.join(', ')}] (${d.kind}), ${split}; ${size} in memory`];
  if (d.preprocessing.kind === 'table') {
    lines.push(`columns: ${d.preprocessing.schema.columns.map((c) => `${c.name} ${c.kind}${'levels' in c ? ` (${c.levels.length} levels)` : ''}`).join(', ')}`);
  } else {
    const p = d.preprocessing;
    lines.push(`${p.dtype} values${p.scale !== 1 ? ' scaled by 1/255' : ''}${p.image ? `, images resized to ${p.image.size.join('×')} (cover, centre crop), ${p.image.channels === 1 ? 'grey' : 'RGB'}` : ''}`);
  }
  if (d.train.classNames) lines.push(`classes: ${d.train.classNames.join(', ')}`);
  if (d.ignored.length) lines.push(`left out ${d.ignored.length} file(s) that are not images: ${d.ignored.slice(0, 5).join(', ')}${d.ignored.length > 5 ? ', …' : ''}`);
  if (d.skipped?.count) lines.push(`left out ${d.skipped.count} bad ${d.kind === 'table' ? 'row' : 'image'}(s): ${d.skipped.first.join('; ')}${d.skipped.count > d.skipped.first.length ? '; …' : ''}`);
  return lines;
}
