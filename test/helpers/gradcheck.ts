import assert from 'node:assert/strict';
import { grad } from '../../src/autodiff/grad.js';
import { mul, sum } from '../../src/graph/ops/index.js';
import { Graph, type Tensor } from '../../src/graph/tensor.js';
import { Prng } from '../../src/random/prng.js';
import { nodeEngine } from '../../src/node.js';

const engine = nodeEngine({ threads: 1 });

export interface GradCheckOptions {
  /** Values per input; default N(0,1) draws. */
  init?: (i: number, n: number, rng: Prng) => Float32Array;
  h?: number;
  tol?: number;
}

/**
 * Checks the graph gradient of L = Σ f(x…) · r (r a fixed random cotangent) against central finite
 * differences of L, element by element, evaluated by ONNX Runtime in float32.
 */
export async function gradCheck(shapes: number[][], f: (...xs: Tensor[]) => Tensor, opts: GradCheckOptions = {}): Promise<void> {
  const rng = new Prng(7);
  const g = new Graph();
  const xs = shapes.map((s, i) => g.input(`x${i}`, s));
  const y = f(...xs);
  const r = g.input('r', y.shape);
  const loss = sum(mul(y, r));
  const grads = grad(loss, xs);
  const outs: Record<string, Tensor> = { loss };
  grads.forEach((t, i) => (outs[`g${i}`] = t));
  const fn = await engine.compile(g, outs, 'gradcheck');
  const vals = xs.map((x, i) => opts.init?.(i, x.size, rng) ?? rng.normals(new Float32Array(x.size)));
  const rv = rng.normals(new Float32Array(y.size));
  const feeds = () => Object.fromEntries([...vals.map((v, i) => [`x${i}`, v]), ['r', rv]]);
  const base = await fn.run(feeds());
  const h = opts.h ?? 1e-2;
  const tol = opts.tol ?? 2e-2;
  for (let i = 0; i < xs.length; i++) {
    const an = base[`g${i}`] as Float32Array;
    for (let j = 0; j < vals[i].length; j++) {
      const keep = vals[i][j];
      vals[i][j] = keep + h;
      const lp = ((await fn.run(feeds())).loss as Float32Array)[0];
      vals[i][j] = keep - h;
      const lm = ((await fn.run(feeds())).loss as Float32Array)[0];
      vals[i][j] = keep;
      const fd = (lp - lm) / (2 * h);
      const err = Math.abs(fd - an[j]) / Math.max(1, Math.abs(fd), Math.abs(an[j]));
      assert.ok(err < tol, `input ${i} [${shapes[i]}] element ${j}: analytic ${an[j]} vs finite difference ${fd}`);
    }
  }
}
