/** `vaekit sample`: a grid of images (or an .npy array) decoded from prior draws z ~ N(0, I). */
import { type Command } from 'commander';
import { encodeNpy } from '../data/npy.js';
import { Prng } from '../random/prng.js';
import { imageGrid } from '../viz/imageGrid.js';
import { formatCsv } from '../data/csvFormat.js';
import { sampleRows } from '../models/tableRows.js';
import { labelOption, loadModel, makeEngine, tableSchemaOf } from './common.js';
import { addJsonOption, addLabelOption, addModelOptions, intArg } from './options.js';
import { checkGridSize, print, printJson, requireExtension, writeGridPng, writeOutput } from './output.js';
import { timing } from './timing.js';

interface SampleFlags {
  model: string;
  n: number;
  seed: number;
  label?: number;
  out: string;
  threads?: number;
  json?: boolean;
}

/**
 * Adds `vaekit sample --model DIR [--n 64] [--seed N] [--label K] --out FILE.png`.
 *
 * @example
 * registerSample(program);
 */
export function registerSample(program: Command): void {
  const cmd = program
    .command('sample')
    .description('decode prior samples z ~ N(0, I) into a grid of images, or a float32 .npy [n, ...shape] (pixel means E[x|z])')
    .option('--n <n>', 'number of samples', intArg(1), 64)
    .option('--seed <n>', 'random seed of the draws', intArg(0), 1)
    .requiredOption('--out <file>', 'output .png grid, .npy array, or .csv rows for a model trained on a table');
  addJsonOption(addModelOptions(addLabelOption(cmd, 'class of the samples (conditional models; required there)'))).action((o: SampleFlags) => sample(o));
}

async function sample(o: SampleFlags): Promise<void> {
  const ext = requireExtension('--out', o.out, ['.png', '.npy', '.csv']);
  timing('flags parsed');
  const m = loadModel(o.model, makeEngine(o.threads));
  timing('model loaded');
  if (ext === '.csv') {
    // a table model: rows in the original columns, units and category levels
    const { columns, rows } = await sampleRows(m.model, tableSchemaOf(m), o.n, new Prng(o.seed), labelOption(m, o.label));
    writeOutput(o.out, formatCsv(columns, rows));
    if (o.json) printJson({ out: o.out, n: o.n, seed: o.seed, columns });
    else print(`wrote ${o.out}: ${o.n} synthetic rows of ${columns.length} columns`);
    return;
  }
  checkGridSize('--n', o.n, (n) => ({ tiles: n, cols: Math.ceil(Math.sqrt(n)) }), m.shape);
  const images = await m.model.sample(o.n, new Prng(o.seed), labelOption(m, o.label)); // [n, D]
  timing('decoded');
  if (ext === '.npy') {
    // grey images as numpy keeps them, [n, H, W]; otherwise [n, ...shape] ([n, C, H, W], [n, D])
    const ds = m.meta.model.dataShape;
    const shape = ds.length === 3 && ds[0] === 1 ? [o.n, ds[1], ds[2]] : [o.n, ...ds];
    writeOutput(o.out, encodeNpy({ dtype: 'float32', shape, data: images }));
    if (o.json) printJson({ out: o.out, n: o.n, seed: o.seed, shape });
    else print(`wrote ${o.out}: ${o.n} prior samples, float32 [${shape.join(', ')}]`);
    return;
  }
  const cols = Math.ceil(Math.sqrt(o.n));
  const size = writeGridPng(o.out, imageGrid(images, { ...m.grid, cols }));
  timing('PNG written');
  const of = o.label === undefined ? '' : ` of class ${o.label}`;
  if (o.json) printJson({ out: o.out, n: o.n, seed: o.seed, ...(o.label !== undefined && { label: o.label }), ...size });
  else print(`wrote ${o.out}: ${o.n} prior samples${of} in ${cols} columns (${size.width}x${size.height} px)`);
}
