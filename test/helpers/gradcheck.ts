import assert from 'node:assert/strict';
import type * as Ort from 'onnxruntime-common';
import { grad } from '../../src/autodiff/grad.js';
import { mul, sum } from '../../src/graph/ops/index.js';
import { toOnnx } from '../../src/graph/serialize.js';
import { Graph, type Tensor } from '../../src/graph/tensor.js';
import { Prng } from '../../src/random/prng.js';
import { nodeEngine } from '../../src/node.js';
import { toFloat64 } from './float64.js';

const ort = nodeEngine({ threads: 1 }).ort;

export interface GradCheckOptions {
  /** Values per input; default N(0,1) draws. */
  init?: (i: number, n: number, rng: Prng) => Float32Array;
  /** Relative tolerance; default 1e-6 when the check runs in float64, 2e-2 in float32. */
  tol?: number;
  /** Serialize with the CPU lowerings of graph/lowerings.ts (default true) or as plain ONNX ops. */
  lower?: boolean;
  /** Fail unless ONNX Runtime runs the graph in float64 (default: float64 where it can, else float32). */
  require64?: boolean;
  /** Largest fraction of coordinates that may be skipped as sitting on a kink (default 0.1). */
  maxSkipped?: number;
}

/** How a check ran: in which precision, how many coordinates were compared and how many skipped at kinks. */
export interface GradCheckReport {
  precision: 'float64' | 'float32';
  checked: number;
  skipped: number;
}

// ∛ε: the step that balances the central difference's truncation error (∝ h²) against rounding (∝ ε/h).
const STEP = { float64: Math.cbrt(2.2e-16), float32: Math.cbrt(1.2e-7) };
const TOL = { float64: 1e-6, float32: 2e-2 };
// One-sided slopes closer than this (relative) count as smooth: curvature·h stays far below it at the steps
// used, while a ReLU-like kink changes the slope by O(1).
const KINK = { float64: 1e-3, float32: 0.1 };

async function session(bytes: Uint8Array): Promise<Ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
}

/**
 * Checks the graph gradient of L = Σ f(x…) · r (r a fixed random cotangent) against central finite
 * differences of L, element by element. The graph runs in float64 where ONNX Runtime has double kernels for
 * every op it uses (falling back to float32), so the reference is accurate to ~1e-9 and the tolerance tight.
 * The step is ∛ε times the coordinate's scale (max of |x_j| and the input's RMS). A coordinate whose
 * one-sided differences disagree (a kink such as ReLU's inside [x−h, x+h]) is retried with h/4 and h/16;
 * if it is still non-smooth it is skipped, and at most `maxSkipped` of all coordinates may be.
 */
export async function gradCheck(shapes: number[][], f: (...xs: Tensor[]) => Tensor, opts: GradCheckOptions = {}): Promise<GradCheckReport> {
  const rng = new Prng(7);
  const g = new Graph();
  const xs = shapes.map((s, i) => g.input(`x${i}`, s));
  const y = f(...xs);
  const r = g.input('r', y.shape);
  const loss = sum(mul(y, r));
  const grads = grad(loss, xs);
  const outs: Record<string, Tensor> = { loss };
  grads.forEach((t, i) => (outs[`g${i}`] = t));
  const bytes = toOnnx(g, outs, { lower: opts.lower ?? true });
  let precision: GradCheckReport['precision'] = 'float64';
  let sess: Ort.InferenceSession;
  try {
    sess = await session(toFloat64(bytes));
  } catch (e) {
    if (opts.require64) throw e;
    precision = 'float32';
    sess = await session(bytes);
  }
  const Arr = precision === 'float64' ? Float64Array : Float32Array;
  const type = precision === 'float64' ? 'float64' : 'float32';
  const vals = xs.map((x, i) => Arr.from(opts.init?.(i, x.size, rng) ?? rng.normals(new Float32Array(x.size))));
  const rv = Arr.from(rng.normals(new Float32Array(y.size)));
  const run = async () => {
    const feeds: Record<string, Ort.Tensor> = { r: new ort.Tensor(type, rv, [...r.shape]) };
    vals.forEach((v, i) => (feeds[`x${i}`] = new ort.Tensor(type, v, [...xs[i].shape])));
    return sess.run(feeds);
  };
  const lossAt = async () => Number((await run()).loss.data[0]);
  const base = await run();
  const l0 = Number(base.loss.data[0]);
  const tol = opts.tol ?? TOL[precision];
  let checked = 0;
  let skipped = 0;
  for (let i = 0; i < xs.length; i++) {
    const an = base[`g${i}`].data as Float32Array | Float64Array;
    let ss = 0;
    for (const v of vals[i]) ss += v * v;
    const rms = Math.sqrt(ss / Math.max(1, vals[i].length));
    for (let j = 0; j < vals[i].length; j++) {
      const x = vals[i][j];
      let h = STEP[precision] * Math.max(Math.abs(x), rms, 1e-3);
      let verdict: 'pass' | 'kink' = 'kink';
      for (let attempt = 0; attempt < 3 && verdict === 'kink'; attempt++, h /= 4) {
        // the steps actually taken, after rounding x ± h to the array's precision
        vals[i][j] = x + h;
        const xp = vals[i][j];
        const lp = await lossAt();
        vals[i][j] = x - h;
        const xm = vals[i][j];
        const lm = await lossAt();
        vals[i][j] = x;
        const fd = (lp - lm) / (xp - xm);
        const scale = Math.max(1, Math.abs(fd), Math.abs(an[j]));
        if (Math.abs(fd - an[j]) <= tol * scale) verdict = 'pass';
        else {
          const right = (lp - l0) / (xp - x);
          const left = (l0 - lm) / (x - xm);
          // smooth: one-sided slopes agree up to curvature·h, so the mismatch is the gradient's fault
          const smooth = Math.abs(right - left) <= KINK[precision] * Math.max(1, Math.abs(right), Math.abs(left));
          assert.ok(!smooth, `input ${i} [${shapes[i]}] element ${j} (${precision}): analytic ${an[j]} vs finite difference ${fd} (step ${h.toExponential(2)})`);
        }
      }
      if (verdict === 'pass') checked++;
      else skipped++;
    }
  }
  const total = checked + skipped;
  assert.ok(skipped <= (opts.maxSkipped ?? 0.1) * total, `${skipped} of ${total} coordinates sit on kinks at every step tried`);
  // GRADCHECK_VERBOSE=1 prints how each check ran
  if (process.env.GRADCHECK_VERBOSE) console.log(`gradcheck ${precision}: ${checked} checked, ${skipped} skipped`);
  return { precision, checked, skipped };
}
