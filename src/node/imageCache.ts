import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { VaekitError } from '../errors.js';
import { type RowDataset } from '../data/rowDataset.js';
import { writeFileAtomic } from './atomicWrite.js';
import { decodeImage, type ImageTarget } from './decodeImage.js';
import { type ImageFile } from './imageFolder.js';
import { openNpyDataset } from './npyFileDataset.js';
import { NpyFileWriter } from './npyWriter.js';

/**
 * The decoded-image cache of an image folder: `images-HxW-cC.json` (a manifest of the files' names, sizes
 * and mtimes, the options, the labels and the skipped files) beside `images-HxW-cC.<id>.npy` (uint8
 * [N, C, H, W]). A run reuses the pair when the folder's files and the options are unchanged, and rebuilds it
 * otherwise. The `.npy` is streamed to a temporary file and renamed; the manifest, written last and
 * atomically, is the commit point, so a crash leaves the old cache or the new one, never a mix.
 */

const MANIFEST_VERSION = 1;
/** Images decoded concurrently (sharp runs JPEG decodes on libuv's thread pool). */
const CONCURRENCY = 8;
/** Image files larger than this are refused as bad input rather than read into memory. */
const MAX_IMAGE_FILE_BYTES = 256 << 20;
/** How many skipped names a report lists. */
export const SKIPPED_SHOWN = 5;

const Manifest = z.object({
  format: z.literal('vaekit-image-cache'),
  version: z.literal(MANIFEST_VERSION),
  target: z.object({ h: z.number(), w: z.number(), c: z.union([z.literal(1), z.literal(3)]) }),
  /** [relative path, size, mtimeMs] of every scanned file, kept or skipped, in scan order. */
  files: z.array(z.tuple([z.string(), z.number(), z.number()])),
  data: z.string(),
  n: z.number().int().nonnegative(),
  classNames: z.array(z.string()).optional(),
  labels: z.array(z.number().int().nonnegative()).optional(),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
});
type Manifest = z.infer<typeof Manifest>;

/**
 * What opening the cache did.
 *
 * @example
 * const r: ImageCacheReport = { cacheFile: 'd/.vaekit-cache/images-28x28-c1.json', reused: true, decoded: 0, seconds: 0, skipped: [] };
 */
export interface ImageCacheReport {
  /** The manifest path. */
  cacheFile: string;
  reused: boolean;
  /** Images decoded this run (0 when reused) and the seconds that took. */
  decoded: number;
  seconds: number;
  /** Unreadable images left out (with --on-bad skip), by path relative to the folder. */
  skipped: { file: string; reason: string }[];
}

/**
 * One line for the CLI about skipped images: the count and the first few names, or '' when none.
 *
 * @example
 * skippedSummary(report.skipped); // 'skipped 3 unreadable images: a.png, b.jpg, c.png'
 */
export function skippedSummary(skipped: ImageCacheReport['skipped']): string {
  if (skipped.length === 0) return '';
  const names = skipped.slice(0, SKIPPED_SHOWN).map((s) => s.file).join(', ');
  return `skipped ${skipped.length} unreadable image${skipped.length === 1 ? '' : 's'}: ${names}${skipped.length > SKIPPED_SHOWN ? ', …' : ''}`;
}

/** Inputs of {@link buildOrReuseImageCache}. */
export interface ImageCacheRequest {
  dir: string;
  files: ImageFile[];
  classNames?: string[];
  target: ImageTarget;
  onBad: 'skip' | 'fail';
  cacheDir: string;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Returns a disk-backed dataset over a valid cache for `req`, building the cache first when needed.
 *
 * @example
 * const { dataset, report } = await buildOrReuseImageCache({ dir, files, target: { h: 28, w: 28, c: 1 }, onBad: 'fail', cacheDir });
 */
export async function buildOrReuseImageCache(req: ImageCacheRequest): Promise<{ dataset: RowDataset; report: ImageCacheReport }> {
  const key = `images-${req.target.h}x${req.target.w}-c${req.target.c}`;
  const manifestFile = path.join(req.cacheDir, `${key}.json`);
  const old = readManifest(manifestFile);
  if (old && matches(old, req)) {
    checkSkipped(old.skipped, req);
    return { dataset: openCached(req, old), report: { cacheFile: manifestFile, reused: true, decoded: 0, seconds: 0, skipped: old.skipped } };
  }
  try {
    mkdirSync(req.cacheDir, { recursive: true });
  } catch (e) {
    throw new VaekitError(`image cache ${req.cacheDir}: cannot create it (${(e as Error).message}); pass --cache-dir DIR on a writable disk`, 'E_DATA');
  }
  const started = performance.now();
  const data = `${key}.${Date.now().toString(36)}${process.pid.toString(36)}.npy`;
  const { n, labels, skipped } = await decodeAll(req, path.join(req.cacheDir, data));
  const seconds = (performance.now() - started) / 1000;
  const manifest: Manifest = {
    format: 'vaekit-image-cache',
    version: MANIFEST_VERSION,
    target: req.target,
    files: req.files.map((f) => [f.rel, f.size, f.mtimeMs]),
    data,
    n,
    classNames: req.classNames,
    labels,
    skipped,
  };
  writeFileAtomic(manifestFile, JSON.stringify(manifest));
  if (old && old.data !== data) rmSync(path.join(req.cacheDir, path.basename(old.data)), { force: true });
  return { dataset: openCached(req, manifest), report: { cacheFile: manifestFile, reused: false, decoded: req.files.length, seconds, skipped } };
}

/** Decodes every file in order into a new `.npy`; bad files fail the build (nothing is left) or are skipped. */
async function decodeAll(req: ImageCacheRequest, dataFile: string): Promise<{ n: number; labels?: number[]; skipped: Manifest['skipped'] }> {
  const { target: t, files } = req;
  const writer = new NpyFileWriter(dataFile, 'uint8', [t.c, t.h, t.w]);
  const labels: number[] = [];
  const skipped: Manifest['skipped'] = [];
  try {
    for (let s = 0; s < files.length; s += CONCURRENCY) {
      const chunk = files.slice(s, s + CONCURRENCY);
      const out = await Promise.all(chunk.map((f) => decodeFile(req.dir, f, t).catch((e: unknown) => e)));
      out.forEach((px, k) => {
        if (px instanceof Uint8Array) {
          writer.append(px);
          if (chunk[k].label !== undefined) labels.push(chunk[k].label!);
          return;
        }
        if (!(px instanceof VaekitError) || req.onBad === 'fail') {
          throw px instanceof VaekitError ? new VaekitError(`${px.message}; or pass --on-bad skip to leave bad images out`, 'E_DATA') : px;
        }
        skipped.push({ file: chunk[k].rel, reason: px.message });
      });
      req.onProgress?.(Math.min(files.length, s + CONCURRENCY), files.length);
    }
    if (writer.n === 0) throw new VaekitError(`--data ${req.dir}: none of the ${files.length} images could be read (first: ${skipped[0]?.reason})`, 'E_DATA');
    writer.finish();
  } catch (e) {
    writer.abort();
    if ((e as NodeJS.ErrnoException).code === 'ENOSPC') {
      const need = files.length * t.c * t.h * t.w;
      throw new VaekitError(`image cache ${req.cacheDir}: the disk is full (the cache needs about ${need} bytes); free space or pass --cache-dir DIR on another disk`, 'E_DATA');
    }
    throw e;
  }
  return { n: writer.n, labels: req.classNames ? labels : undefined, skipped };
}

async function decodeFile(dir: string, f: ImageFile, t: ImageTarget): Promise<Uint8Array> {
  const file = path.join(dir, f.rel);
  if (f.size > MAX_IMAGE_FILE_BYTES) throw new VaekitError(`${file}: ${f.size} bytes exceed the limit of ${MAX_IMAGE_FILE_BYTES} for one image`, 'E_DATA');
  return decodeImage(readFileSync(file), file, t);
}

function readManifest(file: string): Manifest | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const m = Manifest.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return m.success ? m.data : undefined; // unreadable or from another version: rebuilt
  } catch {
    return undefined;
  }
}

/** Same options, same files (names, sizes, mtimes, in order), and the data file is there. */
function matches(m: Manifest, req: ImageCacheRequest): boolean {
  const t = req.target;
  if (m.target.h !== t.h || m.target.w !== t.w || m.target.c !== t.c) return false;
  if (m.files.length !== req.files.length) return false;
  if (JSON.stringify(m.classNames) !== JSON.stringify(req.classNames)) return false;
  for (let i = 0; i < m.files.length; i++) {
    const [rel, size, mtime] = m.files[i];
    const f = req.files[i];
    if (rel !== f.rel || size !== f.size || mtime !== f.mtimeMs) return false;
  }
  return existsSync(path.join(req.cacheDir, path.basename(m.data)));
}

/** A cache built with --on-bad skip holds no bad images; under 'fail' they must still stop the run. */
function checkSkipped(skipped: Manifest['skipped'], req: ImageCacheRequest): void {
  if (skipped.length > 0 && req.onBad === 'fail') {
    throw new VaekitError(`${skipped[0].reason}; or pass --on-bad skip to leave bad images out (${skipped.length} bad in ${req.dir})`, 'E_DATA');
  }
}

function openCached(req: ImageCacheRequest, m: Manifest): RowDataset {
  const labels = m.labels ? Int32Array.from(m.labels) : undefined;
  const ds = openNpyDataset(path.join(req.cacheDir, path.basename(m.data)), { labels, classNames: m.classNames, name: req.dir });
  if (ds.n !== m.n) {
    ds.close?.();
    throw new VaekitError(`image cache ${req.cacheDir}: ${path.basename(m.data)} holds ${ds.n} images, its manifest says ${m.n}; delete the cache folder`, 'E_DATA');
  }
  return ds;
}
