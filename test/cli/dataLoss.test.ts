// Nothing lost: end-to-end runs of `vaekit train` that used to destroy or silently mix results — a corrupted
// checkpoint, two writers in one directory, SIGTERM/SIGHUP, and runs that stopped before their first checkpoint.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadCheckpoint } from '../../src/node/checkpointFiles.js';
import { loadModelDir } from '../../src/node/modelDir.js';
import { cli, lines, ONE_THREAD, show, startCli, tmp, TINY, writeDigitsDir } from './helpers.js';

const root = tmp();
const digits = path.join(root, 'digits');
before(() => writeDigitsDir(digits));
after(() => rmSync(root, { recursive: true, force: true }));

/** Byte offset in `file` of tensor `name`'s data (safetensors: u64 header length, JSON header, data). */
function tensorOffset(file: string, name: string): number {
  const b = readFileSync(file);
  const n = Number(b.readBigUInt64LE(0));
  const header = JSON.parse(b.subarray(8, 8 + n).toString('utf8'));
  return 8 + n + header[name].data_offsets[0];
}

const finite = (dir: string) => Object.values(loadModelDir(dir).params).every((p) => p.every(Number.isFinite));

describe('data loss', { concurrency: 2 }, () => {
  test('a NaN written into a checkpoint is caught; resume falls back to checkpoint.prev and the model stays finite', async () => {
    const r = path.join(root, 'nan');
    const first = await cli(['train', ...TINY, '--data', digits, '--out', r, ...ONE_THREAD]);
    assert.equal(first.code, 0, show(first));
    const ck = path.join(r, 'checkpoint.safetensors');
    const prevBefore = readFileSync(path.join(r, 'checkpoint.prev.safetensors'));
    const bytes = readFileSync(ck);
    bytes.writeFloatLE(NaN, tensorOffset(ck, 'param/dec.0.bias'));
    writeFileSync(ck, bytes);

    const resumed = await cli(['train', '--resume', r, '--epochs', '2', ...ONE_THREAD]);
    assert.equal(resumed.code, 0, show(resumed));
    assert.match(resumed.stderr, /warning: .*checkpoint\.safetensors.*CRC-32.*corrupt.*using .*checkpoint\.prev\.safetensors/);
    assert.ok(finite(r), 'weights.safetensors holds only finite values');
    assert.deepEqual(lines(path.join(r, 'metrics.jsonl')).map((l) => JSON.parse(l).epoch), [1, 2]);
    // the damaged file never became checkpoint.prev: both checkpoints now load and are finite
    assert.equal(loadCheckpoint(r).warning, undefined);
    assert.notDeepEqual(readFileSync(path.join(r, 'checkpoint.prev.safetensors')), bytes);
    assert.ok(prevBefore.length > 0);
    const s = await cli(['sample', '--model', r, '--n', '4', '--out', path.join(r, 's.png'), ...ONE_THREAD]);
    assert.equal(s.code, 0, show(s));
  });

  test('two runs into one directory: one trains, the other is refused, and the files belong together', async () => {
    const d = path.join(root, 'two');
    const [a, b] = await Promise.all([
      cli(['train', ...TINY, '--epochs', '2', '--data', digits, '--out', d, ...ONE_THREAD]),
      cli(['train', ...TINY, '--epochs', '2', '--latent', '8', '--data', digits, '--out', d, ...ONE_THREAD]),
    ]);
    const codes = [a.code, b.code].sort();
    assert.deepEqual(codes, [0, 1], `${show(a)}\n${show(b)}`);
    const loser = a.code === 1 ? a : b;
    assert.match(loser.stderr, /^vaekit: .*(is in use by vaekit train \(pid \d+|already holds a training run)/m, show(loser));
    assert.doesNotMatch(loser.stderr, /\n\s+at /, 'no stack trace');
    const winnerLatent = a.code === 0 ? 2 : 8;
    const saved = loadModelDir(d);
    assert.equal(saved.meta.model.latentDim, winnerLatent);
    assert.equal(loadCheckpoint(d).checkpoint.model.latentDim, winnerLatent);
    assert.deepEqual(lines(path.join(d, 'metrics.jsonl')).map((l) => JSON.parse(l).epoch), [1, 2]);
    assert.ok(!existsSync(path.join(d, '.vaekit.lock')), 'the lock is released');
  });

  for (const [sig, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    test(`${sig} stops like Ctrl-C: checkpoint saved, exit ${code}, --resume finishes`, async () => {
      const d = path.join(root, sig);
      let sent = false;
      const { child, done } = startCli(['train', ...TINY, '--epochs', '200', '--data', digits, '--out', d, ...ONE_THREAD], {
        onStderr: (all) => {
          if (!sent && /^epoch \d+\/200 /m.test(all)) {
            sent = true;
            child.kill(sig);
          }
        },
      });
      const r = await done;
      assert.equal(r.code, code, show(r));
      assert.match(r.stderr, new RegExp(`interrupted \\(${sig}\\) at step \\d+; resume with: vaekit train --resume`));
      const epochs = lines(path.join(d, 'metrics.jsonl')).length;
      const resumed = await cli(['train', '--resume', d, '--epochs', String(epochs + 1), ...ONE_THREAD]);
      assert.equal(resumed.code, 0, show(resumed));
      assert.equal(lines(path.join(d, 'metrics.jsonl')).length, epochs + 1);
    });
  }

  test('a run killed before its first checkpoint: --resume says what to do, a fresh --out reuses the directory', async () => {
    const d = path.join(root, 'early');
    const { child, done } = startCli(['train', ...TINY, '--data', digits, '--out', d, ...ONE_THREAD], {
      onStderr: (all) => {
        if (/writing to/.test(all)) child.kill('SIGKILL');
      },
    });
    await done;
    assert.ok(!existsSync(path.join(d, 'checkpoint.safetensors')), 'killed before the first checkpoint');
    const resume = await cli(['train', '--resume', d, ...ONE_THREAD]);
    assert.equal(resume.code, 1, show(resume));
    assert.match(resume.stderr, /has no checkpoint .*stopped before its first one.*vaekit train --out /);
    const fresh = await cli(['train', ...TINY, '--data', digits, '--out', d, ...ONE_THREAD]);
    assert.equal(fresh.code, 0, show(fresh));
    assert.ok(finite(d));
  });

  test('a directory holding only checkpoint.prev is a run: a fresh --out is refused, --resume continues it', async () => {
    const d = path.join(root, 'prevOnly');
    const first = await cli(['train', ...TINY, '--data', digits, '--out', d, ...ONE_THREAD]);
    assert.equal(first.code, 0, show(first));
    for (const f of ['checkpoint.safetensors', 'config.json', 'weights.safetensors', 'metrics.jsonl']) rmSync(path.join(d, f));
    const again = await cli(['train', ...TINY, '--data', digits, '--out', d, ...ONE_THREAD]);
    assert.equal(again.code, 1, show(again));
    assert.match(again.stderr, /already holds a training run \(checkpoint\.prev\.safetensors\); continue it with --resume/);
    const resumed = await cli(['train', '--resume', d, '--epochs', '2', ...ONE_THREAD]);
    assert.equal(resumed.code, 0, show(resumed));
    assert.ok(finite(d));
  });
});
