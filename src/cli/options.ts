/**
 * Flag parsing shared by the commands: value parsers that turn strings into checked numbers (a bad value is a
 * usage error, exit 2, naming the flag) and the option groups several commands take.
 */
import os from 'node:os';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DATASET_NAMES } from './datasets.js';

/**
 * Ends the command with an exit code and an optional message for stderr (e.g. 130 after Ctrl-C). Not an
 * error in the program: `runCli` prints the message as it is and returns the code.
 *
 * @example
 * throw new CliExit(130, `interrupted at step 40; resume with: vaekit train --resume ${dir}`);
 */
export class CliExit extends Error {
  constructor(readonly exitCode: number, message = '') {
    super(message);
    this.name = 'CliExit';
  }
}

/**
 * Integer ≥ `min` (commander value parser).
 *
 * @example
 * new Option('--epochs <n>').argParser(intArg(1));
 */
export const intArg = (min: number) => (v: string): number => {
  const n = Number(v);
  if (!/^[+-]?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
  return n;
};

/**
 * A finite number > 0, or ≥ 0 with `allowZero`.
 *
 * @example
 * new Option('--lr <x>').argParser(numberArg());
 */
export const numberArg = (allowZero = false) => (v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || (n === 0 && !allowZero)) throw new InvalidArgumentError(`expected a number ${allowZero ? '≥' : '>'} 0`);
  return n;
};

/**
 * Any finite number.
 *
 * @example
 * new Option('--threshold <t>').argParser(finiteArg);
 */
export const finiteArg = (v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
};

/**
 * A number in [lo, hi].
 *
 * @example
 * new Option('--quantile <q>').argParser(rangeArg(0, 1));
 */
export const rangeArg = (lo: number, hi: number) => (v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !(n >= lo && n <= hi)) throw new InvalidArgumentError(`expected a number in [${lo}, ${hi}]`);
  return n;
};

/**
 * Comma-separated integers ≥ `min`, e.g. "512,256".
 *
 * @example
 * new Option('--classes <list>').argParser(intListArg(0));
 */
export const intListArg = (min: number) => (v: string): number[] => {
  const parts = v.split(',').map((s) => s.trim());
  if (parts.some((s) => !/^\d+$/.test(s) || Number(s) < min)) throw new InvalidArgumentError(`expected comma-separated integers ≥ ${min}, e.g. 1,2,3`);
  return parts.map(Number);
};

/** Options of {@link addDatasetOptions}. */
export interface DatasetFlags {
  dataset?: string;
  data?: string;
  split: 'train' | 'test';
  classes?: number[];
  cacheDir?: string;
}

/** Help of --cache-dir, for train and the model commands alike. */
const CACHE_DIR_HELP = 'where decoded data is cached: image folders (default: DIR/.vaekit-cache beside them) and the embedded digits (default ~/.cache/vaekit); also $VAEKIT_CACHE_DIR';

/**
 * --dataset, --data, --split, --classes and --cache-dir. Without --dataset, model commands use the dataset recorded in
 * the model's config.json.
 *
 * @example
 * addDatasetOptions(cmd, 'test');
 */
export function addDatasetOptions(cmd: Command, split: 'train' | 'test' = 'test'): Command {
  return cmd
    .addOption(new Option('--dataset <name>', 'dataset (default: the one the model was trained on)').choices(DATASET_NAMES))
    .option('--data <path>', 'the data: another file or folder like the one the model was trained on, or the directory with the four IDX files of --dataset (default: what config.json records)')
    .addOption(new Option('--split <split>', 'which split').choices(['train', 'test']).default(split))
    .option('--classes <labels>', 'keep only these labels, e.g. 0,1,2', intListArg(0))
    .option('--cache-dir <dir>', CACHE_DIR_HELP);
}

/**
 * --limit N: use only the first N examples of the data.
 *
 * @example
 * addLimitOption(cmd);
 */
export function addLimitOption(cmd: Command): Command {
  return cmd.option('--limit <n>', 'use only the first N examples', intArg(1));
}

/**
 * --threads N (ONNX Runtime intra-op threads; default: all cores).
 *
 * @example
 * addThreadsOption(cmd);
 */
export function addThreadsOption(cmd: Command): Command {
  return cmd.option('--threads <n>', `ONNX Runtime threads, at most ${maxThreads()} (default: all cores)`, intRangeArg(1, maxThreads()));
}

/** Most --threads accepted: 4 per core (more only adds contention; 100000 would exhaust the process). */
export function maxThreads(): number {
  return 4 * os.availableParallelism();
}

/**
 * Integer in [min, max] (commander value parser): the message names the limit.
 *
 * @example
 * new Option('--steps-per-call <n>').argParser(intRangeArg(1, 1024));
 */
export const intRangeArg = (min: number, max: number) => (v: string): number => {
  const n = intArg(min)(v);
  if (n > max) throw new InvalidArgumentError(`${n} is more than the limit of ${max}`);
  return n;
};

/**
 * --model DIR (required) and --threads.
 *
 * @example
 * addModelOptions(program.command('sample'));
 */
export function addModelOptions(cmd: Command): Command {
  return addThreadsOption(cmd.requiredOption('--model <dir>', 'model directory (config.json + weights.safetensors)'));
}

/**
 * --json: print one JSON object on stdout instead of text.
 *
 * @example
 * addJsonOption(cmd);
 */
export function addJsonOption(cmd: Command): Command {
  return cmd.option('--json', 'print one JSON object instead of text');
}

/**
 * The object without its undefined entries, so schema defaults apply.
 *
 * @example
 * parseTrainConfig(defined({ epochs: o.epochs, lr: o.lr }));
 */
export function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * An image size: '64' (square) or 'HxW'.
 *
 * @example
 * new Option('--image-size <size>').argParser(imageSizeArg);
 */
export const imageSizeArg = (v: string): [number, number] => {
  const m = /^(\d+)(?:x(\d+))?$/.exec(v.trim());
  const h = m ? Number(m[1]) : NaN;
  const w = m ? Number(m[2] ?? m[1]) : NaN;
  if (!(h >= 1 && h <= 4096 && w >= 1 && w <= 4096)) throw new InvalidArgumentError('expected a size such as 64 or 64x48 (at most 4096)');
  return [h, w];
};

/**
 * The options that open the user's own --data: image size and channels for folders, layout and labels for
 * .npy, what to do with bad files or rows, and the held-out fraction.
 *
 * @example
 * addDataSourceOptions(program.command('train'));
 */
export function addDataSourceOptions(cmd: Command): Command {
  return cmd
    .option('--image-size <size>', 'image folders: decode to this size, 64 or HxW (default: the first image\'s)', imageSizeArg)
    .addOption(new Option('--channels <c>', 'image folders: 1 grey or 3 RGB (default: 3 if any image has colour)').choices(['1', '3']).argParser(Number))
    .option('--channels-last', '.npy/.npz: 4-d arrays are [N, H, W, C] (as exported from most image code)')
    .option('--labels <file.npy>', '.npy: integer labels, one per example')
    .addOption(new Option('--on-bad <what>', 'a corrupt image or a bad CSV row: fail (default) or skip and report').choices(['skip', 'fail']))
    .option('--test-fraction <f>', 'your own data without a test split: hold out this seeded fraction (default 0.1)', rangeArg(0, 0.5))
    .option('--cache-dir <dir>', CACHE_DIR_HELP);
}

/**
 * --label K: the class a conditional model draws or decodes (required for conditional models, refused for others).
 *
 * @example
 * addLabelOption(cmd, 'class of the samples');
 */
export function addLabelOption(cmd: Command, what = 'class to draw (conditional models; required there)'): Command {
  return cmd.option('--label <k>', what, intArg(0));
}
