/**
 * Reading a whole file with bounds: only regular files (a device such as /dev/zero, a FIFO or a directory,
 * also behind a symlink, is refused before any byte is read, and opening never blocks on a FIFO), and no more
 * than the caller's format allows (refused from the file's size before allocating).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { VaekitError } from '../errors.js';
import { fsError } from './fsError.js';

/** Limits of {@link readRegularFile}. */
export interface ReadLimits {
  /** Largest size accepted, in bytes: what the format can legitimately need. */
  maxBytes: number;
  /** What the file is, for messages ("IDX file", "config.json"). */
  what: string;
}

/**
 * The bytes of a regular file no larger than `maxBytes`.
 *
 * @throws VaekitError naming the file: missing or unreadable (one line per errno), not a regular file, too big
 * @example
 * const bytes = readRegularFile('run/config.json', { maxBytes: 16 << 20, what: 'config.json' });
 */
export function readRegularFile(file: string, limits: ReadLimits): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw fsError(e, 'read', file);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      const kind = st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO (named pipe)' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : st.isSocket() ? 'a socket' : 'not a regular file';
      throw new VaekitError(`${limits.what} ${file} is ${kind}, not a regular file; give the path of a file`, 'E_IO');
    }
    if (st.size > limits.maxBytes) {
      throw new VaekitError(`${limits.what} ${file} has ${st.size} bytes, more than the ${limits.maxBytes} bytes such a file can need; it is not a ${limits.what} or it is corrupt`, 'E_IO');
    }
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break; // the file shrank while being read
      off += n;
    }
    return off === st.size ? buf : buf.subarray(0, off);
  } catch (e) {
    throw fsError(e, 'read', file);
  } finally {
    closeSync(fd);
  }
}
