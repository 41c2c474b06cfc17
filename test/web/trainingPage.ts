// The setup the page tests that train share: the explorer built into DIR/site, served on a free port, and
// opened in headless Chromium at 1280×800 with downloads accepted (page errors echoed to stderr).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type Download, type Page } from 'playwright-core';
import { startExplorerServer, type ExplorerServer } from '../../src/node/explorerServer.js';
import { buildExplorer } from '../../web/build.js';
import { cli, show, TINY, writeDigitsDir } from '../cli/helpers.js';
import { launchChromium } from './browser.js';

export interface OpenedPage {
  browser: Browser;
  page: Page;
  server: ExplorerServer;
}

/**
 * Builds, serves and opens the page; waits until it is ready and, with `trainPanel`, opens the training panel.
 * @example before(async () => ({ browser, page, server } = await openTrainingPage(dir, { trainPanel: true })));
 */
export async function openTrainingPage(dir: string, opts: { trainPanel?: boolean } = {}): Promise<OpenedPage> {
  await buildExplorer(path.join(dir, 'site'));
  const server = await startExplorerServer({ siteDir: path.join(dir, 'site') });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
  if (opts.trainPanel) await page.locator('#train summary').click();
  return { browser, page, server };
}

/** Closes what {@link openTrainingPage} opened (any part may be missing after a failed start) and removes dir. */
export async function closeTrainingPage(opened: Partial<OpenedPage>, dir: string): Promise<void> {
  await opened.browser?.close();
  await opened.server?.close();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * For the explorer tests: a tiny model trained by the CLI on the digits into DIR/run while the page is built into
 * DIR/site (both at once).
 * @example await trainModelAndBuildSite(dir); // then serve DIR/site with DIR/run
 */
export async function trainModelAndBuildSite(dir: string): Promise<void> {
  const digits = path.join(dir, 'digits');
  await writeDigitsDir(digits);
  const [r] = await Promise.all([
    cli(['train', ...TINY, '--data', digits, '--seed', '3', '--out', path.join(dir, 'run'), '--threads', '1']),
    buildExplorer(path.join(dir, 'site')),
  ]);
  assert.equal(r.code, 0, show(r));
}

/**
 * Clicks the training panel's download and saves the model directory's two files (config.json and
 * weights.safetensors) into a new folder `to`; returns the parsed config.json.
 * @example const cfg = await downloadTrainedModel(page, path.join(dir, 'model'));
 */
export async function downloadTrainedModel(page: Page, to: string): Promise<Record<string, any>> {
  mkdirSync(to);
  const saved = new Promise<void>((resolve) => {
    let n = 0;
    const on = async (d: Download) => {
      await d.saveAs(path.join(to, d.suggestedFilename()));
      if (++n === 2) {
        page.off('download', on);
        resolve();
      }
    };
    page.on('download', on);
  });
  await page.locator('#train-download').click();
  await saved;
  return JSON.parse(readFileSync(path.join(to, 'config.json'), 'utf8'));
}
