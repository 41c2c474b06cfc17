/**
 * `vaekit train`: flags → model and training configs (defaults from the library's schemas), data, a Trainer,
 * and a run directory; `--resume DIR` rebuilds all of that from DIR's checkpoint instead.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { VaekitError } from '../errors.js';
import { dataDim, parseVaeConfig, VaeConfigSchema, type VaeConfig } from '../models/vaeConfig.js';
import { loadCheckpoint } from '../node/checkpointFiles.js';
import { fsError } from '../node/fsError.js';
import { checkMemory } from '../node/memoryLimit.js';
import { trainingBytes } from '../train/memoryEstimate.js';
import { acquireRunLock, type RunLock } from '../node/runLock.js';
import { parseTrainConfig, TrainConfigSchema } from '../train/trainConfig.js';
import { DEFAULT_STEPS_PER_CALL, Trainer } from '../train/trainer.js';
import { type TrainerState } from '../train/trainerState.js';
import { makeEngine } from './common.js';
import { DATASET_NAMES, loadSplits, type DatasetSpec } from './datasets.js';
import { addJsonOption, addThreadsOption, intArg, intListArg, intRangeArg, numberArg, rangeArg } from './options.js';
import { fmt, note, print, printJson, warn } from './output.js';
import { RunDir } from './runDir.js';
import { runSession, savedRecord } from './trainSession.js';
import { timing } from './timing.js';
import { trainProgress } from './trainProgress.js';

interface TrainFlags {
  dataset?: string;
  data?: string;
  classes?: number[];
  latent?: number;
  hidden?: number[];
  activation?: string;
  beta?: number;
  likelihood?: 'bernoulli' | 'gaussian';
  sigma?: number | 'learned' | 'learned-per-dim';
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
const RESUMABLE = new Set(['epochs', 'lr', 'gradClip', 'data', 'threads', 'stepsPerCall', 'checkpointMinutes', 'resume', 'out', 'json']);

/**
 * Adds `vaekit train [flags]`.
 *
 * @example
 * registerTrain(program);
 */
export function registerTrain(program: Command): void {
  const m = parseVaeConfig({});
  const t = parseTrainConfig({});
  const gaussian = parseVaeConfig({ likelihood: { type: 'gaussian' } }).likelihood;
  const gaussianSigma = gaussian.type === 'gaussian' ? gaussian.sigma : undefined;
  const cmd = program
    .command('train')
    .description(
      'train a VAE; writes config.json, weights.safetensors, metrics.jsonl and checkpoints to --out ' +
        '(default runs/<date-time>). Ctrl-C stops after the current ONNX Runtime call (at most --steps-per-call steps) and saves; --resume DIR continues.',
    )
    .addOption(new Option('--dataset <name>', 'training data').choices(DATASET_NAMES).default('mnist', 'mnist (embedded digits)'))
    .option('--data <dir>', 'directory with the four IDX files of the dataset')
    .option('--classes <labels>', 'train (and test) only on these labels, e.g. 0,1,2', intListArg(0))
    .option('--latent <n>', `latent dimensions (default ${m.latentDim})`, intArg(1))
    .option('--hidden <sizes>', `hidden layer sizes, e.g. 512,256 (default ${m.hidden.join(',')})`, intListArg(1))
    .addOption(new Option('--activation <name>', `hidden activation (default ${m.activation})`).choices(VaeConfigSchema.shape.activation.unwrap().options))
    .option('--beta <b>', `weight of the KL term, β-VAE (default ${m.beta})`, numberArg(true))
    .addOption(new Option('--likelihood <type>', `p(x|z) (default ${m.likelihood.type})`).choices(['bernoulli', 'gaussian']))
    .option('--sigma <s>', `gaussian: fixed σ, or learned | learned-per-dim (default ${gaussianSigma})`, sigmaArg)
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
  addJsonOption(addThreadsOption(cmd)).action((o: TrainFlags, c: Command) => train(o, c));
}

function sigmaArg(v: string): number | 'learned' | 'learned-per-dim' {
  if (v === 'learned' || v === 'learned-per-dim') return v;
  return numberArg()(v);
}

/** The run to start: configs and data from flags, or everything from a checkpoint. */
interface RunPlan {
  dir: string;
  model: VaeConfig;
  training: ReturnType<typeof parseTrainConfig>;
  dataset: DatasetSpec;
  state?: TrainerState;
  /** This process's lock on `dir`, taken before anything is loaded (it also proves `dir` is writable). */
  lock: RunLock;
}

async function train(o: TrainFlags, cmd: Command): Promise<void> {
  const t0 = performance.now();
  const plan = o.resume ? resumePlan(o, cmd) : freshPlan(o);
  const { model, training, dataset } = plan;
  const lock = plan.lock;
  // before loading data or compiling: a model that cannot fit in memory is refused with its size
  const perCall = o.stepsPerCall ?? DEFAULT_STEPS_PER_CALL;
  checkMemory(
    `training a ${dataDim(model)}-${model.hidden.join('-')}-${model.latentDim} VAE at batch ${training.batchSize}, ${perCall} steps per call (parameters, Adam state, step buffers)`,
    trainingBytes(model, training.batchSize, perCall),
    'use smaller --hidden sizes, a smaller --batch or fewer --steps-per-call',
  );
  timing('flags parsed, run directory locked');
  const data = await loadSplits(dataset);
  timing('data loaded');
  const done = plan.state ? ` from epoch ${plan.state.epoch + 1}, batch ${plan.state.batch + 1}` : '';
  note(
    `vaekit: ${plan.state ? 'resuming' : 'training'} a ${dataDim(model)}-${model.hidden.join('-')}-${model.latentDim} VAE (${model.likelihood.type}` +
      `${model.beta === 1 ? '' : `, β = ${model.beta}`}) on ${data.train.name} (${data.train.n} train / ${data.test.n} test) for ${training.epochs} epoch${training.epochs === 1 ? '' : 's'}${done}; writing to ${plan.dir}`,
  );
  const trainer = await Trainer.create(makeEngine(o.threads), model, training, data, plan.state, { stepsPerCall: o.stepsPerCall });
  timing('step graph compiled');
  const run = new RunDir(plan.dir, { model, training, dataset, sizes: { train: data.train.n, test: data.test.n } });
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

function freshPlan(o: TrainFlags): RunPlan {
  if (o.sigma !== undefined && o.likelihood !== 'gaussian') throw new VaekitError('--sigma applies to --likelihood gaussian', 'E_ARG');
  const likelihood = o.likelihood === 'gaussian' ? { type: 'gaussian', sigma: o.sigma } : o.likelihood && { type: o.likelihood };
  const model = parseVaeConfig(defined({ latentDim: o.latent, hidden: o.hidden, activation: o.activation, beta: o.beta, likelihood }), 'model flags');
  const training = parseTrainConfig(
    defined({ epochs: o.epochs, batchSize: o.batch, lr: o.lr, seed: o.seed, binarize: o.binarize, gradClip: o.gradClip, patience: o.patience, valFraction: o.valFraction }),
    'training flags',
  );
  if (o.out !== undefined && o.out.trim() === '') throw new VaekitError('--out is empty; give a directory for the run, e.g. --out runs/mnist', 'E_ARG');
  const dir = o.out ?? RunDir.defaultPath();
  RunDir.checkFresh(dir); // the common mistake first, with its own message
  const lock = lockRunDir(dir, true);
  RunDir.checkFresh(dir); // after locking: no other process can start a run here in between
  return { dir, model, training, dataset: defined({ name: o.dataset ?? 'mnist', dir: o.data, classes: o.classes }) as DatasetSpec, lock };
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

/** The object without its undefined entries, so schema defaults apply. */
function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
