// Bad model input is refused before any training starts, with a message that names the layer, the shapes
// or the flag: layer lists whose shapes do not chain, unknown layers, architectures that do not fit the
// data, conditional models without labels, K < 1, and --arch-file problems.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { modelConfigFromFlags } from '../../src/cli/modelFlags.js';
import { arrayDataset } from '../../src/data/rowDataset.js';
import { VaekitError } from '../../src/errors.js';
import { makeVae } from '../../src/models/vae.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { initVaeParams } from '../../src/models/vae.js';
import { nodeEngine } from '../../src/node.js';
import { Prng } from '../../src/random/prng.js';
import { parseTrainConfig } from '../../src/train/trainConfig.js';
import { Trainer } from '../../src/train/trainer.js';

const engine = nodeEngine({ threads: 1 });
const grey = [1, 28, 28];
const facts = { shape: grey, classes: 10, totalSteps: 100 };

/** Runs `f`, which must throw a VaekitError whose message matches every pattern. */
async function refuses(f: () => unknown, ...patterns: RegExp[]): Promise<string> {
  try {
    await f();
  } catch (e) {
    assert.ok(e instanceof VaekitError, `expected a VaekitError, got ${e}`);
    for (const p of patterns) assert.match(e.message, p);
    return e.message;
  }
  assert.fail(`no error; expected ${patterns.join(', ')}`);
}

test('a layer list whose shapes do not chain: the list, the layer index and type, and the shapes', async () => {
  const chain = { dataShape: grey, encoder: [{ type: 'flatten' }, { type: 'dense', units: 16 }, { type: 'reshape', shape: [4, 5] }, { type: 'dense', units: 'out' }], decoder: [{ type: 'dense', units: 'out' }] };
  await refuses(() => makeVae(parseVaeConfig(chain)), /^encoder layer 2 \(reshape\) on input \[B,16\]: reshape to \[4,5\] needs 20 values per example, input \[2,16\] has 16$/);
  const denseOnImages = { dataShape: grey, encoder: [{ type: 'dense', units: 'out' }], decoder: [{ type: 'dense', units: 'out' }] };
  await refuses(() => makeVae(parseVaeConfig(denseOnImages)), /^encoder layer 0 \(dense\) on input \[B,1,28,28\]: dense needs input \[B, features\].*add a flatten layer/);
  const convOnFlat = { dataShape: grey, encoder: [{ type: 'flatten' }, { type: 'dense', units: 'out' }], decoder: [{ type: 'dense', units: 64 }, { type: 'conv2d', filters: 'out', kernel: 3 }] };
  await refuses(() => makeVae(parseVaeConfig(convOnFlat)), /^decoder layer 1 \(conv2d\) on input \[B,64\]: conv2d needs images \[B, C, H, W\].*add a reshape layer/);
  const wrongOut = { dataShape: grey, encoder: [{ type: 'flatten' }, { type: 'dense', units: 'out' }], decoder: [{ type: 'dense', units: 100 }] };
  await refuses(() => makeVae(parseVaeConfig(wrongOut)), /^decoder: output \[100\] has 100 values per example; the bernoulli likelihood of data \[1,28,28\] needs 784$/);
  // and the trainer refuses it at create, before compiling anything
  const train = arrayDataset('zeros', new Float32Array(4 * 784), grey);
  await refuses(() => Trainer.create(engine, parseVaeConfig(chain), parseTrainConfig({}), { train }), /encoder layer 2 \(reshape\)/);
});

test('an unknown layer type: the list, the index, the type and the known types', async () => {
  const cfg = { dataShape: grey, encoder: [{ type: 'flatten' }, { type: 'dropout', p: 0.5 }, { type: 'dense', units: 'out' }], decoder: [{ type: 'dense', units: 'out' }] };
  await refuses(() => parseVaeConfig(cfg), /encoder layer 1: unknown type "dropout"; layer types are dense, conv2d, .*layerNorm/);
  await refuses(() => parseVaeConfig({ ...cfg, encoder: [{ units: 3 }] }), /encoder layer 0: unknown type undefined/);
});

test('an architecture that does not fit the data shape', async () => {
  await refuses(() => parseVaeConfig({ dataShape: [1, 30, 30], arch: 'conv' }), /architecture "conv" needs images \[C, H, W\] with H and W divisible by 4, the data has \[1, 30, 30\]/);
  await refuses(() => parseVaeConfig({ dataShape: grey, arch: 'vanilla64' }), /architecture "vanilla64" needs images \[C, 64, 64\], the data has \[1, 28, 28\]; use --arch mlp or an --arch-file/);
  await refuses(() => modelConfigFromFlags({ arch: 'conv' }, { ...facts, shape: [1, 30, 30] }), /architecture "conv" needs/);
  await refuses(() => parseVaeConfig({ dataShape: grey, arch: 'resnet' }), /unknown architecture "resnet"/);
  // a model for 28×28 on 30×30 data: the trainer names both shapes
  const train = arrayDataset('thirty', new Float32Array(2 * 900), [1, 30, 30]);
  await refuses(() => Trainer.create(engine, parseVaeConfig({ dataShape: grey }), parseTrainConfig({}), { train }), /dataset thirty has examples of shape \[1,30,30\] but the model expects \[1,28,28\]/);
});

test('conditional: --conditional on unlabelled data, a conditional model trained or used without labels', async () => {
  await refuses(() => modelConfigFromFlags({ conditional: true }, { ...facts, classes: 0 }), /--conditional needs labelled data with at least 2 classes/);
  const cfg = parseVaeConfig({ dataShape: grey, hidden: [8], latentDim: 2, classes: 10 });
  const unlabelled = arrayDataset('unlabelled', new Float32Array(4 * 784), grey);
  await refuses(() => Trainer.create(engine, cfg, parseTrainConfig({}), { train: unlabelled }), /dataset unlabelled has no labels, which a conditional model \(10 classes\) needs/);
  const bad = arrayDataset('eleven', new Float32Array(2 * 784), grey, { labels: Int32Array.of(3, 11) });
  await refuses(() => Trainer.create(engine, cfg, parseTrainConfig({}), { train: bad }), /dataset eleven: example 1 has label 11, outside the model's 10 classes/);
  const model = new VaeModel(engine, cfg, initVaeParams(cfg, new Prng(1)));
  await refuses(() => model.sample(2, new Prng(1)), /this is a conditional model \(10 classes\): give a label \(e\.g\. --label 3\)/);
  await refuses(() => model.encode(new Float32Array(784)), /conditional model/);
  await refuses(() => model.sample(2, new Prng(1), { labels: 10 }), /label 10 is not a class of this model \(0 … 9\)/);
});

test('K < 1 and IWAE with capacity or free bits', async () => {
  await refuses(() => parseVaeConfig({ objective: { type: 'iwae', k: 0 } }), /objective\.k: Too small: expected number to be >=1/);
  await refuses(() => modelConfigFromFlags({ objective: 'iwae', k: 0 }, facts), /objective\.k/);
  await refuses(() => modelConfigFromFlags({ objective: 'iwae', k: 5, freeBits: 0.5 }, facts), /objective "iwae" cannot be combined with capacity control or free bits/);
});

test('--arch-file: bad JSON, missing encoder, not a file', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vaekit-arch-'));
  try {
    const file = (name: string, text: string) => (writeFileSync(path.join(dir, name), text), path.join(dir, name));
    await refuses(() => modelConfigFromFlags({ archFile: file('bad.json', '{"encoder": [') }, facts), /bad\.json: cannot read an architecture \(.*JSON/);
    await refuses(() => modelConfigFromFlags({ archFile: file('half.json', '{"decoder": [{"type": "dense", "units": "out"}]}') }, facts), /half\.json: expected \{"encoder": \[layers…\], "decoder": \[layers…\]\}/);
    await refuses(() => modelConfigFromFlags({ archFile: dir }, facts), /not a regular file/);
    const unknown = file('unknown.json', JSON.stringify({ encoder: [{ type: 'flatten' }, { type: 'maxPool' }], decoder: [{ type: 'dense', units: 'out' }] }));
    await refuses(() => modelConfigFromFlags({ archFile: unknown }, facts), /model flags and .*unknown\.json: invalid: encoder layer 1: unknown type "maxPool"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
