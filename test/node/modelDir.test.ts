import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { VaekitError } from '../../src/errors.js';
import { modelFile } from '../../src/io/modelFiles.js';
import { decodeSafetensors } from '../../src/io/safetensors.js';
import { initVaeParams } from '../../src/models/vae.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { nodeEngine } from '../../src/node.js';
import { loadModelDir, saveModelDir } from '../../src/node/modelDir.js';
import { Prng } from '../../src/random/prng.js';
import { parseTrainConfig } from '../../src/train/trainConfig.js';
import { tempDir } from '../helpers/tempDir.js';

const engine = nodeEngine({ threads: 1 });
const cfg = parseVaeConfig({ hidden: [32], latentDim: 3, likelihood: { type: 'gaussian', sigma: 'learned-per-dim' } });
const tmp = () => tempDir('vaekit-model-');

function saved(dir: string) {
  const params = initVaeParams(cfg, new Prng(2));
  params['lik.logvar'].fill(-1.5);
  saveModelDir(dir, { meta: modelFile(cfg, parseTrainConfig({}), { name: 'mnist', train: 8000, test: 2000 }, { test: { negElbo: 1 } }), params });
  return params;
}

test('save then load gives bit-identical parameters and outputs', async () => {
  const dir = tmp();
  const params = saved(dir);
  const loaded = loadModelDir(dir);
  assert.deepEqual(loaded.meta.model, cfg);
  const x = new Prng(4).uniforms(new Float32Array(10 * 784));
  const a = new VaeModel(engine, cfg, params);
  const b = new VaeModel(engine, loaded.meta.model, loaded.params);
  const [ea, eb] = [await a.encode(x), await b.encode(x)];
  assert.ok(Buffer.from(ea.mu.buffer).equals(Buffer.from(eb.mu.buffer)));
  const [ra, rb] = [await a.elboTerms(x, new Prng(1)), await b.elboTerms(x, new Prng(1))];
  assert.ok(Buffer.from(ra.recon.buffer).equals(Buffer.from(rb.recon.buffer)));
  // standard safetensors layout with real shapes (PyTorch [out, in])
  const st = decodeSafetensors(readFileSync(path.join(dir, 'weights.safetensors')), 'w');
  assert.deepEqual(st.tensors['enc.0.weight'].shape, [32, 784]);
  assert.deepEqual(st.tensors['enc.1.weight'].shape, [6, 32]);
  rmSync(dir, { recursive: true });
});

const rejects = (dir: string, ...parts: string[]) =>
  assert.throws(() => loadModelDir(dir), (e: unknown) => e instanceof VaekitError && parts.every((p) => e.message.includes(p)), parts.join(' / '));

test('missing, mismatched or newer model files are refused with the file named', () => {
  const dir = tmp();
  rejects(path.join(dir, 'nope'), 'does not exist');
  saved(dir);
  const cfgFile = path.join(dir, 'config.json');
  const good = readFileSync(cfgFile, 'utf8');
  writeFileSync(cfgFile, good.replace('"formatVersion": 2', '"formatVersion": 99'));
  rejects(dir, 'config.json', 'format version 99', 'upgrade');
  writeFileSync(cfgFile, good.replace('"latentDim": 3', '"latentDim": 4'));
  rejects(dir, 'weights.safetensors', 'enc.1.weight', '[8,32]');
  writeFileSync(cfgFile, good.slice(0, 40));
  rejects(dir, 'config.json', 'not valid JSON');
  writeFileSync(cfgFile, good.replace('"latentDim": 3', '"latentDim": -3'));
  rejects(dir, 'config.json', 'latentDim');
  writeFileSync(cfgFile, good);
  rmSync(path.join(dir, 'weights.safetensors'));
  rejects(dir, 'missing weights.safetensors');
  rmSync(dir, { recursive: true });
});
