// `vaekit train` end to end: the files of a run, the default run directory, Ctrl-C then --resume, divergence,
// and the flags --resume refuses.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { vaeParamShapes } from '../../src/models/vae.js';
import { loadModelDir } from '../../src/node/modelDir.js';
import { cli, lines, ONE_THREAD, show, startCli, tmp, TINY, writeDigitsDir } from './helpers.js';

// The first two tests read the embedded digits (the default); the rest a small IDX copy of them, faster to load.
const digits = path.join(tmp(), 'digits');
before(() => writeDigitsDir(digits));

// Two tests at a time, each child with one ORT thread: the machine's two cores stay busy.
describe('vaekit train', { concurrency: 2 }, () => {
  test('train writes config.json, weights, one metrics line per epoch and a checkpoint; --json summarizes', async () => {
    const out = path.join(tmp(), 'run');
    const r = await cli(['train', '--hidden', '64', '--latent', '2', '--batch', '100', '--epochs', '2', '--classes', '0,1', '--seed', '5', '--out', out, '--json', ...ONE_THREAD]);
    assert.equal(r.code, 0, show(r));
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.out, out);
    assert.equal(summary.outcome, 'finished');
    assert.equal(summary.epochs, 2);
    assert.match(r.stderr, /epoch 1\/2 done/);
    const cfg = JSON.parse(readFileSync(path.join(out, 'config.json'), 'utf8'));
    assert.equal(cfg.formatVersion, 2);
    assert.deepEqual([cfg.model.latentDim, cfg.model.dataShape, cfg.model.likelihood.type], [2, [1, 28, 28], 'bernoulli']);
    // the MLP as a layer list: flatten, dense 64, relu, dense 2L; the decoder mirrors it
    assert.deepEqual(cfg.model.encoder.map((l: { type: string; units?: unknown }) => l.units ?? l.type), ['flatten', 64, 'relu', 'out']);
    assert.deepEqual([cfg.training.epochs, cfg.training.batchSize, cfg.training.seed], [2, 100, 5]);
    assert.deepEqual(cfg.dataset.classes, [0, 1]);
    assert.equal(cfg.dataset.name, 'mnist');
    assert.ok(cfg.dataset.train > 1000 && cfg.dataset.train < 8000, `only digits 0 and 1: ${cfg.dataset.train}`);
    const metrics = lines(path.join(out, 'metrics.jsonl')).map((l) => JSON.parse(l));
    assert.deepEqual(metrics.map((m) => m.epoch), [1, 2]);
    assert.equal(cfg.metrics.epoch, 2);
    assert.equal(cfg.metrics.test.negElbo, metrics[1].test.negElbo);
    const saved = loadModelDir(out);
    const shapes = vaeParamShapes(saved.meta.model);
    assert.deepEqual(Object.keys(saved.params).sort(), Object.keys(shapes).sort());
    for (const [k, s] of Object.entries(shapes)) assert.equal(saved.params[k].length, s.reduce((a, b) => a * b, 1), k);
    assert.ok(Object.values(saved.params).every((p) => p.every(Number.isFinite)));
    assert.ok(existsSync(path.join(out, 'checkpoint.safetensors')));
  });

  test('without --out a run goes to ./runs/<date-time> and says so', async () => {
    const cwd = tmp();
    const r = await cli(['train', '--hidden', '16', '--latent', '2', '--epochs', '1', '--classes', '7', ...ONE_THREAD], { cwd });
    assert.equal(r.code, 0, show(r));
    const runs = readdirSync(path.join(cwd, 'runs'));
    assert.equal(runs.length, 1);
    assert.match(runs[0], /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d$/);
    assert.ok(r.stdout.includes(path.join('runs', runs[0])), show(r));
    assert.ok(existsSync(path.join(cwd, 'runs', runs[0], 'weights.safetensors')));
  });

  test('Ctrl-C saves a checkpoint and exits 130; --resume finishes the run without repeating epochs', async () => {
    const out = path.join(tmp(), 'run');
    let signalled = false;
    const { child, done } = startCli(['train', ...TINY, '--epochs', '200', '--data', digits, '--out', out, ...ONE_THREAD], {
      onStderr: (all) => {
        if (!signalled && /^epoch \d+\/200 /m.test(all)) {
          signalled = true;
          child.kill('SIGINT');
        }
      },
    });
    const r = await done;
    assert.equal(r.code, 130, show(r));
    const m = /interrupted \(SIGINT\) at step (\d+); resume with: vaekit train --resume (.+)$/m.exec(r.stderr);
    assert.ok(m, show(r));
    assert.equal(m[2], out);
    assert.ok(existsSync(path.join(out, 'checkpoint.safetensors')));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    const before = lines(path.join(out, 'metrics.jsonl')).length;
    assert.ok(before < 200);

    const target = before + 1;
    const resumed = await cli(['train', '--resume', out, '--epochs', String(target), '--json', ...ONE_THREAD]);
    assert.equal(resumed.code, 0, show(resumed));
    assert.match(resumed.stderr, /resuming/);
    assert.equal(JSON.parse(resumed.stdout).epochs, target);
    const epochs = lines(path.join(out, 'metrics.jsonl')).map((l) => JSON.parse(l).epoch);
    assert.deepEqual(epochs, Array.from({ length: target }, (_, i) => i + 1));
    assert.ok(JSON.parse(readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').split('\n')[target - 1]).step > Number(m[1]));
  });

  test('--resume refuses model flags and a run directory is never overwritten', async () => {
    const out = path.join(tmp(), 'run');
    const first = await cli(['train', ...TINY, '--data', digits, '--out', out, ...ONE_THREAD]);
    assert.equal(first.code, 0, show(first));
    const [conflict, again, fewer] = await Promise.all([
      cli(['train', '--resume', out, '--latent', '5', '--lr', '0.01', ...ONE_THREAD]),
      cli(['train', ...TINY, '--out', out, ...ONE_THREAD]),
      cli(['train', '--resume', out, '--epochs', '1', ...ONE_THREAD]),
    ]);
    assert.equal(conflict.code, 1, show(conflict));
    assert.match(conflict.stderr, /^vaekit: .*drop --latent \(/m);
    assert.equal(again.code, 1, show(again));
    assert.match(again.stderr, /already holds a training run.*--resume/);
    assert.equal(fewer.code, 0, show(fewer)); // already done: nothing to train, files rewritten
    assert.equal(lines(path.join(out, 'metrics.jsonl')).length, 1);
  });

  test('a diverging run saves the last good model and checkpoint and exits 1 naming the step', async () => {
    const out = path.join(tmp(), 'run');
    const r = await cli(['train', '--likelihood', 'gaussian', '--sigma', 'learned', '--lr', '10', '--hidden', '32', '--latent', '4', '--epochs', '1', '--data', digits, '--out', out, ...ONE_THREAD]);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /^vaekit: training diverged at step \d+ .*--lr.*--grad-clip/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    const saved = loadModelDir(out);
    assert.ok(Object.values(saved.params).every((p) => p.every(Number.isFinite)));
    assert.ok(existsSync(path.join(out, 'checkpoint.safetensors')));
  });
});
