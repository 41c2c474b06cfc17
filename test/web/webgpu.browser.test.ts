// onnxruntime-web's WebGPU backend in headless Chromium. With --enable-unsafe-webgpu, Chromium on a
// machine without a GPU offers SwiftShader's software adapter (isFallbackAdapter); that runs WebGPU for
// real, so the WebGPU path is checked against the wasm backend: WebModel's decode and encode (batch 1) and
// 8 Adam steps of a VAE (one ORT call) give the same numbers (float tolerance; GPU reductions sum in
// another order), and a WebGPU error in a run (a hand-made 9-input Concat: 10 storage buffers, over the 8
// onnxruntime-web's device gets) throws instead of returning garbage. 'auto' keeps picking wasm on a
// software adapter (~500× slower than wasm here). Skips, with the evidence, where there is no adapter.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import { type Browser, type Page } from 'playwright-core';
import { modelFile } from '../../src/io/modelFiles.js';
import { initVaeParams } from '../../src/models/vae.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { startExplorerServer, type ExplorerServer } from '../../src/node/explorerServer.js';
import { saveModelDir } from '../../src/node/modelDir.js';
import { Prng } from '../../src/random/prng.js';
import { buildExplorer } from '../../web/build.js';
import { tmp } from '../cli/helpers.js';
import { type BackendResult } from './backendPage.js';
import { chromiumMissing, launchChromiumWebGpu, webGpuAdapter } from './browser.js';

const missing = chromiumMissing();
const dir = tmp('vaekit-webgpu-');
let browser: Browser;
let server: ExplorerServer;
let adapter: string | null = null;

async function backendRun(page: Page, backend: string): Promise<BackendResult> {
  await page.goto(`${server.url}backend.html?backend=${backend}`);
  await page.waitForFunction(() => (globalThis as any).backendResult, null, { timeout: 300_000 });
  const r = (await page.evaluate(() => (globalThis as any).backendResult)) as BackendResult;
  assert.equal(r.error, undefined, `${backend}: ${r.error}`);
  return r;
}

const worstAbs = (a: number[][], b: number[][]) => Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i][j]))));

describe('WebGPU backend in Chromium (software adapter)', { skip: missing }, () => {
  before(async () => {
    const site = path.join(dir, 'site');
    await buildExplorer(site);
    await build({ entryPoints: [path.join(import.meta.dirname, 'backendPage.ts')], outfile: path.join(site, 'backend.js'), bundle: true, format: 'esm', platform: 'browser', target: 'es2022', conditions: ['onnxruntime-web-use-extern-wasm'], external: ['mnist'], logLevel: 'warning' });
    writeFileSync(path.join(site, 'backend.html'), '<!doctype html><meta charset="utf-8"><title>vaekit backends</title><script type="module" src="backend.js"></script>\n');
    const cfg = parseVaeConfig({ hidden: [64], latentDim: 2 });
    saveModelDir(path.join(dir, 'model'), { meta: modelFile(cfg, null, null, null), params: initVaeParams(cfg, new Prng(4)) });
    server = await startExplorerServer({ siteDir: site, modelDir: path.join(dir, 'model') });
    browser = await launchChromiumWebGpu();
    const page = await browser.newPage();
    await page.goto(server.url);
    adapter = await webGpuAdapter(page);
    process.stderr.write(`WebGPU adapter in ${browser.version()}: ${adapter ?? 'none'}\n`);
    await page.close();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("'auto' picks wasm on a software adapter", async (t) => {
    if (!adapter) return t.skip('no WebGPU adapter in this Chromium');
    assert.match(adapter, /fallback/, 'a hardware adapter: auto would rightly pick WebGPU');
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
    assert.match(await page.locator('#status').innerText(), /· wasm, /);
    await page.close();
  });

  test('decode, encode and training steps on WebGPU equal the wasm backend', async (t) => {
    if (!adapter) return t.skip('no WebGPU adapter in this Chromium');
    const page = await browser.newPage();
    const warnings: string[] = [];
    page.on('console', (m) => m.type() !== 'log' && warnings.push(m.text()));
    const gpu = await backendRun(page, 'webgpu');
    const wasm = await backendRun(page, 'wasm');
    await page.close();
    assert.equal(gpu.backend, 'webgpu');
    assert.equal(wasm.backend, 'wasm');
    const d = worstAbs(gpu.decoded, wasm.decoded);
    const mu = worstAbs(gpu.mu, wasm.mu);
    const lv = worstAbs(gpu.logvar, wasm.logvar);
    const loss = Math.max(...gpu.losses.map((l, i) => Math.abs(l - wasm.losses[i]) / wasm.losses[i]));
    process.stderr.write(`WebGPU vs wasm: decode ${d.toExponential(1)}, mu ${mu.toExponential(1)}, logvar ${lv.toExponential(1)} (largest abs. difference); loss per step ${loss.toExponential(1)} (largest rel.); losses ${wasm.losses[0].toFixed(2)} → ${wasm.losses.at(-1)!.toFixed(2)}\n`);
    if (warnings.length) process.stderr.write(`onnxruntime-web said: ${[...new Set(warnings)].join(' | ').slice(0, 2000)}\n`);
    assert.ok(d <= 1e-5, `decoded means differ by ${d}`);
    assert.ok(mu <= 1e-4 && lv <= 1e-4, `encoder outputs differ by ${mu} (mu), ${lv} (logvar)`);
    assert.equal(gpu.losses.length, 8);
    assert.ok(loss <= 1e-4, `training losses differ by ${loss} (relative)`);
    assert.ok(wasm.losses.at(-1)! < wasm.losses[0], 'the steps train');
    assert.deepEqual(wasm.concat9, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.match(String(gpu.concat9), /WebGPU error while running .*storage buffers/, `a failed WebGPU kernel gave ${JSON.stringify(gpu.concat9)}`);
  });
});
