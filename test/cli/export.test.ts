// `vaekit export` writes the library's export of a model directory; a missing directory is a plain error.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { exportOnnx } from '../../src/io/exportOnnx.js';
import { modelFile } from '../../src/io/modelFiles.js';
import { initVaeParams } from '../../src/models/vae.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { loadModelDir, saveModelDir } from '../../src/node/modelDir.js';
import { Prng } from '../../src/random/prng.js';
import { cli, show, tmp } from './helpers.js';

const dir = tmp();
after(() => rmSync(dir, { recursive: true, force: true }));

test('vaekit export writes encoder.onnx and decoder.onnx equal to the library export', async () => {
  const cfg = parseVaeConfig({ hidden: [24], latentDim: 2 });
  const model = path.join(dir, 'm');
  saveModelDir(model, { meta: modelFile(cfg, null, null, null), params: initVaeParams(cfg, new Prng(1)) });
  const r = await cli(['export', '--model', model, '--out', path.join(dir, 'onnx'), '--json']);
  assert.equal(r.code, 0, show(r));
  const j = JSON.parse(r.stdout);
  const want = exportOnnx(loadModelDir(model));
  assert.deepEqual(readFileSync(j.encoder), Buffer.from(want.encoder));
  assert.deepEqual(readFileSync(path.join(dir, 'onnx', 'decoder.onnx')), Buffer.from(want.decoder));
  const bad = await cli(['export', '--model', path.join(dir, 'nope')]);
  assert.equal(bad.code, 1, show(bad));
  assert.match(bad.stderr, /^vaekit: model directory .*nope does not exist/);
});
