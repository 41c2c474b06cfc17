/** `vaekit encode`: the posterior q(z|x) = N(μ, diag e^logvar) of every example as CSV. */
import { type Command } from 'commander';
import { dataForModel, dataLabels, loadModel, makeEngine } from './common.js';
import { addDatasetOptions, addJsonOption, addModelOptions, type DatasetFlags } from './options.js';
import { print, printJson, requireExtension, writeOutput } from './output.js';

interface EncodeFlags extends DatasetFlags {
  model: string;
  out: string;
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
    .description('write μ and log σ² of q(z|x) for every example: index,label,mu_1..mu_d,logvar_1..logvar_d')
    .requiredOption('--out <file.csv>', 'output CSV');
  addJsonOption(addDatasetOptions(addModelOptions(cmd))).action((o: EncodeFlags) => encodeCommand(o));
}

async function encodeCommand(o: EncodeFlags): Promise<void> {
  requireExtension('--out', o.out, ['.csv']);
  const m = loadModel(o.model, makeEngine(o.threads));
  const { ds } = await dataForModel(m, o);
  const { mu, logvar } = await m.model.encode(ds.images, dataLabels(m, ds.labels, ds.name)); // each [n, L]; a conditional model reads each row's label
  const L = m.model.latentDim;
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
