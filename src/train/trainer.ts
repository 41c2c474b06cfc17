import { imageRows, type ImageDataset, type LabelArray } from '../data/dataset.js';
import { type RowDataset } from '../data/rowDataset.js';
import { readAll } from '../data/datasetView.js';
import { VaekitError } from '../errors.js';
import { asVae, vaeLoss, type Vae } from '../models/vae.js';
import { type VaeConfig } from '../models/vaeConfig.js';
import { VaeModel } from '../models/vaeModel.js';
import { shapesOf } from '../nn/scope.js';
import { adam } from '../optim/adam.js';
import { StepRunner } from '../optim/stepRunner.js';
import { type Params } from '../optim/trainState.js';
import { Prng } from '../random/prng.js';
import { type Engine } from '../runtime/engine.js';
import { elboMeans, type ElboMetrics } from '../eval/elboMeans.js';
import { BatchFiller, stepDataSpec, type CallData } from './batchFiller.js';
import { MetricAccumulator } from './metrics.js';
import { type TrainConfig, valFractionOf } from './trainConfig.js';
import { splitTrainVal } from './split.js';
import { evalSeed, heldOutImages } from './heldOut.js';
import { checkResumeFit } from './resumeFit.js';
import { type TrainerState } from './trainerState.js';
import { checkFits, freshState, rngFrom } from './trainerStart.js';

/** Train and (optional) test data: any RowDataset, or grey images; validation, when configured, is carved from train. */
export interface TrainData {
  train: RowDataset | ImageDataset<LabelArray>;
  test?: RowDataset | ImageDataset<LabelArray>;
}

const asRows = (ds: RowDataset | ImageDataset<LabelArray>): RowDataset => ('read' in ds ? ds : imageRows(ds));

/** Metrics of a step or an epoch: always the ELBO terms, plus what the objective adds (e.g. negIwae). */
export type MetricRecord = ElboMetrics & Record<string, number>;

/** One finished epoch, as appended to metrics.jsonl. */
export interface EpochRecord {
  epoch: number;
  step: number;
  seconds: number;
  train: MetricRecord;
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

/** A held-out split as evaluation reads it: preprocessed values, labels for conditional models, a mask. */
interface HeldOut {
  x: Float32Array;
  labels?: Int32Array;
  mask?: Float32Array;
}

/**
 * Trains any VAE (a config, or a config bound to a TypeScript model with `makeVae`) with Adam: shuffles
 * every epoch, runs compiled training steps, evaluates validation and test −ELBO after every epoch, stops
 * early on a validation plateau, and can stop after any step with its complete state available for an exact
 * resume. Nothing here depends on the architecture: the model contract, objective and data spec say it all.
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
  private readonly filler: BatchFiller;

  private constructor(
    readonly engine: Engine,
    readonly vae: Vae,
    readonly training: TrainConfig,
    private readonly train: RowDataset,
    private readonly val: HeldOut | null,
    private readonly test: HeldOut | null,
    private readonly runner: StepRunner,
    private st: TrainerState,
    /** Optimizer steps per ONNX Runtime call; results do not depend on it. */
    readonly stepsPerCall: number,
  ) {
    this.stepsPerEpoch = Math.ceil(train.n / training.batchSize);
    this.filler = new BatchFiller(vae, training, train, stepsPerCall);
  }

  /** The model config being trained. */
  get model(): VaeConfig {
    return this.vae.config;
  }

  /** Checks the data against the model, splits validation off, and compiles the training step; resumes from `state` when given. */
  static async create(engine: Engine, model: VaeConfig | Vae, training: TrainConfig, data: TrainData, state?: TrainerState, runtime: TrainerRuntime = {}): Promise<Trainer> {
    const stepsPerCall = runtime.stepsPerCall ?? DEFAULT_STEPS_PER_CALL;
    if (!Number.isInteger(stepsPerCall) || stepsPerCall < 1) throw new VaekitError(`stepsPerCall must be a positive integer, got ${stepsPerCall}`, 'E_CONFIG');
    const vae = asVae(model);
    const cfg = vae.config;
    const all = asRows(data.train);
    const test = data.test && asRows(data.test);
    for (const ds of [all, test]) if (ds) checkFits(ds, cfg);
    const { train, val } = splitTrainVal(all, valFractionOf(training), training.seed);
    if (train.n === 0) throw new VaekitError(`dataset ${all.name} has no training examples`, 'E_DATA');
    const optimizer = adam({ lr: training.lr });
    if (state) checkResumeFit(state, { shapes: shapesOf(vae.specs), trained: shapesOf(vae.specs, 'param'), slots: optimizer.slots, nTrain: train.n, batchSize: training.batchSize });
    const st = state ?? freshState(vae, training);
    // more steps per call than an epoch's full batches would only size buffers and a graph never used
    const perCall = Math.min(stepsPerCall, Math.max(1, Math.floor(train.n / training.batchSize)));
    const spec = {
      params: shapesOf(vae.specs, 'param'),
      buffers: shapesOf(vae.specs, 'buffer'),
      data: stepDataSpec(vae, training.batchSize, train.hasMask === true),
      loss: vaeLoss(vae),
      optimizer,
      gradClip: training.gradClip,
    };
    // only the one-step graph up front (~0.1 s to compile, against ~1.5 s for 32 unrolled steps): the first
    // call takes one step, so training starts at once and the big graph compiles at the second call
    const runner = await StepRunner.create(engine, spec, st.train, 1);
    const heldOut = (ds: RowDataset | null | undefined, split: 'val' | 'test'): HeldOut | null => {
      if (!ds) return null;
      const { x, mask } = readAll(ds);
      return { x: heldOutImages(x, training, split), labels: cfg.classes > 0 ? ds.labels : undefined, mask };
    };
    return new Trainer(engine, vae, training, train, heldOut(val, 'val'), heldOut(test, 'test'), runner, st, perCall);
  }

  /** Current parameters and buffers (copies). */
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
    const { batchSize, epochs } = this.training;
    const dataRng = rngFrom(this.st.dataRng);
    const noiseRng = rngFrom(this.st.noiseRng);
    const n = this.train.n;
    onEvent({ type: 'start', epochs, stepsPerEpoch: this.stepsPerEpoch, epoch: this.st.epoch, batch: this.st.batch });
    while (this.st.epoch < epochs) {
      if (this.st.earlyStopped) return 'earlyStopped';
      const t0 = performance.now();
      if (this.st.batch === 0) {
        this.st.perm = Array.from(dataRng.permutation(n));
        this.st.acc = { sums: {}, count: 0 };
      }
      const perm = this.st.perm!;
      const acc = Object.assign(new MetricAccumulator(), this.st.acc);
      const fullBatches = Math.floor(n / batchSize);
      while (this.st.batch < this.stepsPerEpoch) {
        // up to stepsPerCall full batches per ORT call; a last, partial batch runs alone. The next call's rows
        // are prefetched: a disk source reads them on a worker thread while this call runs.
        const first = this.st.batch;
        const k = first < fullBatches && this.calls++ > 0 ? callSteps(this.stepsPerCall, fullBatches - first) : 1;
        const rngAfter: { data: ReturnType<Prng['getState']>; noise: ReturnType<Prng['getState']> }[] = [];
        const call = this.filler.fill(perm, first, k, this.runner.steps, dataRng, noiseRng, () => rngAfter.push({ data: dataRng.getState(), noise: noiseRng.getState() }));
        if (first + k < this.stepsPerEpoch) this.filler.prefetch(perm, first + k, first + k < fullBatches ? callSteps(this.stepsPerCall, fullBatches - first - k) : 1);
        const metrics = await this.runner.runSteps(call.data, k);
        const lossBad = metrics.findIndex((mt) => !Number.isFinite(mt.loss));
        const ok = lossBad < 0 && this.runner.stateFinite;
        const good = ok ? k : await this.replayGood(lossBad < 0 ? k : lossBad, call);
        const bad = ok ? -1 : good;
        for (let i = 0; i < good; i++) acc.add(metrics[i], call.sizes[i]);
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
  private async replayGood(limit: number, call: CallData): Promise<number> {
    this.runner.rollback();
    for (let i = 0; i < limit; i++) {
      const mt = await this.runner.step(this.filler.stepData(call, i));
      if (!Number.isFinite(mt.loss) || !this.runner.stateFinite) {
        this.runner.rollback();
        return i;
      }
    }
    return limit;
  }

  private async finishEpoch(acc: MetricAccumulator, seconds: number, onEvent: (e: TrainEvent) => void): Promise<void> {
    const means = acc.means() as MetricRecord;
    // one VaeModel for the whole run, so its evaluation graph is compiled once, not every epoch
    const model = (this.evalModel ??= new VaeModel(this.engine, this.vae, {}));
    model.params = this.runner.params();
    const evalSplit = async (h: HeldOut | null) => {
      if (!h) return undefined;
      // a fresh generator each time, so the same weights always score the same
      const t = await model.elboTerms(h.x, new Prng(evalSeed(this.training.seed)), { labels: h.labels, mask: h.mask });
      return elboMeans(t.recon, t.kl);
    };
    const record: EpochRecord = {
      epoch: this.st.epoch + 1,
      step: this.runner.steps,
      seconds,
      train: means,
      val: await evalSplit(this.val),
      test: await evalSplit(this.test),
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

/**
 * Steps for the next call with `left` full batches to go: `perCall`, or, when fewer are left, the largest
 * power of two that fits, so the tail of an epoch reuses a few graph sizes instead of compiling a new one.
 */
export function callSteps(perCall: number, left: number): number {
  return left >= perCall ? perCall : 2 ** Math.floor(Math.log2(left));
}
