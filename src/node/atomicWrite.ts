import { closeSync, fsyncSync, openSync, renameSync, writeSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a file so that a crash at any instant leaves either the old file or the new one whole: write to a
 * temporary file in the same directory, fsync it, rename over the target, fsync the directory.
 *
 * @example
 * writeFileAtomic('run/config.json', JSON.stringify(cfg));
 */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = openSync(tmp, 'w');
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, file);
  syncDir(path.dirname(file));
}

/** fsyncs a directory so a rename in it is durable (a no-op where directories cannot be opened). */
export function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some platforms cannot fsync directories; the rename is still atomic
  }
}
