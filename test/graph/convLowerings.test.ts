// The Gemm lowering of the convolution weight gradient (graph/convLowerings.ts) against its plain form, a dilated
// ONNX Runtime Conv (toOnnx with lower: false), with the forward and the other gradients alongside.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toOnnx } from '../../src/graph/serialize.js';
import { nodeEngine } from '../../src/node.js';
import { assertOutputsClose, convCaseGraph, type ConvCase } from '../helpers/convCase.js';

const engine = nodeEngine({ threads: 1 });

// The weight gradient's Gemm lowering applies when the im2col source has ≥ 8 channels: x for Conv, the output
// cotangent (O channels) for ConvTranspose; every case has them, and the settings differ between H and W.
const cases: ConvCase[] = [
  { name: 'conv 3x2, stride (2,3), pads (1,0,2,1)', x: [3, 8, 9, 8], w: [5, 8, 3, 2], transposed: false, opts: { stride: [2, 3], pad: [1, 0, 2, 1] } },
  { name: 'conv 1x4, stride (3,1), pads (0,2,0,1)', x: [2, 9, 7, 5], w: [2, 9, 1, 4], transposed: false, opts: { stride: [3, 1], pad: [0, 2, 0, 1] } },
  { name: 'conv the VAE encoder layer (3x3, s2, p1)', x: [4, 8, 14, 14], w: [16, 8, 3, 3], transposed: false, opts: { stride: 2, pad: 1 } },
  { name: 'convT 3x2, stride (2,3), pads (1,0,0,1), output padding (1,2)', x: [3, 4, 5, 4], w: [4, 8, 3, 2], transposed: true, opts: { stride: [2, 3], pad: [1, 0, 0, 1], outputPadding: [1, 2] } },
  { name: 'convT 4x3, stride (3,2), pads (2,0,0,1), output padding (0,1)', x: [2, 3, 4, 3], w: [3, 9, 4, 3], transposed: true, opts: { stride: [3, 2], pad: [2, 0, 0, 1], outputPadding: [0, 1] } },
  { name: 'convT kernel 1x1 narrower than stride (2,3)', x: [2, 3, 4, 3], w: [3, 8, 1, 1], transposed: true, opts: { stride: [2, 3], outputPadding: [1, 2] } },
  { name: 'convT the VAE decoder layer (3x3, s2, p1, op1)', x: [4, 16, 7, 7], w: [16, 8, 3, 3], transposed: true, opts: { stride: 2, pad: 1, outputPadding: 1 } },
];

for (const c of cases) {
  test(`lowered equals plain ONNX: ${c.name}, forward and gradients`, async () => {
    const { g, outs, feeds } = convCaseGraph(c, 11);
    const run = async (lower: boolean) => (await engine.compileBytes(toOnnx(g, outs, { lower }), g, outs, c.name)).run(feeds);
    const plainBytes = new TextDecoder('latin1').decode(toOnnx(g, outs, { lower: false }));
    const loweredBytes = new TextDecoder('latin1').decode(toOnnx(g, outs));
    assert.ok(plainBytes.includes('dilations') && !plainBytes.includes('Gather'), 'the plain weight gradient is a dilated Conv');
    assert.ok(loweredBytes.includes('Gather') && loweredBytes.includes('Gemm'), 'the lowered weight gradient is a Gather and a Gemm');
    const [ref, got] = [await run(false), await run(true)];
    assertOutputsClose(ref, got, Object.keys(outs), 'lowered');
  });
}
