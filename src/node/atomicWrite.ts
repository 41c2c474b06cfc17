import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fsError } from './fsError.js';

/**
 * Writes a file so that a crash at any instant leaves either the old file or the new one whole: write to a
 * temporary file in the same directory, fsync it, rename over the target, fsync the directory.
 *
 * Failures (a full disk, a read-only directory, a directory where the file should go) become one-line
 * VaekitErrors naming the path, and the temporary file is removed. Temporary files that a killed process
 * left for the same target are removed after the next successful write.
 *
 * @example
 * writeFileAtomic('run/config.json', JSON.stringify(cfg));
 */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const tmp = path.join(dir, `.${base}.${process.pid}.tmp`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (e) {
    throw fsError(e, 'write', file);
  }
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
  } catch (e) {
    closeQuietly(fd);
    rmSync(tmp, { force: true });
    throw fsError(e, 'write', file);
  }
  try {
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw fsError(e, 'write', file);
  }
  syncDir(dir);
  removeStaleTemps(dir, base);
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

/** Removes `.<base>.<pid>.tmp` files of processes that no longer run (killed mid-write). */
function removeStaleTemps(dir: string, base: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const prefix = `.${base}.`;
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length, -'.tmp'.length));
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
    rmSync(path.join(dir, name), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed or invalid: nothing more to release
  }
}
