// Compiles a model's training objective (vaeObjective, the graph the trainer differentiates) as a plain
// forward graph, so tests can read its loss and metrics for chosen parameters, data and noise.
import { Graph, type Tensor } from '../../src/graph/tensor.js';
import { vaeObjective, noiseShape } from '../../src/models/objective.js';
import { type Vae } from '../../src/models/vae.js';
import { bindScope } from '../../src/nn/scope.js';
import { type Engine } from '../../src/runtime/engine.js';

/** Feeds of one evaluation: parameters by name, x [B, ...dataShape], ε (noiseShape), optional cond, β, C. */
export interface ObjectiveFeeds {
  params: Record<string, Float32Array>;
  x: Float32Array;
  eps: Float32Array;
  cond?: Float32Array;
  beta?: number;
  capacity?: number;
}

/**
 * The objective of `vae` for batches of B as a function of its feeds: { loss, recon, kl, negElbo, negIwae? }.
 * β and C are graph inputs (as the trainer feeds them), so β = 1 takes the same path as a schedule.
 */
export async function objectiveFn(engine: Engine, vae: Vae, B: number): Promise<(f: ObjectiveFeeds) => Promise<Record<string, number>>> {
  const g = new Graph();
  const cfg = vae.config;
  const p = Object.fromEntries(Object.entries(vae.specs).map(([k, s]) => [k, g.input(k, s.shape)]));
  const x = g.input('x', [B, ...cfg.dataShape]);
  const eps = g.input('eps', noiseShape(cfg, B));
  const cond = cfg.classes > 0 ? g.input('cond', [B, cfg.classes]) : undefined;
  const beta = g.input('beta', []);
  const capacity = cfg.kl.type === 'capacity' ? g.input('capacity', []) : undefined;
  const { scope } = bindScope(p, true);
  const { loss, metrics } = vaeObjective(cfg, vae.def, scope, { x, eps, cond, beta, capacity });
  const outs: Record<string, Tensor> = { loss, ...metrics };
  const fn = await engine.compile(g, outs, 'objective');
  return async (f) => {
    const feeds: Record<string, Float32Array> = { ...f.params, x: f.x, eps: f.eps, beta: Float32Array.of(f.beta ?? 1) };
    if (cond) feeds.cond = f.cond!;
    if (capacity) feeds.capacity = Float32Array.of(f.capacity ?? 0);
    const r = await fn.run(feeds);
    return Object.fromEntries(Object.keys(outs).map((k) => [k, (r[k] as Float32Array)[0]]));
  };
}
