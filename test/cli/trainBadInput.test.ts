// `vaekit train` refuses bad model input before training starts: exit 1 (2 for a bad flag value) with a
// message naming the layer, shapes or flag, and no run directory left behind.
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { cli, ONE_THREAD, show, tmp, writeDigitsDir } from './helpers.js';

const dir = tmp('vaekit-badinput-');
const digits = path.join(dir, 'digits');
before(() => writeDigitsDir(digits));
after(() => rmSync(dir, { recursive: true, force: true }));

async function refused(extra: string[], code: number, pattern: RegExp): Promise<void> {
  const out = path.join(dir, `run-${Math.random().toString(36).slice(2)}`);
  const r = await cli(['train', '--data', digits, '--epochs', '1', '--out', out, ...ONE_THREAD, ...extra]);
  assert.equal(r.code, code, show(r));
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.ok(!existsSync(out), 'no run directory is created');
}

const file = (name: string, text: string) => (writeFileSync(path.join(dir, name), text), path.join(dir, name));

test('train: shapes that do not chain, an unknown layer, a misfitting architecture, --k 0, a bad --arch-file', async () => {
  const chain = file('chain.json', JSON.stringify({ encoder: [{ type: 'flatten' }, { type: 'dense', units: 16 }, { type: 'reshape', shape: [4, 5] }, { type: 'dense', units: 'out' }], decoder: [{ type: 'dense', units: 'out' }] }));
  await Promise.all([
    refused(['--arch-file', chain], 1, /^vaekit: encoder layer 2 \(reshape\) on input \[B,16\]: reshape to \[4,5\] needs 20 values per example/m),
    refused(['--arch-file', file('unknown.json', JSON.stringify({ encoder: [{ type: 'flatten' }, { type: 'dropout' }], decoder: [] }))], 1, /encoder layer 1: unknown type "dropout"/),
  ]);
  await Promise.all([
    refused(['--arch', 'vanilla64'], 1, /^vaekit: .*architecture "vanilla64" needs images \[C, 64, 64\], the data has \[1, 28, 28\]/m),
    refused(['--objective', 'iwae', '--k', '0'], 2, /--k <K>.*expected an integer ≥ 1/),
  ]);
  await Promise.all([
    refused(['--arch-file', file('bad.json', '{"encoder": [')], 1, /bad\.json: cannot read an architecture/),
    refused(['--arch-file', file('half.json', '{"decoder": []}')], 1, /half\.json: expected \{"encoder": \[layers…\], "decoder": \[layers…\]\}/),
  ]);
});
