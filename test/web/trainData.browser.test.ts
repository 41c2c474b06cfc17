// The training panel on the user's own data in headless Chromium: an .npy of Fashion-MNIST rows trains in
// the page with losses that follow onnxruntime-node's Trainer on the same file (read by the CLI's loader); a
// CSV (penguins) gives the config.json the CLI writes for the same file, and `vaekit eval` repeats the page's
// test −ELBO; a folder of PNGs with two class subfolders records its class names and labels; broken input
// (a CSV row with too few fields, a non-image, an int32 .npy, an array over the memory limit) shows a message
// naming the file in the page; JPEG and PNG photos resized to RGB in the page match the CLI's (sharp) pixels.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { encodeNpy, encodeNpyHeader } from '../../src/data/npy.js';
import { type ExplorerServer } from '../../src/node/explorerServer.js';
import { DEFAULT_FASHION_MNIST_DIR, loadFashionMnist } from '../../src/node/fashionMnist.js';
import { openDataSource } from '../../src/node/openDataSource.js';
import { Prng } from '../../src/random/prng.js';
import { encodePng } from '../../src/viz/png.js';
import { cli, ONE_THREAD, show, tmp } from '../cli/helpers.js';
import { vegaJsonToCsv } from '../helpers/tables.js';
import { chromiumMissing } from './browser.js';
import { assertFollowsNode, lagProbe } from './pageChecks.js';
import { checkPhotoPixels, writePhotos } from './photoCheck.js';
import { closeTrainingPage, downloadTrainedModel, openTrainingPage } from './trainingPage.js';

const missing = chromiumMissing() ?? (existsSync(DEFAULT_FASHION_MNIST_DIR) ? undefined : `Fashion-MNIST not found at ${DEFAULT_FASHION_MNIST_DIR}: apt-get install dataset-fashion-mnist`);
const dir = tmp('vaekit-webdata-');
let browser: Browser;
let page: Page;
let server: ExplorerServer;

/**
 * Fills the panel's settings and trains until done; returns the page's loss series and last test −ELBO.
 * `reopenAtStart`: a data setting's change event fires in the same task as the start click, so the data is
 * still reopening when training starts (a user who edits a field and clicks start at once).
 */
async function trainInPage(settings: Record<string, number>, reopenAtStart = false): Promise<{ train: [number, number][]; test: [number, number][]; testNegElbo: number }> {
  for (const [k, v] of Object.entries(settings)) await page.locator(`#train-${k}`).fill(String(v));
  if (reopenAtStart) {
    await page.evaluate(() => {
      document.getElementById('train-on-bad')!.dispatchEvent(new Event('change'));
      document.getElementById('train-start')!.click();
    });
  } else await page.locator('#train-start').click();
  await page.waitForSelector('#train[data-state="done"]', { timeout: 180_000 }).catch(async (e) => {
    throw new Error(`${(e as Error).message}: ${await page.locator('#train-status').innerText()} ${await page.locator('#error').innerText()}`);
  });
  const series = await page.evaluate(() => (globalThis as any).vaekitTraining as { train: [number, number][]; test: [number, number][] });
  return { ...series, testNegElbo: Number(await page.locator('#train').getAttribute('data-test-neg-elbo')) };
}

/** Picks files (or a folder) and waits for the data summary. */
async function chooseData(input: '#train-files' | '#train-folder', files: string | string[]): Promise<string> {
  await page.locator(input).setInputFiles(files);
  await page.waitForSelector('#train-data[data-state="ready"], #train-data[data-state="error"]', { timeout: 60_000 });
  const state = await page.locator('#train-data').getAttribute('data-state');
  if (state !== 'ready') throw new Error(`data not opened: ${await page.locator('#error').innerText()}`);
  return page.locator('#train-data-summary').innerText();
}

/** The page's visible error banner after an action (the data chooser turns to its error state). */
async function errorAfter(act: () => Promise<void>): Promise<string> {
  await page.evaluate(() => {
    document.getElementById('error')!.hidden = true;
    document.getElementById('train-data')!.dataset.state = 'digits';
  });
  await act();
  await page.waitForSelector('#train-data[data-state="error"]', { timeout: 30_000 });
  assert.ok(await page.locator('#error').isVisible(), 'the error banner is visible');
  return page.locator('#error').innerText();
}

describe('training in the page on your own data', { skip: missing }, () => {
  before(async () => ({ browser, page, server } = await openTrainingPage(dir, { trainPanel: true })));
  after(() => closeTrainingPage({ browser, page, server }, dir));

  test('an .npy of Fashion-MNIST rows: losses follow onnxruntime-node on the same file and seed', async () => {
    const { train } = await loadFashionMnist();
    const n = 1000;
    const x = Uint8Array.from(train.images.subarray(0, n * 784), (v) => Math.round(v * 255));
    const file = path.join(dir, 'fashion.npy');
    writeFileSync(file, encodeNpy({ dtype: 'uint8', shape: [n, 28, 28], data: x }));
    const summary = await chooseData('#train-files', file);
    assert.match(summary, /fashion\.npy: 1000 examples of shape \[1, 28, 28\] \(npy\), 100 of them/);
    const S = { latent: 2, hidden: 32, beta: 1, epochs: 2, batch: 100, lr: 0.002, seed: 4, threads: 1 };
    const got = await trainInPage(S);
    assert.equal(got.train.length, 2 * 9, '900 training rows in batches of 100, two epochs');

    // the same run in Node, the file read by the CLI's own loader (from disk), split as `train --data` splits it
    // wasm and native kernels round differently: measured at most 5e-7 relative over these 18 steps
    await assertFollowsNode(got, S, await openDataSource(file, { testFraction: 0.1, seed: S.seed }), 1e-4, [1, 28, 28]);
  });

  test('a CSV table: the config.json the CLI writes for the same file, and eval repeats the page’s test −ELBO', async () => {
    const csv = vegaJsonToCsv('penguins', dir);
    await page.locator('#train-label-column').fill('Species');
    const summary = await chooseData('#train-files', csv);
    assert.match(summary, /penguins\.csv: 344 rows of shape \[\d+\] \(table\)/);
    assert.match(summary, /Species label \(3 levels\)/);
    assert.match(summary, /Island categorical \(3 levels\)/);
    assert.match(summary, /classes: Adelie, Chinstrap, Gentoo/);
    const S = { latent: 3, hidden: 32, beta: 1, epochs: 4, batch: 32, lr: 0.003, seed: 7, threads: 1 };
    const got = await trainInPage(S);
    assert.ok(await page.locator('#train-explore').isDisabled(), 'the image explorer is not offered for a table model');
    const pageDir = path.join(dir, 'penguins-page');
    const cfg = await downloadTrainedModel(page, pageDir);
    await page.locator('#train-label-column').fill('');
    await page.locator('#train-label-column').blur(); // its change event reopens the CSV now, not at the next click

    // the CLI on the same file with the same flags
    const run = path.join(dir, 'penguins-cli');
    const tr = await cli(['train', '--data', csv, '--label', 'Species', '--latent', '3', '--hidden', '32', '--epochs', '1', '--batch', '32', '--seed', '7', '--out', run, ...ONE_THREAD]);
    assert.equal(tr.code, 0, show(tr));
    const want = JSON.parse(readFileSync(path.join(run, 'config.json'), 'utf8'));
    assert.deepEqual(cfg.model, want.model, 'model config (data shape, tabular likelihood segments)');
    assert.deepEqual(cfg.dataset.preprocessing, want.dataset.preprocessing, 'table schema');
    assert.deepEqual(cfg.dataset.classNames, want.dataset.classNames);
    assert.deepEqual(cfg.dataset.source, want.dataset.source);
    assert.deepEqual([cfg.dataset.train, cfg.dataset.test], [want.dataset.train, want.dataset.test]);

    // the downloaded model in the CLI: eval (in the folder holding penguins.csv) repeats the page's number
    const ev = await cli(['eval', '--model', pageDir, '--json', ...ONE_THREAD], { cwd: dir });
    assert.equal(ev.code, 0, show(ev));
    const negElbo = JSON.parse(ev.stdout).negElbo;
    assert.ok(Math.abs(negElbo - got.testNegElbo) <= 1e-4 * Math.abs(got.testNegElbo), `vaekit eval ${negElbo} vs page ${got.testNegElbo}`);
    const synth = path.join(dir, 'synth.csv');
    const s = await cli(['sample', '--model', pageDir, '--n', '20', '--out', synth, ...ONE_THREAD]);
    assert.equal(s.code, 0, show(s));
    assert.equal(readFileSync(synth, 'utf8').split('\n')[0], readFileSync(csv, 'utf8').split('\n')[0].split(',').filter((c) => c !== 'Species').join(','));
  });

  test('a folder of PNGs with two class subfolders: class names and labels in the config; eval repeats the page', async () => {
    const { train } = await loadFashionMnist();
    const folder = path.join(dir, 'clothes');
    const wanted = { sneaker: 7, trouser: 1 };
    for (const [name, label] of Object.entries(wanted)) {
      mkdirSync(path.join(folder, name), { recursive: true });
      let k = 0;
      for (let i = 0; k < 30; i++) {
        if (train.labels[i] !== label) continue;
        const px = Uint8Array.from(train.images.subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255));
        writeFileSync(path.join(folder, name, `${String(k++).padStart(3, '0')}.png`), encodePng({ width: 28, height: 28, data: px }));
      }
    }
    writeFileSync(path.join(folder, 'README.txt'), 'not an image\n');
    const summary = await chooseData('#train-folder', folder);
    assert.match(summary, /clothes: 60 examples of shape \[1, 28, 28\] \(images\)/);
    assert.match(summary, /classes: sneaker, trouser/);
    assert.match(summary, /left out 1 file\(s\) that are not images: README\.txt/);
    // the folder is reopened as training starts: the run waits for it instead of falling back to the digits
    const got = await trainInPage({ latent: 2, hidden: 16, beta: 1, epochs: 2, batch: 20, lr: 0.003, seed: 2, threads: 1 }, true);
    assert.equal(got.train.length, 2 * 3, '54 training rows in batches of 20 (the last one short), two epochs');
    const modelDir = path.join(dir, 'clothes-page');
    const cfg = await downloadTrainedModel(page, modelDir);
    assert.deepEqual(cfg.dataset.classNames, ['sneaker', 'trouser']);
    assert.deepEqual(cfg.dataset.preprocessing.image, { size: [28, 28], channels: 1, fit: 'cover' });
    assert.deepEqual(cfg.model.dataShape, [1, 28, 28]);
    // the CLI reads the folder itself (its own PNG decoder, image order, labels and split) and gets the page's number
    const ev = await cli(['eval', '--model', modelDir, '--json', ...ONE_THREAD], { cwd: dir });
    assert.equal(ev.code, 0, show(ev));
    const negElbo = JSON.parse(ev.stdout).negElbo;
    assert.ok(Math.abs(negElbo - got.testNegElbo) <= 1e-4 * got.testNegElbo, `vaekit eval ${negElbo} vs page ${got.testNegElbo}`);
    const labels = (await openDataSource(folder, { imageSize: [28, 28], channels: 1 })).train.labels!;
    assert.deepEqual([labels[0], labels[59]], [0, 1]);
  });

  test('JPEG and PNG photos resized to cover 16×16, RGB: the pixels the CLI (sharp) decodes, to resampling', async () => {
    const folder = path.join(dir, 'photos');
    await writePhotos(folder);
    await page.locator('#train-image-size').fill('16');
    await page.locator('#train-channels').selectOption('3');
    const summary = await chooseData('#train-folder', folder);
    assert.match(summary, /photos: 3 examples of shape \[3, 16, 16\] \(images\)/);
    // the arrays the data worker handed the page (what the training worker gets)
    const px = await page.evaluate(() => Array.from((globalThis as any).vaekitData.train.x as Float32Array));
    // reset only after the read: a changed option reopens the data, and vaekitData would become the 40×30 one
    await page.locator('#train-image-size').fill('');
    await page.locator('#train-channels').selectOption('');
    await checkPhotoPixels(px, folder, path.join(dir, 'photos-cache'));
  });

  test('a large CSV opens in the data worker: the page answers within 100 ms while it is parsed', async () => {
    // 150,000 rows of 6 numeric columns and a categorical one (about 7 MB): seconds of parsing for one thread
    const prng = new Prng(11);
    const rows = ['a,b,c,d,e,f,kind'];
    for (let i = 0; i < 150_000; i++) rows.push(`${Array.from({ length: 6 }, () => (10 * prng.uniform()).toFixed(4)).join(',')},${['x', 'y', 'z'][i % 3]}`);
    const big = path.join(dir, 'big.csv');
    writeFileSync(big, rows.join('\n'));
    // a 20 ms timer in the page until the data is open: the delay past 20 ms is how long the page could not answer
    const probe = page.evaluate(lagProbe(`['ready', 'error'].includes(document.getElementById('train-data').dataset.state) && out.length > 5`)) as Promise<number[]>;
    const t0 = Date.now();
    const summary = await chooseData('#train-files', big);
    const lags = await probe;
    assert.match(summary, /big\.csv: 150000 rows/);
    assert.ok(Date.now() - t0 > 300, 'the open took long enough to test anything');
    assert.ok(Math.max(...lags) < 100, `page answered in up to ${Math.max(...lags).toFixed(0)} ms while opening (${lags.length} probes over ${Date.now() - t0} ms)`);
  });

  test('bad input: a message in the page naming the file (and the row)', async () => {
    const broken = path.join(dir, 'broken.csv');
    writeFileSync(broken, 'a,b,c\n1,2,3\n4,5\n7,8,9\n');
    // dropped onto the data zone (a drag and drop, not the picker)
    const dropped = await errorAfter(() =>
      page.evaluate((text) => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], 'broken.csv', { type: 'text/csv' }));
        document.getElementById('train-data')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, readFileSync(broken, 'utf8')),
    );
    assert.match(dropped, /broken\.csv: line 3: 2 fields, the header has 3/);
    const notes = path.join(dir, 'notes.txt');
    writeFileSync(notes, 'hello\n');
    assert.match(await errorAfter(() => page.locator('#train-files').setInputFiles(notes)), /notes\.txt: not an image, \.npy, \.npz or \.csv file/);
    const fakeDir = path.join(dir, 'fake');
    mkdirSync(path.join(fakeDir, 'a'), { recursive: true });
    writeFileSync(path.join(fakeDir, 'a', 'x.png'), 'hello\n');
    assert.match(await errorAfter(() => page.locator('#train-folder').setInputFiles(fakeDir)), /fake\/a\/x\.png: not a PNG or JPEG image \(6 bytes, starting 68 65 6c 6c\)/);
    const ints = path.join(dir, 'ints.npy');
    writeFileSync(ints, encodeNpy({ dtype: 'int32', shape: [2, 3], data: Int32Array.of(1, 2, 3, 4, 5, 6) }));
    assert.match(await errorAfter(() => page.locator('#train-files').setInputFiles(ints)), /ints\.npy: dtype int32 is not data vaekit trains on/);
    // a header promising 10⁶ colour 224×224 images: refused with the number and the limit before anything is read
    const huge = path.join(dir, 'huge.npy');
    writeFileSync(huge, encodeNpyHeader('uint8', [1_000_000, 3, 224, 224]));
    assert.match(await errorAfter(() => page.locator('#train-files').setInputFiles(huge)), /huge\.npy: 150528000000 values as float32 needs about 574218\.8 MiB in the page, more than the 512\.0 MiB limit/);
    assert.match(await page.locator('#train-start').innerText(), /embedded digits/, 'after bad input the panel trains on the digits');
  });
});
