// npm run bench:web — in headless Chromium (Debian's /usr/bin/chromium), cross-origin isolated: training
// ms/step of the 784-400-20 VAE (batch 128) with 1 and 2 wasm threads (8 and 32 steps per ONNX Runtime
// call), the same step in TF.js's wasm backend as the anchor and the ratio, the decode latency of one
// sample, the time from page load to the first decoded image in the explorer, and the step and decode on
// WebGPU where Chromium gives an adapter (here SwiftShader's software one, labelled so). Options: --steps N (64).
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { modelFile } from '../src/io/modelFiles.js';
import { initVaeParams } from '../src/models/vae.js';
import { parseVaeConfig } from '../src/models/vaeConfig.js';
import { startExplorerServer } from '../src/node/explorerServer.js';
import { saveModelDir } from '../src/node/modelDir.js';
import { Prng } from '../src/random/prng.js';
import { chromiumMissing, launchChromium, launchChromiumWebGpu, webGpuAdapter } from '../test/web/browser.js';
import { buildExplorer } from '../web/build.js';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '64' } } });
const missing = chromiumMissing();
if (missing) {
  process.stdout.write(`bench:web needs Chromium: ${missing}\n`);
  process.exit(0);
}
const dir = mkdtempSync(path.join(os.tmpdir(), 'vaekit-benchweb-'));
const site = path.join(dir, 'site');
try {
  await buildExplorer(site);
  await build({ entryPoints: ['bench/web/benchPage.ts'], outfile: path.join(site, 'bench.js'), bundle: true, format: 'esm', platform: 'browser', conditions: ['onnxruntime-web-use-extern-wasm'], external: ['mnist'], logLevel: 'warning' });
  writeFileSync(path.join(site, 'bench.html'), '<!doctype html><meta charset="utf-8"><title>vaekit bench</title><script type="module" src="bench.js"></script>\n');
  const tfDist = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) copyFileSync(path.join(tfDist, f), path.join(site, f));
  const cfg = parseVaeConfig({});
  saveModelDir(path.join(dir, 'model'), { meta: modelFile(cfg, null, null, null), params: initVaeParams(cfg, new Prng(1)) });
  const server = await startExplorerServer({ siteDir: site, modelDir: path.join(dir, 'model') });
  const browser = await launchChromium();
  try {
    const runPage = async (query: string, b = browser): Promise<Record<string, number | string>> => {
      const ctx = await b.newContext();
      const page = await ctx.newPage();
      await page.goto(`${server.url}bench.html?${query}&steps=${values.steps}`);
      await page.waitForFunction(() => (globalThis as any).benchResult, null, { timeout: 600_000 });
      const r = await page.evaluate(() => (globalThis as any).benchResult);
      await ctx.close();
      if (r.error) throw new Error(`${query}: ${r.error}`);
      return r;
    };
    const f = (v: unknown, d = 2) => Number(v).toFixed(d);
    process.stdout.write(`bench:web — headless Chromium ${browser.version()}, 784-400-20 VAE, batch 128, random binary data, ${values.steps} steps\n`);
    for (const threads of [1, 2]) {
      const v = await runPage(`run=vaekit&threads=${threads}`);
      const t = await runPage(`run=tfjs&threads=${threads}`);
      process.stdout.write(
        `${threads} thread${threads > 1 ? 's' : ''} (cross-origin isolated: ${v.crossOriginIsolated}): ` +
          `vaekit ${f(v.msPerStep_k8)} ms/step (8 steps per call), ${f(v.msPerStep_k32)} ms/step (32 per call); ` +
          `TF.js ${t.backend} ${f(t.msPerStep)} ms/step; ratio ${f(Number(v.msPerStep_k32) / Number(t.msPerStep), 3)}× TF.js (target ≤ 0.25×); ` +
          `decode of one sample ${f(v.decodeMs, 3)} ms\n`,
      );
    }
    const firstImage: number[] = [];
    for (let i = 0; i < 3; i++) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.goto(server.url);
      await page.waitForSelector('body[data-first-image-ms]', { timeout: 120_000 });
      firstImage.push(Number(await page.locator('body').getAttribute('data-first-image-ms')));
      await ctx.close();
    }
    process.stdout.write(`explorer page load → first decoded image (784-400-20 model, fresh browser context): ${firstImage.map((v) => f(v, 0)).join(', ')} ms\n`);
    // WebGPU: its own browser (headless Linux Chromium has WebGPU off without --enable-unsafe-webgpu)
    const gpuBrowser = await launchChromiumWebGpu();
    try {
      const probe = await gpuBrowser.newPage();
      await probe.goto(server.url);
      const adapter = await webGpuAdapter(probe);
      await probe.close();
      if (!adapter) process.stdout.write('WebGPU: Chromium gives no adapter here (--enable-unsafe-webgpu)\n');
      else {
        // a software adapter takes seconds per step: one warm-up call and two timed calls of 2 steps
        const g = await runPage('run=vaekit&threads=1&backend=webgpu&ks=2&warm=1&decodes=10&steps=4', gpuBrowser);
        const soft = adapter.includes('fallback') ? ', a software adapter on the CPU: not a GPU figure' : '';
        process.stdout.write(`WebGPU (${adapter}${soft}): vaekit ${f(g.msPerStep_k2)} ms/step (2 steps per call); decode of one sample ${f(g.decodeMs, 3)} ms\n`);
      }
    } finally {
      await gpuBrowser.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
