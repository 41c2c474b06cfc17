import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { VaekitError } from '../errors.js';
import { CONFIG_FILE, decodeModel, encodeModel, WEIGHTS_FILE, type SavedModel } from '../io/modelFiles.js';
import { type VaeDef } from '../models/vaeDef.js';
import { writeFileAtomic } from './atomicWrite.js';
import { fsError } from './fsError.js';
import { readRegularFile } from './safeRead.js';

/** Largest config.json read (the real ones are a few kB). */
export const MAX_CONFIG_BYTES = 16 << 20;
/** Largest weights.safetensors read: 4 GiB, a billion float32 parameters. */
export const MAX_WEIGHTS_BYTES = 2 ** 32;

/**
 * Saves a model directory: weights.safetensors, then config.json, each written atomically. The encoded files
 * are decoded again first (shapes, checksum, finite weights), so weights with NaN never replace good ones.
 * A model written in TypeScript passes its `def` (its config names it but holds no layer lists).
 *
 * @throws VaekitError when the model does not survive its round trip (nothing written)
 * @example
 * saveModelDir('runs/mnist', { meta, params });
 */
export function saveModelDir(dir: string, model: SavedModel, def?: VaeDef): void {
  const { configJson, weights } = encodeModel(model, def);
  try {
    decodeModel(configJson, weights, { config: 'the config.json being saved', weights: 'the weights being saved' }, def);
  } catch (e) {
    throw new VaekitError(`not saving the model in ${dir}, the files there are kept: ${(e as Error).message}`, 'E_MODEL');
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw fsError(e, 'create', dir);
  }
  writeFileAtomic(path.join(dir, WEIGHTS_FILE), weights);
  writeFileAtomic(path.join(dir, CONFIG_FILE), configJson);
}

/**
 * Loads a model directory, with a message naming the missing or bad file. Only regular files are read, each
 * no larger than its format allows; `opts.def` supplies the networks of a model written in TypeScript.
 *
 * @example
 * const { meta, params } = loadModelDir('runs/mnist');
 */
export function loadModelDir(dir: string, opts: { def?: VaeDef } = {}): SavedModel {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new VaekitError(`model directory ${dir} does not exist (train one with: vaekit train --out ${dir})`, 'E_MODEL');
  const cfg = path.join(dir, CONFIG_FILE);
  const w = path.join(dir, WEIGHTS_FILE);
  for (const f of [cfg, w]) if (!existsSync(f)) throw new VaekitError(`model directory ${dir} is missing ${path.basename(f)} (expected ${f})`, 'E_MODEL');
  const configText = readRegularFile(cfg, { maxBytes: MAX_CONFIG_BYTES, what: 'config.json' }).toString('utf8');
  return decodeModel(configText, readRegularFile(w, { maxBytes: MAX_WEIGHTS_BYTES, what: 'weights file' }), { config: cfg, weights: w }, opts.def);
}
