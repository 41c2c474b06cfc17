import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ModelProto } from '../../src/graph/onnxSchema.js';
import { add, conv2d, gemm, logsumexp, relu, reshape, slice, softplus, sum } from '../../src/graph/ops/index.js';
import { OPSET, toOnnx } from '../../src/graph/serialize.js';
import { Graph } from '../../src/graph/tensor.js';
import { nodeEngine } from '../../src/node.js';
import { tempDir } from '../helpers/tempDir.js';

function build() {
  const g = new Graph();
  const x = g.input('x', [4, 6]);
  const w = g.input('w', [3, 6]);
  const b = g.input('b', [3]);
  const h = softplus(gemm(x, w, b, { transB: true }));
  const img = reshape(x, [1, 1, 4, 6]);
  const c = conv2d(img, reshape(slice(w, [0], [1]), [1, 1, 2, 3]), undefined, { stride: 1, pad: 1 });
  return { g, out: { y: logsumexp(h, 1), s: add(sum(relu(c)), 0), h } };
}

test('the same model always gives the same bytes', () => {
  const a = build();
  const b = build();
  assert.deepEqual(Buffer.from(toOnnx(a.g, a.out)), Buffer.from(toOnnx(b.g, b.out)));
});

test('ModelProto decodes with opset 17, typed inputs and outputs', () => {
  const { g, out } = build();
  const m = ModelProto.toObject(ModelProto.decode(toOnnx(g, out)), { longs: Number }) as any;
  assert.equal(m.opsetImport[0].version, OPSET);
  assert.ok(OPSET >= 17);
  assert.deepEqual(m.graph.input.map((i: any) => i.name), ['x', 'w', 'b']);
  assert.deepEqual(m.graph.output.map((o: any) => o.name), ['y', 's', 'h']);
  assert.deepEqual(m.graph.input[0].type.tensorType.shape.dim.map((d: any) => d.dimValue), [4, 6]);
  assert.ok(m.graph.node.some((n: any) => n.opType === 'Conv'));
});

test('round trip through ONNX Runtime matches a JS computation', async () => {
  const { g, out } = build();
  const f = await nodeEngine({ threads: 1 }).compile(g, out);
  const x = Float32Array.from({ length: 24 }, (_, i) => Math.sin(i));
  const w = Float32Array.from({ length: 18 }, (_, i) => Math.cos(i) / 2);
  const b = new Float32Array([0.1, -0.2, 0.3]);
  const r = await f.run({ x, w, b });
  for (let n = 0; n < 4; n++) {
    const hs = [0, 1, 2].map((j) => {
      let a = b[j];
      for (let i = 0; i < 6; i++) a += x[n * 6 + i] * w[j * 6 + i];
      return Math.log1p(Math.exp(a));
    });
    assert.ok(Math.abs((r.h as Float32Array)[n * 3] - hs[0]) < 1e-5);
    const lse = Math.log(hs.reduce((s, v) => s + Math.exp(v), 0));
    assert.ok(Math.abs((r.y as Float32Array)[n] - lse) < 1e-5, `row ${n}: ${(r.y as Float32Array)[n]} vs ${lse}`);
  }
});

test('the onnx checker accepts the model (when python3-onnx is installed)', (t) => {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import onnx'], { encoding: 'utf8' });
  if (probe.status !== 0) return t.skip('python3-onnx not installed');
  const { g, out } = build();
  const file = path.join(tempDir('vaekit-onnx-'), 'm.onnx');
  writeFileSync(file, toOnnx(g, out));
  const r = spawnSync('/usr/bin/python3', ['-c', 'import onnx,sys; m=onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); print(len(m.graph.node))', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
