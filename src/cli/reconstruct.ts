/** `vaekit reconstruct`: dataset images with their reconstructions E[x | z = μ(x)] underneath. */
import { type Command } from 'commander';
import { rowsGrid } from '../viz/imageGrid.js';
import { dataForModel, dataLabels, firstImages, loadModel, makeEngine } from './common.js';
import { addDatasetOptions, addJsonOption, addLimitOption, addModelOptions, type DatasetFlags, intArg } from './options.js';
import { checkGridSize, print, printJson, writeGridPng } from './output.js';

interface ReconstructFlags extends DatasetFlags {
  model: string;
  n: number;
  cols: number;
  limit?: number;
  out: string;
  threads?: number;
  json?: boolean;
}

/**
 * Adds `vaekit reconstruct --model DIR [--dataset …] [--split test] [--n 32] --out FILE.png`.
 *
 * @example
 * registerReconstruct(program);
 */
export function registerReconstruct(program: Command): void {
  const cmd = program
    .command('reconstruct')
    .description('the first N images of a split, each row of originals followed by a row of their reconstructions')
    .option('--n <n>', 'number of images', intArg(1), 32)
    .option('--cols <n>', 'images per row', intArg(1), 8)
    .requiredOption('--out <file.png>', 'output PNG');
  addJsonOption(addLimitOption(addDatasetOptions(addModelOptions(cmd)))).action((o: ReconstructFlags) => reconstruct(o));
}

async function reconstruct(o: ReconstructFlags): Promise<void> {
  const m = loadModel(o.model, makeEngine(o.threads));
  checkGridSize('--n', o.n, (n) => ({ tiles: 2 * n, cols: Math.min(o.cols, n) }), m.shape); // originals + reconstructions
  const { ds, raw } = await dataForModel(m, o);
  const { images, labels, n } = firstImages(ds, o.n);
  const recon = await m.model.reconstruct(images, dataLabels(m, labels, ds.name)); // [n, D], from the pixels as prepared in training
  const D = m.model.dataDim;
  const cols = Math.min(o.cols, n);
  // alternate rows: originals k..k+cols, then their reconstructions
  const rows: Float32Array[] = [];
  for (let k = 0; k < n; k += cols) {
    const end = Math.min(n, k + cols);
    rows.push(raw.subarray(k * D, end * D), recon.subarray(k * D, end * D)); // originals as stored
  }
  const size = writeGridPng(o.out, rowsGrid(rows, { ...m.grid, cols }));
  if (o.json) printJson({ out: o.out, n, dataset: ds.name, ...size });
  else print(`wrote ${o.out}: ${n} images of ${ds.name}, originals over reconstructions (${size.width}x${size.height} px)`);
}
