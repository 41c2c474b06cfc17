/**
 * The model flags of `vaekit train` (architecture, latent size, likelihood, conditioning, objective, KL
 * schedule) and how they become a model config once the data's shape and classes are known.
 */
import { readFileSync, statSync } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { VaekitError } from '../errors.js';
import { PRESET_NAMES } from '../models/presets.js';
import { MAX_CLASSES, parseVaeConfig, type VaeConfig } from '../models/vaeConfig.js';
import { defined, intArg, intListArg, numberArg } from './options.js';

const ACTIVATIONS = ['relu', 'tanh', 'softplus', 'sigmoid', 'leakyRelu', 'elu', 'gelu'];

/** Parsed model flags. */
export interface ModelFlags {
  arch?: string;
  archFile?: string;
  latent?: number;
  hidden?: number[];
  activation?: string;
  beta?: number;
  likelihood?: 'bernoulli' | 'gaussian';
  sigma?: number | 'learned' | 'learned-per-dim';
  conditional?: boolean;
  objective?: 'elbo' | 'iwae';
  k?: number;
  klWarmup?: number;
  klCyclical?: number[];
  freeBits?: number;
  capacity?: number[];
}

function sigmaArg(v: string): number | 'learned' | 'learned-per-dim' {
  if (v === 'learned' || v === 'learned-per-dim') return v;
  return numberArg()(v);
}

const numberListArg = (v: string): number[] => {
  const parts = v.split(',').map((s) => Number(s.trim()));
  if (parts.length === 0 || parts.some((n) => !Number.isFinite(n) || n < 0)) throw new InvalidArgumentError('expected numbers ≥ 0 separated by commas');
  return parts;
};

/**
 * Adds the model flags to `cmd`.
 *
 * @example
 * addModelFlags(program.command('train'));
 */
export function addModelFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--arch <name>', 'built-in architecture (mlp: 784-400-20 MLP; conv: the Keras example; vanilla64: 64×64 RGB with batch norm)').choices(PRESET_NAMES))
    .option('--arch-file <spec.json>', 'your own architecture: {"encoder": [layers…], "decoder": [layers…]} (see README, "Architectures")')
    .option('--latent <n>', 'latent dimensions (default 20)', intArg(1))
    .option('--hidden <sizes>', 'hidden layer sizes of the mlp architecture, e.g. 512,256 (default 400)', intListArg(1))
    .addOption(new Option('--activation <name>', 'hidden activation of the mlp architecture (default relu)').choices(ACTIVATIONS))
    .option('--beta <b>', 'weight of the KL term, β-VAE (default 1)', numberArg(true))
    .addOption(new Option('--likelihood <type>', 'p(x|z) (default bernoulli)').choices(['bernoulli', 'gaussian']))
    .option('--sigma <s>', 'gaussian: fixed σ, or learned | learned-per-dim (default 0.1)', sigmaArg)
    .option('--conditional', 'conditional VAE: the one-hot label feeds encoder and decoder')
    .addOption(new Option('--objective <bound>', 'elbo, or iwae (Burda et al. 2015) with --k samples (default elbo)').choices(['elbo', 'iwae']))
    .option('--k <K>', 'samples per example: the IWAE-K bound, or with elbo the ELBO averaged over K samples (default 1)', intArg(1))
    .option('--kl-warmup <steps>', 'β rises linearly from 0 over this many steps', intArg(1))
    .option('--kl-cyclical <cycles[,ratio]>', 'cyclical annealing (Fu et al. 2019) over the whole run: cycles, and the rising share of each (default 0.5)', numberListArg)
    .option('--free-bits <nats>', 'each latent dimension’s KL counts as at least this many nats (Kingma et al. 2016)', numberArg(true))
    .option('--capacity <cmax[,steps[,gamma]]>', 'capacity control (Burgess et al. 2018): γ·|KL − C|, C rising to cmax nats over steps (default: the whole run; γ 1000)', numberListArg);
}

/** What the data says about the model to build. */
export interface DataFacts {
  shape: readonly number[];
  classes: number;
  /** Optimizer steps of the whole run (for schedules that span it). */
  totalSteps: number;
  /** The likelihood the data dictates (the tabular one for CSV tables), when it does. */
  likelihood?: VaeConfig['likelihood'];
}

/**
 * The model config from flags and the data: a preset or an --arch-file's layer lists, sized to the data.
 *
 * @example
 * const model = modelConfigFromFlags(o, { shape: [1, 28, 28], classes: 10, totalSteps: 4690 });
 */
export function modelConfigFromFlags(o: ModelFlags, data: DataFacts): VaeConfig {
  if (o.sigma !== undefined && o.likelihood !== 'gaussian') throw new VaekitError('--sigma applies to --likelihood gaussian', 'E_ARG');
  if (o.arch && o.archFile) throw new VaekitError('give --arch or --arch-file, not both', 'E_ARG');
  if (o.archFile && (o.hidden || o.activation)) throw new VaekitError('--hidden and --activation shape the mlp architecture; an --arch-file has its own layers', 'E_ARG');
  const schedules = [o.klWarmup !== undefined, o.klCyclical !== undefined, o.capacity !== undefined].filter(Boolean).length;
  if (schedules > 1) throw new VaekitError('choose one of --kl-warmup, --kl-cyclical and --capacity', 'E_ARG');
  if (o.conditional && data.classes < 2) throw new VaekitError('--conditional needs labelled data with at least 2 classes', 'E_ARG');
  if (o.conditional && data.classes > MAX_CLASSES) {
    throw new VaekitError(`--conditional: the labels run to ${data.classes - 1} (${data.classes} classes, one one-hot input each); a conditional model takes at most ${MAX_CLASSES} classes: number the classes 0..K−1`, 'E_DATA');
  }
  if (data.likelihood && o.likelihood) throw new VaekitError(`--likelihood: this data has its own (${data.likelihood.type}: Gaussian numbers and categorical levels per column)`, 'E_ARG');
  const likelihood = data.likelihood ?? (o.likelihood === 'gaussian' ? { type: 'gaussian', sigma: o.sigma } : o.likelihood && { type: o.likelihood });
  let kl: unknown;
  if (o.klWarmup !== undefined) kl = { type: 'warmup', steps: o.klWarmup };
  if (o.klCyclical) {
    const [cycles, ratio] = o.klCyclical;
    if (!Number.isInteger(cycles) || cycles < 1) throw new VaekitError(`--kl-cyclical: cycles must be a positive integer, got ${cycles}`, 'E_ARG');
    kl = defined({ type: 'cyclical', totalSteps: data.totalSteps, cycles, ratio });
  }
  if (o.capacity) {
    const [cMax, steps = data.totalSteps, gamma] = o.capacity;
    if (!Number.isInteger(steps) || steps < 1) throw new VaekitError(`--capacity: steps must be a positive integer, got ${steps}`, 'E_ARG');
    kl = defined({ type: 'capacity', cMax, steps, gamma });
  }
  const arch = o.archFile ? readArchFile(o.archFile) : { arch: o.arch };
  return parseVaeConfig(
    defined({
      ...arch,
      dataShape: [...data.shape],
      latentDim: o.latent,
      hidden: o.hidden,
      activation: o.activation,
      beta: o.beta,
      likelihood,
      classes: o.conditional ? data.classes : undefined,
      objective: o.objective || o.k ? defined({ type: o.objective, k: o.k }) : undefined,
      kl,
      freeBits: o.freeBits,
    }),
    o.archFile ? `model flags and ${o.archFile}` : 'model flags',
  );
}

/** {"encoder": [...], "decoder": [...]} from a user's file; layer errors come later, naming the layer. */
function readArchFile(file: string): { encoder: unknown; decoder: unknown } {
  let raw: unknown;
  try {
    const st = statSync(file);
    if (!st.isFile() || st.size > 1 << 20) throw new VaekitError(`${file}: not a regular file of at most 1 MiB (an architecture is a short JSON file)`, 'E_ARG');
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    if (e instanceof VaekitError) throw e;
    throw new VaekitError(`${file}: cannot read an architecture (${(e as Error).message})`, 'E_ARG');
  }
  const r = raw as { encoder?: unknown; decoder?: unknown } | null;
  if (!r || typeof r !== 'object' || !Array.isArray(r.encoder) || !Array.isArray(r.decoder)) {
    throw new VaekitError(`${file}: expected {"encoder": [layers…], "decoder": [layers…]}`, 'E_ARG');
  }
  return { encoder: r.encoder, decoder: r.decoder };
}
