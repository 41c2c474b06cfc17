// Page checks shared by the Chromium and Firefox suites, written against the DriverPage of ./browser.ts:
// the decoded canvas equals the Node decode, a slider moves the image, and training in the worker follows
// onnxruntime-node's losses while the main thread stays responsive.
import assert from 'node:assert/strict';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { nodeEngine } from '../../src/node.js';
import { loadModelDir } from '../../src/node/modelDir.js';
import { parseTrainConfig } from '../../src/train/trainConfig.js';
import { Trainer, type TrainData } from '../../src/train/trainer.js';
import { CANVAS_GREY, type DriverPage } from './browser.js';

/**
 * Sets the decoded view's sliders to z; resolves with the decoded canvas's grey bytes once it shows z.
 *
 * @example
 * const pixels = await setSliders(page, [0.5, -1.25]);
 */
export async function setSliders(page: DriverPage, z: number[]): Promise<number[]> {
  for (let i = 0; i < z.length; i++) await page.fill(`#z${i + 1}`, String(z[i]));
  await page.waitForFunction((want) => document.getElementById('decoded')!.dataset.z === want, JSON.stringify(z));
  return page.evaluate(CANVAS_GREY, 'decoded');
}

/**
 * The explorer (showing the 2-d model in `modelDir`) decodes a slider-chosen point to the pixels of the
 * Node decode (to rounding), and moving z1 by 1 changes the image.
 *
 * @example
 * await checkDecodeAndSlider(page, 'run/');
 */
export async function checkDecodeAndSlider(page: DriverPage, modelDir: string): Promise<void> {
  const z = [0.5, -1.25];
  const got = await setSliders(page, z);
  const { meta, params } = loadModelDir(modelDir);
  const want = await new VaeModel(nodeEngine({ threads: 1 }), meta.model, params).decode(Float32Array.from(z));
  assert.equal(got.length, 784);
  const worst = Math.max(...got.map((v, i) => Math.abs(v - Math.round(255 * want[i]))));
  assert.ok(worst <= 1, `largest pixel difference ${worst}`);
  const moved = await setSliders(page, [1.5, -1.25]);
  const changed = moved.filter((v, i) => Math.abs(v - got[i]) > 8).length;
  assert.ok(changed > 20, `moving z1 by 1 changed only ${changed} pixels`);
}

/** The training panel's settings a check uses (input #train-KEY ← value). */
export interface TrainSettings {
  latent: number;
  hidden: number;
  beta: number;
  epochs: number;
  batch: number;
  lr: number;
  seed: number;
  threads: number;
}

/**
 * Trains in the page's worker with `s` (paused and resumed once), checks the main thread answers a 20 ms
 * timer within 100 ms while it trains, and that every step's loss and the last test −ELBO follow the
 * library's Trainer on onnxruntime-node for the same seed (relative 2e-3: the wasm kernels). Returns the
 * page's last test −ELBO. `s.epochs` must leave training running past the probes (over 2 s here).
 *
 * @example
 * const pageTest = await checkTrainingFollowsNode(page, { latent: 2, hidden: 32, beta: 1, epochs: 3, batch: 100, lr: 0.002, seed: 5, threads: 1 });
 */
export async function checkTrainingFollowsNode(page: DriverPage, s: TrainSettings): Promise<number> {
  const attr = (name: string) => page.evaluate((n) => document.getElementById('train')!.getAttribute(n), name);
  const step = async () => Number(await attr('data-step'));
  await page.click('#train summary');
  for (const [k, v] of Object.entries(s)) await page.fill(`#train-${k}`, String(v));
  await page.click('#train-start');
  await page.waitForFunction(() => Number(document.getElementById('train')!.dataset.step ?? 0) >= 2, null);
  // pause, then resume: the run continues exactly (the loss comparison below covers every step)
  await page.click('#train-pause');
  await page.waitFor('#train[data-state="paused"]').catch(async (e: Error) => {
    const said = await page.evaluate(() => `${document.getElementById('train-status')!.textContent} ${document.getElementById('error')!.textContent}`);
    throw new Error(`${e.message}: state ${await attr('data-state')}, ${said}`);
  });
  const pausedAt = await step();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await step(), pausedAt, 'no steps while paused');
  await page.click('#train-resume');
  await page.waitForFunction((at) => Number(document.getElementById('train')!.dataset.step) > at, pausedAt);
  // the main thread answers while the worker trains: a 20 ms timer, 40 times, measured in the page
  const lags = await page.evaluate<number[]>(lagProbe('out.length >= 40'));
  const stepAfter = await step();
  assert.ok(Math.max(...lags) < 100, `page answered in ${lags.map((l) => l.toFixed(0)).join(', ')} ms`);
  await page.waitFor('#train[data-state="done"]', 180_000);
  const series = await page.evaluate(() => (globalThis as any).vaekitTraining as { train: [number, number][]; test: [number, number][] });
  assert.ok(stepAfter < series.train.length, `training had finished (step ${stepAfter}) before the probes ended; the probes did not overlap training`);
  const pageTest = Number(await attr('data-test-neg-elbo'));

  // the same run in Node
  await assertFollowsNode({ train: series.train, testNegElbo: pageTest }, s, await loadEmbeddedMnist(), 2e-3);
  return pageTest;
}

/**
 * Asserts that a page run's per-step losses and last test −ELBO follow the library's Trainer on onnxruntime-node
 * with the same settings on the same data, within `rel` relative (wasm and native kernels round differently).
 * `dataShape`: the model's input shape when it is not the digits' [1, 28, 28].
 *
 * @example
 * await assertFollowsNode(got, settings, await openDataSource(file, { testFraction: 0.1, seed }), 1e-4);
 */
export async function assertFollowsNode(got: { train: [number, number][]; testNegElbo: number }, s: TrainSettings, data: TrainData, rel: number, dataShape?: number[]): Promise<void> {
  const model = parseVaeConfig({ ...(dataShape && { dataShape }), latentDim: s.latent, hidden: [s.hidden], beta: s.beta });
  const training = parseTrainConfig({ epochs: s.epochs, batchSize: s.batch, lr: s.lr, seed: s.seed });
  const trainer = await Trainer.create(nodeEngine({ threads: 1 }), model, training, data);
  const nodeLoss: number[] = [];
  await trainer.run((e) => e.type === 'step' && nodeLoss.push(e.metrics.loss));
  assert.equal(got.train.length, nodeLoss.length);
  got.train.forEach(([, l], i) => assert.ok(Math.abs(l - nodeLoss[i]) <= rel * nodeLoss[i], `step ${i + 1}: page ${l} vs node ${nodeLoss[i]}`));
  const nodeTest = trainer.history.at(-1)!.test!.negElbo;
  assert.ok(Math.abs(got.testNegElbo - nodeTest) <= rel * nodeTest, `test −ELBO: page ${got.testNegElbo} vs node ${nodeTest}`);
}

/**
 * Page code measuring how long the main thread could not answer: a 20 ms timer, rescheduled until `done` (an
 * expression over `out`, the delays so far) holds; resolves with each delay past 20 ms. A string, so no
 * transpiler helpers leak into the page.
 *
 * @example
 * const lags = await page.evaluate<number[]>(lagProbe('out.length >= 40'));
 */
export function lagProbe(done: string): string {
  return `new Promise((resolve) => {
    const out = [];
    let last = performance.now();
    const tick = () => {
      const now = performance.now();
      out.push(now - last - 20);
      last = now;
      if (${done}) resolve(out);
      else setTimeout(tick, 20);
    };
    setTimeout(tick, 20);
  })`;
}
