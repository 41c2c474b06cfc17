/** `vaekit traverse`: one row per latent dimension, swept over [−range, range] with the others at 0. */
import { type Command } from 'commander';
import { imageGrid } from '../viz/imageGrid.js';
import { traversalLatents } from '../viz/latentPaths.js';
import { labelOption, loadModel, makeEngine } from './common.js';
import { addJsonOption, addLabelOption, addModelOptions, intArg, intListArg, numberArg } from './options.js';
import { checkGridSize, print, printJson, writeGridPng } from './output.js';

interface TraverseFlags {
  model: string;
  dims?: number[];
  steps: number;
  range: number;
  label?: number;
  out: string;
  threads?: number;
  json?: boolean;
}

/**
 * Adds `vaekit traverse --model DIR [--dims 0,1,2] [--steps 11] [--range 3] [--label K] --out F.png`.
 *
 * @example
 * registerTraverse(program);
 */
export function registerTraverse(program: Command): void {
  const cmd = program
    .command('traverse')
    .description('latent traversals: row r decodes z with dimension dims[r] swept from −range to range, the others 0')
    .option('--dims <list>', 'latent dimensions, 0-based (default: all)', intListArg(0))
    .option('--steps <n>', 'images per row', intArg(2), 11)
    .option('--range <r>', 'sweep −r..r (prior standard deviations)', numberArg(), 3)
    .requiredOption('--out <file.png>', 'output PNG');
  addJsonOption(addModelOptions(addLabelOption(cmd, 'class decoded in every image (conditional models; required there)'))).action((o: TraverseFlags) => traverse(o));
}

async function traverse(o: TraverseFlags): Promise<void> {
  const m = loadModel(o.model, makeEngine(o.threads));
  const L = m.model.latentDim;
  const dims = o.dims ?? Array.from({ length: L }, (_, i) => i);
  checkGridSize('--steps', o.steps, (s) => ({ tiles: dims.length * s, cols: s }), m.shape);
  const images = await m.model.decode(traversalLatents(L, dims, o.steps, o.range), labelOption(m, o.label)); // [dims·steps, D]
  const size = writeGridPng(o.out, imageGrid(images, { ...m.grid, cols: o.steps }));
  if (o.json) printJson({ out: o.out, dims, steps: o.steps, range: o.range, ...(o.label !== undefined && { label: o.label }), ...size });
  else print(`wrote ${o.out}: dimensions ${dims.join(',')} swept over ±${o.range} in ${o.steps} steps (${size.width}x${size.height} px)`);
}
