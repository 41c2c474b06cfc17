// On a terminal, `vaekit train` draws a progress bar with ETA and live metrics; without one it prints plain
// lines. The terminal comes from util-linux `script`, which gives the child a pseudo-TTY.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers/tempDir.js';

const ARGS = 'train --epochs 1 --hidden 32 --latent 2 --batch 200 --threads 1';

test('a TTY gets a live progress bar with ETA; a pipe gets plain lines', (t) => {
  if (spawnSync('script', ['--version']).status !== 0) return t.skip('util-linux script is not installed');
  const dir = tempDir('vaekit-tty-');
  const cmd = `${process.execPath} --import tsx src/cli/main.ts ${ARGS} --out ${path.join(dir, 'a')}`;
  const tty = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(tty.status, 0, tty.stdout);
  assert.match(tty.stdout, /epoch 1\/1 [█░]+ \d+\/40 \| ETA \d+s \| loss [\d.]+ recon [\d.]+ kl [\d.]+/);
  assert.match(tty.stdout, /\x1b\[/, 'redraws with terminal escapes');
  const pipe = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...ARGS.split(' '), '--out', path.join(dir, 'b')], { encoding: 'utf8' });
  assert.equal(pipe.status, 0, pipe.stderr);
  assert.doesNotMatch(pipe.stderr, /\x1b\[|█/);
  assert.match(pipe.stderr, /epoch 1\/1 done in [\d.]+ s/);
  rmSync(dir, { recursive: true });
});
