// Exported encoder.onnx / decoder.onnx: the ONNX checker accepts them (full check, with shape inference),
// and onnxruntime-node runs them at batch 1 and 37 with the outputs of the library's VaeModel.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { ModelProto } from '../../src/graph/onnxSchema.js';
import { CONFIG_METADATA_KEY, exportOnnx } from '../../src/io/exportOnnx.js';
import { modelFile } from '../../src/io/modelFiles.js';
import { initVaeParams } from '../../src/models/vae.js';
import { parseVaeConfig, type VaeConfig } from '../../src/models/vaeConfig.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { nodeEngine } from '../../src/node.js';
import { Prng } from '../../src/random/prng.js';

const engine = nodeEngine({ threads: 1 });
const CONFIGS: Record<string, VaeConfig> = {
  bernoulli: parseVaeConfig({ hidden: [48, 32], latentDim: 3 }),
  gaussianLearned: parseVaeConfig({ hidden: [40], latentDim: 2, activation: 'softplus', likelihood: { type: 'gaussian', sigma: 'learned-per-dim' } }),
  gaussianFixed: parseVaeConfig({ imageShape: [6, 5], hidden: [16], latentDim: 4, activation: 'tanh', likelihood: { type: 'gaussian', sigma: 0.3 } }),
};

function model(cfg: VaeConfig, seed: number) {
  const params = initVaeParams(cfg, new Prng(seed));
  if (params['lik.logvar']) params['lik.logvar'].forEach((_, i, a) => (a[i] = -1 + 0.01 * i));
  return { meta: modelFile(cfg, null, null, { note: 'test' }), params };
}

const close = (a: Float32Array, b: Float32Array, what: string) => {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-5 * (1 + Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

test('exported files run in onnxruntime-node at batch 1 and 37 with VaeModel outputs', async () => {
  for (const [name, cfg] of Object.entries(CONFIGS)) {
    const m = model(cfg, 3);
    const { encoder, decoder } = exportOnnx(m);
    const [enc, dec] = await Promise.all([encoder, decoder].map((b) => ort.InferenceSession.create(b)));
    assert.deepEqual([enc.inputNames, enc.outputNames], [['x'], ['mu', 'logvar']], name);
    assert.deepEqual(dec.inputNames, ['z'], name);
    assert.deepEqual(dec.outputNames, ['mean', cfg.likelihood.type === 'bernoulli' ? 'logits' : 'logvar'], name);
    const vae = new VaeModel(engine, cfg, m.params);
    const D = vae.dataDim;
    const L = cfg.latentDim;
    for (const b of [1, 37]) {
      const x = new Prng(b).uniforms(new Float32Array(b * D));
      const e = await enc.run({ x: new ort.Tensor('float32', x, [b, D]) });
      const want = await vae.encode(x);
      assert.deepEqual(e.mu.dims, [b, L]);
      close(e.mu.data as Float32Array, want.mu, `${name} mu @${b}`);
      close(e.logvar.data as Float32Array, want.logvar, `${name} logvar @${b}`);
      const d = await dec.run({ z: new ort.Tensor('float32', want.mu, [b, L]) });
      assert.deepEqual(d.mean.dims, [b, D]);
      close(d.mean.data as Float32Array, await vae.decode(want.mu), `${name} mean @${b}`);
      if (cfg.likelihood.type === 'bernoulli') {
        const logits = d.logits.data as Float32Array;
        close(Float32Array.from(logits, (v) => 1 / (1 + Math.exp(-v))), d.mean.data as Float32Array, `${name} σ(logits) @${b}`);
      }
    }
    if (name === 'gaussianLearned') close(Float32Array.from((await dec.run({ z: new ort.Tensor('float32', new Float32Array(L), [1, L]) })).logvar.data as Float32Array), m.params['lik.logvar'], 'learned logvar');
    if (name === 'gaussianFixed') close((await dec.run({ z: new ort.Tensor('float32', new Float32Array(L), [1, L]) })).logvar.data as Float32Array, new Float32Array([2 * Math.log(0.3)]), 'fixed logvar');
  }
});

test('exports carry weights as initializers, a batch dim_param, config.json in metadata, no lowerings', () => {
  const cfg = parseVaeConfig({ hidden: [32], latentDim: 2, activation: 'softplus' });
  const m = model(cfg, 4);
  const { encoder, decoder } = exportOnnx(m);
  const enc = ModelProto.toObject(ModelProto.decode(encoder), { longs: Number }) as any;
  assert.deepEqual(enc.graph.input.map((i: any) => i.name), ['x']);
  assert.deepEqual(enc.graph.initializer.map((t: any) => t.name).filter((k: string) => !/^t\d/.test(k)).sort(), ['enc.0.bias', 'enc.0.weight', 'enc.1.bias', 'enc.1.weight']);
  assert.deepEqual(enc.graph.output[0].type.tensorType.shape.dim, [{ dimParam: 'batch' }, { dimValue: 2 }]);
  assert.ok(enc.graph.node.some((n: any) => n.opType === 'Softplus'), 'softplus written as the ONNX op, not its CPU lowering');
  const meta = Object.fromEntries(enc.metadataProps.map((p: any) => [p.key, p.value]));
  assert.deepEqual(JSON.parse(meta[CONFIG_METADATA_KEY]).model, cfg);
  assert.deepEqual(Buffer.from(exportOnnx(m).decoder), Buffer.from(decoder), 'deterministic bytes');
});

test('onnx.checker.check_model(full_check=True) accepts the exports (when python3-onnx is installed)', (t) => {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import onnx'], { encoding: 'utf8' });
  if (probe.status !== 0) return t.skip('python3-onnx is not installed: apt-get install python3-onnx');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vaekit-export-'));
  try {
    for (const [name, cfg] of Object.entries(CONFIGS)) {
      const { encoder, decoder } = exportOnnx(model(cfg, 5));
      const files = [path.join(dir, `${name}-enc.onnx`), path.join(dir, `${name}-dec.onnx`)];
      writeFileSync(files[0], encoder);
      writeFileSync(files[1], decoder);
      const py = 'import onnx,sys\nfor f in sys.argv[1:]:\n  m=onnx.load(f); onnx.checker.check_model(m, full_check=True)\n  assert m.graph.input[0].type.tensor_type.shape.dim[0].dim_param=="batch", f\nprint("ok")';
      const r = spawnSync('/usr/bin/python3', ['-c', py, ...files], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
