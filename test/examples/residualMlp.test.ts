// The README's own-model example runs end to end: a TypeScript VaeDef trains with the same Trainer, saves
// and reloads as a model directory (with its def), and learns (test −ELBO well below an untrained model's).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { main, residualMlp } from '../../examples/residualMlp.js';
import { loadModelDir } from '../../src/node.js';
import { paramSpecs } from '../../src/models/vaeDef.js';

test('the residual-MLP example trains, saves and reloads with its def; without the def loading says what to do', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vaekit-example-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = path.join(dir, 'run');
  const negElbo = await main(1, out);
  // an untrained Bernoulli decoder scores ≈ 784·log 2 ≈ 543 nats; one epoch of digits gets far below
  assert.ok(negElbo < 250, `test −ELBO after 1 epoch: ${negElbo}`);
  const names = Object.keys(loadModelDir(out, { def: residualMlp(16) }).params).sort();
  assert.deepEqual(names, Object.keys(paramSpecs(residualMlp(16))).sort());
  assert.ok(names.includes('enc.res1.fc2.weight'));
  assert.throws(() => loadModelDir(out), /written in TypeScript: pass its VaeDef/);
});
