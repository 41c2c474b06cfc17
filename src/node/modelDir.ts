import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { VaekitError } from '../errors.js';
import { CONFIG_FILE, decodeModel, encodeModel, WEIGHTS_FILE, type SavedModel } from '../io/modelFiles.js';
import { type VaeDef } from '../models/vaeDef.js';
import { writeFileAtomic } from './atomicWrite.js';

/**
 * Saves a model directory: weights.safetensors, then config.json, each written atomically. A model written in
 * TypeScript passes its `def` (its config names it but holds no layer lists).
 *
 * @example
 * saveModelDir('runs/mnist', { meta, params });
 */
export function saveModelDir(dir: string, model: SavedModel, def?: VaeDef): void {
  mkdirSync(dir, { recursive: true });
  const { configJson, weights } = encodeModel(model, def);
  writeFileAtomic(path.join(dir, WEIGHTS_FILE), weights);
  writeFileAtomic(path.join(dir, CONFIG_FILE), configJson);
}

/**
 * Loads a model directory, with a message naming the missing or bad file; `opts.def` supplies the networks
 * of a model written in TypeScript.
 *
 * @example
 * const { meta, params } = loadModelDir('runs/mnist');
 */
export function loadModelDir(dir: string, opts: { def?: VaeDef } = {}): SavedModel {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new VaekitError(`model directory ${dir} does not exist (train one with: vaekit train --out ${dir})`, 'E_MODEL');
  const cfg = path.join(dir, CONFIG_FILE);
  const w = path.join(dir, WEIGHTS_FILE);
  for (const f of [cfg, w]) if (!existsSync(f)) throw new VaekitError(`model directory ${dir} is missing ${path.basename(f)} (expected ${f})`, 'E_MODEL');
  return decodeModel(readFileSync(cfg, 'utf8'), readFileSync(w), { config: cfg, weights: w }, opts.def);
}
