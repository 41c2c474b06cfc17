/**
 * The SVG chart API in one import. Each chart is a standalone, deterministic SVG string (no DOM, no `node:*`);
 * turn it into PNG with `svgToPng` from `vaekit/node`, or put it straight into a web page.
 *
 * @example
 * import { scatterSvg, lineChartSvg, panelsSvg } from './viz/svgPlot.js';
 * const svg = panelsSvg([scatterSvg({ x, y, labels }), lineChartSvg(curves)]);
 */
export { scatterSvg, type ScatterPoints, type ScatterOptions } from './scatterSvg.js';
export { lineChartSvg, type LineSeries, type LineChartOptions } from './lineChartSvg.js';
export { panelsSvg } from './panelsSvg.js';
export { type ChartOptions, type LegendItem, escapeXml } from './plotFrame.js';
export { niceTicks, formatTick, type Ticks } from './axes.js';
export { CATEGORICAL_PALETTE, categoricalColor } from './palette.js';
