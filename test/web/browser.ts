// Headless Chromium for the page tests (Debian's /usr/bin/chromium driven by playwright-core; nothing is
// downloaded). Without it the browser tests skip with what to install.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

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
