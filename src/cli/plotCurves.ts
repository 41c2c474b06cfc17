/** `vaekit plot curves`: −ELBO, reconstruction and KL per epoch from a run's metrics.jsonl, three panels. */
import { schemaIssues } from '../schemaIssues.js';
import path from 'node:path';
import { type Command } from 'commander';
import { z } from 'zod';
import { VaekitError } from '../errors.js';
import { readRegularFile } from '../node/safeRead.js';
import { lineChartSvg, panelsSvg, type LineSeries } from '../viz/svgPlot.js';
import { categoricalColor } from '../viz/palette.js';
import { addJsonOption } from './options.js';
import { print, printJson, writeChart } from './output.js';
import { METRICS_FILE } from './runDir.js';

interface PlotCurvesFlags {
  run: string;
  out: string;
  json?: boolean;
}

const Elbo = z.object({ negElbo: z.number(), recon: z.number(), kl: z.number() });
const EpochLine = z.object({ epoch: z.number().int().positive(), train: Elbo, val: Elbo.optional(), test: Elbo.optional() });
type EpochLine = z.infer<typeof EpochLine>;

/**
 * Adds `vaekit plot curves --run DIR --out F.svg|png`.
 *
 * @example
 * registerPlotCurves(plot);
 */
export function registerPlotCurves(plot: Command): void {
  const cmd = plot
    .command('curves')
    .description('training curves from DIR/metrics.jsonl: −ELBO, reconstruction and KL (nats per example) per epoch, train solid, val/test dashed')
    .requiredOption('--run <dir>', 'training run directory')
    .requiredOption('--out <file>', 'output .svg or .png');
  addJsonOption(cmd).action((o: PlotCurvesFlags) => plotCurves(o));
}

function plotCurves(o: PlotCurvesFlags): void {
  const file = path.join(o.run, METRICS_FILE);
  const epochs = readMetrics(file);
  const splits = (['train', 'val', 'test'] as const).filter((s) => epochs.some((e) => e[s] !== undefined));
  const panels = (['negElbo', 'recon', 'kl'] as const).map((metric) => {
    const series: LineSeries[] = splits.map((s, k) => ({
      name: s,
      x: epochs.map((e) => e.epoch),
      y: epochs.map((e) => e[s]?.[metric] ?? NaN), // a missing value leaves a gap
      color: categoricalColor(k),
      dashed: s !== 'train',
    }));
    const title = { negElbo: '−ELBO', recon: 'reconstruction −log p(x|z)', kl: 'KL(q(z|x) ‖ p(z))' }[metric];
    return lineChartSvg(series, { title, xLabel: 'epoch', yLabel: 'nats per example', width: 480, height: 360 });
  });
  const format = writeChart(o.out, panelsSvg(panels));
  if (o.json) printJson({ out: o.out, format, epochs: epochs.length, series: splits });
  else print(`wrote ${o.out}: ${epochs.length} epochs of ${splits.join(', ')} −ELBO, reconstruction and KL`);
}

/** Largest metrics.jsonl read: 256 MiB, about a million epochs. */
const MAX_METRICS_BYTES = 256 << 20;

/** Parses metrics.jsonl; a bad line is an error naming the file and line. */
function readMetrics(file: string): EpochLine[] {
  let text: string;
  try {
    text = readRegularFile(file, { maxBytes: MAX_METRICS_BYTES, what: 'metrics file' }).toString('utf8');
  } catch (e) {
    if (!(e instanceof VaekitError)) throw e;
    throw new VaekitError(`${e.message}; is --run a directory written by vaekit train?`, 'E_DATA_MISSING');
  }
  const out: EpochLine[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      throw new VaekitError(`${file}:${i + 1}: not valid JSON (${(e as Error).message})`, 'E_DATA');
    }
    const r = EpochLine.safeParse(raw);
    if (!r.success) throw new VaekitError(`${file}:${i + 1}: not an epoch record: ${schemaIssues(r.error, '(line)')}`, 'E_DATA');
    out.push(r.data);
  });
  if (out.length === 0) throw new VaekitError(`${file}: no epochs yet; it gets a line after each finished epoch`, 'E_DATA');
  return out;
}
