// Checkpoints on disk: a torn or truncated newest checkpoint is refused with a clear message and the
// previous one is used instead.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { VaekitError } from '../../src/errors.js';
import { initVaeParams } from '../../src/models/vae.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { CHECKPOINT_FILE, loadCheckpoint, PREVIOUS_CHECKPOINT_FILE, saveCheckpoint } from '../../src/node/checkpointFiles.js';
import { Prng } from '../../src/random/prng.js';
import { parseTrainConfig } from '../../src/train/trainConfig.js';
import { type TrainerState } from '../../src/train/trainerState.js';
import { tempDir } from '../helpers/tempDir.js';

const model = parseVaeConfig({ hidden: [8], latentDim: 2 });
const training = parseTrainConfig({ epochs: 3 });
const state = (step: number): TrainerState => ({
  train: { params: initVaeParams(model, new Prng(step)), opt: {}, step },
  epoch: step,
  batch: 0,
  perm: null,
  dataRng: new Prng(1).getState(),
  noiseRng: new Prng(2).getState(),
  acc: { sums: {}, count: 0 },
  history: [],
  best: null,
  earlyStopped: false,
});

test('a checkpoint truncated at a random byte falls back to the previous one', () => {
  const rng = new Prng(99);
  for (let trial = 0; trial < 20; trial++) {
    const dir = tempDir('vaekit-ckpt-');
    saveCheckpoint(dir, { model, training, dataset: { name: 'mnist' }, state: state(1) });
    saveCheckpoint(dir, { model, training, dataset: { name: 'mnist' }, state: state(2) });
    assert.equal(loadCheckpoint(dir).checkpoint.state.train.step, 2);
    const file = path.join(dir, CHECKPOINT_FILE);
    const bytes = readFileSync(file);
    const cut = rng.int(bytes.length);
    writeFileSync(file, bytes.subarray(0, cut));
    const { checkpoint, warning, file: used } = loadCheckpoint(dir);
    assert.equal(checkpoint.state.train.step, 1, `truncated at ${cut} of ${bytes.length}`);
    assert.equal(used, path.join(dir, PREVIOUS_CHECKPOINT_FILE));
    assert.match(warning!, /truncated|not valid|belong to no tensor|must|checkpoint/);
    rmSync(dir, { recursive: true });
  }
});

test('no usable checkpoint gives one message listing each problem', () => {
  const dir = tempDir('vaekit-ckpt-');
  assert.throws(() => loadCheckpoint(dir), (e: unknown) => e instanceof VaekitError && /has no checkpoint .*stopped before its first one.*vaekit train --out /.test(e.message));
  writeFileSync(path.join(dir, CHECKPOINT_FILE), 'garbage');
  assert.throws(() => loadCheckpoint(dir), (e: unknown) => e instanceof VaekitError && e.message.includes('no usable checkpoint') && e.message.includes(CHECKPOINT_FILE));
  assert.ok(existsSync(path.join(dir, CHECKPOINT_FILE)));
  rmSync(dir, { recursive: true });
});
