/** `vaekit encode`: the posterior q(z|x) = N(μ, diag e^logvar) of every example as CSV, .npy or .npz. */
import path from 'node:path';
import { type Command } from 'commander';
import { encodeNpy, type NpyArray } from '../data/npy.js';
import { encodeNpz } from '../data/npz.js';
import { dataForModel, dataLabels, loadModel, makeEngine } from './common.js';
import { addDatasetOptions, addJsonOption, addLimitOption, addModelOptions, type DatasetFlags } from './options.js';
import { print, printJson, requireExtension, writeOutput } from './output.js';

interface EncodeFlags extends DatasetFlags {
  model: string;
  out: string;
  limit?: number;
  threads?: number;
  json?: boolean;
}

/**
 * Adds `vaekit encode --model DIR [--dataset …] [--split train|test] --out FILE.csv`.
 *
 * @example
 * registerEncode(program);
 */
export function registerEncode(program: Command): void {
  const cmd = program
    .command('encode')
    .description('write μ and log σ² of q(z|x) for every example: CSV index,label,mu_1..mu_d,logvar_1..logvar_d; .npy μ [n, d]; .npz mu, logvar, labels')
    .requiredOption('--out <file>', 'output .csv, .npy (μ only) or .npz (mu, logvar, labels)');
  addJsonOption(addLimitOption(addDatasetOptions(addModelOptions(cmd)))).action((o: EncodeFlags) => encodeCommand(o));
}

async function encodeCommand(o: EncodeFlags): Promise<void> {
  const ext = requireExtension('--out', o.out, ['.csv', '.npy', '.npz']);
  const m = loadModel(o.model, makeEngine(o.threads));
  const { ds } = await dataForModel(m, o);
  const { mu, logvar } = await m.model.encode(ds.images, dataLabels(m, ds.labels, ds.name)); // each [n, L]; a conditional model reads each row's label
  const L = m.model.latentDim;
  if (ext !== '.csv') {
    const shape = [ds.n, L];
    const labels: NpyArray = { dtype: 'int32', shape: [ds.n], data: Int32Array.from(ds.labels) };
    const mus: NpyArray = { dtype: 'float32', shape, data: mu };
    writeOutput(o.out, ext === '.npy' ? encodeNpy(mus) : encodeNpz({ mu: mus, logvar: { dtype: 'float32', shape, data: logvar }, labels }));
    if (o.json) printJson({ out: o.out, examples: ds.n, latentDim: L, dataset: ds.name });
    else print(`wrote ${o.out}: ${ext === '.npy' ? 'μ' : 'mu, logvar and labels'} of ${ds.n} examples of ${ds.name} (${path.extname(o.out)}, float32 [${ds.n}, ${L}])`);
    return;
  }
  const cols = (p: string) => Array.from({ length: L }, (_, i) => `${p}_${i + 1}`);
  const lines = [['index', 'label', ...cols('mu'), ...cols('logvar')].join(',')];
  for (let i = 0; i < ds.n; i++) {
    const row = [String(i), String(ds.labels[i])];
    for (let j = 0; j < L; j++) row.push(num(mu[i * L + j]));
    for (let j = 0; j < L; j++) row.push(num(logvar[i * L + j]));
    lines.push(row.join(','));
  }
  writeOutput(o.out, lines.join('\n') + '\n');
  if (o.json) printJson({ out: o.out, examples: ds.n, latentDim: L, dataset: ds.name });
  else print(`wrote ${o.out}: ${ds.n} examples of ${ds.name}, ${L}-dimensional μ and log σ²`);
}

/** Enough digits to recover the float32 value. */
const num = (v: number) => String(Number(v.toPrecision(9)));
