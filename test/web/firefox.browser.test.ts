// The key page checks in Firefox (Debian's firefox-esr, driven by puppeteer-core over WebDriver BiDi; the
// same checks as the Chromium suites, from ./pageChecks.ts): the page is cross-origin isolated with wasm
// threads, a CLI-trained model's decoded canvas equals the Node decode, a slider moves the image, and
// training in the worker follows onnxruntime-node's losses while the main thread answers within 100 ms, and
// the model it downloads loads in the CLI, whose eval repeats the page's last test −ELBO; PNG and JPEG photos
// picked in the training panel open in the data worker with the pixels the CLI decodes.
// Kept short for CI: one page, one small training run.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startExplorerServer, type ExplorerServer } from '../../src/node/explorerServer.js';
import { cli, show, tmp } from '../cli/helpers.js';
import { firefoxMissing, launchDriver, type DriverBrowser, type DriverPage } from './browser.js';
import { trainModelAndBuildSite } from './trainingPage.js';
import { checkDecodeAndSlider, checkTrainingFollowsNode } from './pageChecks.js';
import { checkPhotoPixels, PHOTOS, writePhotos } from './photoCheck.js';

const missing = firefoxMissing();
const dir = tmp('vaekit-firefox-');
let browser: DriverBrowser;
let page: DriverPage;
let server: ExplorerServer;

describe('explorer page in Firefox', { skip: missing }, () => {
  before(async () => {
    await trainModelAndBuildSite(dir);
    server = await startExplorerServer({ siteDir: path.join(dir, 'site'), modelDir: path.join(dir, 'run') });
    mkdirSync(path.join(dir, 'downloads'));
    browser = await launchDriver('firefox', [], { downloadDir: path.join(dir, 'downloads') });
    page = await browser.newPage({ width: 1280, height: 800 });
    await page.goto(server.url);
    await page.waitFor('body[data-ready]');
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('cross-origin isolated with wasm threads, the model loaded, no error', async () => {
    const s = await page.evaluate(() => ({
      isolated: globalThis.crossOriginIsolated,
      status: document.getElementById('status')!.textContent!,
      error: document.getElementById('error')!.hidden ? '' : document.getElementById('error')!.textContent!,
    }));
    assert.equal(s.error, '');
    assert.equal(s.isolated, true, `${browser.version}: not cross-origin isolated (no SharedArrayBuffer, so one wasm thread)`);
    assert.match(s.status, /784-64-2 → 2-d latent, bernoulli · wasm, \d+ threads?, cross-origin isolated/);
    assert.deepEqual(page.errors, []);
  });

  test('a slider-chosen point decodes to the pixels of the Node decode; moving a slider moves the image', async () => {
    await checkDecodeAndSlider(page, path.join(dir, 'run'));
  });

  test('training in the worker follows onnxruntime-node and the page stays responsive; the download loads in the CLI', async () => {
    const pageTest = await checkTrainingFollowsNode(page, { latent: 2, hidden: 32, beta: 1, epochs: 3, batch: 100, lr: 0.002, seed: 5, threads: 1 });
    assert.deepEqual(page.errors, []);

    // the download button saves config.json and weights.safetensors (Firefox writes a .part file until done)
    const saved = path.join(dir, 'downloads');
    await page.click('#train-download');
    const done = (f: string) => existsSync(path.join(saved, f)) && !existsSync(path.join(saved, `${f}.part`)) && statSync(path.join(saved, f)).size > 0;
    for (let t = 0; !(done('config.json') && done('weights.safetensors')); t += 100) {
      if (t > 30_000) throw new Error(`Firefox did not save both files within 30 s: ${readdirSync(saved).join(', ') || 'nothing'}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const r = await cli(['eval', '--model', saved, '--json', '--threads', '1']);
    assert.equal(r.code, 0, show(r));
    const ev = JSON.parse(r.stdout);
    assert.ok(Math.abs(ev.negElbo - pageTest) <= 1e-4 * pageTest, `vaekit eval ${ev.negElbo} vs page ${pageTest}`);
  });

  test('photos picked in the training panel (PNG and JPEG, 16×16 RGB) open in the data worker with the CLI\'s pixels', async () => {
    const folder = path.join(dir, 'photos');
    await writePhotos(folder);
    await page.evaluate(() => void ((document.getElementById('train') as HTMLDetailsElement).open = true));
    await page.fill('#train-image-size', '16');
    await page.evaluate(() => {
      const channels = document.getElementById('train-channels') as HTMLSelectElement;
      channels.value = '3';
      channels.dispatchEvent(new Event('change'));
    });
    await page.setInputFiles('#train-files', PHOTOS.map((f) => path.join(folder, f)));
    await page.waitFor('#train-data[data-state="ready"], #train-data[data-state="error"]');
    const got = await page.evaluate(() => ({
      error: document.getElementById('error')!.hidden ? '' : document.getElementById('error')!.textContent!,
      summary: document.getElementById('train-data-summary')!.textContent!,
      px: Array.from(((globalThis as any).vaekitData?.train.x ?? []) as Float32Array),
    }));
    assert.equal(got.error, '');
    assert.match(got.summary, /3 images: 3 examples of shape \[3, 16, 16\] \(images\)/);
    await checkPhotoPixels(got.px, folder, path.join(dir, 'photos-cache'));
    assert.deepEqual(page.errors, []);
  });
});
