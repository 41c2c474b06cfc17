import { binarizeDynamic, binarizeStatic } from '../data/binarize.js';
import { type ImageDataset } from '../data/dataset.js';
import { VaekitError } from '../errors.js';
import { vaeLoss, vaeParamShapes, initVaeParams } from '../models/vae.js';
import { dataDim, type VaeConfig } from '../models/vaeConfig.js';
import { VaeModel } from '../models/vaeModel.js';
import { adam } from '../optim/adam.js';
import { type Params, StepRunner } from '../optim/stepRunner.js';
import { Prng } from '../random/prng.js';
import { type Engine } from '../runtime/engine.js';
import { elboMeans, type ElboMetrics } from '../eval/elboMeans.js';
import { MetricAccumulator } from './metrics.js';
import { type TrainConfig, valFractionOf } from './trainConfig.js';
import { splitTrainVal } from './split.js';
import { evalSeed, heldOutImages } from './heldOut.js';
import { checkResumeFit } from './resumeFit.js';
import { type TrainerState } from './trainerState.js';

/** Train and (optional) test images. Validation, when configured, is carved from train. */
export interface TrainData {
  train: ImageDataset;
  test?: ImageDataset;
}

/** One finished epoch, as appended to metrics.jsonl. */
export interface EpochRecord {
  epoch: number;
  step: number;
  seconds: number;
  train: ElboMetrics & { loss: number };
  val?: ElboMetrics;
  test?: ElboMetrics;
}

/** What the trainer reports; it does no I/O itself (the CLI prints and saves, the web page draws). */
export type TrainEvent =
  | { type: 'start'; epochs: number; stepsPerEpoch: number; epoch: number; batch: number }
  | { type: 'step'; epoch: number; batch: number; stepsPerEpoch: number; step: number; metrics: Record<string, number> }
  | ({ type: 'epoch' } & EpochRecord)
  | { type: 'best'; epoch: number; valNegElbo: number }
  | { type: 'earlyStop'; epoch: number; bestEpoch: number };

/** How training runs, without changing its results. */
export interface TrainerRuntime {
  /**
   * Optimizer steps per ONNX Runtime call (default 32). onnxruntime-node copies every graph output into a new
   * JavaScript buffer per call (≈ 5 ms of copying and page faults for the 784-400-20 VAE's 8 MB of state),
   * so the state goes back once per 32 steps instead of every step; the steps and their results are the same.
   * Fewer steps than this left in an epoch run in power-of-two calls (e.g. 20 = 16 + 4), so a run compiles at
   * most log₂(stepsPerCall) + 2 step graphs.
   */
  stepsPerCall?: number;
}

/** Default {@link TrainerRuntime.stepsPerCall}. */
export const DEFAULT_STEPS_PER_CALL = 32;

/** Why {@link Trainer.run} returned. */
export type TrainOutcome = 'finished' | 'stopped' | 'earlyStopped';

/** A non-finite loss or gradient. The trainer has rolled back to the last good parameters. */
export class DivergenceError extends VaekitError {
  constructor(readonly step: number, readonly epoch: number, what: string) {
    super(`training diverged at step ${step} (epoch ${epoch}): ${what}; try a lower --lr or --grad-clip`, 'E_DIVERGED');
  }
}

/**
 * Trains a β-VAE with Adam: shuffles every epoch, runs one compiled training step per batch, evaluates
 * validation and test −ELBO after every epoch, stops early on a validation plateau, and can stop after any
 * step with its complete state available for an exact resume.
 *
 * @example
 * const trainer = await Trainer.create(engine, model, training, { train, test });
 * await trainer.run((e) => { if (e.type === 'epoch') console.log(e.test); });
 */
export class Trainer {
  private stopRequested = false;
  /** ORT calls made by {@link run} so far: the first takes one step (see {@link Trainer.create}). */
  private calls = 0;
  private evalModel: VaeModel | undefined;
  readonly stepsPerEpoch: number;
  private readonly batchBuf: Float32Array;
  private readonly epsBuf: Float32Array;

  private constructor(
    readonly engine: Engine,
    readonly model: VaeConfig,
    readonly training: TrainConfig,
    private readonly trainX: Float32Array,
    private readonly nTrain: number,
    private readonly valX: Float32Array | null,
    private readonly testX: Float32Array | null,
    private readonly runner: StepRunner,
    private st: TrainerState,
    /** Optimizer steps per ONNX Runtime call; results do not depend on it. */
    readonly stepsPerCall: number,
  ) {
    const D = dataDim(model);
    this.stepsPerEpoch = Math.ceil(nTrain / training.batchSize);
    this.batchBuf = new Float32Array(this.stepsPerCall * training.batchSize * D);
    this.epsBuf = new Float32Array(this.stepsPerCall * training.batchSize * model.latentDim);
  }

  /** Prepares data (binarization, validation split) and compiles the training step; resumes from `state` when given. */
  static async create(engine: Engine, model: VaeConfig, training: TrainConfig, data: TrainData, state?: TrainerState, runtime: TrainerRuntime = {}): Promise<Trainer> {
    const stepsPerCall = runtime.stepsPerCall ?? DEFAULT_STEPS_PER_CALL;
    if (!Number.isInteger(stepsPerCall) || stepsPerCall < 1) throw new VaekitError(`stepsPerCall must be a positive integer, got ${stepsPerCall}`, 'E_CONFIG');
    const D = dataDim(model);
    for (const ds of [data.train, data.test]) {
      if (ds && ds.rows * ds.cols !== D) {
        throw new VaekitError(`dataset ${ds.name} has ${ds.rows}x${ds.cols} images but the model expects ${model.imageShape.join('x')}`, 'E_DATA');
      }
    }
    const { train, val } = splitTrainVal(data.train, valFractionOf(training), training.seed);
    if (train.n === 0) throw new VaekitError(`dataset ${data.train.name} has no training examples`, 'E_DATA');
    const trainX = training.binarize === 'static' ? binarizeStatic(train.images) : train.images;
    const optimizer = adam({ lr: training.lr });
    if (state) checkResumeFit(state, { shapes: vaeParamShapes(model), slots: optimizer.slots, nTrain: train.n, batchSize: training.batchSize });
    const st = state ?? freshState(model, training);
    // more steps per call than an epoch's full batches would only size buffers and a graph never used
    const perCall = Math.min(stepsPerCall, Math.max(1, Math.floor(train.n / training.batchSize)));
    const spec = {
      params: vaeParamShapes(model),
      data: { x: { shape: [training.batchSize, D] }, eps: { shape: [training.batchSize, model.latentDim] } },
      loss: (p: Parameters<typeof vaeLoss>[1], d: Parameters<typeof vaeLoss>[1]) => vaeLoss(model, p, d.x, d.eps),
      optimizer,
      gradClip: training.gradClip,
    };
    // only the one-step graph up front (~0.1 s to compile, against ~1.5 s for 32 unrolled steps): the first
    // call takes one step, so training starts at once and the big graph compiles at the second call
    const runner = await StepRunner.create(engine, spec, st.train, 1);
    return new Trainer(engine, model, training, trainX, train.n, val ? heldOutImages(val.images, training, 'val') : null, data.test ? heldOutImages(data.test.images, training, 'test') : null, runner, st, perCall);
  }

  /** Current parameters (copies). */
  params(): Params {
    return this.runner.params();
  }

  /** The complete state after the last finished step: parameters, Adam moments, PRNGs, data order, metrics. */
  state(): TrainerState {
    return { ...structuredClone({ ...this.st, train: undefined }), train: this.runner.getState() };
  }

  /** Epoch records so far. */
  get history(): readonly EpochRecord[] {
    return this.st.history;
  }

  /** Parameters of the best validation epoch (null without validation). */
  get bestParams(): Params | null {
    return this.st.best?.params ?? null;
  }

  /** Asks {@link run} to return after the current step (e.g. on Ctrl-C). */
  stop(): void {
    this.stopRequested = true;
  }

  /** Trains until the configured epochs are done, early stopping triggers, or {@link stop} is called. */
  async run(onEvent: (e: TrainEvent) => void = () => {}): Promise<TrainOutcome> {
    const { batchSize, epochs, binarize } = this.training;
    const D = dataDim(this.model);
    const L = this.model.latentDim;
    const dataRng = rngFrom(this.st.dataRng);
    const noiseRng = rngFrom(this.st.noiseRng);
    onEvent({ type: 'start', epochs, stepsPerEpoch: this.stepsPerEpoch, epoch: this.st.epoch, batch: this.st.batch });
    while (this.st.epoch < epochs) {
      if (this.st.earlyStopped) return 'earlyStopped';
      const t0 = performance.now();
      if (this.st.batch === 0) {
        this.st.perm = Array.from(dataRng.permutation(this.nTrain));
        this.st.acc = { sums: {}, count: 0 };
      }
      const perm = this.st.perm!;
      const acc = Object.assign(new MetricAccumulator(), this.st.acc);
      const fullBatches = Math.floor(this.nTrain / batchSize);
      while (this.st.batch < this.stepsPerEpoch) {
        // up to stepsPerCall full batches per ORT call; a last, partial batch runs alone
        const first = this.st.batch;
        const k = first < fullBatches && this.calls++ > 0 ? callSteps(this.stepsPerCall, fullBatches - first) : 1;
        const sizes: number[] = [];
        const rngAfter: { data: ReturnType<Prng['getState']>; noise: ReturnType<Prng['getState']> }[] = [];
        let rows = 0;
        for (let b = first; b < first + k; b++) {
          const m = Math.min(batchSize, this.nTrain - b * batchSize);
          const x = this.batchBuf.subarray(rows * D, (rows + m) * D);
          for (let i = 0; i < m; i++) x.set(this.trainX.subarray(perm[b * batchSize + i] * D, (perm[b * batchSize + i] + 1) * D), i * D);
          if (binarize === 'dynamic') binarizeDynamic(x, dataRng, x);
          noiseRng.normals(this.epsBuf.subarray(rows * L, (rows + m) * L));
          sizes.push(m);
          rngAfter.push({ data: dataRng.getState(), noise: noiseRng.getState() });
          rows += m;
        }
        const data = { x: this.batchBuf.subarray(0, rows * D), eps: this.epsBuf.subarray(0, rows * L) };
        const metrics = await this.runner.runSteps(data, k);
        const lossBad = metrics.findIndex((mt) => !Number.isFinite(mt.loss));
        const ok = lossBad < 0 && this.runner.stateFinite;
        const good = ok ? k : await this.replayGood(lossBad < 0 ? k : lossBad, data, sizes);
        const bad = ok ? -1 : good;
        for (let i = 0; i < good; i++) acc.add(metrics[i], sizes[i]);
        this.st.batch += good;
        this.st.acc = { sums: acc.sums, count: acc.count };
        if (good > 0) {
          this.st.dataRng = rngAfter[good - 1].data;
          this.st.noiseRng = rngAfter[good - 1].noise;
        }
        if (bad >= 0) {
          const what = Number.isFinite(metrics[bad].loss) ? 'its update left non-finite parameters or optimizer state' : `loss ${metrics[bad].loss}`;
          throw new DivergenceError(this.runner.steps + 1, this.st.epoch + 1, what);
        }
        const step0 = this.runner.steps - k;
        for (let i = 0; i < k; i++) {
          onEvent({ type: 'step', epoch: this.st.epoch + 1, batch: first + i + 1, stepsPerEpoch: this.stepsPerEpoch, step: step0 + i + 1, metrics: metrics[i] });
        }
        if (this.stopRequested && this.st.batch < this.stepsPerEpoch) return 'stopped';
      }
      await this.finishEpoch(acc, (performance.now() - t0) / 1000, onEvent);
      if (this.stopRequested) return 'stopped';
    }
    return this.st.earlyStopped ? 'earlyStopped' : 'finished';
  }

  /**
   * After a call that went non-finite (a loss at step `limit`, or only the final state): undo the whole
   * call, then redo its first `limit` steps one by one, checking the state after each, so the parameters
   * are those after the last good step. Returns how many steps were kept.
   */
  private async replayGood(limit: number, data: { x: Float32Array; eps: Float32Array }, sizes: number[]): Promise<number> {
    this.runner.rollback();
    const D = dataDim(this.model);
    const L = this.model.latentDim;
    let rows = 0;
    for (let i = 0; i < limit; i++) {
      const m = sizes[i];
      const mt = await this.runner.step({ x: data.x.subarray(rows * D, (rows + m) * D), eps: data.eps.subarray(rows * L, (rows + m) * L) });
      if (!Number.isFinite(mt.loss) || !this.runner.stateFinite) {
        this.runner.rollback();
        return i;
      }
      rows += m;
    }
    return limit;
  }

  private async finishEpoch(acc: MetricAccumulator, seconds: number, onEvent: (e: TrainEvent) => void): Promise<void> {
    const means = acc.means();
    // one VaeModel for the whole run, so its evaluation graph is compiled once, not every epoch
    const model = (this.evalModel ??= new VaeModel(this.engine, this.model, {}));
    model.params = this.runner.params();
    const evalSplit = async (x: Float32Array | null) => {
      if (!x) return undefined;
      // a fresh generator each time, so the same weights always score the same
      const t = await model.elboTerms(x, new Prng(evalSeed(this.training.seed)));
      return elboMeans(t.recon, t.kl);
    };
    const record: EpochRecord = {
      epoch: this.st.epoch + 1,
      step: this.runner.steps,
      seconds,
      train: { loss: means.loss, negElbo: means.negElbo, recon: means.recon, kl: means.kl },
      val: await evalSplit(this.valX),
      test: await evalSplit(this.testX),
    };
    this.st.history.push(record);
    this.st.epoch++;
    this.st.batch = 0;
    this.st.perm = null;
    let early = false;
    if (record.val) {
      const best = this.st.best;
      if (!best || record.val.negElbo < best.value) {
        this.st.best = { value: record.val.negElbo, epoch: record.epoch, badEpochs: 0, params: model.params };
      } else {
        best.badEpochs++;
        early = this.training.patience !== undefined && best.badEpochs >= this.training.patience;
      }
    }
    this.st.earlyStopped = early;
    onEvent({ type: 'epoch', ...record });
    if (this.st.best?.epoch === record.epoch) onEvent({ type: 'best', epoch: record.epoch, valNegElbo: this.st.best.value });
    if (early) onEvent({ type: 'earlyStop', epoch: record.epoch, bestEpoch: this.st.best!.epoch });
  }
}

function rngFrom(state: ReturnType<Prng['getState']>): Prng {
  const r = new Prng(0);
  r.setState(state);
  return r;
}

/** The state of a run that has not started: initial parameters and PRNGs drawn from the seed. */
function freshState(model: VaeConfig, training: TrainConfig): TrainerState {
  const initRng = new Prng(training.seed);
  const params = initVaeParams(model, initRng);
  // independent streams: one for data order and binarization, one for ε
  return {
    train: { params, opt: {}, step: 0 },
    epoch: 0,
    batch: 0,
    perm: null,
    dataRng: new Prng(training.seed + 0x9e3779b9).getState(),
    noiseRng: new Prng(training.seed + 0x7f4a7c15).getState(),
    acc: { sums: {}, count: 0 },
    history: [],
    best: null,
    earlyStopped: false,
  };
}

/**
 * Steps for the next call with `left` full batches to go: `perCall`, or, when fewer are left, the largest
 * power of two that fits, so the tail of an epoch reuses a few graph sizes instead of compiling a new one.
 */
export function callSteps(perCall: number, left: number): number {
  if (left >= perCall) return perCall;
  return 2 ** Math.floor(Math.log2(left));
}
