// "explore it" after training in the page on the user's own images, in headless Chromium: the explorer's
// test set is exactly the held-out rows the training used (the CLI's splitDataset on the same file and seed,
// read by the CLI's own loaders), one dot per row, labels 0 when the file has none; interpolation picks its
// examples from them; an RGB folder's model draws colour, the decoded canvas equal to WebModel's decode in Node.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { encodeNpy } from '../../src/data/npy.js';
import { type ExplorerServer } from '../../src/node/explorerServer.js';
import { openDataSource } from '../../src/node/openDataSource.js';
import { Prng } from '../../src/random/prng.js';
import { loadModelFromFiles } from '../../src/web/modelSource.js';
import { webEngine } from '../../src/web/webEngine.js';
import { WebModel } from '../../src/web/webModel.js';
import { tmp } from '../cli/helpers.js';
import { writeColourClassFolder } from '../helpers/imageFixtures.js';
import { chromiumMissing } from './browser.js';
import { closeTrainingPage, downloadTrainedModel, openTrainingPage } from './trainingPage.js';

const missing = chromiumMissing();
const dir = tmp('vaekit-trainexplore-');
let browser: Browser;
let page: Page;
let server: ExplorerServer;

/** Picks the data, trains with `settings` until done, clicks "explore it" and waits for the plane's note. */
async function trainAndExplore(input: '#train-files' | '#train-folder', files: string, settings: Record<string, number>): Promise<void> {
  await page.locator(input).setInputFiles(files);
  await page.waitForSelector('#train-data[data-state="ready"]', { timeout: 60_000 });
  for (const [k, v] of Object.entries(settings)) await page.locator(`#train-${k}`).fill(String(v));
  await page.locator('#train-start').click();
  await page.waitForSelector('#train[data-state="done"]', { timeout: 180_000 });
  await page.evaluate(() => (document.getElementById('status')!.textContent = '')); // the previous explorer's line
  await page.locator('#train-explore').click();
  await page.waitForFunction(() => /trained in this page on/.test(document.getElementById('status')?.textContent ?? ''), undefined, { timeout: 60_000 });
}

/** What the explorer holds: its test set (images, labels), dots drawn and the plane's note. */
function explorerState(): Promise<{ n: number; channels: number; images: number[]; labels: number[]; dots: number; note: string }> {
  return page.evaluate(() => {
    const ex = (globalThis as any).vaekitExplorer.explorer;
    const d = ex.data;
    return { n: d.n, channels: d.channels ?? 1, images: Array.from(d.images as Float32Array), labels: Array.from(d.labels as Int32Array), dots: ex.coords.length / 2, note: document.getElementById('plane-note')!.textContent! };
  });
}

/** The CLI's held-out rows of `file` (its own loader, split as `vaekit train --data` splits with `seed`). */
async function heldOut(file: string, seed: number, opts: { imageSize?: [number, number]; channels?: 1 | 3 } = {}) {
  const held = (await openDataSource(file, { ...opts, testFraction: 0.1, seed })).test!;
  const x = new Float32Array(held.n * held.shape.reduce((a, b) => a * b, 1));
  held.read(Array.from({ length: held.n }, (_, i) => i), x);
  return { n: held.n, x, labels: held.labels ? Array.from(held.labels) : new Array<number>(held.n).fill(0) };
}

describe('explore a model trained in the page on your own images', { skip: missing, timeout: 600_000 }, () => {
  before(async () => ({ browser, page, server } = await openTrainingPage(dir, { trainPanel: true })));
  after(() => closeTrainingPage({ browser, page, server }, dir));

  test('an unlabeled .npy: the dots are its held-out rows (label 0), and interpolation picks among them', async () => {
    const n = 300;
    const prng = new Prng(3);
    const x = Uint8Array.from({ length: n * 100 }, () => Math.floor(256 * prng.uniform()));
    const file = path.join(dir, 'noise.npy');
    writeFileSync(file, encodeNpy({ dtype: 'uint8', shape: [n, 10, 10], data: x }));
    const seed = 5;
    await trainAndExplore('#train-files', file, { latent: 2, hidden: 16, beta: 1, epochs: 1, batch: 30, lr: 0.002, seed, threads: 1 });
    const got = await explorerState();
    const want = await heldOut(file, seed);
    assert.equal(want.n, 30);
    assert.equal(got.n, want.n, 'the explorer holds the held-out rows, not the embedded digits');
    assert.deepEqual(got.images, Array.from(want.x), 'the same rows in the same order (a different seed or split fails)');
    assert.deepEqual(got.labels, want.labels);
    assert.equal(got.dots, want.n, 'one dot per held-out row');
    assert.match(got.note, new RegExp(`^${want.n} test examples`));
    // interpolation between the first and the last held-out rows
    await page.locator('#interp-a').fill('0');
    await page.locator('#interp-b').fill(String(want.n - 1));
    await page.locator('#interp-b').dispatchEvent('change');
    await page.waitForFunction((ab) => document.getElementById('strip')!.dataset.ab?.startsWith(ab), `0,${want.n - 1},`);
  });

  test('an RGB folder with two classes: labelled dots, and the decoded canvas shows the colours WebModel decodes', async () => {
    const folder = path.join(dir, 'colours');
    writeColourClassFolder(folder);
    const seed = 2;
    await trainAndExplore('#train-folder', folder, { latent: 2, hidden: 16, beta: 1, epochs: 10, batch: 12, lr: 0.02, seed, threads: 1 });
    const got = await explorerState();
    const want = await heldOut(folder, seed, { imageSize: [8, 8], channels: 3 });
    assert.equal(got.channels, 3);
    assert.equal(got.n, want.n);
    assert.deepEqual(got.images, Array.from(want.x));
    assert.deepEqual(got.labels, want.labels, 'the class folders are the dot labels');
    assert.ok(new Set(want.labels).size === 2, `both classes held out (labels ${want.labels})`);
    assert.equal(got.dots, want.n);

    // the decoded canvas at a slider-chosen point against WebModel's decode in Node (wasm) of the downloaded model
    const z = [0.5, -1.25];
    for (let i = 0; i < z.length; i++) await page.fill(`#z${i + 1}`, String(z[i]));
    await page.waitForFunction((w) => document.getElementById('decoded')!.dataset.z === w, JSON.stringify(z));
    const rgba = await page.evaluate(() => {
      const c = document.getElementById('decoded') as HTMLCanvasElement;
      return { w: c.width, h: c.height, data: Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data) };
    });
    const modelDir = path.join(dir, 'colours-model');
    await downloadTrainedModel(page, modelDir);
    const files = ['config.json', 'weights.safetensors'].map((f) => new File([readFileSync(path.join(modelDir, f))], f));
    const { engine } = await webEngine({ backend: 'wasm', threads: 1 });
    const decoded = await new WebModel(engine, await loadModelFromFiles(files)).decode(Float32Array.from(z));
    assert.deepEqual([rgba.w, rgba.h], [8, 8]);
    const byte = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)));
    let spread = 0;
    for (let i = 0; i < 64; i++) {
      const px = rgba.data.slice(4 * i, 4 * i + 3);
      const ref = [byte(decoded[i]), byte(decoded[64 + i]), byte(decoded[128 + i])];
      px.forEach((v, c) => assert.ok(Math.abs(v - ref[c]) <= 1, `pixel ${i} channel ${c}: canvas ${v} vs decode ${ref[c]}`));
      spread = Math.max(spread, Math.max(...px) - Math.min(...px));
    }
    assert.ok(spread >= 20, `the decoded image is coloured, not grey (largest channel spread ${spread})`);
  });
});
