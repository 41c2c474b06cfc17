// vaekit/web in Node: the onnxruntime-web engine runs a model loaded from File objects, at batch 1 and at an
// odd batch, with the values of the library's VaeModel on onnxruntime-node; bad files give errors naming them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeModel, modelFile } from '../../src/io/modelFiles.js';
import { initVaeParams } from '../../src/models/vae.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { nodeEngine } from '../../src/node.js';
import { Prng } from '../../src/random/prng.js';
import { loadModelFromFiles, loadModelFromUrl } from '../../src/web/modelSource.js';
import { webEngine } from '../../src/web/webEngine.js';
import { WebModel } from '../../src/web/webModel.js';

const cfg = parseVaeConfig({ hidden: [32], latentDim: 3 });
const params = initVaeParams(cfg, new Prng(8));
const files = (c = cfg) => {
  const { configJson, weights } = encodeModel({ meta: modelFile(c, null, null, null), params: initVaeParams(c, new Prng(8)) });
  return [new File([configJson], 'config.json'), new File([weights as Uint8Array<ArrayBuffer>], 'weights.safetensors')];
};

test('WebModel on onnxruntime-web (wasm) decodes and encodes like VaeModel on onnxruntime-node', async () => {
  const { engine, backend } = await webEngine({ backend: 'wasm', threads: 1 });
  assert.equal(backend, 'wasm');
  const web = new WebModel(engine, await loadModelFromFiles([new File(['x'], 'notes.txt'), ...files()]));
  const ref = new VaeModel(nodeEngine({ threads: 1 }), cfg, params);
  for (const n of [1, 3]) {
    const z = new Prng(n).normals(new Float32Array(n * 3));
    const [a, b] = [await web.decode(z), await ref.decode(z)];
    assert.equal(a.length, n * 784);
    for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-5, `decode @${n} [${i}]: ${a[i]} vs ${b[i]}`);
    const [ea, eb] = [await web.encode(a), await ref.encode(b)];
    for (let i = 0; i < eb.mu.length; i++) assert.ok(Math.abs(ea.mu[i] - eb.mu[i]) < 1e-4 && Math.abs(ea.logvar[i] - eb.logvar[i]) < 1e-4, `encode @${n} [${i}]`);
  }
  await web.release();
});

test('model files that are missing or do not belong together are named in the error', async () => {
  await assert.rejects(loadModelFromFiles([files()[0]]), /no weights\.safetensors among the files given \(config\.json\)/);
  const [, w] = files();
  const [c3] = files(parseVaeConfig({ hidden: [32], latentDim: 5 }));
  await assert.rejects(loadModelFromFiles([c3, w]), /weights\.safetensors: tensor "enc\.1\.weight" is F32\[6,32\] but config\.json requires F32\[10,32\]/);
  await assert.rejects(loadModelFromFiles([new File(['{'], 'config.json'), w]), /config\.json: not valid JSON/);
  const huge = { name: 'weights.safetensors', size: 2 ** 31, text: async () => '', arrayBuffer: async () => { throw new Error('must not be read'); } };
  await assert.rejects(loadModelFromFiles([files()[0], huge]), /weights\.safetensors: 2147483648 bytes is more than a page loads \(1073741824\)/);
  const fetch404 = (async (url: string) => new Response('', { status: url.endsWith('.json') ? 200 : 404, statusText: 'Not Found' })) as unknown as typeof fetch;
  await assert.rejects(loadModelFromUrl('http://h/m', fetch404), /http:\/\/h\/m\/weights\.safetensors: HTTP 404 Not Found/);
});

test('a conditional WebModel decodes and encodes under its label like VaeModel, and says when no label is set', async () => {
  const c = parseVaeConfig({ hidden: [16], latentDim: 2, classes: 4 });
  const { engine } = await webEngine({ backend: 'wasm', threads: 1 });
  const web = new WebModel(engine, await loadModelFromFiles(files(c)));
  const ref = new VaeModel(nodeEngine({ threads: 1 }), c, initVaeParams(c, new Prng(8)));
  const z = new Prng(2).normals(new Float32Array(2 * 2));
  await assert.rejects(web.decode(z), /conditional model \(4 classes\): pick a label/);
  const byLabel: Float32Array[] = [];
  for (const label of [0, 3]) {
    web.label = label;
    const [a, b] = [await web.decode(z), await ref.decode(z, { labels: label })];
    for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-5, `label ${label} decode [${i}]: ${a[i]} vs ${b[i]}`);
    const [ea, eb] = [await web.encode(a), await ref.encode(b, { labels: label })];
    for (let i = 0; i < eb.mu.length; i++) assert.ok(Math.abs(ea.mu[i] - eb.mu[i]) < 1e-4, `label ${label} encode [${i}]`);
    byLabel.push(a);
  }
  assert.ok(byLabel[0].some((v, i) => Math.abs(v - byLabel[1][i]) > 1e-3), 'the label changes the decoded image');
  await web.release();
});
