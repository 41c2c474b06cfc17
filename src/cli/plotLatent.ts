/** `vaekit plot latent`: posterior means μ(x) of a split, coloured by label (PCA when d ≠ 2). */
import { type Command } from 'commander';
import { pca2 } from '../eval/pca.js';
import { scatterSvg } from '../viz/svgPlot.js';
import { dataForModel, dataLabels, firstImages, loadModel, makeEngine } from './common.js';
import { classNamesOf } from './datasets.js';
import { addDatasetOptions, addJsonOption, addModelOptions, type DatasetFlags, intArg } from './options.js';
import { fmt, print, printJson, writeChart } from './output.js';

interface PlotLatentFlags extends DatasetFlags {
  model: string;
  n: number;
  out: string;
  threads?: number;
  json?: boolean;
}

/**
 * Adds `vaekit plot latent --model DIR [--dataset …] [--split test] [--n 5000] --out F.svg|png`.
 *
 * @example
 * registerPlotLatent(plot);
 */
export function registerPlotLatent(plot: Command): void {
  const cmd = plot
    .command('latent')
    .description('scatter of the posterior means μ(x) of the first N examples, coloured by label; PCA of μ when the latent is not 2-D')
    .option('--n <n>', 'number of examples', intArg(2), 5000)
    .requiredOption('--out <file>', 'output .svg or .png');
  addJsonOption(addDatasetOptions(addModelOptions(cmd))).action((o: PlotLatentFlags) => plotLatent(o));
}

async function plotLatent(o: PlotLatentFlags): Promise<void> {
  const m = loadModel(o.model, makeEngine(o.threads));
  const { ds, spec } = await dataForModel(m, o);
  const { images, labels, n } = firstImages(ds, o.n);
  const { mu } = await m.model.encode(images, dataLabels(m, labels, ds.name)); // [n, L]
  const L = m.model.latentDim;
  let x: Float32Array;
  let y: Float32Array;
  let axes: [string, string];
  let explained: [number, number] | undefined;
  if (L === 2) {
    x = mu.filter((_, i) => i % 2 === 0);
    y = mu.filter((_, i) => i % 2 === 1);
    axes = ['μ₁ (latent dimension 1)', 'μ₂ (latent dimension 2)'];
  } else {
    const p = pca2(mu, n, L); // coords [n, 2]
    x = p.coords.filter((_, i) => i % 2 === 0);
    y = p.coords.filter((_, i) => i % 2 === 1);
    explained = p.explainedRatio;
    axes = [`PC1 of μ (${fmt(100 * explained[0], 3)}% of variance)`, `PC2 of μ (${fmt(100 * explained[1], 3)}% of variance)`];
  }
  const title = `Posterior means, ${ds.name} (${n} examples, ${L}-D latent${L === 2 ? '' : ', PCA'})`;
  const svg = scatterSvg({ x, y, labels, labelNames: classNamesOf(spec.name)?.slice() }, { title, xLabel: axes[0], yLabel: axes[1] });
  const format = writeChart(o.out, svg);
  if (o.json) printJson({ out: o.out, format, points: n, latentDim: L, projection: L === 2 ? 'none' : 'pca', ...(explained && { explainedRatio: explained }) });
  else print(`wrote ${o.out}: ${n} latent means of ${ds.name}${explained ? `, PCA (${fmt(100 * (explained[0] + explained[1]), 3)}% of variance shown)` : ''}`);
}
