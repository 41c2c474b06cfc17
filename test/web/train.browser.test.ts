// Training in the page (a Web Worker on onnxruntime-web wasm) in headless Chromium: the losses follow the
// library's Trainer on onnxruntime-node for the same seed (across a pause and resume), the page answers
// within 100 ms while it trains,
// and the downloaded model loads in the CLI, whose `eval` repeats the page's last test −ELBO.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { nodeEngine } from '../../src/node.js';
import { startExplorerServer, type ExplorerServer } from '../../src/node/explorerServer.js';
import { parseTrainConfig } from '../../src/train/trainConfig.js';
import { Trainer } from '../../src/train/trainer.js';
import { buildExplorer } from '../../web/build.js';
import { cli, show, tmp } from '../cli/helpers.js';
import { chromiumMissing, launchChromium } from './browser.js';

const missing = chromiumMissing();
const dir = tmp('vaekit-webtrain-');
const SETTINGS = { latent: 2, hidden: 32, beta: 1, epochs: 3, batch: 100, lr: 0.002, seed: 5, threads: 1 };
let browser: Browser;
let page: Page;
let server: ExplorerServer;

describe('training in the page', { skip: missing }, () => {
  before(async () => {
    await buildExplorer(path.join(dir, 'site'));
    server = await startExplorerServer({ siteDir: path.join(dir, 'site') });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('trains in a worker while the page stays responsive; losses follow onnxruntime-node; eval repeats its test −ELBO', async () => {
    await page.locator('#train summary').click();
    for (const [k, v] of Object.entries(SETTINGS)) await page.locator(`#train-${k}`).fill(String(v));
    await page.locator('#train-start').click();
    await page.waitForFunction(() => Number(document.getElementById('train')!.dataset.step ?? 0) >= 2, null, { timeout: 60_000 });
    // pause, then resume: the run continues exactly (the loss comparison below covers every step)
    await page.locator('#train-pause').click();
    await page.waitForSelector('#train[data-state="paused"]', { timeout: 60_000 }).catch(async (e) => {
      throw new Error(`${e.message}: state ${await page.locator('#train').getAttribute('data-state')}, ${await page.locator('#train-status').innerText()} ${await page.locator('#error').innerText()}`);
    });
    const pausedAt = Number(await page.locator('#train').getAttribute('data-step'));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(Number(await page.locator('#train').getAttribute('data-step')), pausedAt, 'no steps while paused');
    await page.locator('#train-resume').click();
    await page.waitForFunction((at) => Number(document.getElementById('train')!.dataset.step) > at, pausedAt, { timeout: 60_000 });
    // the main thread answers while the worker trains: a 20 ms timer, 40 times, measured in the page (the
    // delay past 20 ms is how long the page could not answer); a string, so no transpiler helpers leak in
    const lags = (await page.evaluate(`new Promise((resolve) => {
      const out = [];
      let last = performance.now();
      const tick = () => {
        const now = performance.now();
        out.push(now - last - 20);
        last = now;
        if (out.length < 40) setTimeout(tick, 20);
        else resolve(out);
      };
      setTimeout(tick, 20);
    })`)) as number[];
    const stepAfter = Number(await page.locator('#train').getAttribute('data-step'));
    assert.ok(stepAfter < 240, `training had finished (step ${stepAfter}) before the probes ended; the probes did not overlap training`);
    assert.ok(Math.max(...lags) < 100, `page answered in ${lags.map((l) => l.toFixed(0)).join(', ')} ms`);
    await page.waitForSelector('#train[data-state="done"]', { timeout: 180_000 });
    const series = await page.evaluate(() => (globalThis as any).vaekitTraining as { train: [number, number][]; test: [number, number][] });
    const pageTest = Number(await page.locator('#train').getAttribute('data-test-neg-elbo'));
    await page.locator('#train').screenshot({ path: path.join(dir, 'train.png') });

    // the same run in Node
    const digits = await loadEmbeddedMnist();
    const model = parseVaeConfig({ latentDim: SETTINGS.latent, hidden: [SETTINGS.hidden], beta: SETTINGS.beta });
    const training = parseTrainConfig({ epochs: SETTINGS.epochs, batchSize: SETTINGS.batch, lr: SETTINGS.lr, seed: SETTINGS.seed });
    const trainer = await Trainer.create(nodeEngine({ threads: 1 }), model, training, digits);
    const nodeLoss: number[] = [];
    await trainer.run((e) => e.type === 'step' && nodeLoss.push(e.metrics.loss));
    assert.equal(series.train.length, nodeLoss.length);
    series.train.forEach(([, l], i) => assert.ok(Math.abs(l - nodeLoss[i]) <= 2e-3 * nodeLoss[i], `step ${i + 1}: page ${l} vs node ${nodeLoss[i]}`));
    const nodeTest = trainer.history.at(-1)!.test!.negElbo;
    assert.ok(Math.abs(pageTest - nodeTest) <= 2e-3 * nodeTest, `test −ELBO: page ${pageTest} vs node ${nodeTest}`);

    // the downloaded model directory loads in the CLI and eval repeats the page's number
    const modelDir = path.join(dir, 'downloaded');
    mkdirSync(modelDir);
    const downloads = new Promise<void>((resolve) => {
      let n = 0;
      page.on('download', async (d) => {
        await d.saveAs(path.join(modelDir, d.suggestedFilename()));
        if (++n === 2) resolve();
      });
    });
    await page.locator('#train-download').click();
    await downloads;
    const r = await cli(['eval', '--model', modelDir, '--json', '--threads', '1']);
    assert.equal(r.code, 0, show(r));
    const ev = JSON.parse(r.stdout);
    assert.equal(ev.examples, 2000);
    assert.ok(Math.abs(ev.negElbo - pageTest) <= 1e-4 * pageTest, `vaekit eval ${ev.negElbo} vs page ${pageTest}`);
  });
});
