/** `vaekit sample`: a grid of images decoded from prior draws z ~ N(0, I). */
import { type Command } from 'commander';
import { Prng } from '../random/prng.js';
import { imageGrid } from '../viz/imageGrid.js';
import { loadModel, makeEngine } from './common.js';
import { addJsonOption, addModelOptions, intArg } from './options.js';
import { checkGridSize, print, printJson, writeGridPng } from './output.js';
import { timing } from './timing.js';

interface SampleFlags {
  model: string;
  n: number;
  seed: number;
  out: string;
  threads?: number;
  json?: boolean;
}

/**
 * Adds `vaekit sample --model DIR [--n 64] [--seed N] --out FILE.png`.
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
  addJsonOption(addModelOptions(cmd)).action((o: SampleFlags) => sample(o));
}

async function sample(o: SampleFlags): Promise<void> {
  timing('flags parsed');
  const m = loadModel(o.model, makeEngine(o.threads));
  timing('model loaded');
  checkGridSize('--n', o.n, (n) => ({ tiles: n, cols: Math.ceil(Math.sqrt(n)) }), m.shape);
  const images = await m.model.sample(o.n, new Prng(o.seed)); // [n, D]
  timing('decoded');
  const cols = Math.ceil(Math.sqrt(o.n));
  const size = writeGridPng(o.out, imageGrid(images, { h: m.shape[0], w: m.shape[1], cols }));
  timing('PNG written');
  if (o.json) printJson({ out: o.out, n: o.n, seed: o.seed, ...size });
  else print(`wrote ${o.out}: ${o.n} prior samples in ${cols} columns (${size.width}x${size.height} px)`);
}
