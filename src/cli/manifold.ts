/** `vaekit manifold`: the decoded 2-D latent space on a grid of N(0, 1) quantiles (Kingma & Welling fig. 4). */
import { type Command } from 'commander';
import { VaekitError } from '../errors.js';
import { imageGrid } from '../viz/imageGrid.js';
import { manifoldLatents } from '../viz/latentPaths.js';
import { labelOption, loadModel, makeEngine } from './common.js';
import { addJsonOption, addLabelOption, addModelOptions, intArg } from './options.js';
import { checkGridSize, print, printJson, writeGridPng } from './output.js';

interface ManifoldFlags {
  model: string;
  grid: number;
  label?: number;
  out: string;
  threads?: number;
  json?: boolean;
}

/**
 * Adds `vaekit manifold --model DIR [--grid 20] [--label K] --out F.png`.
 *
 * @example
 * registerManifold(program);
 */
export function registerManifold(program: Command): void {
  const cmd = program
    .command('manifold')
    .description('decode a grid×grid lattice of a 2-D latent space, z on N(0,1) quantiles Φ⁻¹((k+½)/grid); z₁ left→right, z₂ bottom→top')
    .option('--grid <n>', 'images per side', intArg(2), 20)
    .requiredOption('--out <file.png>', 'output PNG');
  addJsonOption(addModelOptions(addLabelOption(cmd, 'class decoded at every point (conditional models; required there)'))).action((o: ManifoldFlags) => manifold(o));
}

async function manifold(o: ManifoldFlags): Promise<void> {
  const m = loadModel(o.model, makeEngine(o.threads));
  const L = m.model.latentDim;
  if (L !== 2) {
    throw new VaekitError(
      `manifold needs a 2-D latent space but the model in ${o.model} has ${L} latent dimensions; ` +
        `use vaekit traverse --model ${o.model} --out traverse.png to sweep each dimension, or train with --latent 2`,
      'E_ARG',
    );
  }
  checkGridSize('--grid', o.grid, (g) => ({ tiles: g * g, cols: g }), m.shape);
  const images = await m.model.decode(manifoldLatents(o.grid), labelOption(m, o.label)); // [grid², D]
  const size = writeGridPng(o.out, imageGrid(images, { ...m.grid, cols: o.grid }));
  if (o.json) printJson({ out: o.out, grid: o.grid, ...(o.label !== undefined && { label: o.label }), ...size });
  else print(`wrote ${o.out}: ${o.grid}x${o.grid} decoded latent grid (${size.width}x${size.height} px)`);
}
