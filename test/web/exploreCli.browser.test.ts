// `vaekit explore` on a model the CLI trained on the user's own images (an RGB folder with two class
// subfolders): the server hands the page the model's held-out rows exactly as the CLI's own loader reads them
// (colour channels and labels kept), and the page shows one dot per row, legend chips named after the class
// folders, and colour; an image dropped on its pad is read as training read the folder and encoded to the
// μ onnxruntime-node gives. Table models and oversized requests are refused with the reason.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser } from 'playwright-core';
import { parseIdx } from '../../src/data/idx.js';
import { imageSetFromIdx } from '../../src/data/imageSetFromIdx.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { nodeEngine } from '../../src/node.js';
import { loadModelDir } from '../../src/node/modelDir.js';
import { openDataSource } from '../../src/node/openDataSource.js';
import { buildExplorer } from '../../web/build.js';
import { cli, ONE_THREAD, show, startCli, tmp } from '../cli/helpers.js';
import { writeColourClassFolder } from '../helpers/imageFixtures.js';
import { chromiumMissing, launchChromium } from './browser.js';

const missing = chromiumMissing();
const dir = tmp('vaekit-explorecli-');
const folder = path.join(dir, 'colours');
const run = path.join(dir, 'run');
const site = path.join(dir, 'site');
const SPLIT = { testFraction: 0.25, seed: 2 };
let browser: Browser | undefined;
let written: Map<string, Uint8Array>;

/** Starts `vaekit explore` on a free port; resolves with its URL and a stop function. */
async function startExplore(args: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const { child, done } = startCli(['explore', '--port', '0', '--site', site, ...args]);
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (s: string) => {
      out += s;
      const m = /(http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    void done.then((r) => reject(new Error(`explore ended before serving\n${show(r)}`)));
  });
  return { url, stop: async () => void (child.kill('SIGINT'), await done) };
}

describe('vaekit explore on your own images', { skip: missing, timeout: 300_000 }, () => {
  before(async () => {
    written = writeColourClassFolder(folder);
    const [r] = await Promise.all([
      cli(['train', '--data', folder, '--image-size', '8', '--channels', '3', '--test-fraction', String(SPLIT.testFraction), '--seed', String(SPLIT.seed),
        '--latent', '2', '--hidden', '16', '--epochs', '3', '--batch', '10', '--out', run, ...ONE_THREAD]),
      buildExplorer(site),
    ]);
    assert.equal(r.code, 0, show(r));
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an RGB class-folder model: the held-out rows in colour, one dot each, legend chips named after the folders', async () => {
    const server = await startExplore(['--model', run]);
    try {
      // what the server hands the page: the CLI loader's held-out rows, channels and labels kept
      const get = async (f: string) => parseIdx(new Uint8Array(await (await fetch(`${server.url}data/${f}`)).arrayBuffer()), f);
      const served = imageSetFromIdx(await get('test-images.idx'), await get('test-labels.idx'), 'served');
      const held = (await openDataSource(folder, { imageSize: [8, 8], channels: 3, ...SPLIT })).test!;
      const want = new Float32Array(held.n * 192);
      held.read(Array.from({ length: held.n }, (_, i) => i), want);
      assert.equal(held.n, 10);
      assert.deepEqual([served.n, served.channels, served.rows, served.cols], [held.n, 3, 8, 8]);
      assert.deepEqual(Array.from(served.images), Array.from(want), 'the same pixels in the same order (grey or another split fails)');
      assert.deepEqual(Array.from(served.labels), Array.from(held.labels!));
      assert.equal(new Set(held.labels).size, 2, 'both classes held out');

      browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(server.url);
      await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
      const got = await page.evaluate(() => {
        const ex = (globalThis as any).vaekitExplorer.explorer;
        return {
          error: document.getElementById('error')!.hidden ? '' : document.getElementById('error')!.textContent,
          channels: ex.data?.channels,
          dots: ex.coords.length / 2,
          note: document.getElementById('plane-note')!.textContent!,
          legend: Array.from(document.querySelectorAll('#plane-legend span')).map((s) => s.textContent),
        };
      });
      assert.equal(got.error, '');
      assert.equal(got.channels, 3);
      assert.equal(got.dots, held.n);
      assert.match(got.note, /^10 test examples/);
      assert.deepEqual(got.legend, ['rust', 'teal']);

      // an image dropped on the pad is read as training read the folder (RGB, not inverted) and encoded
      const file = [...written.keys()][25];
      const rgb = written.get(file)!;
      const x = Float32Array.from({ length: 192 }, (_, i) => rgb[3 * (i % 64) + Math.floor(i / 64)] / 255); // [3, 8, 8]
      const { meta, params } = loadModelDir(run);
      const { mu } = await new VaeModel(nodeEngine({ threads: 1 }), meta.model, params).encode(x);
      const dropped = await page.evaluate(async (bytes) => {
        await (globalThis as any).vaekitExplorer.draw.load(new File([new Uint8Array(bytes)], 'dropped.png', { type: 'image/png' }));
        const pad = document.getElementById('pad') as HTMLCanvasElement;
        return { error: document.getElementById('error')!.hidden ? '' : document.getElementById('error')!.textContent, pad: Array.from(pad.getContext('2d')!.getImageData(0, 0, 8, 8).data) };
      }, Array.from(readFileSync(file)));
      assert.equal(dropped.error, '');
      for (let p = 0; p < 64; p++) for (let c = 0; c < 3; c++) assert.equal(dropped.pad[4 * p + c], rgb[3 * p + c], `pad pixel ${p} channel ${c}`);
      // the current point becomes μ of the dropped image: onnxruntime-node's encode of the file's pixels (wasm rounding)
      const wantMu = Array.from(mu);
      await page.waitForFunction((w) => {
        const z = (globalThis as any).vaekitExplorer.explorer.z as Float32Array;
        return w.every((v, i) => Math.abs(z[i] - v) <= 1e-4 * (1 + Math.abs(v)));
      }, wantMu, { timeout: 10_000 }).catch(async () => {
        throw new Error(`page z ${await page.evaluate(() => Array.from((globalThis as any).vaekitExplorer.explorer.z))} vs node μ ${wantMu}`);
      });
    } finally {
      await server.stop();
    }
  });

  test('refused with the reason: a table model, and more examples than the page holds', async () => {
    const csv = path.join(dir, 't.csv');
    writeFileSync(csv, ['a,b,kind', ...Array.from({ length: 40 }, (_, i) => `${i},${(i * 7) % 13},${i % 2 ? 'x' : 'y'}`)].join('\n'));
    const tab = path.join(dir, 'table-run');
    const t = await cli(['train', '--data', csv, '--latent', '2', '--hidden', '8', '--epochs', '1', '--batch', '10', '--out', tab, ...ONE_THREAD]);
    assert.equal(t.code, 0, show(t));
    const r = await cli(['explore', '--model', tab, '--port', '0', '--site', site]);
    assert.notEqual(r.code, 0, show(r));
    assert.match(r.stderr, /trained on a table; the explorer draws images\. Use vaekit sample --model .* --out synth\.csv/);
    const big = await cli(['explore', '--model', run, '--port', '0', '--site', site, '--n', '1000000']);
    assert.notEqual(big.code, 0, show(big));
    assert.match(big.stderr, /--n 1000000: 1000000 examples of 192 values are 192000000 values, more than the page's 134217728 \(699050 examples of this model\)/);
  });
});
