// One convolution test case as a graph (the conv or conv-transpose, its gradients) with random feeds, and the
// comparison of two runs of it: shared by the tests of the conv lowerings (Gemm weight gradient, NCHWc).
import assert from 'node:assert/strict';
import { grad } from '../../src/autodiff/grad.js';
import { conv2d, convTranspose2d, type ConvTranspose2dOptions } from '../../src/graph/ops/index.js';
import { Graph, type Tensor } from '../../src/graph/tensor.js';
import { Prng } from '../../src/random/prng.js';

export interface ConvCase {
  name: string;
  /** input [B, C, H, W] */
  x: number[];
  /** weight: [O, C, kh, kw], or [C, O, kh, kw] when transposed */
  w: number[];
  transposed: boolean;
  opts: ConvTranspose2dOptions & { dilation?: [number, number] };
}

/**
 * The case's y = conv(x, w, b) and its gradients g0..g2 (x, w, b) for an upstream gy, as graph outputs, with
 * standard-normal feeds. Dilated convolutions have no VJP in vaekit: their forward alone.
 * @example const { g, outs, feeds } = convCaseGraph(c, 5);
 */
export function convCaseGraph(c: ConvCase, seed: number): { g: Graph; outs: Record<string, Tensor>; feeds: Record<string, Float32Array> } {
  const rng = new Prng(seed);
  const g = new Graph();
  const x = g.input('x', c.x);
  const w = g.input('w', c.w);
  const b = g.input('b', [c.w[c.transposed ? 1 : 0]]);
  const y = c.transposed ? convTranspose2d(x, w, b, c.opts) : conv2d(x, w, b, c.opts);
  const gy = g.input('gy', y.shape);
  const outs: Record<string, Tensor> = { y };
  if (!c.opts.dilation) grad(y, [x, w, b], gy).forEach((t, i) => (outs[`g${i}`] = t));
  const feeds = { x: rng.normals(new Float32Array(x.size)), w: rng.normals(new Float32Array(w.size)), b: rng.normals(new Float32Array(b.size)), gy: rng.normals(new Float32Array(gy.size)) };
  return { g, outs, feeds };
}

/** Asserts each output of `got` equals ONNX Runtime's plain `ref` to 1e-5 of that output's largest magnitude (at least 1). */
export function assertOutputsClose(ref: Record<string, unknown>, got: Record<string, unknown>, keys: string[], label: string): void {
  for (const k of keys) {
    const a = ref[k] as Float32Array;
    const v = got[k] as Float32Array;
    assert.equal(v.length, a.length);
    let scale = 0;
    for (const t of a) scale = Math.max(scale, Math.abs(t));
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - v[i]) <= 1e-5 * Math.max(1, scale), `${k}[${i}]: ONNX Runtime ${a[i]} vs ${label} ${v[i]}`);
  }
}
