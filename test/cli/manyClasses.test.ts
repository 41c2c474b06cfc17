// Labels above 255: a numpy-written .npy of 300 classes trains a conditional model; encode writes every row's
// own label back and its μ equals the library's encoder under that label (a label wrapped into a byte would
// change it); eval reads rows labelled up to 299; sample draws class 299, and each class its own pictures.
// Labels beyond the largest class count a conditional model takes are refused with the number and the limit.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { decodeNpy } from '../../src/data/npy.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { nodeEngine } from '../../src/node.js';
import { loadModelDir } from '../../src/node/modelDir.js';
import { numpy, numpyMissing } from '../helpers/numpy.js';
import { cli, ONE_THREAD, show, tmp, type CliResult } from './helpers.js';

const ok = (r: CliResult) => (assert.equal(r.code, 0, show(r)), r);

test('a .npy with 300 classes trains --conditional; encode, eval and sample --label 299 use the labels whole', { skip: numpyMissing() }, async () => {
  const dir = tmp('vaekit-classes-');
  const f = (name: string) => path.join(dir, name);
  numpy(
    `d = sys.argv[1]
rng = np.random.default_rng(3)
np.save(f'{d}/x.npy', rng.integers(0, 256, (600, 4, 4), dtype=np.uint8))
np.save(f'{d}/y.npy', rng.permutation(np.arange(600) % 300))
np.save(f'{d}/y_huge.npy', np.where(np.arange(600) == 7, 69999, np.arange(600) % 300))`,
    [dir],
  );
  const run = f('run');
  ok(await cli(['train', '--data', f('x.npy'), '--labels', f('y.npy'), '--conditional', '--test-fraction', '0', '--hidden', '16', '--latent', '2', '--batch', '100', '--epochs', '1', '--out', run, ...ONE_THREAD]));
  assert.equal(JSON.parse(readFileSync(path.join(run, 'config.json'), 'utf8')).model.classes, 300);

  const [enc, ev, s299, s5, s300] = await Promise.all([
    cli(['encode', '--model', run, '--split', 'train', '--out', f('codes.npz'), ...ONE_THREAD]),
    cli(['eval', '--model', run, '--split', 'train', '--json', ...ONE_THREAD]),
    cli(['sample', '--model', run, '--n', '4', '--seed', '2', '--label', '299', '--out', f('s299.npy'), ...ONE_THREAD]),
    cli(['sample', '--model', run, '--n', '4', '--seed', '2', '--label', '5', '--out', f('s5.npy'), ...ONE_THREAD]),
    cli(['sample', '--model', run, '--label', '300', '--out', f('x.npy.png'), ...ONE_THREAD]),
  ]);
  ok(enc);
  assert.ok(Number.isFinite(JSON.parse(ok(ev).stdout).negElbo), show(ev));
  ok(s299);
  ok(s5);
  assert.equal(s300.code, 1, show(s300));
  assert.match(s300.stderr, /--label 300 is not a class of the model .* \(0\.\.299\)/);

  const y = Array.from(decodeNpy(readFileSync(f('y.npy')), 'y').data as BigInt64Array, Number);
  const codes = JSON.parse(numpy(`z = np.load(sys.argv[1]); print(json.dumps({'labels': z['labels'].tolist(), 'mu': z['mu'].ravel().tolist()}))`, [f('codes.npz')]));
  assert.deepEqual(codes.labels, y, 'encode writes each row\'s own label');
  assert.equal(Math.max(...codes.labels), 299);
  // the library's encoder on the same pixels under the same labels
  const { meta, params } = loadModelDir(run);
  const x = Float32Array.from(decodeNpy(readFileSync(f('x.npy')), 'x').data as Uint8Array, (v) => v / 255);
  const { mu } = await new VaeModel(nodeEngine({ threads: 1 }), meta.model, params).encode(x, { labels: Int32Array.from(y) });
  mu.forEach((v, i) => assert.ok(Math.abs(v - codes.mu[i]) < 1e-5, `μ value ${i}: ${v} vs ${codes.mu[i]}`));

  const [a, b] = [f('s299.npy'), f('s5.npy')].map((p) => decodeNpy(readFileSync(p), p).data as Float32Array);
  assert.ok(a.some((v, i) => Math.abs(v - b[i]) > 1e-4), 'same draws, classes 299 and 5 decode differently');

  const huge = await cli(['train', '--data', f('x.npy'), '--labels', f('y_huge.npy'), '--conditional', '--hidden', '16', '--epochs', '1', '--out', f('run2'), ...ONE_THREAD]);
  assert.equal(huge.code, 1, show(huge));
  assert.match(huge.stderr, /--conditional: the labels run to 69999 \(70000 classes, one one-hot input each\); a conditional model takes at most 65536 classes/);
});
