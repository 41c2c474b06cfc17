import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import { VaekitError } from '../errors.js';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../io/checkpointCodec.js';
import { syncDir, writeFileAtomic } from './atomicWrite.js';
import { readRegularFile } from './safeRead.js';

/** Largest checkpoint file read: 4 GiB (a 330M-parameter model's weights, Adam moments and best copy). */
export const MAX_CHECKPOINT_BYTES = 2 ** 32;

export const CHECKPOINT_FILE = 'checkpoint.safetensors';
export const PREVIOUS_CHECKPOINT_FILE = 'checkpoint.prev.safetensors';
/** A new checkpoint, fsynced, before it takes CHECKPOINT_FILE's place. */
export const NEW_CHECKPOINT_FILE = `.${CHECKPOINT_FILE}.new`;

/**
 * Writes a checkpoint into `dir`, keeping the one before it: the new file is written and fsynced under a
 * temporary name, the current checkpoint becomes checkpoint.prev, then the new one takes its place. A crash at
 * any instant leaves at least one whole checkpoint.
 *
 * Nothing bad replaces something good: the encoded bytes are decoded again first (structure, data checksum,
 * finite values), so a state with NaN parameters is refused before any file changes; and a current checkpoint
 * that no longer loads is replaced without being rotated over a good checkpoint.prev.
 *
 * @throws VaekitError when the state does not survive its own round trip (files untouched)
 * @example
 * saveCheckpoint('runs/x', { model, training, dataset, state: trainer.state() });
 */
export function saveCheckpoint(dir: string, c: Checkpoint): void {
  const cur = path.join(dir, CHECKPOINT_FILE);
  const tmp = path.join(dir, NEW_CHECKPOINT_FILE);
  const bytes = encodeCheckpoint(c);
  try {
    decodeCheckpoint(bytes, 'the checkpoint being saved');
  } catch (e) {
    throw new VaekitError(`not saving a checkpoint in ${dir}, the files there are kept: ${(e as Error).message}`, 'E_CHECKPOINT');
  }
  writeFileAtomic(tmp, bytes);
  if (existsSync(cur) && loads(cur)) renameSync(cur, path.join(dir, PREVIOUS_CHECKPOINT_FILE));
  renameSync(tmp, cur);
  syncDir(dir);
}

/** Whether `file` decodes as a whole checkpoint (a damaged one must not become checkpoint.prev). */
function loads(file: string): boolean {
  try {
    decodeCheckpoint(readRegularFile(file, { maxBytes: MAX_CHECKPOINT_BYTES, what: 'checkpoint' }), file);
    return true;
  } catch (e) {
    if (e instanceof VaekitError) return false;
    throw e;
  }
}

/**
 * Loads the newest whole checkpoint of `dir`. When the latest is missing or damaged it falls back to the
 * previous one and says why in `warning`.
 *
 * @example
 * const { checkpoint, warning } = loadCheckpoint('runs/x');
 */
export function loadCheckpoint(dir: string): { checkpoint: Checkpoint; file: string; warning?: string } {
  const candidates = [CHECKPOINT_FILE, NEW_CHECKPOINT_FILE, PREVIOUS_CHECKPOINT_FILE].map((f) => path.join(dir, f));
  if (!candidates.some((f) => existsSync(f))) {
    throw new VaekitError(
      `${dir} has no checkpoint (${CHECKPOINT_FILE} or ${PREVIOUS_CHECKPOINT_FILE}): the run there stopped before its first one, which comes after the first epoch ` +
        `(or --checkpoint-minutes); start it again with vaekit train --out ${dir} and the same flags`,
      'E_CHECKPOINT',
    );
  }
  const problems: string[] = [];
  for (const file of candidates) {
    if (!existsSync(file)) {
      if (file.endsWith(CHECKPOINT_FILE) && !file.includes('.new')) problems.push(`${file} does not exist`);
      continue;
    }
    try {
      const checkpoint = decodeCheckpoint(readRegularFile(file, { maxBytes: MAX_CHECKPOINT_BYTES, what: 'checkpoint' }), file);
      return { checkpoint, file, warning: problems.length ? `${problems.join('; ')}; using ${file}` : undefined };
    } catch (e) {
      if (!(e instanceof VaekitError)) throw e;
      problems.push(e.message);
    }
  }
  throw new VaekitError(`no usable checkpoint in ${dir}: ${problems.join('; ') || 'none found'}`, 'E_CHECKPOINT');
}
