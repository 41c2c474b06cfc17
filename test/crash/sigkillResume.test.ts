// A training run killed with SIGKILL after its first checkpoint and resumed ends exactly like an
// uninterrupted run with the same seed: same metrics.jsonl (but for wall-clock seconds) and same weights.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers/tempDir.js';

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
// tiny model, two epochs over the embedded digits, a checkpoint after (nearly) every step
const ARGS = ['train', '--epochs', '2', '--hidden', '64', '--latent', '4', '--batch', '200', '--seed', '11', '--threads', '1', '--binarize', 'dynamic'];

const metrics = (dir: string) =>
  readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const { seconds: _s, ...rest } = JSON.parse(l);
      return rest;
    });

test('SIGKILL after the first checkpoint, then --resume: identical to an uninterrupted run', { timeout: 180_000 }, async () => {
  const root = tempDir('vaekit-kill-');
  const full = path.join(root, 'full');
  const killed = path.join(root, 'killed');
  const r = spawnSync(process.execPath, [...CLI, ...ARGS, '--out', full], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);

  const child = spawn(process.execPath, [...CLI, ...ARGS, '--out', killed, '--checkpoint-minutes', '0.0001'], { stdio: 'ignore' });
  const ckpt = path.join(killed, 'checkpoint.safetensors');
  const t0 = Date.now();
  while (!existsSync(ckpt) && Date.now() - t0 < 60_000) await new Promise((res) => setTimeout(res, 20));
  assert.ok(existsSync(ckpt), 'the run wrote no checkpoint');
  await new Promise((res) => setTimeout(res, 150)); // land somewhere mid-run, possibly mid-write
  child.kill('SIGKILL');
  await new Promise((res) => child.on('exit', res));

  const resumed = spawnSync(process.execPath, [...CLI, 'train', '--resume', killed, '--threads', '1'], { encoding: 'utf8' });
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.deepEqual(metrics(killed), metrics(full));
  assert.ok(readFileSync(path.join(killed, 'weights.safetensors')).equals(readFileSync(path.join(full, 'weights.safetensors'))), 'final weights differ');
  rmSync(root, { recursive: true });
});
