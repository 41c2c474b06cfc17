/** `vaekit interpolate`: decoded codes on the path between the posterior means of two examples. */
import { type Command } from 'commander';
import { subset } from '../data/dataset.js';
import { rowsGrid } from '../viz/imageGrid.js';
import { interpolateLatents } from '../viz/latentPaths.js';
import { checkIndex, dataForModel, dataLabels, labelOption, loadModel, makeEngine } from './common.js';
import { addDatasetOptions, addJsonOption, addModelOptions, type DatasetFlags, intArg } from './options.js';
import { checkGridSize, print, printJson, writeGridPng } from './output.js';

interface InterpolateFlags extends DatasetFlags {
  model: string;
  from: number;
  to: number;
  steps: number;
  slerp?: boolean;
  label?: number;
  out: string;
  threads?: number;
  json?: boolean;
}

/**
 * Adds `vaekit interpolate --model DIR [--dataset …] [--split test] --from I --to J [--steps 10] [--slerp] [--label K] --out F.png`.
 * A conditional model encodes each end with its own label and decodes the path with the first example's
 * label (or --label K), so the row shows one class changing style from I's to J's.
 *
 * @example
 * registerInterpolate(program);
 */
export function registerInterpolate(program: Command): void {
  const cmd = program
    .command('interpolate')
    .description('one row: example I, the decoded path μ(x_I) → μ(x_J) (linear, or spherical with --slerp), example J')
    .requiredOption('--from <i>', 'index of the first example', intArg(0))
    .requiredOption('--to <j>', 'index of the last example', intArg(0))
    .option('--steps <n>', 'decoded codes on the path, ends included', intArg(2), 10)
    .option('--slerp', 'spherical interpolation')
    .option('--label <k>', 'conditional models: class to decode the path with (default: the label of example I)', intArg(0))
    .requiredOption('--out <file.png>', 'output PNG');
  addJsonOption(addDatasetOptions(addModelOptions(cmd))).action((o: InterpolateFlags) => interpolate(o));
}

async function interpolate(o: InterpolateFlags): Promise<void> {
  const m = loadModel(o.model, makeEngine(o.threads));
  checkGridSize('--steps', o.steps, (s) => ({ tiles: s + 2, cols: s + 2 }), m.shape);
  const { ds, raw } = await dataForModel(m, o);
  checkIndex('--from', o.from, ds);
  checkIndex('--to', o.to, ds);
  const { mu } = await m.model.encode(subset(ds, [o.from, o.to]).images, dataLabels(m, subset(ds, [o.from, o.to]).labels, ds.name)); // [2, L], each end under its own label, from pixels prepared as in training
  const ends = subset({ ...ds, images: raw }, [o.from, o.to]); // [2, D] originals as stored, drawn at the ends
  const L = m.model.latentDim;
  const conditional = m.model.config.classes > 0;
  const label = conditional ? (o.label ?? ends.labels[0]) : o.label;
  const path = await m.model.decode(interpolateLatents(mu.subarray(0, L), mu.subarray(L), o.steps, { spherical: o.slerp }), labelOption(m, label)); // [steps, D]
  const D = m.model.dataDim;
  const row = new Float32Array((o.steps + 2) * D);
  row.set(ends.images.subarray(0, D), 0);
  row.set(path, D);
  row.set(ends.images.subarray(D), (o.steps + 1) * D);
  const size = writeGridPng(o.out, rowsGrid([row], m.grid));
  const kind = o.slerp ? 'spherical' : 'linear';
  const decodedAs = conditional ? `, path decoded as class ${label}` : '';
  if (o.json) printJson({ out: o.out, from: o.from, to: o.to, steps: o.steps, interpolation: kind, ...(conditional && { label }), ...size });
  else print(`wrote ${o.out}: ${ds.name} #${o.from} → #${o.to}, ${o.steps} ${kind} steps between the originals${decodedAs} (${size.width}x${size.height} px)`);
}
