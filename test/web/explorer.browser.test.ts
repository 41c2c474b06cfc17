// The explorer page in headless Chromium, served by `vaekit explore` for a model the CLI trained: canvas
// pixels equal the Node decode of the same code, sliders change the image, interpolation ends are the
// reconstructions of the picked examples, bad input shows a message naming the file. Screenshots of every
// view go to a temp directory (printed), kept with VAEKIT_KEEP_SCREENSHOTS=1.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { datasetFor, loadSplit } from '../../src/cli/datasets.js';
import { modelFile } from '../../src/io/modelFiles.js';
import { initVaeParams } from '../../src/models/vae.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { nodeEngine } from '../../src/node.js';
import { loadModelDir, saveModelDir } from '../../src/node/modelDir.js';
import { Prng } from '../../src/random/prng.js';
import { show, startCli, tmp } from '../cli/helpers.js';
import { asDriverPage, CANVAS_GREY, chromiumMissing, launchChromium } from './browser.js';
import { trainModelAndBuildSite } from './trainingPage.js';
import { checkDecodeAndSlider, setSliders } from './pageChecks.js';

const missing = chromiumMissing();
const dir = tmp('vaekit-web-');
const shots = path.join(dir, 'screenshots');
let browser: Browser;
let page: Page;
let url: string;
let stopServer: () => void;

describe('explorer page in Chromium', { skip: missing }, () => {
  before(async () => {
    await trainModelAndBuildSite(dir);
    const server = startCli(['explore', '--model', path.join(dir, 'run'), '--port', '0', '--site', path.join(dir, 'site')]);
    stopServer = () => server.child.kill('SIGTERM');
    url = await new Promise<string>((resolve, reject) => {
      server.child.stdout!.on('data', (s: Buffer) => {
        const m = /(http:\/\/\S+)/.exec(String(s));
        if (m) resolve(m[1]);
      });
      void server.done.then((res) => reject(new Error(show(res))));
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    await page.goto(url);
    await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
    mkdirSync(shots, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    stopServer?.();
    if (!process.env.VAEKIT_KEEP_SCREENSHOTS) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`screenshots in ${shots}\n`);
  });

  test('the page is cross-origin isolated, names its backend, and shows no error', async () => {
    assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), true);
    assert.match(await page.locator('#status').innerText(), /2-d latent, bernoulli · (wasm|webgpu), \d+ threads?, cross-origin isolated/);
    assert.equal(await page.locator('#error').isHidden(), true, await page.locator('#error').innerText());
    await page.screenshot({ path: path.join(shots, 'explorer-1280x800.png'), fullPage: true });
  });

  test('a latent point set with the sliders decodes to the pixels of the Node decode (to rounding)', async () => {
    await checkDecodeAndSlider(asDriverPage(page), path.join(dir, 'run'));
    await page.locator('#decoded-view').screenshot({ path: path.join(shots, 'decoded.png') });
  });

  test('interpolation strip ends are the reconstructions of the picked examples', async () => {
    const [a, b, steps] = [3, 7, 10];
    await page.locator('#interp-a').fill(String(a));
    await page.locator('#interp-a').dispatchEvent('change');
    await page.locator('#interp-b').fill(String(b));
    await page.locator('#interp-b').dispatchEvent('change');
    await page.locator('#interp-mode').selectOption('spherical');
    await page.waitForFunction((want) => document.getElementById('strip')!.dataset.ab === want, `${a},${b},${steps},spherical`);
    const strip = (await page.evaluate(CANVAS_GREY, 'strip')) as number[];
    const width = steps * 30 + 2;
    const tile = (k: number) => Array.from({ length: 784 }, (_, p) => strip[(2 + Math.floor(p / 28)) * width + 2 + k * 30 + (p % 28)]);
    const { meta, params } = loadModelDir(path.join(dir, 'run'));
    const test = await loadSplit(datasetFor(meta, {}), 'test');
    const vae = new VaeModel(nodeEngine({ threads: 1 }), meta.model, params);
    for (const [k, i] of [[0, a], [steps - 1, b]]) {
      const want = await vae.reconstruct(test.images.subarray(i * 784, (i + 1) * 784));
      const worst = Math.max(...tile(k).map((v, p) => Math.abs(v - Math.round(255 * want[p]))));
      assert.ok(worst <= 1, `tile ${k} vs reconstruction of example ${i}: largest difference ${worst}`);
    }
    await page.locator('#interp-view').screenshot({ path: path.join(shots, 'interpolation.png') });
  });

  test('dragging on the plane moves the decoded point; samples and drawing render', async () => {
    const box = (await page.locator('#plane').boundingBox())!;
    const before = await page.locator('#decoded').getAttribute('data-z');
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.6, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((b) => document.getElementById('decoded')!.dataset.z !== b, before);
    const pad = (await page.locator('#pad').boundingBox())!;
    await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * 0.8, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction(() => (document.getElementById('pad-recon') as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 28, 28).data.some((v, i) => i % 4 === 0 && v > 0));
    await page.locator('#plane-view').screenshot({ path: path.join(shots, 'plane.png') });
    await page.locator('#draw-view').screenshot({ path: path.join(shots, 'draw.png') });
    await page.locator('#samples-view').screenshot({ path: path.join(shots, 'samples.png') });
  });

  test('one decode takes milliseconds (batch 1, no padding)', async () => {
    const ms = await page.evaluate(async () => {
      const ex = (globalThis as any).vaekitExplorer.explorer;
      const z = new Float32Array(ex.L);
      for (let i = 0; i < 20; i++) await ex.model.decode(z);
      const t: number[] = [];
      for (let i = 0; i < 200; i++) {
        z[0] = i / 100;
        const t0 = performance.now();
        await ex.model.decode(z);
        t.push(performance.now() - t0);
      }
      return t.sort((a, b) => a - b)[100];
    });
    process.stderr.write(`median decode of one 28x28 sample in Chromium: ${ms.toFixed(3)} ms\n`);
    assert.ok(ms < 50, `decode took ${ms} ms`);
  });

  test('bad input: a missing model and a non-image drop show a message naming the file', async () => {
    const p2 = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await p2.goto(`${url}?model=nope/`);
    await p2.waitForSelector('body[data-ready]', { timeout: 60_000 });
    assert.match(await p2.locator('#error').innerText(), /nope\/config\.json: HTTP 404/);
    await p2.close();
    await page.evaluate(() => (globalThis as any).vaekitExplorer.draw.load(new File(['hello'], 'notes.txt', { type: 'text/plain' })));
    assert.match(await page.locator('#error').innerText(), /notes\.txt: not an image this browser can decode/);
    // the phone-sized layout: test/web/layout.browser.test.ts
  });

  test('a 3-D model opened with the file picker: PCA plane or two chosen dims; dragging on z1 × z3 keeps z2', async () => {
    const cfg = parseVaeConfig({ hidden: [16], latentDim: 3 });
    const m3 = path.join(dir, 'm3');
    saveModelDir(m3, { meta: modelFile(cfg, null, null, null), params: initVaeParams(cfg, new Prng(2)) });
    await page.locator('#model-files').setInputFiles([path.join(m3, 'config.json'), path.join(m3, 'weights.safetensors')]);
    await page.waitForFunction(() => document.getElementById('sliders')!.children.length === 3);
    assert.match(await page.locator('#plane-note').innerText(), /PC1 \(\d+%\) × PC2 \(\d+%\)/);
    await page.locator('#plane-axes').selectOption('0,2');
    assert.match(await page.locator('#plane-note').innerText(), /z1 × z3/);
    await setSliders(asDriverPage(page), [0.5, 1.25, -0.75]);
    const box = (await page.locator('#plane').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.8, box.y + box.height * 0.2);
    await page.waitForFunction(() => JSON.parse(document.getElementById('decoded')!.dataset.z!)[0] !== 0.5);
    const z = JSON.parse((await page.locator('#decoded').getAttribute('data-z'))!) as number[];
    assert.equal(z[1], 1.25, 'z2 stays where the slider put it');
    assert.ok(z[2] !== -0.75, 'z3 follows the pointer');
  });
});
