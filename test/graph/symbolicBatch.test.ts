// A graph traced at static shapes is written with a symbolic batch dim, and ONNX Runtime runs the one file
// at any batch size with the values of graphs traced at that size (the independent truth: static tracing).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { ModelProto } from '../../src/graph/onnxSchema.js';
import { concat, constant, expand, gemm, mul, relu, reshape, slice, sum } from '../../src/graph/ops/index.js';
import { toOnnx } from '../../src/graph/serialize.js';
import { symbolicBatch } from '../../src/graph/symbolicBatch.js';
import { Graph } from '../../src/graph/tensor.js';
import { nodeEngine } from '../../src/node.js';
import { Prng } from '../../src/random/prng.js';

const rng = new Prng(11);
const W = rng.normals(new Float32Array(5 * 12));

// x [B,12] → Gemm → [B,5]; a Reshape through [B,3,4], a Slice of the whole batch, an Expand of a per-row column
function build(b: number) {
  const g = new Graph();
  const x = g.input('x', [b, 12]);
  const w = g.input('w', [5, 12]);
  const h = relu(gemm(x, w, undefined, { transB: true }));
  const img = reshape(x, [b, 3, 4]);
  const rows = sum(slice(img, [0, 1], [b, 3], [0, 1]), [1, 2]); // [B]
  const col = reshape(rows, [b, 1]);
  const wide = mul(expand(col, [b, 5]), h);
  return { graph: g, outputs: { h, wide, flat: reshape(img, [b, 12]) } };
}

test('one exported file runs at batch 1, 4 and 37 with the values of graphs traced at those sizes', async () => {
  const { graph, outputs, symbolic } = symbolicBatch(build);
  const bytes = toOnnx(graph, outputs, { lower: false, symbolic, initializers: { w: W } });
  const m = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number }) as any;
  assert.deepEqual(m.graph.input.map((i: any) => i.name), ['x']);
  assert.deepEqual(m.graph.input[0].type.tensorType.shape.dim, [{ dimParam: 'batch' }, { dimValue: 12 }]);
  assert.deepEqual(m.graph.output[1].type.tensorType.shape.dim, [{ dimParam: 'batch' }, { dimValue: 5 }]);
  const session = await ort.InferenceSession.create(bytes);
  const engine = nodeEngine({ threads: 1 });
  for (const b of [1, 4, 37]) {
    const x = rng.normals(new Float32Array(b * 12));
    const got = await session.run({ x: new ort.Tensor('float32', x, [b, 12]) });
    const t = build(b);
    const want = await (await engine.compile(t.graph, t.outputs)).run({ x, w: W });
    for (const k of ['h', 'wide', 'flat']) {
      assert.deepEqual(got[k].dims, [b, k === 'h' || k === 'wide' ? 5 : 12], `${k} at batch ${b}`);
      const a = got[k].data as Float32Array;
      const e = want[k] as Float32Array;
      for (let i = 0; i < e.length; i++) assert.ok(Math.abs(a[i] - e[i]) <= 1e-5 * (1 + Math.abs(e[i])), `${k}[${i}] at batch ${b}: ${a[i]} vs ${e[i]}`);
    }
  }
});

test('graphs that are not batch-agnostic are refused, naming the op', () => {
  // a constant sized by the batch
  assert.throws(
    () => symbolicBatch((b) => { const g = new Graph(); const x = g.input('x', [b, 2]); return { graph: g, outputs: { y: mul(x, constant(g, new Float32Array(b * 2), [b, 2])) } }; }),
    /Constant node .*depends on the batch size/,
  );
  // concatenating along the batch gives 2·B
  assert.throws(
    () => { const r = symbolicBatch((b) => { const g = new Graph(); const x = g.input('x', [b, 2]); return { graph: g, outputs: { y: concat([x, x], 0) } }; }); r.symbolic.dims(r.outputs.y); },
    /dim 0 = 4 at batch 2 and 6 at batch 3, not the batch/,
  );
  // a Slice that keeps part of the batch
  assert.throws(
    () => symbolicBatch((b) => { const g = new Graph(); const x = g.input('x', [b, 2]); return { graph: g, outputs: { y: slice(x, [0], [b - 1], [0]) } }; }),
    /Slice node .*slices part of the batch/,
  );
});
