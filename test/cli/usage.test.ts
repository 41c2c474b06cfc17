// What every command shares: --help, usage errors (exit 2 with the usage text), user errors (exit 1, one
// `vaekit:` line, no stack), and the bin shim.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { modelFile } from '../../src/io/modelFiles.js';
import { initVaeParams } from '../../src/models/vae.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { saveModelDir } from '../../src/node/modelDir.js';
import { Prng } from '../../src/random/prng.js';
import { type Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { cli, ROOT, show, tmp } from './helpers.js';

const COMMANDS = ['train', 'sample', 'reconstruct', 'encode', 'eval', 'score', 'manifold', 'traverse', 'interpolate', 'plot latent', 'plot curves'];

// Two tests at a time: the machine's two cores stay busy.
describe('usage and errors', { concurrency: 2 }, () => {
  test('every command has --help: its usage and flags (in-process for all, through the CLI for one)', async () => {
    const program = buildProgram();
    const find = (names: string[]) => names.reduce<Command | undefined>((c, n) => c?.commands.find((s) => s.name() === n), program);
    for (const name of COMMANDS) {
      const cmd = find(name.split(' '));
      assert.ok(cmd, `command ${name}`);
      const help = cmd.helpInformation();
      assert.match(help, new RegExp(`^Usage: vaekit ${name} \\[options\\]`), help);
      assert.ok(cmd.description().length > 20, `${name} describes itself`);
      if (name !== 'plot curves') assert.match(help, name === 'train' ? /--threads/ : /--model <dir>/);
    }
    const [top, train] = await Promise.all([cli(['--help']), cli(['train', '--help'])]);
    assert.equal(train.code, 0, show(train));
    assert.match(train.stdout, /^Usage: vaekit train \[options\][\s\S]*--checkpoint-minutes/);
    for (const c of COMMANDS) assert.ok(top.stdout.includes(c.split(' ')[0]), `top-level help lists ${c}`);
  });

  test('usage errors exit 2 and print the usage: unknown flag, bad value, missing option, no command', async () => {
    const [unknown, badValue, missing, none, unknownCmd] = await Promise.all([
      cli(['train', '--no-such-flag']),
      cli(['train', '--epochs', 'zero']),
      cli(['sample', '--out', 'x.png']),
      cli([]),
      cli(['fly']),
    ]);
    for (const r of [unknown, badValue, missing, none, unknownCmd]) {
      assert.equal(r.code, 2, show(r));
      assert.match(r.stderr, /Usage: vaekit/);
      assert.equal(r.stdout, '');
    }
    assert.match(unknown.stderr, /unknown option '--no-such-flag'[\s\S]*Usage: vaekit train/);
    assert.match(badValue.stderr, /--epochs <n>.*'zero' is invalid/);
    assert.match(missing.stderr, /required option '--model <dir>'/);
  });

  test('user errors: one line naming the path, no stack trace, exit 1', async () => {
    const dir = tmp();
    const cfg = parseVaeConfig({ latentDim: 2, hidden: [8] });
    const model = path.join(dir, 'model');
    saveModelDir(model, { meta: modelFile(cfg, null, { name: 'mnist', train: 0, test: 0 }, null), params: initVaeParams(cfg, new Prng(1)) });
    const missing = path.join(dir, 'no-such-model');
    const [noModel, noData, badExt] = await Promise.all([
      cli(['sample', '--model', missing, '--out', path.join(dir, 's.png')]),
      cli(['eval', '--model', model, '--dataset', 'fashion-mnist', '--data', path.join(dir, 'nowhere')]),
      cli(['sample', '--model', model, '--out', path.join(dir, 's.jpg')]),
    ]);
    for (const r of [noModel, noData, badExt]) {
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, /^vaekit: /);
      assert.equal(r.stderr.trim().split('\n').length, 1, show(r));
    }
    assert.ok(noModel.stderr.includes(`model directory ${missing} does not exist`), show(noModel));
    assert.ok(noData.stderr.includes(path.join(dir, 'nowhere')), show(noData));
    assert.match(noData.stderr, /dataset-fashion-mnist/);
    assert.match(badExt.stderr, /s\.jpg.*\.png/);
  });

  test('bin/vaekit.js is a two-line shim over the compiled CLI', (t) => {
    const shim = readFileSync(path.join(ROOT, 'bin/vaekit.js'), 'utf8').trim().split('\n');
    assert.deepEqual(shim, ['#!/usr/bin/env node', "import '../dist/cli/vaekit.js';"]); // one bundled module: ~0.3 s less loading than ~150 files
    if (!existsSync(path.join(ROOT, 'dist/cli/vaekit.js'))) return t.skip('no dist/ yet (npm run build)');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/vaekit.js'), '--version'], { encoding: 'utf8' });
    const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), version);
  });
});
