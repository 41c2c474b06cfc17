/**
 * Scatter plot as standalone SVG, coloured by class label (latent means of test digits, PCA of z).
 */
import { VaekitError } from '../errors.js';
import { paddedExtent } from './axes.js';
import { categoricalColor } from './palette.js';
import { plotFrame, px, type ChartOptions, type LegendItem } from './plotFrame.js';

/** Points: x[i], y[i], and optionally an integer class label[i] ≥ 0 named labelNames[label]. */
export interface ScatterPoints {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  labels?: ArrayLike<number>;
  /** Legend text per label value; default the number itself. */
  labelNames?: string[];
}

export interface ScatterOptions extends ChartOptions {
  /** Dot radius in px. Default 2.5. */
  pointRadius?: number;
  /** Dot opacity in (0, 1]. Default 0.75, so dense clusters show their density. */
  pointOpacity?: number;
}

/**
 * Scatter plot: one `<circle class="point">` per point, drawn in input order (so no class is always on top),
 * coloured by label with `categoricalColor`, with one `legend-item` per distinct label (ascending).
 *
 * @example
 * const svg = scatterSvg({ x: z0, y: z1, labels: testLabels, labelNames: FASHION_CLASSES },
 *   { title: 'Latent means, test set', xLabel: 'z₁', yLabel: 'z₂' });
 */
export function scatterSvg(points: ScatterPoints, opts: ScatterOptions = {}): string {
  const { x, y, labels } = points;
  const n = x.length;
  if (y.length !== n || (labels && labels.length !== n)) {
    throw new VaekitError(
      `scatterSvg: x has ${n} values, y ${y.length}` + (labels ? `, labels ${labels.length}` : '') + '; give one of each per point',
      'E_SHAPE',
    );
  }
  if (n === 0) throw new VaekitError('scatterSvg: no points to plot', 'E_ARG');
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) {
      throw new VaekitError(`scatterSvg: point ${i} is (${x[i]}, ${y[i]}); coordinates must be finite numbers`, 'E_DATA');
    }
    if (labels && !(Number.isInteger(labels[i]) && labels[i] >= 0)) {
      throw new VaekitError(`scatterSvg: label of point ${i} is ${labels[i]}; labels must be integers ≥ 0 (class indices)`, 'E_DATA');
    }
  }

  const distinct = labels ? [...new Set(Array.from(labels))].sort((a, b) => a - b) : [];
  const legend: LegendItem[] = distinct.map((k) => ({
    label: points.labelNames?.[k] ?? String(k),
    color: categoricalColor(k),
    mark: 'point',
  }));
  const frame = plotFrame({ ...opts, xDomain: paddedExtent(x, 0.04), yDomain: paddedExtent(y, 0.04), legend });

  const r = px(opts.pointRadius ?? 2.5);
  const opacity = opts.pointOpacity ?? 0.75;
  const dots: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const color = labels ? categoricalColor(labels[i]) : categoricalColor(0);
    dots[i] = `<circle class="point" cx="${px(frame.sx(x[i]))}" cy="${px(frame.sy(y[i]))}" r="${r}" fill="${color}"/>`;
  }
  // one group opacity attribute instead of one per dot keeps big plots small; per-dot fill keeps input order
  return frame.render(`<g fill-opacity="${opacity}">\n${dots.join('\n')}\n</g>`);
}
