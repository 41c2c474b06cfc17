import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { decode } from 'fast-png';
import { svgToPng } from '../../src/node/svgToPng.js';
import { scatterSvg, categoricalColor } from '../../src/viz/svgPlot.js';
import { VaekitError } from '../../src/errors.js';

const hexToRgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

// three well separated, opaque, big dots with labels 0, 3, 9
const svg = scatterSvg(
  { x: [0, 5, 10], y: [0, 8, 3], labels: [0, 3, 9] },
  { title: 'Latent means', xLabel: 'z1', yLabel: 'z2', pointRadius: 6, pointOpacity: 1 },
);
const centres = [...svg.matchAll(/class="point" cx="([^"]+)" cy="([^"]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);

function pixel(png: ReturnType<typeof decode>, x: number, y: number): number[] {
  const o = (Math.round(y) * png.width + Math.round(x)) * png.channels;
  return Array.from(png.data.subarray(o, o + 3));
}

test('svgToPng renders the scatter at its own size with each point in its label colour', () => {
  const png = decode(svgToPng(svg));
  assert.deepEqual([png.width, png.height], [640, 480]);
  assert.equal(centres.length, 3);
  [0, 3, 9].forEach((label, i) => {
    const [cx, cy] = centres[i];
    const got = pixel(png, cx, cy);
    const want = hexToRgb(categoricalColor(label));
    assert.ok(got.every((v, c) => Math.abs(v - want[c]) <= 2), `point ${i} at (${cx}, ${cy}): rgb ${got} vs ${want}`);
  });
  assert.deepEqual(pixel(png, 2, 2), [255, 255, 255], 'white background');
});

test('svgToPng scales to the requested width', () => {
  const png = decode(svgToPng(svg, 1280));
  assert.deepEqual([png.width, png.height], [1280, 960]);
  const [cx, cy] = centres[1];
  const want = hexToRgb(categoricalColor(3));
  assert.ok(pixel(png, 2 * cx, 2 * cy).every((v, c) => Math.abs(v - want[c]) <= 2));
});

// resvg draws no text on a machine without fonts; skip there rather than fail
const fontDirs = ['/usr/share/fonts', '/usr/local/share/fonts', '/System/Library/Fonts', 'C:\\Windows\\Fonts'];
const noFonts = fontDirs.every((d) => !existsSync(d)) && 'no system font directory found';

test('text renders with the system fonts (dark pixels where the title is)', { skip: noFonts }, () => {
  const png = decode(svgToPng(svg));
  let dark = 0;
  for (let y = 10; y < 30; y++) for (let x = 200; x < 440; x++) if (pixel(png, x, y)[0] < 100) dark++;
  assert.ok(dark > 50, `title glyph pixels: ${dark} (0 means no font was found: install e.g. fonts-dejavu-core)`);
});

test('svgToPng reports malformed SVG and bad widths as VaekitError', () => {
  assert.throws(() => svgToPng('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>'), (e) => e instanceof VaekitError && /could not render/.test(e.message));
  assert.throws(() => svgToPng(svg, 0), VaekitError);
});
