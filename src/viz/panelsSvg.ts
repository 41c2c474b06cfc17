/**
 * Put several standalone SVG charts side by side (wrapping after `cols`) in one SVG, e.g. the three
 * training-curve panels −ELBO | reconstruction | KL. Each chart keeps its own size; charts are nested
 * `<svg>` elements, so none of their coordinates change.
 */
import { VaekitError } from '../errors.js';

/**
 * Tile charts into rows of `cols` (default: all in one row), `gap` px apart (default 0), on white.
 *
 * @example
 * const svg = panelsSvg([
 *   lineChartSvg(nelbo, { title: '−ELBO' }),
 *   lineChartSvg(recon, { title: 'reconstruction' }),
 *   lineChartSvg(kl, { title: 'KL' }),
 * ]);
 */
export function panelsSvg(charts: string[], opts: { cols?: number; gap?: number } = {}): string {
  if (charts.length === 0) throw new VaekitError('panelsSvg: no charts to place', 'E_ARG');
  const cols = opts.cols ?? charts.length;
  const gap = opts.gap ?? 0;
  const sizes = charts.map(rootSize);
  const rows = Math.ceil(charts.length / cols);
  // column widths and row heights: the largest chart in each column/row
  const colW = Array.from({ length: cols }, (_, c) => Math.max(0, ...sizes.filter((_, i) => i % cols === c).map((s) => s.width)));
  const rowH = Array.from({ length: rows }, (_, r) => Math.max(0, ...sizes.slice(r * cols, (r + 1) * cols).map((s) => s.height)));
  const xAt = (c: number) => colW.slice(0, c).reduce((a, b) => a + b + gap, 0);
  const yAt = (r: number) => rowH.slice(0, r).reduce((a, b) => a + b + gap, 0);
  const width = xAt(cols - 1) + colW[cols - 1];
  const height = yAt(rows - 1) + rowH[rows - 1];
  const nested = charts.map((svg, i) => {
    const body = svg.replace(/^\s*(<\?xml[^>]*>\s*)?/, '');
    return body.replace(/^<svg\b/, `<svg x="${xAt(i % cols)}" y="${yAt(Math.floor(i / cols))}"`);
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect class="background" width="${width}" height="${height}" fill="#ffffff"/>`,
    ...nested,
    `</svg>`,
    '',
  ].join('\n');
}

/** width and height attributes of the chart's root `<svg>` (px). */
function rootSize(svg: string, index: number): { width: number; height: number } {
  const root = /^\s*(?:<\?xml[^>]*>\s*)?<svg\b([^>]*)>/.exec(svg);
  const attr = (name: string) => Number(new RegExp(`\\s${name}="([0-9.]+)(?:px)?"`).exec(root?.[1] ?? '')?.[1]);
  const width = attr('width');
  const height = attr('height');
  if (!root || !(width > 0) || !(height > 0)) {
    throw new VaekitError(
      `panelsSvg: chart ${index} does not start with <svg ... width="…" height="…">; pass charts made by scatterSvg or lineChartSvg`,
      'E_ARG',
    );
  }
  return { width, height };
}
