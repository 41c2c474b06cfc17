/** `vaekit eval`: −ELBO, its recon/KL split, bits/dim, active units and (with --iw) IS-NLL of a split. */
import { type Command } from 'commander';
import { VaekitError } from '../errors.js';
import { evaluate } from '../eval/evaluate.js';
import { Prng } from '../random/prng.js';
import { dataForModel, dataLabels, evalSeedOf, loadModel, makeEngine } from './common.js';
import { addDatasetOptions, addJsonOption, addLimitOption, addModelOptions, type DatasetFlags, intArg } from './options.js';
import { fmt, print, printJson } from './output.js';
import { startBar } from './progressBar.js';

interface EvalFlags extends DatasetFlags {
  model: string;
  iw?: number;
  seed?: number;
  limit?: number;
  threads?: number;
  json?: boolean;
}

/**
 * Adds `vaekit eval --model DIR [--dataset …] [--split test] [--iw K] [--seed N] [--json]`.
 *
 * @example
 * registerEval(program);
 */
export function registerEval(program: Command): void {
  const cmd = program
    .command('eval')
    .description(
      'evaluate a model in nats per example: single-sample −ELBO = recon + KL, bits/dim, active units, and with ' +
        '--iw K the importance-sampled NLL (the IWAE-K bound). Data is binarized as in training.',
    )
    .option('--iw <k>', 'importance samples per example for IS-NLL (e.g. 5000)', intArg(1))
    .option('--seed <n>', "noise seed (default: training's evaluation stream, which repeats its test −ELBO)", intArg(0));
  addJsonOption(addLimitOption(addDatasetOptions(addModelOptions(cmd)))).action((o: EvalFlags) => evalCommand(o));
}

async function evalCommand(o: EvalFlags): Promise<void> {
  const m = loadModel(o.model, makeEngine(o.threads));
  const { ds } = await dataForModel(m, o);
  const images = ds.images; // prepared as in training
  const bar = o.iw === undefined ? undefined : startBar(1, 0, `IS-NLL (K=${o.iw}) {bar} {percentage}% | ETA {eta_formatted}`);
  const r = await evaluate(m.model, images, {
    rng: new Prng(o.seed ?? evalSeedOf(m.meta)),
    k: o.iw,
    mask: ds.mask,
    ...dataLabels(m, ds.labels, ds.name),
    onProgress: bar && ((done, total) => bar.update(done / total)),
  });
  bar?.stop();
  const binarize = m.meta.training?.binarize ?? 'none';
  const finite = Number.isFinite(r.negElbo) && (r.nll === undefined || Number.isFinite(r.nll));
  const broken = () =>
    new VaekitError(`evaluating ${o.model} on ${ds.name} gave a non-finite result (−ELBO ${r.negElbo}${r.nll === undefined ? '' : `, IS-NLL ${r.nll}`}): the weights overflow on this data; retrain, or check the data`, 'E_EVAL');
  if (o.json) {
    printJson({ ...r, dataset: ds.name, split: o.split, binarize });
    if (!finite) throw broken();
    return;
  }
  print(`${ds.name}: ${r.examples} examples (binarize: ${binarize}); nats per example`);
  print(`  −ELBO   ${fmt(r.negElbo)} = recon ${fmt(r.recon)} + KL ${fmt(r.kl)} (single-sample bound)`);
  if (r.nll !== undefined) print(`  IS-NLL  ${fmt(r.nll)} ± ${fmt(r.nllStdErr!, 2)} (K = ${r.k} importance samples)`);
  print(`  bits/dim ${fmt(r.bitsPerDim)} (from ${r.bitsPerDimOf === 'nll' ? 'IS-NLL' : '−ELBO'})`);
  print(`  active units ${r.activeUnits} of ${m.model.latentDim}`);
  if (!finite) throw broken();
}
