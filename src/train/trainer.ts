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
import { elboMeans, type ElboMetrics, MetricAccumulator } from './metrics.js';
import { type TrainConfig, valFractionOf } from './trainConfig.js';
import { splitTrainVal } from './split.js';
import { evalSeed, heldOutImages } from './heldOut.js';
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
  ) {
    const D = dataDim(model);
    this.stepsPerEpoch = Math.ceil(nTrain / training.batchSize);
    this.batchBuf = new Float32Array(training.batchSize * D);
    this.epsBuf = new Float32Array(training.batchSize * model.latentDim);
  }

  /** Prepares data (binarization, validation split) and compiles the training step; resumes from `state` when given. */
  static async create(engine: Engine, model: VaeConfig, training: TrainConfig, data: TrainData, state?: TrainerState): Promise<Trainer> {
    const D = dataDim(model);
    for (const ds of [data.train, data.test]) {
      if (ds && ds.rows * ds.cols !== D) {
        throw new VaekitError(`dataset ${ds.name} has ${ds.rows}x${ds.cols} images but the model expects ${model.imageShape.join('x')}`, 'E_DATA');
      }
    }
    const { train, val } = splitTrainVal(data.train, valFractionOf(training), training.seed);
    if (train.n === 0) throw new VaekitError(`dataset ${data.train.name} has no training examples`, 'E_DATA');
    const trainX = training.binarize === 'static' ? binarizeStatic(train.images) : train.images;
    const st = state ?? freshState(model, training);
    const spec = {
      params: vaeParamShapes(model),
      data: { x: { shape: [training.batchSize, D] }, eps: { shape: [training.batchSize, model.latentDim] } },
      loss: (p: Parameters<typeof vaeLoss>[1], d: Parameters<typeof vaeLoss>[1]) => vaeLoss(model, p, d.x, d.eps),
      optimizer: adam({ lr: training.lr }),
      gradClip: training.gradClip,
    };
    const runner = await StepRunner.create(engine, spec, st.train);
    return new Trainer(engine, model, training, trainX, train.n, val ? heldOutImages(val.images, training, 'val') : null, data.test ? heldOutImages(data.test.images, training, 'test') : null, runner, st);
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
      while (this.st.batch < this.stepsPerEpoch) {
        const start = this.st.batch * batchSize;
        const m = Math.min(batchSize, this.nTrain - start);
        const x = this.batchBuf.subarray(0, m * D);
        for (let i = 0; i < m; i++) x.set(this.trainX.subarray(perm[start + i] * D, (perm[start + i] + 1) * D), i * D);
        if (binarize === 'dynamic') binarizeDynamic(x, dataRng, x);
        const eps = noiseRng.normals(this.epsBuf.subarray(0, m * L));
        const metrics = await this.runner.step({ x, eps });
        if (!Number.isFinite(metrics.loss) || !Number.isFinite(metrics.gradNorm)) {
          this.runner.rollback();
          throw new DivergenceError(this.runner.steps + 1, this.st.epoch + 1, `loss ${metrics.loss}, gradient norm ${metrics.gradNorm}`);
        }
        acc.add(metrics, m);
        this.st.batch++;
        this.st.acc = { sums: acc.sums, count: acc.count };
        this.st.dataRng = dataRng.getState();
        this.st.noiseRng = noiseRng.getState();
        onEvent({ type: 'step', epoch: this.st.epoch + 1, batch: this.st.batch, stepsPerEpoch: this.stepsPerEpoch, step: this.runner.steps, metrics });
        if (this.stopRequested && this.st.batch < this.stepsPerEpoch) return 'stopped';
      }
      await this.finishEpoch(acc, (performance.now() - t0) / 1000, onEvent);
      if (this.stopRequested) return 'stopped';
    }
    return this.st.earlyStopped ? 'earlyStopped' : 'finished';
  }

  private async finishEpoch(acc: MetricAccumulator, seconds: number, onEvent: (e: TrainEvent) => void): Promise<void> {
    const means = acc.means();
    const model = new VaeModel(this.engine, this.model, this.runner.params());
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
