/**
 * Line chart as standalone SVG: training curves (−ELBO, reconstruction, KL per epoch, train vs test).
 */
import { VaekitError } from '../errors.js';
import { paddedExtent } from './axes.js';
import { categoricalColor } from './palette.js';
import { escapeXml, plotFrame, px, type ChartOptions, type LegendItem } from './plotFrame.js';

/** One curve. Non-finite y values (a diverged epoch) leave a gap instead of failing the plot. */
export interface LineSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  dashed?: boolean;
  /** CSS colour; default the palette colour of the series index (pass the same colour for train/test pairs). */
  color?: string;
}

export interface LineChartOptions extends ChartOptions {
  /** Draw a dot at each point when a series has at most this many points. Default 40. */
  markersUpTo?: number;
}

/**
 * Line chart with one `<path class="series">` per series, a `legend-item` per series, and axes.
 * When every x is an integer (epochs) the x ticks are integers too.
 *
 * @example
 * const svg = lineChartSvg([
 *   { name: 'train −ELBO', x: epochs, y: trainNelbo, color: '#1f77b4' },
 *   { name: 'test −ELBO', x: epochs, y: testNelbo, color: '#1f77b4', dashed: true },
 * ], { title: 'Fashion-MNIST VAE', xLabel: 'epoch', yLabel: 'nats per example' });
 */
export function lineChartSvg(series: LineSeries[], opts: LineChartOptions = {}): string {
  if (series.length === 0) throw new VaekitError('lineChartSvg: no series to plot', 'E_ARG');
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of series) {
    if (s.x.length !== s.y.length) {
      throw new VaekitError(`lineChartSvg: series "${s.name}" has ${s.x.length} x values but ${s.y.length} y values`, 'E_SHAPE');
    }
    for (let i = 0; i < s.x.length; i++) {
      if (!Number.isFinite(s.x[i])) throw new VaekitError(`lineChartSvg: series "${s.name}" has x[${i}] = ${s.x[i]}; x must be finite`, 'E_DATA');
      xs.push(s.x[i]);
      ys.push(s.y[i]);
    }
  }
  const xExtent = paddedExtent(xs, 0.02); // a little room so end markers are not cut by the frame
  const legend: LegendItem[] = series.map((s, i) => ({ label: s.name, color: colorOf(s, i), mark: 'line', dashed: s.dashed }));
  const frame = plotFrame({
    ...opts,
    xDomain: xExtent,
    yDomain: paddedExtent(ys, 0.05),
    xMinStep: xs.every(Number.isInteger) ? 1 : undefined,
    legend,
  });

  const markersUpTo = opts.markersUpTo ?? 40;
  const marks = series.map((s, k) => {
    const color = colorOf(s, k);
    let d = '';
    let penDown = false; // false after a gap: the next finite point starts a new sub-path
    const dots: string[] = [];
    for (let i = 0; i < s.x.length; i++) {
      if (!Number.isFinite(s.y[i])) {
        penDown = false;
        continue;
      }
      const [cx, cy] = [px(frame.sx(s.x[i])), px(frame.sy(s.y[i]))];
      d += `${penDown ? 'L' : 'M'}${cx} ${cy}`;
      penDown = true;
      if (s.x.length <= markersUpTo) dots.push(`<circle class="marker" cx="${cx}" cy="${cy}" r="2.5"/>`);
    }
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    return (
      `<g class="series-group" fill="${color}">` +
      `<path class="series" d="${d}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"${dash}/>` +
      dots.join('') +
      `</g>`
    );
  });
  return frame.render(marks.join('\n'));
}

/** The series colour, escaped for use inside an attribute. */
function colorOf(s: LineSeries, index: number): string {
  return s.color === undefined ? categoricalColor(index) : escapeXml(s.color);
}
