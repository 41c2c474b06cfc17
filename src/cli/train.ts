/**
 * `vaekit train`: flags → model and training configs (defaults from the library's schemas), data, a Trainer,
 * and a run directory; `--resume DIR` rebuilds all of that from DIR's checkpoint instead.
 */
import { existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { VaekitError } from '../errors.js';
import { describeVae, type VaeConfig } from '../models/vaeConfig.js';
import { loadCheckpoint } from '../node/checkpointFiles.js';
import { fsError } from '../node/fsError.js';
import { checkMemory } from '../node/memoryLimit.js';
import { trainingBytes } from '../train/memoryEstimate.js';
import { acquireRunLock, type RunLock } from '../node/runLock.js';
import { parseTrainConfig, TrainConfigSchema, valFractionOf, type TrainConfig } from '../train/trainConfig.js';
import { DEFAULT_STEPS_PER_CALL, Trainer } from '../train/trainer.js';
import { type TrainerState } from '../train/trainerState.js';
import { makeEngine } from './common.js';
import { tableSegments, type TableSchema } from '../data/tableSchema.js';
import { classCount, loadData, type LoadedData } from './dataSource.js';
import { addTableOptions } from './tableOptions.js';
import { datasetSpecOf, DATASET_NAMES, type DataFlags, type DatasetSpec } from './datasets.js';
import { addModelFlags, modelConfigFromFlags, type DataFacts, type ModelFlags } from './modelFlags.js';
import { addDataSourceOptions, addJsonOption, addThreadsOption, defined, intArg, intListArg, intRangeArg, numberArg, rangeArg } from './options.js';
import { fmt, note, print, printJson, warn } from './output.js';
import { RunDir } from './runDir.js';
import { runSession, savedRecord } from './trainSession.js';
import { timing } from './timing.js';
import { trainProgress } from './trainProgress.js';

interface TrainFlags extends ModelFlags, DataFlags {
  binarize?: string;
  epochs?: number;
  batch?: number;
  lr?: number;
  seed?: number;
  gradClip?: number;
  patience?: number;
  valFraction?: number;
  checkpointMinutes?: number;
  resume?: string;
  out?: string;
  threads?: number;
  stepsPerCall?: number;
  json?: boolean;
}

/** Most --steps-per-call: beyond 32 the measured gain is nil, and each step's batch buffers are held at once. */
const MAX_STEPS_PER_CALL = 1024;

/** Flags that may change when resuming; every other one is fixed by the checkpoint. */
const RESUMABLE = new Set(['epochs', 'lr', 'gradClip', 'data', 'cacheDir', 'threads', 'stepsPerCall', 'checkpointMinutes', 'resume', 'out', 'json']);

/**
 * Adds `vaekit train [flags]`.
 *
 * @example
 * registerTrain(program);
 */
export function registerTrain(program: Command): void {
  const t = parseTrainConfig({});
  const cmd = program
    .command('train')
    .description(
      'train a VAE; writes config.json, weights.safetensors, metrics.jsonl and checkpoints to --out ' +
        '(default runs/<date-time>). Ctrl-C stops after the current ONNX Runtime call (at most --steps-per-call steps) and saves; --resume DIR continues.',
    )
    .addOption(new Option('--dataset <name>', 'a built-in dataset (default mnist: the embedded digits)').choices(DATASET_NAMES))
    .option('--data <path>', 'your own data: a folder of PNG/JPEG images (subfolders = classes), .npy, .npz or .csv; or the directory with the four IDX files of --dataset')
    .option('--classes <labels>', 'train (and test) only on these labels, e.g. 0,1,2', intListArg(0))
    .addOption(new Option('--binarize <mode>', `pixels for the Bernoulli (default ${t.binarize})`).choices(TrainConfigSchema.shape.binarize.unwrap().options))
    .option('--epochs <n>', `epochs (default ${t.epochs})`, intArg(1))
    .option('--batch <n>', `batch size (default ${t.batchSize})`, intArg(1))
    .option('--lr <x>', `Adam learning rate (default ${t.lr})`, numberArg())
    .option('--seed <n>', `random seed (default ${t.seed})`, intArg(0))
    .option('--grad-clip <x>', 'clip the global gradient norm to x (default off)', numberArg())
    .option('--steps-per-call <n>', `optimizer steps per ONNX Runtime call, at most ${MAX_STEPS_PER_CALL} and never more than an epoch's batches; same results, fewer state copies (default ${DEFAULT_STEPS_PER_CALL})`, intRangeArg(1, MAX_STEPS_PER_CALL))
    .option('--patience <n>', 'early stopping after n epochs without a better validation −ELBO; keeps the best model', intArg(1))
    .option('--val-fraction <f>', 'share of training data held out for validation (default 0.1 with --patience, else 0)', rangeArg(0, 0.5))
    .option('--checkpoint-minutes <m>', 'also checkpoint every m minutes within an epoch', numberArg())
    .option('--resume <dir>', 'continue the run in DIR from its checkpoint (may change --epochs, --lr, --grad-clip)')
    .option('--out <dir>', 'run directory (default runs/<date-time>)');
  addJsonOption(addThreadsOption(addTableOptions(addDataSourceOptions(addModelFlags(cmd)), { onBad: false }))).action((o: TrainFlags, c: Command) => train(o, c));
}

/** The run to start: configs and data from flags, or everything from a checkpoint. */
interface RunPlan {
  dir: string;
  /** From the checkpoint when resuming; built from the flags once the data is loaded otherwise. */
  model?: VaeConfig;
  training: ReturnType<typeof parseTrainConfig>;
  dataset: DatasetSpec;
  state?: TrainerState;
  /** This process's lock on `dir`, taken before anything is loaded (it also proves `dir` is writable). */
  lock: RunLock;
  /** This run created `dir` (removed again if the run is refused before it writes anything). */
  created?: boolean;
}

async function train(o: TrainFlags, cmd: Command): Promise<void> {
  const t0 = performance.now();
  const plan = o.resume ? resumePlan(o, cmd) : freshPlan(o);
  const { training, dataset } = plan;
  const lock = plan.lock;
  let data: LoadedData;
  let model: VaeConfig;
  try {
    timing('flags parsed, run directory locked');
    data = await loadData(dataset, { cacheDir: o.cacheDir });
    timing('data loaded');
    model = plan.model ?? modelConfigFromFlags(o, dataFacts(data, training));
    // before compiling: a model that cannot fit in memory is refused with its size
    const perCall = o.stepsPerCall ?? DEFAULT_STEPS_PER_CALL;
    checkMemory(
      `training a ${describeVae(model)} VAE at batch ${training.batchSize}, ${perCall} steps per call (parameters, Adam state, step buffers)`,
      trainingBytes(model, training.batchSize, perCall),
      'use a smaller model (--hidden, --arch), a smaller --batch or fewer --steps-per-call',
    );
  } catch (e) {
    // refused before anything was written: a directory this run created goes again
    lock.release();
    if (plan.created) {
      try {
        rmdirSync(plan.dir); // only if still empty
      } catch {
        // something else is in it: leave it
      }
    }
    throw e;
  }
  const done = plan.state ? ` from epoch ${plan.state.epoch + 1}, batch ${plan.state.batch + 1}` : '';
  note(
    `vaekit: ${plan.state ? 'resuming' : 'training'} a ${describeVae(model)} VAE (${model.likelihood.type}` +
      `${model.beta === 1 ? '' : `, β = ${model.beta}`}) on ${data.train.name} (${data.train.n} train / ${data.test?.n ?? 0} test) for ${training.epochs} epoch${training.epochs === 1 ? '' : 's'}${done}; writing to ${plan.dir}`,
  );
  const trainer = await Trainer.create(makeEngine(o.threads), model, training, data, plan.state, { stepsPerCall: o.stepsPerCall });
  timing('step graph compiled');
  const recorded = data.preprocessing === undefined ? dataset : { ...dataset, preprocessing: data.preprocessing, classNames: data.classNames };
  const run = new RunDir(plan.dir, { model, training, dataset: recorded, sizes: { train: data.train.n, test: data.test?.n ?? 0 } });
  if (plan.state) run.writeMetrics(trainer.history); // on resume: exactly the checkpoint's epochs, nothing repeated
  const keepBest = training.patience !== undefined;
  const outcome = await runSession(trainer, run, trainProgress(), { checkpointMinutes: o.checkpointMinutes, keepBest });

  lock.release();
  const { record, selected } = savedRecord(trainer.history, keepBest);
  const seconds = (performance.now() - t0) / 1000;
  const step = trainer.state().train.step;
  if (o.json) {
    printJson({ out: plan.dir, outcome, epochs: trainer.history.length, step, seconds, model: selected, metrics: record ?? null });
    return;
  }
  const how = outcome === 'earlyStopped' ? 'stopped early' : 'finished';
  print(`${how}: ${trainer.history.length} epochs, ${step} steps in ${fmt(seconds, 3)} s; model in ${plan.dir}`);
  const split = record?.test ? 'test' : record?.val ? 'val' : 'train';
  const r = record?.[split];
  if (record && r) print(`  ${split} −ELBO ${fmt(r.negElbo)} = recon ${fmt(r.recon)} + KL ${fmt(r.kl)} nats/example (${selected === 'best' ? 'best validation ' : ''}epoch ${record.epoch})`);
  print(`  next: vaekit sample --model ${plan.dir} --out ${path.join(plan.dir, 'samples.png')}`);
}

/** What the model flags need from the data: example shape, classes, and the run's optimizer steps. */
function dataFacts(data: LoadedData, training: TrainConfig): DataFacts {
  const { train } = data;
  const n = train.n - Math.floor(train.n * valFractionOf(training));
  const pre = data.preprocessing as { kind?: string; schema?: TableSchema } | undefined;
  // a table's rows are modelled column by column: Gaussian numbers, categorical levels
  const likelihood = pre?.kind === 'table' ? { type: 'tabular' as const, segments: tableSegments(pre.schema!) } : undefined;
  if (likelihood && training.binarize !== 'none') throw new VaekitError('--binarize applies to pixels, not to table rows', 'E_ARG');
  return { shape: train.shape, classes: classCount(data), totalSteps: training.epochs * Math.ceil(n / training.batchSize), likelihood };
}

function freshPlan(o: TrainFlags): RunPlan {
  const training = parseTrainConfig(
    defined({ epochs: o.epochs, batchSize: o.batch, lr: o.lr, seed: o.seed, binarize: o.binarize, gradClip: o.gradClip, patience: o.patience, valFraction: o.valFraction }),
    'training flags',
  );
  if (o.out !== undefined && o.out.trim() === '') throw new VaekitError('--out is empty; give a directory for the run, e.g. --out runs/mnist', 'E_ARG');
  const dir = o.out ?? RunDir.defaultPath();
  RunDir.checkFresh(dir); // the common mistake first, with its own message
  const created = !existsSync(dir);
  const lock = lockRunDir(dir, true);
  RunDir.checkFresh(dir); // after locking: no other process can start a run here in between
  return { dir, training, dataset: datasetSpecOf(o, training.seed), lock, created };
}

function resumePlan(o: TrainFlags, cmd: Command): RunPlan {
  const dir = o.resume!;
  if (o.out !== undefined && path.resolve(o.out) !== path.resolve(dir)) throw new VaekitError(`--resume writes into the run's own directory ${dir}; drop --out ${o.out}`, 'E_ARG');
  const fixed = cmd.options.filter((opt) => cmd.getOptionValueSource(opt.attributeName()) === 'cli' && !RESUMABLE.has(opt.attributeName()));
  if (fixed.length > 0) {
    throw new VaekitError(
      `--resume continues ${dir} with the model, data and training settings in its checkpoint; ` +
        `drop ${fixed.map((opt) => opt.long).join(', ')} (only --epochs, --lr, --grad-clip, --data, --threads, --steps-per-call, --checkpoint-minutes may change)`,
      'E_ARG',
    );
  }
  const lock = lockRunDir(dir, false);
  const { checkpoint: ck, warning } = loadCheckpoint(dir);
  if (warning) warn(warning);
  const begun = ck.state.epoch + (ck.state.batch > 0 ? 1 : 0);
  if (o.epochs !== undefined && o.epochs < begun) {
    throw new VaekitError(`--epochs ${o.epochs}: ${dir} has already ${ck.state.batch > 0 ? `begun epoch ${begun}` : `finished ${begun} epochs`}; pass --epochs ${begun} or more`, 'E_ARG');
  }
  const training = parseTrainConfig({ ...ck.training, ...defined({ epochs: o.epochs, lr: o.lr, gradClip: o.gradClip }) }, 'training flags');
  return { dir, model: ck.model, training, dataset: { ...ck.dataset, ...defined({ dir: o.data }) }, state: ck.state, lock };
}

/** Creates (fresh runs) and locks the run directory, with one-line messages for an --out that cannot be one. */
function lockRunDir(dir: string, create: boolean): RunLock {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new VaekitError(`${create ? '--out' : '--resume'} ${dir} is a file, not a directory; choose a directory`, 'E_ARG');
  if (!create && !existsSync(dir)) throw new VaekitError(`--resume ${dir}: no such directory; give the --out directory of an earlier run`, 'E_ARG');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw fsError(e, 'create', dir);
  }
  return acquireRunLock(dir, create ? 'vaekit train' : 'vaekit train --resume');
}
