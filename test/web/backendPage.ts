// A page for test/web/webgpu.browser.test.ts: ?backend=wasm|webgpu runs the same seeded work on that
// onnxruntime-web backend and leaves the numbers in globalThis.backendResult: a 784-64-4 VAE's decode of
// 5 codes and encode of 5 images through WebModel (batch 1 each, as the explorer runs them), 8 Adam steps
// (one ORT call) of a 784-32-4 VAE at batch 8 on random binary images, and what running a raw
// 9-input Concat node gives (WebGPU binds one storage buffer per input plus the output; 8 are promised).
import { adam, Graph, initVaeParams, modelFile, parseVaeConfig, Prng, StepRunner, vaeLoss, vaeParamShapes, webEngine, WebModel, type Engine } from '../../src/web.js';

/** What the page leaves for the test. */
export interface BackendResult {
  backend: string;
  decoded: number[][];
  mu: number[][];
  logvar: number[][];
  losses: number[];
  /** The 9-input Concat's output, or its error message. */
  concat9: number[] | string;
  error?: string;
}

/** Nine [1] inputs into one Concat node, built by hand (the concat builder makes a tree of ≤ 7). */
async function concat9(engine: Engine): Promise<number[] | string> {
  const g = new Graph();
  const xs = Array.from({ length: 9 }, (_, i) => g.input(`x${i}`, [1]));
  const [y] = g.addNode('Concat', xs, { axis: { kind: 'int', v: 0 } }, [{ shape: [9], dtype: 'float32' }]);
  const f = await engine.compile(g, { y });
  try {
    const r = await f.run(Object.fromEntries(xs.map((_, i) => [`x${i}`, Float32Array.of(i + 1)])));
    return Array.from(r.y as Float32Array);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

async function run(): Promise<BackendResult> {
  const q = new URLSearchParams(location.search);
  const want = q.get('backend') === 'webgpu' ? 'webgpu' : 'wasm';
  const { engine, backend } = await webEngine({ backend: want, threads: 1, wasmPaths: new URL('./', location.href).href });
  const rng = new Prng(11);
  const small = parseVaeConfig({ hidden: [64], latentDim: 4 });
  const model = new WebModel(engine, { meta: modelFile(small, null, null, null), params: initVaeParams(small, new Prng(2)) });
  const out: BackendResult = { backend, decoded: [], mu: [], logvar: [], losses: [], concat9: [] };
  for (let i = 0; i < 5; i++) {
    out.decoded.push(Array.from(await model.decode(rng.normals(new Float32Array(4)))));
    const x = Float32Array.from({ length: 784 }, () => rng.uniform());
    const { mu, logvar } = await model.encode(x);
    out.mu.push(Array.from(mu));
    out.logvar.push(Array.from(logvar));
  }
  const cfg = parseVaeConfig({ hidden: [32], latentDim: 4 });
  const B = 8;
  const k = 8;
  const spec = { params: vaeParamShapes(cfg), data: { x: { shape: [B, 784] }, eps: { shape: [B, cfg.latentDim] } }, loss: vaeLoss(cfg), optimizer: adam({ lr: 1e-3 }) };
  const runner = await StepRunner.create(engine, spec, { params: initVaeParams(cfg, new Prng(1)) }, k);
  const x = Float32Array.from({ length: k * B * 784 }, () => (rng.uniform() < 0.3 ? 1 : 0));
  const eps = rng.normals(new Float32Array(k * B * cfg.latentDim));
  for (const m of await runner.runSteps({ x, eps }, k)) out.losses.push(m.loss);
  out.concat9 = await concat9(engine);
  return out;
}

run().then(
  (r) => ((globalThis as { backendResult?: BackendResult }).backendResult = r),
  (e: unknown) => ((globalThis as { backendResult?: BackendResult }).backendResult = { backend: '', decoded: [], mu: [], logvar: [], losses: [], concat9: [], error: e instanceof Error ? e.message : String(e) }),
);
