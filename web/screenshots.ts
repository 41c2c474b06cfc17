// Screenshots for the README (docs/explorer-*.png): the explorer on a trained model, served as
// `vaekit explore` serves it, in headless Chromium at 1280×800 and phone size.
// Usage: node --import tsx web/screenshots.ts MODEL_DIR [OUT_DIR=docs]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { datasetFor, loadSplit } from '../src/cli/datasets.js';
import { datasetToIdx } from '../src/data/idxWrite.js';
import { startExplorerServer } from '../src/node/explorerServer.js';
import { loadFashionMnist } from '../src/node/fashionMnist.js';
import { loadModelDir } from '../src/node/modelDir.js';
import { encodePng } from '../src/viz/png.js';
import { launchChromium } from '../test/web/browser.js';
import { buildExplorer } from './build.js';

const [modelDir, out = 'docs'] = process.argv.slice(2);
if (!modelDir) throw new Error('usage: web/screenshots.ts MODEL_DIR [OUT_DIR]');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'vaekit-shots-'));
mkdirSync(out, { recursive: true });
try {
  await buildExplorer(tmp);
  const test = await loadSplit(datasetFor(loadModelDir(modelDir).meta, {}), 'test');
  const { images, labels } = datasetToIdx(test, 2000);
  const server = await startExplorerServer({ siteDir: tmp, modelDir, data: { 'test-images.idx': images, 'test-labels.idx': labels } });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url);
  await page.waitForSelector('body[data-first-image-ms]', { timeout: 120_000 });
  // a drawn "7", a spherical interpolation 0 → 7, a point picked on the plane
  const pad = (await page.locator('#pad').boundingBox())!;
  const at = (fx: number, fy: number) => [pad.x + pad.width * fx, pad.y + pad.height * fy] as const;
  await page.mouse.move(...at(0.25, 0.25));
  await page.mouse.down();
  await page.mouse.move(...at(0.75, 0.25), { steps: 10 });
  await page.mouse.move(...at(0.45, 0.8), { steps: 10 });
  await page.mouse.up();
  await page.locator('#interp-a').fill('0');
  await page.locator('#interp-b').fill('7');
  await page.locator('#interp-b').dispatchEvent('change');
  await page.locator('#interp-mode').selectOption('spherical');
  const plane = (await page.locator('#plane').boundingBox())!;
  await page.mouse.move(plane.x + plane.width * 0.6, plane.y + plane.height * 0.4);
  await page.mouse.down();
  await page.mouse.up();
  await page.mouse.move(plane.x + plane.width * 0.35, plane.y + plane.height * 0.55);
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(out, 'explorer-1280x800.png') });
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
  await phone.goto(server.url);
  await phone.waitForSelector('body[data-first-image-ms]', { timeout: 120_000 });
  await phone.screenshot({ path: path.join(out, 'explorer-phone.png') });
  // training in the page: two epochs of a small model
  await page.locator('#train summary').click();
  for (const [k, v] of Object.entries({ latent: 2, hidden: 128, epochs: 3, batch: 100 })) await page.locator(`#train-${k}`).fill(String(v));
  await page.locator('#train-start').click();
  await page.waitForSelector('#train[data-state="done"]', { timeout: 300_000 });
  await page.locator('#train').screenshot({ path: path.join(out, 'explorer-training.png') });
  // training on your own data: a folder of Fashion-MNIST PNGs in three class subfolders (Debian's dataset-fashion-mnist)
  const folder = path.join(tmp, 'clothes');
  const { train } = await loadFashionMnist();
  const classes = { trouser: 1, sneaker: 7, bag: 8 };
  for (const [name, label] of Object.entries(classes)) {
    mkdirSync(path.join(folder, name), { recursive: true });
    for (let i = 0, k = 0; k < 400; i++) {
      if (train.labels[i] !== label) continue;
      const px = Uint8Array.from(train.images.subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255));
      writeFileSync(path.join(folder, name, `${k++}.png`), encodePng({ width: 28, height: 28, data: px }));
    }
  }
  await page.locator('#train-folder').setInputFiles(folder);
  await page.waitForSelector('#train-data[data-state="ready"]', { timeout: 120_000 });
  for (const [k, v] of Object.entries({ latent: 2, hidden: 128, epochs: 8, batch: 50 })) await page.locator(`#train-${k}`).fill(String(v));
  await page.locator('#train-start').click();
  await page.waitForSelector('#train[data-state="done"]', { timeout: 300_000 });
  await page.locator('#train').screenshot({ path: path.join(out, 'explorer-train-own-data.png') });
  await browser.close();
  await server.close();
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
