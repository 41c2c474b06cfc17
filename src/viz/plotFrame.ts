/**
 * The parts every SVG chart shares: page layout, axes with nice ticks and light grid lines, axis titles,
 * a title, and a legend to the right of the plot area (outside it, so it never hides data).
 * Charts (scatterSvg, lineChartSvg) compute domains, call `plotFrame`, and pass their marks to `render`.
 */
import { niceTicks, linearScale, type Ticks } from './axes.js';

/** One legend row: a dot (scatter classes) or a line segment (series). */
export interface LegendItem {
  label: string;
  color: string;
  mark: 'point' | 'line';
  dashed?: boolean;
}

/** Text and size options every chart takes. */
export interface ChartOptions {
  /** Pixels. Defaults: 640 × 480. */
  width?: number;
  height?: number;
  title?: string;
  xLabel?: string;
  yLabel?: string;
}

export interface FrameOptions extends ChartOptions {
  xDomain: [number, number];
  yDomain: [number, number];
  /** Smallest x tick step (1 for epochs, so no tick lands on 2.5). */
  xMinStep?: number;
  legend?: LegendItem[];
}

/** Scales from data to pixels and a `render` that wraps the chart's marks into a standalone SVG. */
export interface PlotFrame {
  sx: (x: number) => number;
  sy: (y: number) => number;
  /** The whole SVG document with `marks` drawn over the grid and under the axes' frame. */
  render: (marks: string) => string;
}

const CHAR_W = 7; // px, average glyph advance of a 12 px sans-serif font (for layout estimates only)
const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';
const DASH = '6 4';

/**
 * Lay out a chart and build its axes.
 *
 * @example
 * const f = plotFrame({ xDomain: [0, 1], yDomain: [0, 1], title: 'demo' });
 * const svg = f.render(`<circle class="point" cx="${px(f.sx(0.5))}" cy="${px(f.sy(0.5))}" r="3"/>`);
 */
export function plotFrame(o: FrameOptions): PlotFrame {
  const width = o.width ?? 640;
  const height = o.height ?? 480;
  const top = o.title ? 40 : 16;
  const bottom = 34 + (o.xLabel ? 20 : 0);
  const yTicks = niceTicks(o.yDomain[0], o.yDomain[1], Math.max(3, Math.round((height - top - bottom) / 55)));
  const left = (o.yLabel ? 28 : 8) + CHAR_W * Math.max(...yTicks.labels.map((l) => l.length)) + 10;
  const legend = o.legend ?? [];
  const legendW = legend.length ? 44 + CHAR_W * Math.max(...legend.map((l) => l.label.length)) : 0;
  const right = legend.length ? legendW + 24 : 20;
  const [x0, x1, y0, y1] = [left, width - right, height - bottom, top]; // plot area; y0 is the bottom edge
  const xTicks = withMinStep(niceTicks(o.xDomain[0], o.xDomain[1], Math.max(2, Math.round((x1 - x0) / 90))), o, x1 - x0);
  const sx = linearScale(o.xDomain, [x0, x1]);
  const sy = linearScale(o.yDomain, [y0, y1]);

  const parts: string[] = [];
  for (const [i, v] of xTicks.values.entries()) {
    const x = px(sx(v));
    parts.push(
      `<g class="tick" data-axis="x" data-value="${v}"><line class="grid" x1="${x}" y1="${y1}" x2="${x}" y2="${y0}" stroke="#e6e6e6"/>` +
        `<line x1="${x}" y1="${y0}" x2="${x}" y2="${y0 + 5}" stroke="#444"/>` +
        `<text x="${x}" y="${y0 + 19}" text-anchor="middle" fill="#333">${escapeXml(xTicks.labels[i])}</text></g>`,
    );
  }
  for (const [i, v] of yTicks.values.entries()) {
    const yv = sy(v);
    const y = px(yv);
    parts.push(
      `<g class="tick" data-axis="y" data-value="${v}"><line class="grid" x1="${x0}" y1="${y}" x2="${x1}" y2="${y}" stroke="#e6e6e6"/>` +
        `<line x1="${x0 - 5}" y1="${y}" x2="${x0}" y2="${y}" stroke="#444"/>` +
        `<text x="${x0 - 8}" y="${px(yv + 4)}" text-anchor="end" fill="#333">${escapeXml(yTicks.labels[i])}</text></g>`,
    );
  }
  const axes = parts.join('\n');
  const texts: string[] = [];
  if (o.title) {
    texts.push(`<text class="title" x="${px(width / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(o.title)}</text>`);
  }
  if (o.xLabel) {
    texts.push(`<text class="axis-title" data-axis="x" x="${px((x0 + x1) / 2)}" y="${height - 10}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  }
  if (o.yLabel) {
    const cy = px((y0 + y1) / 2);
    texts.push(`<text class="axis-title" data-axis="y" transform="translate(16 ${cy}) rotate(-90)" text-anchor="middle">${escapeXml(o.yLabel)}</text>`);
  }
  const legendSvg = legend.length ? drawLegend(legend, x1 + 16, y1, legendW) : '';

  const render = (marks: string) =>
    [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12">`,
      `<rect class="background" width="${width}" height="${height}" fill="#ffffff"/>`,
      axes,
      `<g class="marks">`,
      marks,
      `</g>`,
      `<rect class="frame" x="${x0}" y="${y1}" width="${px(x1 - x0)}" height="${px(y0 - y1)}" fill="none" stroke="#444"/>`,
      ...texts,
      legendSvg,
      `</svg>`,
      '',
    ].join('\n');
  return { sx, sy, render };
}

/** Legend box at (x, y) with one `legend-item` per entry, 20 px apart. */
function drawLegend(items: LegendItem[], x: number, y: number, w: number): string {
  const rows = items.map((it, i) => {
    const cy = 14 + 20 * i;
    const mark =
      it.mark === 'point'
        ? `<circle cx="14" cy="${cy}" r="5" fill="${it.color}"/>`
        : `<line x1="4" y1="${cy}" x2="26" y2="${cy}" stroke="${it.color}" stroke-width="2.5"${it.dashed ? ` stroke-dasharray="${DASH}"` : ''}/>`;
    return `<g class="legend-item">${mark}<text x="34" y="${cy + 4}" fill="#222">${escapeXml(it.label)}</text></g>`;
  });
  return [
    `<g class="legend" transform="translate(${px(x)} ${px(y)})">`,
    `<rect width="${px(w)}" height="${8 + 20 * items.length}" fill="#ffffff" stroke="#cccccc" rx="3"/>`,
    ...rows,
    `</g>`,
  ].join('\n');
}

/** Raise the tick step to `xMinStep` when the nice step is finer (e.g. 0.5 epochs). */
function withMinStep(t: Ticks, o: FrameOptions, plotW: number): Ticks {
  if (!o.xMinStep || t.step >= o.xMinStep) return t;
  const span = o.xDomain[1] - o.xDomain[0];
  return niceTicks(o.xDomain[0], o.xDomain[1], Math.max(1, Math.min(Math.round(plotW / 90), Math.floor(span / o.xMinStep))));
}

/**
 * Pixel coordinate as short deterministic text: 2 decimals, no trailing zeros.
 *
 * @example
 * px(12.3456); // "12.35"
 */
export function px(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/**
 * Escape text for SVG/XML content and attributes; control characters XML forbids become U+FFFD.
 *
 * @example
 * escapeXml('a < b & "c"'); // "a &lt; b &amp; &quot;c&quot;"
 */
export function escapeXml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
