// Headless Chromium for the page tests (Debian's /usr/bin/chromium driven by playwright-core; nothing is
// downloaded). Without it the browser tests skip with what to install.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { type Page as PuppeteerPage } from 'puppeteer-core';

/** Where Debian's chromium package puts the browser (override with VAEKIT_CHROMIUM). */
export const CHROMIUM = process.env.VAEKIT_CHROMIUM ?? '/usr/bin/chromium';

/** The skip message when Chromium is absent, else undefined. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `Chromium not found at ${CHROMIUM}: apt-get install chromium (or set VAEKIT_CHROMIUM)`;
}

/** Starts headless Chromium (no sandbox: tests run as root in containers). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/** Grey bytes (the R channel) of a canvas, row-major, read in the page. */
export const CANVAS_GREY = (id: string): number[] => {
  const c = document.getElementById(id) as HTMLCanvasElement;
  const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
  return Array.from({ length: c.width * c.height }, (_, i) => d[4 * i]);
};

// ---- one small driver over playwright-core pages (Chromium) and puppeteer-core pages (Firefox), so the
// same page checks (test/web/pageChecks.ts) run in both browsers. Playwright's Firefox needs its own
// patched build and its BiDi channel asks stock Firefox ESR for commands it lacks
// (emulation.setMediaFeaturesOverride); puppeteer-core drives stock Firefox over WebDriver BiDi.

/** Where Debian's firefox-esr package puts the browser (override with VAEKIT_FIREFOX). */
export const FIREFOX = process.env.VAEKIT_FIREFOX ?? '/usr/bin/firefox-esr';

/** The skip message when Firefox is absent, else undefined. */
export function firefoxMissing(): string | undefined {
  return existsSync(FIREFOX) ? undefined : `Firefox not found at ${FIREFOX}: apt-get install firefox-esr (or set VAEKIT_FIREFOX)`;
}

/** A page's viewport: CSS pixels, device pixel ratio, and a phone's touch and meta-viewport handling (isMobile: Chromium). */
export interface PageView {
  width: number;
  height: number;
  deviceScaleFactor?: number;
  isMobile?: boolean;
}

/** The page operations the shared checks use. Functions given to evaluate run in the page. */
export interface DriverPage {
  /** Uncaught errors the page threw so far. */
  readonly errors: string[];
  goto(url: string): Promise<void>;
  waitFor(selector: string, timeoutMs?: number): Promise<void>;
  /** A function of one argument, or an expression string (awaited when it is a promise). */
  evaluate<R, A = undefined>(fn: ((arg: A) => R | Promise<R>) | string, arg?: A): Promise<R>;
  waitForFunction<A>(fn: (arg: A) => unknown, arg: A, timeoutMs?: number): Promise<void>;
  /** Sets an input's value as a user would (input and change events). */
  fill(selector: string, value: string): Promise<void>;
  click(selector: string): Promise<void>;
  /** Picks files in an `<input type="file">`, as a user would in its dialog. */
  setInputFiles(selector: string, files: string[]): Promise<void>;
  /** The element's screenshot, or the full page's without a selector. */
  screenshot(file: string, selector?: string): Promise<void>;
  close(): Promise<void>;
}

/** A running browser that opens driver pages. */
export interface DriverBrowser {
  name: 'chromium' | 'firefox';
  version: string;
  newPage(view: PageView): Promise<DriverPage>;
  close(): Promise<void>;
}

/**
 * Headless Chromium (playwright-core) or Firefox (puppeteer-core over WebDriver BiDi) behind one interface.
 * `opts.downloadDir` (Firefox only): where the page's downloads are saved, without a dialog.
 *
 * @example
 * const browser = await launchDriver('firefox');
 * const page = await browser.newPage({ width: 1280, height: 800 });
 * await page.goto(url);
 */
export async function launchDriver(name: 'chromium' | 'firefox', args: string[] = [], opts: { downloadDir?: string } = {}): Promise<DriverBrowser> {
  if (name === 'chromium') {
    const b = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', ...args] });
    return { name, version: b.version(), newPage: async (view) => playwrightPage(await b.newPage({ viewport: { width: view.width, height: view.height }, deviceScaleFactor: view.deviceScaleFactor, isMobile: view.isMobile, hasTouch: view.isMobile })), close: () => b.close() };
  }
  const { default: puppeteer } = await import('puppeteer-core');
  // downloads (Firefox): saved without asking into downloadDir, as a user's "always save" setting does
  const saveTo = opts.downloadDir && {
    'browser.download.folderList': 2,
    'browser.download.dir': opts.downloadDir,
    'browser.download.useDownloadDir': true,
    'browser.download.always_ask_before_handling_new_types': false,
    'browser.helperApps.neverAsk.saveToDisk': 'application/json,application/octet-stream',
  };
  const b = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, args, extraPrefsFirefox: saveTo || {} });
  const version = await b.version();
  return {
    name,
    version,
    newPage: async (view) => {
      const p = await b.newPage();
      await p.setViewport({ width: view.width, height: view.height, deviceScaleFactor: view.deviceScaleFactor ?? 1, isMobile: view.isMobile, hasTouch: view.isMobile });
      return puppeteerPage(p);
    },
    close: () => b.close(),
  };
}

/**
 * A DriverPage over a playwright-core page a test already holds.
 *
 * @example
 * await checkDecodeAndSlider(asDriverPage(page), modelDir);
 */
export function asDriverPage(p: Page): DriverPage {
  return playwrightPage(p);
}

function playwrightPage(p: Page): DriverPage {
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(e.message));
  return {
    errors,
    goto: async (url) => void (await p.goto(url)),
    waitFor: async (sel, timeout = 60_000) => void (await p.waitForSelector(sel, { timeout })),
    evaluate: <R, A>(fn: ((arg: A) => R | Promise<R>) | string, arg?: A) => (typeof fn === 'string' ? p.evaluate(fn) : p.evaluate(fn as never, arg)) as Promise<R>,
    waitForFunction: async (fn, arg, timeout = 60_000) => void (await p.waitForFunction(fn as never, arg, { timeout })),
    fill: (sel, value) => p.locator(sel).fill(value),
    click: (sel) => p.locator(sel).click(),
    setInputFiles: (sel, files) => p.locator(sel).setInputFiles(files),
    screenshot: async (file, sel) => void (await (sel ? p.locator(sel).screenshot({ path: file }) : p.screenshot({ path: file, fullPage: true }))),
    close: () => p.close(),
  };
}

function puppeteerPage(p: PuppeteerPage): DriverPage {
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(e instanceof Error ? e.message : String(e)));
  return {
    errors,
    goto: async (url) => void (await p.goto(url)),
    waitFor: async (sel, timeout = 60_000) => void (await p.waitForSelector(sel, { timeout })),
    evaluate: <R, A>(fn: ((arg: A) => R | Promise<R>) | string, arg?: A) => (typeof fn === 'string' ? p.evaluate(fn) : p.evaluate(fn as never, arg)) as Promise<R>,
    waitForFunction: async (fn, arg, timeout = 60_000) => void (await p.waitForFunction(fn as never, { timeout }, arg)),
    fill: (sel, value) => p.locator(sel).fill(value),
    click: (sel) => p.locator(sel).click(),
    setInputFiles: async (sel, files) => {
      const input = await p.$(sel);
      if (!input) throw new Error(`setInputFiles: no element ${sel}`);
      await (input as import('puppeteer-core').ElementHandle<HTMLInputElement>).uploadFile(...files);
    },
    screenshot: async (file, sel) => {
      if (!sel) return void (await p.screenshot({ path: file as `${string}.png`, fullPage: true }));
      const el = await p.$(sel);
      if (!el) throw new Error(`screenshot: no element ${sel}`);
      await el.screenshot({ path: file as `${string}.png` });
    },
    close: () => p.close(),
  };
}

/**
 * Headless Chromium with WebGPU enabled (--enable-unsafe-webgpu: headless Linux Chromium has it off). On a
 * machine without a GPU its adapter is SwiftShader's (software, isFallbackAdapter).
 *
 * @example
 * const browser = await launchChromiumWebGpu();
 */
export function launchChromiumWebGpu(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--enable-unsafe-webgpu'] });
}

/**
 * The page's WebGPU adapter as "vendor architecture[, fallback]", or null when there is none (the page must
 * be a secure context, e.g. http://localhost).
 *
 * @example
 * await webGpuAdapter(page); // 'google swiftshader, fallback'
 */
export async function webGpuAdapter(page: Page): Promise<string | null> {
  return page.evaluate(async () => {
    const gpu = (navigator as { gpu?: { requestAdapter(): Promise<any> } }).gpu;
    const a = gpu ? await gpu.requestAdapter() : null;
    if (!a) return null;
    const info = a.info ?? {};
    return `${info.vendor} ${info.architecture}${info.isFallbackAdapter || a.isFallbackAdapter ? ', fallback' : ''}`;
  });
}
