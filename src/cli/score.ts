/**
 * `vaekit score`: per-example anomaly scores (−ELBO, or IS-NLL with --iw; higher = less likely under the
 * model) of a dataset split, an IDX file or a directory of PNGs, with optional flags and ROC AUC.
 */
import { type Command, Option } from 'commander';
import { VaekitError } from '../errors.js';
import { rocAuc } from '../eval/auc.js';
import { scoreExamples } from '../eval/evaluate.js';
import { quantile } from '../eval/quantile.js';
import { Prng } from '../random/prng.js';
import { asTrainedOn, dataForModel, dataLabels, evalSeedOf, labelOption, loadModel, makeEngine, type LoadedModel } from './common.js';
import { addDatasetOptions, addJsonOption, addLimitOption, addModelOptions, type DatasetFlags, finiteArg, intArg, intListArg, rangeArg } from './options.js';
import { fmt, print, printJson, requireExtension, writeOutput } from './output.js';
import { startBar } from './progressBar.js';
import { readIdxImages, readPngDir, type ScoreInput } from './scoreInputs.js';

interface ScoreFlags extends DatasetFlags {
  model: string;
  idx?: string;
  pngDir?: string;
  skipBad?: boolean;
  iw?: number;
  seed?: number;
  quantile?: number;
  threshold?: number;
  labelsAnomalous?: number[];
  limit?: number;
  label?: number;
  out: string;
  threads?: number;
  json?: boolean;
}

/**
 * Adds `vaekit score --model DIR (--dataset … | --idx FILE | --png-dir DIR) --out scores.csv …`.
 *
 * @example
 * registerScore(program);
 */
export function registerScore(program: Command): void {
  const cmd = program
    .command('score')
    .description(
      'per-example anomaly scores in nats (−ELBO, or IS-NLL with --iw; higher = less likely) as CSV ' +
        'index[,file][,label],negElbo[,nll][,flag]; default input: the model\'s dataset, test split',
    )
    .addOption(new Option('--idx <file>', 'score an IDX image file instead of a dataset').conflicts(['dataset', 'data', 'split', 'classes', 'pngDir']))
    .addOption(new Option('--png-dir <dir>', 'score every .png in a directory instead').conflicts(['dataset', 'data', 'split', 'classes']))
    .option('--skip-bad', 'with --png-dir: warn about unreadable PNGs and go on')
    .option('--iw <k>', 'score by IS-NLL with K importance samples', intArg(1))
    .option('--seed <n>', 'noise seed', intArg(0))
    .addOption(new Option('--quantile <q>', 'flag scores above this quantile of all scores, e.g. 0.95').argParser(rangeArg(0, 1)).conflicts('threshold'))
    .addOption(new Option('--threshold <t>', 'flag scores above t nats').argParser(finiteArg))
    .option('--labels-anomalous <labels>', 'report ROC AUC of the score for detecting these labels, e.g. 5,7,9', intListArg(0))
    .option('--label <k>', "conditional models: score every example as class K (default: the dataset's labels; needed for --idx and --png-dir)", intArg(0))
    .requiredOption('--out <file.csv>', 'output CSV');
  addJsonOption(addLimitOption(addDatasetOptions(addModelOptions(cmd)))).action((o: ScoreFlags) => score(o));
}

async function score(o: ScoreFlags): Promise<void> {
  requireExtension('--out', o.out, ['.csv']);
  if (o.skipBad && !o.pngDir) throw new VaekitError('--skip-bad applies to --png-dir', 'E_ARG');
  const m = loadModel(o.model, makeEngine(o.threads));
  const input = await inputOf(m, o);
  if (o.labelsAnomalous && !input.labels) throw new VaekitError(`--labels-anomalous needs labelled data; ${input.name} has no labels (use --dataset)`, 'E_ARG');
  const bar = o.iw === undefined ? undefined : startBar(1, 0, `IS-NLL (K=${o.iw}) {bar} {percentage}% | ETA {eta_formatted}`);
  const s = await scoreExamples(m.model, input.images, {
    rng: new Prng(o.seed ?? evalSeedOf(m.meta)),
    k: o.iw,
    mask: input.mask,
    ...(o.label === undefined ? dataLabels(m, input.labels, input.name) : labelOption(m, o.label)),
    onProgress: bar && ((done, total) => bar.update(done / total)),
  });
  bar?.stop();
  const scores: ArrayLike<number> = s.nll ?? s.negElbo;
  const scoreName = s.nll ? 'nll' : 'negElbo';
  const threshold = o.quantile !== undefined ? quantile(scores, o.quantile) : o.threshold;
  let flagged = 0;
  const flags = threshold === undefined ? undefined : Array.from(scores, (v) => (v > threshold ? (flagged++, 1) : 0));
  const anomalous = o.labelsAnomalous && new Set(o.labelsAnomalous);
  const auc = anomalous ? rocAuc(scores, Array.from(input.labels!, (l) => anomalous.has(l))) : undefined;
  writeOutput(o.out, csvOf(input, s.negElbo, s.nll, flags));

  const what = s.nll ? `IS-NLL (K = ${o.iw})` : 'single-sample −ELBO';
  const result = {
    out: o.out,
    input: input.name,
    examples: input.n,
    score: scoreName,
    ...(o.iw !== undefined && { k: o.iw }),
    ...(threshold !== undefined && { threshold, flagged }),
    ...(o.quantile !== undefined && { quantile: o.quantile }),
    ...(auc !== undefined && { auc, anomalousLabels: o.labelsAnomalous }),
  };
  if (o.json) return printJson(result);
  print(`wrote ${o.out}: ${input.n} examples of ${input.name} scored by ${what}, nats per example`);
  if (threshold !== undefined) {
    const rule = o.quantile !== undefined ? ` (the ${o.quantile} quantile)` : '';
    print(`flagged ${flagged} of ${input.n} (${fmt((100 * flagged) / input.n, 3)}%) with score > ${fmt(threshold, 6)}${rule}`);
  }
  if (auc !== undefined) print(`ROC AUC of the score for labels ${o.labelsAnomalous!.join(',')} as anomalous: ${fmt(auc)}`);
}

async function inputOf(m: LoadedModel, o: ScoreFlags): Promise<ScoreInput> {
  // every input prepared as in training: dataForModel does it for dataset splits, asTrainedOn for files
  const prepared = (i: ScoreInput): ScoreInput => {
    const first = o.limit === undefined || o.limit >= i.n ? i : { ...i, n: o.limit, images: i.images.subarray(0, o.limit * m.shape[0] * m.shape[1]), files: i.files?.slice(0, o.limit), labels: i.labels?.subarray(0, o.limit) };
    return { ...first, images: asTrainedOn(first.images, m.meta) };
  };
  if (o.idx) return prepared(readIdxImages(o.idx, m));
  if (o.pngDir) return prepared(readPngDir(o.pngDir, m, { skipBad: o.skipBad }));
  const { ds } = await dataForModel(m, o);
  return { name: ds.name, images: ds.images, n: ds.n, labels: ds.labels, mask: ds.mask };
}

function csvOf(input: ScoreInput, negElbo: Float32Array, nll: Float64Array | undefined, flags: number[] | undefined): string {
  const header = ['index', ...(input.files ? ['file'] : []), ...(input.labels ? ['label'] : []), 'negElbo', ...(nll ? ['nll'] : []), ...(flags ? ['flag'] : [])];
  const lines = [header.join(',')];
  for (let i = 0; i < input.n; i++) {
    const row: (string | number)[] = [i];
    if (input.files) row.push(csvField(input.files[i]));
    if (input.labels) row.push(input.labels[i]);
    row.push(Number(negElbo[i].toPrecision(9)));
    if (nll) row.push(Number(nll[i].toPrecision(12)));
    if (flags) row.push(flags[i]);
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

/** A file name as one CSV field (quoted when it holds a comma, quote or newline). */
const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
