/**
 * One mapping from Node file-system errors (ENOSPC, EROFS, EISDIR, …) to a one-line VaekitError that names
 * the path and says what to do. Writers and readers call {@link fsError}; the CLI also passes any errno
 * error that escapes a command through {@link asFsError}, so no command ends with a stack trace for a full
 * disk or a read-only directory.
 */
import { VaekitError } from '../errors.js';

/** What the failing call was doing, for the message ("cannot write runs/x/config.json: …"). */
export type FsAction = 'read' | 'write' | 'create' | 'rename' | 'open' | 'list' | 'remove' | 'lock';

const ADVICE: Record<string, string> = {
  ENOSPC: 'no space left on the device; free some space or choose a path on another disk',
  EDQUOT: 'the disk quota is exhausted; free some space or choose a path on another disk',
  EROFS: 'the file system is read-only; choose a writable path',
  EACCES: 'permission denied; check its permissions or choose another path',
  EPERM: 'operation not permitted; check its permissions or choose another path',
  EISDIR: 'it is a directory; give a file name',
  ENOTDIR: 'a component of the path is a file, not a directory; choose another path',
  ENOENT: 'no such file or directory; check the path',
  EEXIST: 'it already exists; choose another path',
  ENOTEMPTY: 'the directory is not empty; choose another path',
  EMFILE: 'too many open files; close other programs or raise the limit (ulimit -n)',
  ENAMETOOLONG: 'the name is too long; choose a shorter path',
  ELOOP: 'too many symbolic links; check the path',
  EIO: 'an I/O error from the device; check the disk',
  EXDEV: 'the rename crosses devices; keep the files on one file system',
  EBUSY: 'the file is busy; try again when nothing else uses it',
};

/**
 * A VaekitError for an errno error raised while doing `action` on `file`; other errors come back unchanged.
 *
 * @example
 * try { writeFileSync(f, s); } catch (e) { throw fsError(e, 'write', f); }
 */
export function fsError(e: unknown, action: FsAction, file: string): unknown {
  const code = errnoCode(e);
  if (code === undefined) return e;
  const advice = ADVICE[code] ?? (e as Error).message;
  return new VaekitError(`cannot ${action} ${file}: ${advice} (${code})`, 'E_IO');
}

/**
 * An errno error from Node (with `code` and `path`) as a VaekitError naming its path; anything else unchanged.
 *
 * @example
 * if (isVaekitError(asFsError(e))) print((asFsError(e) as Error).message);
 */
export function asFsError(e: unknown): unknown {
  const err = e as NodeJS.ErrnoException & { dest?: string };
  if (errnoCode(e) === undefined || typeof err.path !== 'string') return e;
  const action: FsAction = /^(rename|link)/.test(err.syscall ?? '') ? 'rename' : /^(mkdir)/.test(err.syscall ?? '') ? 'create' : /^(write|open|fsync|close)/.test(err.syscall ?? '') ? 'write' : /^(scandir|readdir)/.test(err.syscall ?? '') ? 'list' : /^(unlink|rmdir|rm)/.test(err.syscall ?? '') ? 'remove' : 'read';
  const file = err.dest ? `${err.path} → ${err.dest}` : err.path;
  return fsError(e, action, file);
}

function errnoCode(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = (e as NodeJS.ErrnoException).code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}
