// The page's layout at 1280×800 and on a phone (390×844 CSS px, device pixel ratio 3, touch), in Chromium
// and in Firefox where installed: no sideways scrolling, and every key control (header, training panel
// opened, each view's inputs and buttons) is displayed, inside the viewport's width, reachable by vertical
// scrolling, on top (the element hit at its centre is the control), and on the phone at least 24 px in
// both directions (WCAG 2.2 target size). Screenshots go to a temp directory, or to VAEKIT_SCREENSHOTS=DIR
// (kept).
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { modelFile } from '../../src/io/modelFiles.js';
import { initVaeParams } from '../../src/models/vae.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { startExplorerServer, type ExplorerServer } from '../../src/node/explorerServer.js';
import { saveModelDir } from '../../src/node/modelDir.js';
import { Prng } from '../../src/random/prng.js';
import { buildExplorer } from '../../web/build.js';
import { tmp } from '../cli/helpers.js';
import { chromiumMissing, firefoxMissing, launchDriver, type DriverBrowser, type PageView } from './browser.js';

const dir = tmp('vaekit-layout-');
const shots = process.env.VAEKIT_SCREENSHOTS ?? path.join(dir, 'screenshots');
let server: ExplorerServer;

/** Controls a user needs, in page order (the training panel is opened first). */
const CONTROLS = [
  'header label.button', '#status', '#train summary',
  '#train-latent', '#train-hidden', '#train-beta', '#train-epochs', '#train-batch', '#train-lr', '#train-seed', '#train-threads',
  '#train-start', '#train-pause', '#train-resume', '#train-stop', '#train-download', '#train-explore',
  '#plane', 'button[data-png="plane"]', '#z1', '#z2', 'button[data-png="decoded"]',
  '#interp-a', '#pick-a', '#interp-b', '#pick-b', '#interp-mode', '#interp-steps', '#strip',
  '#pad', '#pad-clear', '#pad-recon', '#temperature', '#resample', '#samples',
];
/** Controls a finger must hit on a phone (canvases and the status line are not targets). */
const TARGETS = new Set(CONTROLS.filter((s) => !/status|strip|samples|recon|#plane$|#pad$/.test(s)));

const VIEWS: [string, PageView][] = [
  ['1280x800', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844, deviceScaleFactor: 3, isMobile: true }],
];

/**
 * What is wrong with the layout, in the page: a string, so no transpiler helpers leak in. Each control is
 * scrolled to the centre, then measured against the view's `width` px.
 */
const layoutProblems = (controls: string[], targets: string[], minTarget: number, width: number) => `(() => {
  const out = [];
  // the view's width, not innerWidth: a mobile browser widens the layout viewport to fit wide content
  const W = ${width}, H = window.innerHeight;
  if (window.innerWidth !== W) out.push('the layout viewport is ' + window.innerWidth + ' px wide, not the screen width ' + W + ' (zoomed out to fit wide content)');
  const sw = document.scrollingElement.scrollWidth;
  if (sw > W) out.push('the page scrolls sideways: scrollWidth ' + sw + ' > ' + W);
  for (const sel of ${JSON.stringify(controls)}) {
    const el = document.querySelector(sel);
    if (!el) { out.push(sel + ': missing'); continue; }
    if (el.getClientRects().length === 0) { out.push(sel + ': not displayed'); continue; }
    el.scrollIntoView({ block: 'center', inline: 'nearest' });
    const r = el.getBoundingClientRect();
    const box = Math.round(r.left) + ',' + Math.round(r.top) + ' ' + Math.round(r.width) + '×' + Math.round(r.height);
    if (r.width < 1 || r.height < 1) out.push(sel + ': empty box ' + box);
    if (r.left < -0.5 || r.right > W + 0.5) out.push(sel + ': outside the viewport width ' + W + ': ' + box);
    if (r.top < -0.5 || (r.bottom > H + 0.5 && r.height <= H)) out.push(sel + ': not scrolled into view: ' + box);
    const hit = document.elementFromPoint(Math.min(W - 1, r.left + r.width / 2), Math.min(H - 1, r.top + r.height / 2));
    if (!hit || !(el === hit || el.contains(hit) || hit.contains(el))) out.push(sel + ': covered by ' + (hit ? hit.tagName + (hit.id ? '#' + hit.id : '') + '.' + hit.className : 'nothing'));
    if (${JSON.stringify(targets)}.includes(sel) && (r.width < ${minTarget} || r.height < ${minTarget})) out.push(sel + ': target ' + box + ' smaller than ${minTarget} px');
  }
  window.scrollTo(0, 0);
  return out;
})()`;

before(async () => {
  const cfg = parseVaeConfig({ hidden: [64], latentDim: 2 });
  saveModelDir(path.join(dir, 'model'), { meta: modelFile(cfg, null, null, null), params: initVaeParams(cfg, new Prng(4)) });
  await buildExplorer(path.join(dir, 'site'));
  server = await startExplorerServer({ siteDir: path.join(dir, 'site'), modelDir: path.join(dir, 'model') });
  mkdirSync(shots, { recursive: true });
});
after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

for (const [name, missing] of [['chromium', chromiumMissing()], ['firefox', firefoxMissing()]] as const) {
  describe(`layout in ${name}`, { skip: missing }, () => {
    let browser: DriverBrowser;
    before(async () => void (browser = await launchDriver(name)));
    after(async () => browser?.close());
    for (const [label, view] of VIEWS) {
      test(`${label}: no sideways scroll; every key control displayed, inside the width, reachable and on top`, async () => {
        const page = await browser.newPage(view);
        try {
          await page.goto(server.url);
          await page.waitFor('body[data-ready]');
          assert.equal(await page.evaluate(() => document.getElementById('error')!.hidden), true, 'the page shows an error');
          await page.screenshot(path.join(shots, `${name}-${label}.png`));
          await page.click('#train summary');
          const problems = await page.evaluate<string[]>(layoutProblems(CONTROLS, [...TARGETS], view.isMobile ? 24 : 0, view.width));
          await page.screenshot(path.join(shots, `${name}-${label}-training-open.png`));
          assert.deepEqual(problems, [], `${browser.version} at ${view.width}×${view.height}`);
          assert.deepEqual(page.errors, []);
        } finally {
          await page.close();
        }
      });
    }
  });
}
