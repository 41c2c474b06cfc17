// Convolutions written as ONNX Runtime's NCHWc kernels (graph/nchwcLowerings.ts) against plain ONNX Conv /
// ConvTranspose (toOnnx with lower: false), forward and every gradient (the input gradient of a transposed
// convolution is a Conv, so it takes the NCHWc form too). Channel counts are set from the block size ORT reports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conv2d } from '../../src/graph/ops/index.js';
import { toOnnx } from '../../src/graph/serialize.js';
import { Graph } from '../../src/graph/tensor.js';
import { nodeEngine } from '../../src/node.js';
import { assertOutputsClose, convCaseGraph, type ConvCase } from '../helpers/convCase.js';

const engine = nodeEngine({ threads: 1 });
const bs = await engine.nchwcBlock();
const skip = bs === undefined ? 'this onnxruntime-node has no NCHWc kernels (com.microsoft.nchwc); nothing to compare' : false;
const k = bs ?? 8;

interface Case extends ConvCase {
  /** NCHWc Conv nodes expected in the lowered graph (forward and gradients together). */
  nchwcConvs: number;
}

// Settings differ between H and W so that a swapped axis shows; the convolutions have whole channel blocks, or
// channel counts the lowering declines. nchwcConvs counts the Conv ops written as NCHWc (forward, and the input
// gradient of a transposed convolution; ConvTranspose itself stays ORT's own).
const cases: Case[] = [
  { name: 'conv 3x2, stride (2,3), pads (1,0,2,1), C = block', x: [3, k, 9, 8], w: [2 * k, k, 3, 2], transposed: false, opts: { stride: [2, 3], pad: [1, 0, 2, 1] }, nchwcConvs: 1 },
  { name: 'conv 1x4, stride (3,1), pads (0,2,0,1), 2 input blocks', x: [2, 2 * k, 7, 5], w: [k, 2 * k, 1, 4], transposed: false, opts: { stride: [3, 1], pad: [0, 2, 0, 1] }, nchwcConvs: 1 },
  { name: 'conv from 3 channels (an RGB image: declined)', x: [2, 3, 7, 5], w: [k, 3, 3, 3], transposed: false, opts: { stride: 2, pad: 1 }, nchwcConvs: 0 },
  { name: 'conv 3x3 dilated (2,1), 2 input blocks', x: [2, 2 * k, 8, 7], w: [k, 2 * k, 3, 3], transposed: false, opts: { pad: [2, 1, 1, 0], dilation: [2, 1] }, nchwcConvs: 1 },
  { name: 'conv with 1.5 input blocks (declined: plain Conv)', x: [2, k + k / 2, 6, 6], w: [k, k + k / 2, 3, 3], transposed: false, opts: { stride: 2, pad: 1 }, nchwcConvs: 0 },
  { name: 'conv with output channels not a whole block (declined)', x: [2, k, 6, 6], w: [k + 4, k, 3, 3], transposed: false, opts: { stride: 2, pad: 1 }, nchwcConvs: 0 },
  // ConvTranspose x [N,C,H,W], w [C,O,kh,kw]: its input gradient is Conv(gy [N,O,…], w) with C output channels
  { name: 'convT 4x3, stride (3,2), pads (2,0,0,1), output padding (0,1)', x: [2, 2 * k, 4, 3], w: [2 * k, k, 4, 3], transposed: true, opts: { stride: [3, 2], pad: [2, 0, 0, 1], outputPadding: [0, 1] }, nchwcConvs: 1 },
  { name: 'convT the VAE decoder layer (3x3, s2, p1, op1)', x: [4, 2 * k, 7, 7], w: [2 * k, k, 3, 3], transposed: true, opts: { stride: 2, pad: 1, outputPadding: 1 }, nchwcConvs: 1 },
  { name: 'convT to 1 channel (the VAE output layer): its input gradient is a Conv from 1 channel (declined)', x: [2, k, 6, 5], w: [k, 1, 3, 3], transposed: true, opts: { pad: 1 }, nchwcConvs: 0 },
  { name: 'convT 3x2 stride (1,2) to 2 blocks from 3 blocks', x: [2, 3 * k, 5, 4], w: [3 * k, 2 * k, 3, 2], transposed: true, opts: { stride: [1, 2], pad: [1, 0, 1, 1], outputPadding: [0, 1] }, nchwcConvs: 1 },
];

for (const c of cases) {
  test(`NCHWc equals plain ONNX: ${c.name}, forward and gradients`, { skip }, async () => {
    const { g, outs, feeds } = convCaseGraph(c, 5);
    const bytes = toOnnx(g, outs, { nchwcBlock: bs });
    const text = new TextDecoder('latin1').decode(bytes);
    // every NCHWc Conv ends in one ReorderOutput; with none, the model imports no NCHWc domain
    assert.equal(text.split('ReorderOutput').length - 1, c.nchwcConvs, 'NCHWc convolutions in the lowered graph');
    assert.equal(text.includes('com.microsoft.nchwc'), c.nchwcConvs > 0);
    const ref = await (await engine.compileBytes(toOnnx(g, outs, { lower: false }), g, outs, 'plain')).run(feeds);
    const got = await (await engine.compileBytes(bytes, g, outs, 'nchwc')).run(feeds);
    assertOutputsClose(ref, got, Object.keys(outs), 'NCHWc');
  });
}

test('the Node engine compiles convolutions to NCHWc ops; with nchwc: false (as in the browser) it writes none', { skip }, async () => {
  assert.ok(bs! >= 4 && bs! % 4 === 0, `block size ${bs}`);
  const g = new Graph();
  const y = conv2d(g.input('x', [1, k, 5, 5]), g.input('w', [k, k, 3, 3]));
  const written = async (e: typeof engine) => new TextDecoder('latin1').decode((await e.compile(g, { y })).bytes);
  assert.ok((await written(engine)).includes('ReorderOutput'));
  const off = nodeEngine({ threads: 1, nchwc: false });
  assert.equal(await off.nchwcBlock(), undefined);
  assert.ok(!(await written(off)).includes('com.microsoft.nchwc'));
});
