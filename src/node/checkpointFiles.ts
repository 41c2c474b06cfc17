import { existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { VaekitError } from '../errors.js';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../io/checkpointCodec.js';
import { syncDir, writeFileAtomic } from './atomicWrite.js';

export const CHECKPOINT_FILE = 'checkpoint.safetensors';
export const PREVIOUS_CHECKPOINT_FILE = 'checkpoint.prev.safetensors';

/**
 * Writes a checkpoint into `dir`, keeping the one before it: the new file is written and fsynced under a
 * temporary name, the current checkpoint becomes checkpoint.prev, then the new one takes its place. A crash at
 * any instant leaves at least one whole checkpoint.
 *
 * @example
 * saveCheckpoint('runs/x', { model, training, dataset, state: trainer.state() });
 */
export function saveCheckpoint(dir: string, c: Checkpoint): void {
  const cur = path.join(dir, CHECKPOINT_FILE);
  const tmp = path.join(dir, `.${CHECKPOINT_FILE}.new`);
  writeFileAtomic(tmp, encodeCheckpoint(c));
  if (existsSync(cur)) renameSync(cur, path.join(dir, PREVIOUS_CHECKPOINT_FILE));
  renameSync(tmp, cur);
  syncDir(dir);
}

/**
 * Loads the newest whole checkpoint of `dir`. When the latest is missing or damaged it falls back to the
 * previous one and says why in `warning`.
 *
 * @example
 * const { checkpoint, warning } = loadCheckpoint('runs/x');
 */
export function loadCheckpoint(dir: string): { checkpoint: Checkpoint; file: string; warning?: string } {
  const candidates = [CHECKPOINT_FILE, `.${CHECKPOINT_FILE}.new`, PREVIOUS_CHECKPOINT_FILE].map((f) => path.join(dir, f));
  const problems: string[] = [];
  for (const file of candidates) {
    if (!existsSync(file)) {
      if (file.endsWith(CHECKPOINT_FILE) && !file.includes('.new')) problems.push(`${file} does not exist`);
      continue;
    }
    try {
      const checkpoint = decodeCheckpoint(readFileSync(file), file);
      return { checkpoint, file, warning: problems.length ? `${problems.join('; ')}; using ${file}` : undefined };
    } catch (e) {
      if (!(e instanceof VaekitError)) throw e;
      problems.push(e.message);
    }
  }
  throw new VaekitError(`no usable checkpoint in ${dir}: ${problems.join('; ') || 'none found'}`, 'E_CHECKPOINT');
}
