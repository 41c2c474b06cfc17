// The conv preset and batch norm against PyTorch: the Keras-example network of
// ../shared/reference/torch_conv_vae.py (its own class, executed from that file) and nn.BatchNorm1d/2d.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { Graph, type Tensor } from '../../src/graph/tensor.js';
import { elboTerms, makeVae } from '../../src/models/vae.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { batchNorm } from '../../src/nn/layers/norm.js';
import { bindScope } from '../../src/nn/scope.js';
import { nodeEngine } from '../../src/node.js';
import { Prng } from '../../src/random/prng.js';
import { NO_TORCH, runTorch, torchAvailable } from '../helpers/torch.js';

const engine = nodeEngine({ threads: 1 });
const REF = new URL('../../../shared/reference/torch_conv_vae.py', import.meta.url).pathname;
const hasTorch = torchAvailable();

async function evaluate(g: Graph, outs: Record<string, Tensor>, feeds: Record<string, Float32Array>): Promise<Record<string, Float32Array>> {
  const f = await engine.compile(g, outs);
  return (await f.run(feeds)) as Record<string, Float32Array>;
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string) => {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

test('conv preset = the Keras example in PyTorch: same weights, batch and noise give the same −ELBO terms', { skip: hasTorch ? false : NO_TORCH }, async () => {
  let src: string;
  try {
    src = readFileSync(REF, 'utf8');
  } catch {
    return; // the shared reference is beside the repository in development and CI
  }
  const L = 3;
  const B = 6;
  const d = await loadEmbeddedMnist();
  const x = d.test.images.slice(0, B * 784);
  const eps = new Prng(4).normals(new Float32Array(B * L));
  const script = `
import json, sys, torch, torch.nn.functional as F
src = json.loads(sys.stdin.read())
ns = {'__name__': 'ref'}
exec(src['code'].split('def main')[0], ns)
torch.manual_seed(0)
m = ns['ConvVAE'](src['L'])
x = torch.tensor(src['x']).view(-1, 1, 28, 28)
eps = torch.tensor(src['eps']).view(-1, src['L'])
with torch.no_grad():
    mu, lv = m.encode(x)
    logits = m.decode(mu + eps * torch.exp(0.5 * lv))
    recon = F.binary_cross_entropy_with_logits(logits, x, reduction='none').flatten(1).sum(1)
    kl = -0.5 * torch.sum(1 + lv - mu.pow(2) - lv.exp(), 1)
print(json.dumps({'state': {k: v.flatten().tolist() for k, v in m.state_dict().items()}, 'recon': recon.tolist(), 'kl': kl.tolist()}))
`;
  const out = runTorch<{ state: Record<string, number[]>; recon: number[]; kl: number[] }>(script, { code: src, L, x: [...x], eps: [...eps] });
  const s = out.state;
  const f = (a: number[]) => Float32Array.from(a);
  // torch's separate μ and log σ² heads are the two halves of vaekit's one 2L head
  const params: Record<string, Float32Array> = {
    'enc.0.weight': f(s['c1.weight']), 'enc.0.bias': f(s['c1.bias']),
    'enc.1.weight': f(s['c2.weight']), 'enc.1.bias': f(s['c2.bias']),
    'enc.2.weight': f(s['fc.weight']), 'enc.2.bias': f(s['fc.bias']),
    'enc.3.weight': f([...s['mu.weight'], ...s['lv.weight']]), 'enc.3.bias': f([...s['mu.bias'], ...s['lv.bias']]),
    'dec.0.weight': f(s['dfc.weight']), 'dec.0.bias': f(s['dfc.bias']),
    'dec.1.weight': f(s['t1.weight']), 'dec.1.bias': f(s['t1.bias']),
    'dec.2.weight': f(s['t2.weight']), 'dec.2.bias': f(s['t2.bias']),
    'dec.3.weight': f(s['t3.weight']), 'dec.3.bias': f(s['t3.bias']),
  };
  const vae = makeVae(parseVaeConfig({ arch: 'conv', latentDim: L }));
  assert.deepEqual(Object.keys(vae.specs).sort(), Object.keys(params).sort());
  const g = new Graph();
  const p = Object.fromEntries(Object.entries(vae.specs).map(([k, sp]) => [k, g.input(k, sp.shape)]));
  const t = elboTerms(vae, p, g.input('x', [B, 1, 28, 28]), g.input('eps', [B, L]));
  const r = await evaluate(g, { recon: t.recon, kl: t.kl }, { ...params, x, eps });
  close(r.recon, out.recon, 1e-4, 'recon');
  close(r.kl, out.kl, 1e-4, 'kl');
});

for (const shape of [[16, 5], [8, 3, 4, 5]]) {
  test(`batch norm ${shape.length === 2 ? '1d' : '2d'} [${shape}]: training output and running statistics (momentum 0.1, unbiased variance), then evaluation, as PyTorch`, { skip: hasTorch ? false : NO_TORCH }, async () => {
    const C = shape[1];
    const rng = new Prng(9);
    const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 3 * rng.normal() + 1);
    const x2 = Float32Array.from(x, (v) => v * 0.5 - 2);
    const w = Float32Array.from({ length: C }, () => rng.normal());
    const b = Float32Array.from({ length: C }, () => rng.normal());
    const script = `
import json, sys, torch
a = json.loads(sys.stdin.read())
shape = a['shape']; C = shape[1]
bn = (torch.nn.BatchNorm1d if len(shape) == 2 else torch.nn.BatchNorm2d)(C, momentum=0.1)
with torch.no_grad():
    bn.weight.copy_(torch.tensor(a['w'])); bn.bias.copy_(torch.tensor(a['b']))
    bn.train(); y = bn(torch.tensor(a['x']).view(shape))
    bn.eval(); y2 = bn(torch.tensor(a['x2']).view(shape))
print(json.dumps({'y': y.flatten().tolist(), 'mean': bn.running_mean.tolist(), 'var': bn.running_var.tolist(), 'y2': y2.flatten().tolist()}))
`;
    const want = runTorch<{ y: number[]; mean: number[]; var: number[]; y2: number[] }>(script, { shape, x: [...x], x2: [...x2], w: [...w], b: [...b] });
    const run = async (training: boolean, input: Float32Array, mean: Float32Array, variance: Float32Array) => {
      const g = new Graph();
      const p = { 'bn.weight': g.input('w', [C]), 'bn.bias': g.input('b', [C]), 'bn.running_mean': g.input('m', [C]), 'bn.running_var': g.input('v', [C]) };
      const { scope, updates } = bindScope(p, training);
      const y = batchNorm(scope.sub('bn'), g.input('x', shape));
      const outs: Record<string, Tensor> = { y };
      if (training) Object.assign(outs, { mean: updates['bn.running_mean'], var: updates['bn.running_var'] });
      return evaluate(g, outs, { w, b, m: mean, v: variance, x: input });
    };
    const tr = await run(true, x, new Float32Array(C), new Float32Array(C).fill(1));
    close(tr.y, want.y, 1e-4, 'train y');
    close(tr.mean, want.mean, 1e-5, 'running_mean');
    close(tr.var, want.var, 1e-5, 'running_var');
    const ev = await run(false, x2, tr.mean, tr.var);
    close(ev.y, want.y2, 1e-4, 'eval y');
  });
}
