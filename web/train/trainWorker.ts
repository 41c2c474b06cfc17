// The training worker: the library's Trainer on onnxruntime-web (wasm) over the embedded digits or the
// user's own data (opened in the page, split and modelled as `vaekit train --data` does), posting
// steps, epochs and snapshots (samples and reconstructions) to the page. Pause is stop + exact resume from
// the trainer's state, so a paused run continues with the same results as one never paused.
import {
  arrayDataset, checkWebTraining, datasetFromIdx, encodeModel, imageRows, modelConfigForData, modelFile, parseIdx, parseTrainConfig, Prng, rowSize,
  splitForTraining, Trainer, webDatasetRecord, webEngine, WebModel,
  type EpochRecord, type RowDataset, type TrainConfig, type TrainerState, type VaeConfig,
} from '../../src/web.js';
import { EXPLORE_MAX_TEST, type DataPayload, type FromWorker, type SplitArrays, type TestImages, type ToWorker, type TrainRequest } from './protocol.js';

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);
/** Steps between live snapshots. */
const SNAPSHOT_EVERY = 40;
/** Optimizer steps per ORT call: small, so pause and stop act within a fraction of a second. */
const STEPS_PER_CALL = 8;

interface Run {
  model: VaeConfig;
  training: TrainConfig;
  data: { train: RowDataset; test: RowDataset };
  /** config.json's dataset record, without the split sizes. */
  dataset: { name: string } & Record<string, unknown>;
  /** Trained on the user's data (not the embedded digits, which the explorer page loads itself). */
  own: boolean;
  engine: Awaited<ReturnType<typeof webEngine>>;
  trainer: Trainer;
  viewer: WebModel;
  z: Float32Array;
  state?: TrainerState;
  last?: EpochRecord;
}
let run: Run | undefined;
let snapshotBusy = false;

async function fetchIdx(name: string) {
  const url = new URL(`data/${name}`, import.meta.url);
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url.pathname}: HTTP ${r.status} (the page's embedded digits are missing; rebuild with npm run build:web)`);
  return parseIdx(new Uint8Array(await r.arrayBuffer()), url.pathname);
}

async function loadDigits(): Promise<{ train: RowDataset; test: RowDataset }> {
  const [a, b, c, d] = await Promise.all(['digits-train-images.idx.gz', 'digits-train-labels.idx.gz', 'digits-test-images.idx.gz', 'digits-test-labels.idx.gz'].map(fetchIdx));
  return { train: imageRows(datasetFromIdx(a, b, 'mnist-10k/train')), test: imageRows(datasetFromIdx(c, d, 'mnist-10k/test')) };
}

/** The user's data from the page: the file's own test split, else the CLI's seeded held-out fraction. */
function ownData(p: DataPayload, seed: number): { train: RowDataset; test: RowDataset } {
  const rows = (a: SplitArrays, name: string) => arrayDataset(name, a.x, p.shape, { labels: a.labels, mask: a.mask, classNames: p.record.classNames });
  return splitForTraining(rows(p.train, p.record.name), p.test && rows(p.test, `${p.record.name}:test`), seed);
}

async function start(req: TrainRequest, own?: DataPayload): Promise<void> {
  const training = parseTrainConfig({ epochs: req.epochs, batchSize: req.batchSize, lr: req.lr, seed: req.seed }, 'the page\'s training settings');
  const data = own ? ownData(own, training.seed) : await loadDigits();
  const model = modelConfigForData({ latentDim: req.latentDim, hidden: req.hidden, beta: req.beta, likelihood: req.likelihood }, { shape: data.train.shape, preprocessing: own?.record.preprocessing });
  checkWebTraining(model, training.batchSize, STEPS_PER_CALL); // before compiling: refused with the number and the limit
  const dataset = own ? webDatasetRecord(own.record, training.seed, { train: 0, test: 0 }) : { name: 'mnist' };
  const engine = await webEngine({ backend: 'wasm', threads: req.threads, wasmPaths: new URL('./', import.meta.url).href, yieldToEvents: true });
  const trainer = await Trainer.create(engine.engine, model, training, data, undefined, { stepsPerCall: STEPS_PER_CALL });
  const viewer = new WebModel(engine.engine, { meta: modelFile(model, training, null, null), params: trainer.params() }, { liveWeights: true });
  run = { model, training, data, dataset, own: own !== undefined, engine, trainer, viewer, z: new Prng(req.seed + 7).normals(new Float32Array(16 * req.latentDim)) };
  post({ type: 'ready', name: data.train.name, trainN: data.train.n, testN: data.test.n, stepsPerEpoch: trainer.stepsPerEpoch, threads: engine.threads });
  await snapshot(0);
  await go();
}

/** Runs the trainer until it finishes or is stopped (pause keeps its state for an exact resume). */
async function go(): Promise<void> {
  const r = run!;
  const outcome = await r.trainer.run((e) => {
    if (e.type === 'step') {
      post({ type: 'step', step: e.step, epoch: e.epoch, loss: e.metrics.loss });
      if (e.step % SNAPSHOT_EVERY === 0) void snapshot(e.step);
    } else if (e.type === 'epoch') {
      r.last = { ...e };
      post({ type: 'epoch', record: r.last });
    }
  });
  r.state = r.trainer.state();
  if (outcome === 'stopped' && pausing) {
    pausing = false;
    post({ type: 'paused' });
    return;
  }
  await snapshot(r.trainer.state().train.step);
  post({ type: 'done', outcome });
}

let pausing = false;

async function resume(): Promise<void> {
  const r = run!;
  r.trainer = await Trainer.create(r.engine.engine, r.model, r.training, r.data, r.state, { stepsPerCall: STEPS_PER_CALL });
  await go();
}

/** Posts samples from fixed codes and reconstructions of the first 8 test images under the current weights (tables: none). */
async function snapshot(step: number): Promise<void> {
  const r = run!;
  if (snapshotBusy || r.model.dataShape.length !== 3) return;
  snapshotBusy = true;
  try {
    r.viewer.setParams(r.trainer.params());
    const [channels, rows, cols] = r.model.dataShape;
    const k = Math.min(8, r.data.test.n);
    const originals = new Float32Array(8 * rowSize(r.data.test));
    r.data.test.read(Array.from({ length: k }, (_, i) => i), originals);
    const samples = await r.viewer.decode(r.z);
    const recons = await r.viewer.reconstruct(originals);
    post({ type: 'snapshot', step, samples, originals, recons, rows, cols, channels }, [samples.buffer, originals.buffer, recons.buffer]);
  } finally {
    snapshotBusy = false;
  }
}

/** The run's held-out test images (the split training used), the first {@link EXPLORE_MAX_TEST}; none for tables and the digits. */
function testImages(r: Run): TestImages | undefined {
  const t = r.data.test;
  if (!r.own || r.model.dataShape.length !== 3) return undefined;
  const [channels, rows, cols] = r.model.dataShape;
  const n = Math.min(EXPLORE_MAX_TEST, t.n);
  const images = new Float32Array(n * rowSize(t));
  t.read(Array.from({ length: n }, (_, i) => i), images);
  const labels = t.labels ? t.labels.slice(0, n) : new Int32Array(n);
  return { name: t.name, images, labels, n, rows, cols, channels };
}

function exportModel(withTest: boolean): void {
  const r = run!;
  const metrics = r.last ? { selected: 'last', epoch: r.last.epoch, step: r.last.step, train: r.last.train, test: r.last.test } : null;
  const dataset = { ...r.dataset, train: r.data.train.n, test: r.data.test.n };
  const { configJson, weights } = encodeModel({ meta: modelFile(r.model, r.training, dataset, metrics), params: r.trainer.params() });
  const test = withTest ? testImages(r) : undefined;
  post({ type: 'model', configJson, weights, test }, [weights.buffer as ArrayBuffer, ...(test ? [test.images.buffer, test.labels.buffer] : [])]);
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const m = ev.data;
  const fail = (e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  try {
    if (m.type === 'start') start(m.request, m.data).catch(fail);
    else if (m.type === 'pause') {
      pausing = true;
      run?.trainer.stop();
    } else if (m.type === 'resume') resume().catch(fail);
    else if (m.type === 'stop') run?.trainer.stop();
    else if (m.type === 'export') exportModel(m.testSet === true);
  } catch (e) {
    fail(e);
  }
};
