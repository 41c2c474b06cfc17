/**
 * An exclusive lock on a run directory, so two `vaekit train` processes never write into the same one.
 *
 * The lock is a file created with O_EXCL (atomic on local file systems) holding the owner's pid, host
 * and start time. A lock whose owner is gone — a run killed with SIGKILL or by a crash — is stale: the next
 * run on the same host sees that no process has that pid and takes the lock over. A lock from another host
 * cannot be checked and is reported with its owner, so the user decides.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VaekitError } from '../errors.js';
import { fsError } from './fsError.js';

/** Name of the lock file inside a locked directory. */
export const LOCK_FILE = '.vaekit.lock';

interface Owner {
  pid: number;
  host: string;
  started: string;
  command: string;
}

/** A held lock; {@link RunLock.release} removes it (also done at process exit). */
export interface RunLock {
  readonly file: string;
  release(): void;
}

/**
 * Takes the lock of `dir` (which must exist) for this process, or throws naming the process that holds it.
 *
 * @param command what this process is doing, shown to a second process that finds the lock
 * @throws VaekitError when a live process holds it, or the directory cannot be written (one-line fs message)
 * @example
 * const lock = acquireRunLock('runs/x', 'vaekit train');
 * try { ... } finally { lock.release(); }
 */
export function acquireRunLock(dir: string, command: string): RunLock {
  const file = path.join(dir, LOCK_FILE);
  const me: Owner = { pid: process.pid, host: os.hostname(), started: new Date().toISOString(), command };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(file, me)) {
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        process.off('exit', release);
        // only our own lock: never remove one a later process took over
        if (readOwner(file)?.pid === process.pid) rmSync(file, { force: true });
      };
      process.on('exit', release);
      return { file, release };
    }
    const owner = readOwner(file);
    if (owner && owner.host === me.host && owner.pid === process.pid) {
      throw new VaekitError(`${dir} is already locked by this process`, 'E_LOCKED');
    }
    if (owner && owner.host !== me.host) {
      throw new VaekitError(
        `${dir} is in use by ${owner.command} (pid ${owner.pid} on host ${owner.host}, since ${owner.started}); wait for it, or if that run is gone remove ${file}`,
        'E_LOCKED',
      );
    }
    if (owner && alive(owner.pid)) {
      throw new VaekitError(`${dir} is in use by ${owner.command} (pid ${owner.pid}, since ${owner.started}); wait for it to finish or stop it, or choose another directory`, 'E_LOCKED');
    }
    if (!owner && youngerThan(file, 10_000)) {
      throw new VaekitError(`${dir} is being locked by another process right now (${file}); try again in a moment`, 'E_LOCKED');
    }
    // stale (owner dead) or unreadable and old (a writer killed between create and write): move it aside atomically,
    // so of two processes breaking the same stale lock only one succeeds, then try again
    try {
      renameSync(file, `${file}.stale.${process.pid}`);
      rmSync(`${file}.stale.${process.pid}`, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fsError(e, 'lock', file);
    }
  }
  throw new VaekitError(`cannot lock ${dir}: another process keeps taking ${file}; try again`, 'E_LOCKED');
}

function tryCreate(file: string, me: Owner): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw fsError(e, 'write', file);
  }
  try {
    writeSync(fd, JSON.stringify(me) + '\n');
  } catch (e) {
    closeSync(fd);
    rmSync(file, { force: true });
    throw fsError(e, 'write', file);
  }
  closeSync(fd);
  return true;
}

function readOwner(file: string): Owner | undefined {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as Partial<Owner>;
    if (typeof o.pid !== 'number' || typeof o.host !== 'string') return undefined;
    return { pid: o.pid, host: o.host, started: String(o.started), command: String(o.command ?? 'another vaekit process') };
  } catch {
    return undefined;
  }
}

/** Whether `file` was modified less than `ms` ago (a lock being written has no owner yet). */
function youngerThan(file: string, ms: number): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < ms;
  } catch {
    return false;
  }
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}
