import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { VaekitError } from '../errors.js';
import { type RowDataset } from '../data/rowDataset.js';
import { imageInfo } from './decodeImage.js';
import { buildOrReuseImageCache, type ImageCacheReport } from './imageCache.js';

/**
 * A folder of PNG/JPEG images as a {@link RowDataset}: flat (no labels), or one subfolder per class
 * (sorted subfolder names become `classNames`, the subfolder index the label). Images are decoded once
 * into a uint8 `.npy` cache (see imageCache.ts) and then read from disk like any `.npy`.
 */

/** One image file found by {@link scanImageFolder}. */
export interface ImageFile {
  /** Path relative to the folder, with '/' separators. */
  rel: string;
  size: number;
  mtimeMs: number;
  /** Class index (subfolder), when the folder has class subfolders. */
  label?: number;
}

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg']);
const isImage = (name: string) => !name.startsWith('.') && IMAGE_EXT.has(path.extname(name).toLowerCase());

/**
 * Lists the images of `dir` in a stable (sorted) order. Hidden entries (such as the `.vaekit-cache`) and
 * other file types are ignored. A folder with both loose images and class subfolders is refused.
 *
 * @example
 * const { files, classNames } = scanImageFolder('photos'); // classNames: ['cats', 'dogs']
 */
export function scanImageFolder(dir: string): { files: ImageFile[]; classNames?: string[] } {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new VaekitError(`--data ${dir}: cannot list the folder (${(e as Error).message})`, 'E_DATA');
  }
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const loose = entries.filter((e) => e.isFile() && isImage(e.name)).sort(byName);
  const classDirs = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).sort(byName);
  const stat = (rel: string, label?: number): ImageFile => {
    const s = statSync(path.join(dir, rel));
    return { rel, size: s.size, mtimeMs: s.mtimeMs, label };
  };
  const classes = classDirs
    .map((d) => ({ name: d.name, images: readdirSync(path.join(dir, d.name), { withFileTypes: true }).filter((e) => e.isFile() && isImage(e.name)).sort(byName) }))
    .filter((c) => c.images.length > 0);
  if (loose.length > 0 && classes.length > 0) {
    throw new VaekitError(
      `--data ${dir}: holds both images (${loose[0].name}, …) and class subfolders (${classes[0].name}/, …); put every image in a class subfolder, or use a flat folder`,
      'E_DATA',
    );
  }
  if (classes.length > 0) {
    return { files: classes.flatMap((c, label) => c.images.map((e) => stat(`${c.name}/${e.name}`, label))), classNames: classes.map((c) => c.name) };
  }
  if (loose.length === 0) throw new VaekitError(`--data ${dir}: no .png, .jpg or .jpeg images in the folder or its subfolders`, 'E_DATA');
  return { files: loose.map((e) => stat(e.name)) };
}

/**
 * `--image-size`: '64' (square) or 'HxW' such as '64x48' → [H, W].
 *
 * @example
 * parseImageSize('32x48'); // [32, 48]
 */
export function parseImageSize(s: string): [number, number] {
  const m = /^(\d+)(?:x(\d+))?$/i.exec(s.trim());
  const [h, w] = m ? [Number(m[1]), Number(m[2] ?? m[1])] : [NaN, NaN];
  if (!(h >= 1 && w >= 1 && h <= 4096 && w <= 4096)) throw new VaekitError(`--image-size ${s}: expected N or HxW with sides in 1..4096, e.g. 64 or 64x48`, 'E_ARG');
  return [h, w];
}

/**
 * The cache folder of image folder `dir` inside a shared cache directory `root` (`--cache-dir`,
 * `VAEKIT_CACHE_DIR`): `root/images/<folder name>-<hash of its absolute path>`, so folders of the same name
 * never share a cache. Without a root the cache sits beside the data, in `dir/.vaekit-cache`.
 *
 * @example
 * imageCacheDir('photos', '/tmp/cache'); // '/tmp/cache/images/photos-3f1c…'
 */
export function imageCacheDir(dir: string, root?: string): string {
  if (root === undefined) return path.join(dir, '.vaekit-cache');
  const abs = path.resolve(dir);
  const name = path.basename(abs).replace(/[^\w.-]/g, '_') || 'root';
  return path.join(root, 'images', `${name}-${createHash('sha256').update(abs).digest('hex').slice(0, 16)}`);
}

/** Options of {@link openImageFolder}. */
export interface ImageFolderOptions {
  /** [H, W]; default: the first image's size. */
  imageSize?: [number, number];
  /** 1 grey or 3 RGB; default: 1 if the first image is grey, else 3. */
  channels?: 1 | 3;
  /** What a corrupt image does: 'fail' (default) stops naming it; 'skip' leaves it out and reports it. */
  onBad?: 'skip' | 'fail';
  /** A shared cache directory; the cache goes to {@link imageCacheDir}(dir, cacheDir), default `DIR/.vaekit-cache`. */
  cacheDir?: string;
  /** Called with (done, total) while decoding. */
  onProgress?: (done: number, total: number) => void;
}

/** An opened image folder: the dataset and what building or reusing its cache did. */
export interface ImageFolderSource {
  dataset: RowDataset;
  imageSize: [number, number];
  channels: 1 | 3;
  report: ImageCacheReport;
}

/**
 * Opens an image folder: scans it, decodes into the cache unless a valid one exists, and returns a disk-backed
 * dataset of [C, H, W] examples in [0, 1].
 *
 * @example
 * const { dataset, report } = await openImageFolder('photos', { imageSize: [64, 64], channels: 3, onBad: 'skip' });
 * if (report.skipped.length) console.error(`skipped ${report.skipped.length} unreadable images`);
 */
export async function openImageFolder(dir: string, opts: ImageFolderOptions = {}): Promise<ImageFolderSource> {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new VaekitError(`--data ${dir}: not a folder`, 'E_DATA');
  const { files, classNames } = scanImageFolder(dir);
  let { imageSize, channels } = opts;
  if (imageSize === undefined || channels === undefined) {
    const first = await firstReadable(dir, files);
    imageSize ??= [first.height, first.width];
    channels ??= first.grey ? 1 : 3;
  }
  const { dataset, report } = await buildOrReuseImageCache({
    dir,
    files,
    classNames,
    target: { h: imageSize[0], w: imageSize[1], c: channels },
    onBad: opts.onBad ?? 'fail',
    cacheDir: imageCacheDir(dir, opts.cacheDir),
    onProgress: opts.onProgress,
  });
  return { dataset, imageSize, channels, report };
}

/** The size and greyness of the first image that decodes (bad ones are found and reported by the cache build). */
async function firstReadable(dir: string, files: ImageFile[]): Promise<{ width: number; height: number; grey: boolean }> {
  let err: unknown;
  for (const f of files.slice(0, 20)) {
    try {
      return await imageInfo(readFileSync(path.join(dir, f.rel)), path.join(dir, f.rel));
    } catch (e) {
      err ??= e;
    }
  }
  throw err;
}
