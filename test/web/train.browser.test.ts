// Training in the page (a Web Worker on onnxruntime-web wasm) in headless Chromium: the losses follow the
// library's Trainer on onnxruntime-node for the same seed (across a pause and resume), the page answers
// within 100 ms while it trains,
// and the downloaded model loads in the CLI, whose `eval` repeats the page's last test −ELBO.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { type ExplorerServer } from '../../src/node/explorerServer.js';
import { cli, show, tmp } from '../cli/helpers.js';
import { asDriverPage, chromiumMissing } from './browser.js';
import { checkTrainingFollowsNode } from './pageChecks.js';
import { closeTrainingPage, downloadTrainedModel, openTrainingPage } from './trainingPage.js';

const missing = chromiumMissing();
const dir = tmp('vaekit-webtrain-');
const SETTINGS = { latent: 2, hidden: 32, beta: 1, epochs: 3, batch: 100, lr: 0.002, seed: 5, threads: 1 };
let browser: Browser;
let page: Page;
let server: ExplorerServer;

describe('training in the page', { skip: missing }, () => {
  before(async () => ({ browser, page, server } = await openTrainingPage(dir)));
  after(() => closeTrainingPage({ browser, page, server }, dir));

  test('trains in a worker while the page stays responsive; losses follow onnxruntime-node; eval repeats its test −ELBO', async () => {
    const pageTest = await checkTrainingFollowsNode(asDriverPage(page), SETTINGS);
    await page.locator('#train').screenshot({ path: path.join(dir, 'train.png') });

    // the downloaded model directory loads in the CLI and eval repeats the page's number
    const modelDir = path.join(dir, 'downloaded');
    await downloadTrainedModel(page, modelDir);
    const r = await cli(['eval', '--model', modelDir, '--json', '--threads', '1']);
    assert.equal(r.code, 0, show(r));
    const ev = JSON.parse(r.stdout);
    assert.equal(ev.examples, 2000);
    assert.ok(Math.abs(ev.negElbo - pageTest) <= 1e-4 * pageTest, `vaekit eval ${ev.negElbo} vs page ${pageTest}`);
  });
});
