/**
 * Checks that a saved trainer state fits the run about to continue from it: the model's parameter shapes,
 * the optimizer's slots, the training data's size and the batch size. A checkpoint is self-consistent by
 * its own schema, but resuming it against other data (a smaller --data directory) or another model would
 * otherwise train on silently wrong batches.
 */
import { VaekitError } from '../errors.js';
import { sizeOf } from '../graph/dtype.js';
import { describeNonFinite, firstNonFinite } from '../io/finiteParams.js';
import { type Params } from '../optim/trainState.js';
import { type TrainerState } from './trainerState.js';

/** What the resumed run has: model tensor shapes, optimizer slots, training examples and batch size. */
export interface ResumeTarget {
  /** Every tensor of the model: trained parameters and buffers (what `params` and the best model hold). */
  shapes: Record<string, number[]>;
  /** The trained parameters (what optimizer slots hold); default: all of `shapes`. */
  trained?: Record<string, number[]>;
  slots: readonly string[];
  /** Training examples after any validation split: the length of the epoch's data order. */
  nTrain: number;
  batchSize: number;
}

/**
 * Throws a VaekitError naming the first field of `state` that does not fit `target`: parameter names and
 * sizes, non-finite parameters, optimizer slots or best-model values, the step/epoch/batch counters against
 * the history, the data order (a permutation of exactly nTrain examples when stopped mid-epoch), the metric
 * count, and the PRNG states.
 *
 * @example
 * checkResumeFit(ck.state, { shapes: vaeParamShapes(model), slots: ['m', 'v'], nTrain: 60000, batchSize: 128 });
 */
export function checkResumeFit(state: TrainerState, target: ResumeTarget): void {
  const fail = (what: string) => new VaekitError(`cannot resume: the checkpoint's ${what}`, 'E_CHECKPOINT');
  const { shapes, slots, nTrain, batchSize } = target;
  checkParams('parameters', state.train.params, shapes, fail);
  const saved = Object.keys(state.train.opt);
  if (saved.length > 0 && (saved.length !== slots.length || !slots.every((s) => saved.includes(s)))) {
    throw fail(`optimizer slots [${saved.join(', ')}] do not match the optimizer's [${slots.join(', ')}]`);
  }
  for (const s of saved) checkParams(`optimizer slot "${s}"`, state.train.opt[s], target.trained ?? shapes, fail);
  if (state.best) checkParams('best-model parameters', state.best.params, shapes, fail);

  const { epoch, batch, perm, history } = state;
  const stepsPerEpoch = Math.ceil(nTrain / batchSize);
  if (epoch !== history.length) throw fail(`epoch counter ${epoch} disagrees with its ${history.length} epoch records`);
  const epochStart = history.length > 0 ? history[history.length - 1].step : 0;
  if (state.train.step - epochStart !== batch) {
    throw fail(`step ${state.train.step} disagrees with batch ${batch} of epoch ${epoch + 1} (the epoch began after step ${epochStart})`);
  }
  if (batch > stepsPerEpoch) throw fail(`batch ${batch} is past the ${stepsPerEpoch} batches an epoch of ${nTrain} examples has at batch size ${batchSize}`);
  if (batch > 0) {
    if (!perm || perm.length !== nTrain) {
      throw fail(
        `data order covers ${perm?.length ?? 0} training examples but the data now has ${nTrain}; it stopped mid-epoch, so resume it with the same data (--data) it was trained on`,
      );
    }
    const seen = new Uint8Array(nTrain);
    for (let i = 0; i < nTrain; i++) {
      const j = perm[i];
      if (!Number.isInteger(j) || j < 0 || j >= nTrain || seen[j]) throw fail(`data order is not a permutation of 0..${nTrain - 1} (entry ${i} is ${j})`);
      seen[j] = 1;
    }
    const count = Math.min(batch * batchSize, nTrain);
    if (state.acc.count !== count) throw fail(`metric sums cover ${state.acc.count} examples but ${batch} batches of ${batchSize} hold ${count}`);
  }
  for (const [name, rng] of [['data', state.dataRng], ['noise', state.noiseRng]] as const) {
    if (rng.words.every((w) => w === 0)) throw fail(`${name} PRNG state is all zeros (a generator stuck at zero)`);
  }
}

function checkParams(what: string, p: Params, shapes: Record<string, number[]>, fail: (w: string) => VaekitError): void {
  for (const [k, shape] of Object.entries(shapes)) {
    if (!Object.hasOwn(p, k)) throw fail(`${what} lack "${k}" that the model needs`);
    if (p[k].length !== sizeOf(shape)) throw fail(`${what}: "${k}" has ${p[k].length} values but the model needs [${shape}] = ${sizeOf(shape)}`);
  }
  const extra = Object.keys(p).filter((k) => !Object.hasOwn(shapes, k));
  if (extra.length > 0) throw fail(`${what} include ${extra.join(', ')}, which the model does not have`);
  const bad = firstNonFinite(p);
  if (bad) throw fail(`${what} hold a non-finite value: ${describeNonFinite(bad)} (the checkpoint is corrupt; resume from checkpoint.prev.safetensors or retrain)`);
}
