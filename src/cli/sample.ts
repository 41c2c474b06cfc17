/** `vaekit sample`: a grid of images decoded from prior draws z ~ N(0, I). */
import { type Command } from 'commander';
import { Prng } from '../random/prng.js';
import { imageGrid } from '../viz/imageGrid.js';
import { labelOption, loadModel, makeEngine } from './common.js';
import { addJsonOption, addLabelOption, addModelOptions, intArg } from './options.js';
import { print, printJson, writeGridPng } from './output.js';

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
    .description('decode prior samples z ~ N(0, I) into a grid of images (pixel means E[x|z])')
    .option('--n <n>', 'number of samples', intArg(1), 64)
    .option('--seed <n>', 'random seed of the draws', intArg(0), 1)
    .requiredOption('--out <file.png>', 'output PNG');
  addJsonOption(addModelOptions(addLabelOption(cmd, 'class of the samples (conditional models; required there)'))).action((o: SampleFlags) => sample(o));
}

async function sample(o: SampleFlags): Promise<void> {
  const m = loadModel(o.model, makeEngine(o.threads));
  const images = await m.model.sample(o.n, new Prng(o.seed), labelOption(m, o.label)); // [n, D]
  const cols = Math.ceil(Math.sqrt(o.n));
  const size = writeGridPng(o.out, imageGrid(images, { h: m.shape[0], w: m.shape[1], cols }));
  const of = o.label === undefined ? '' : ` of class ${o.label}`;
  if (o.json) printJson({ out: o.out, n: o.n, seed: o.seed, ...(o.label !== undefined && { label: o.label }), ...size });
  else print(`wrote ${o.out}: ${o.n} prior samples${of} in ${cols} columns (${size.width}x${size.height} px)`);
}
