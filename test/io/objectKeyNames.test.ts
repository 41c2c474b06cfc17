// Names read from files that are JavaScript object keys (__proto__, constructor, toString) as dataset,
// tensor, metric or optimizer-slot names: a clear VaekitError or a correct result, never a TypeError.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { datasetFor, loadSplits } from '../../src/cli/datasets.js';
import { VaekitError } from '../../src/errors.js';
import { decodeModel, encodeModel, modelFile } from '../../src/io/modelFiles.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { initVaeParams } from '../../src/models/vae.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { Prng } from '../../src/random/prng.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/io/checkpointCodec.js';
import { parseTrainConfig } from '../../src/train/trainConfig.js';

const model = parseVaeConfig({ hidden: [8], latentDim: 2 });
const training = parseTrainConfig({});
const params = initVaeParams(model, new Prng(1));
const state = {
  train: { params, opt: {}, step: 0 },
  epoch: 0,
  batch: 0,
  perm: null,
  dataRng: new Prng(2).getState(),
  noiseRng: new Prng(3).getState(),
  acc: { sums: {}, count: 0 },
  history: [],
  best: null,
  earlyStopped: false,
};
const ck = decodeSafetensors(encodeCheckpoint({ model, training, dataset: { name: 'mnist' }, state }), 'ck');
const meta = JSON.parse(ck.metadata.vaekitCheckpoint);
const withMeta = (m: unknown) => encodeSafetensors(ck.tensors, { vaekitCheckpoint: JSON.stringify(m) });
const vaekitError = (p: RegExp) => (e: unknown) => e instanceof VaekitError && p.test(e.message);

for (const name of ['__proto__', 'constructor', 'toString']) {
  test(`"${name}" as a name read from a file`, async () => {
    assert.throws(() => decodeCheckpoint(withMeta({ ...meta, optimizerSlots: [name] }), 'ck'), vaekitError(/optimizerSlots\.0: is a JavaScript object property name/));
    if (name !== '__proto__') {
      // JSON.parse makes "__proto__" an own key that zod's record drops; the others must be refused
      assert.throws(() => decodeCheckpoint(withMeta({ ...meta, acc: { sums: { [name]: 1 }, count: 0 } }), 'ck'), vaekitError(/acc\.sums/));
    }
    const recorded = modelFile(model, training, { name, train: 1, test: 1 }, null);
    assert.throws(() => datasetFor(recorded, {}), vaekitError(new RegExp(`records dataset '${name}', which the CLI does not know; pass --dataset`)));
    await assert.rejects(loadSplits({ name }), vaekitError(new RegExp(`unknown dataset '${name}'`)));
    const { configJson, weights } = encodeModel({ meta: modelFile(model, training, { name, train: 1, test: 1 }, null), params });
    const tensors = { ...decodeSafetensors(weights, 'w').tensors };
    Object.defineProperty(tensors, name, { value: tensors['dec.0.bias'], enumerable: true });
    assert.throws(() => decodeModel(configJson, encodeSafetensors(tensors), { config: 'c', weights: 'w' }), vaekitError(new RegExp(`unexpected tensors ${name} not in the model`)));
    assert.equal(decodeModel(configJson, weights, { config: 'c', weights: 'w' }).meta.dataset?.name, name, 'as a plain value the name is just data');
  });
}
