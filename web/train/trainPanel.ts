// The "train in this page" panel: data (dataPanel.ts), settings, start / pause / resume / stop, live loss curves, samples and
// reconstructions, and the trained model as the two files of a model directory. Training runs in a Web
// Worker, so the page stays responsive.
import { decodeModel, type SavedModel } from '../../src/web.js';
import { drawTiles } from '../ui/canvas.js';
import { showError } from '../ui/messages.js';
import { initDataPanel } from './dataPanel.js';
import { drawLossChart, type LossSeries } from './lossChart.js';
import { type FromWorker, type TestImages, type ToWorker, type TrainRequest } from './protocol.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const num = (id: string) => Number(($(id) as HTMLInputElement).value);

/**
 * Wires the panel; `explore` opens a trained model in the explorer views, with the held-out test images of
 * the user's image data it was trained on (undefined for the embedded digits: the page has their test set).
 *
 * @example
 * initTrainPanel((m, test) => start(m, test ?? digitsTestSet));
 */
export function initTrainPanel(explore: (m: SavedModel, test?: TestImages) => void): void {
  let worker: Worker | null = null;
  let series: LossSeries = { train: [], test: [] };
  const expose = () => ((globalThis as { vaekitTraining?: LossSeries }).vaekitTraining = series); // for tests and the console
  let onModel: ((m: { configJson: string; weights: Uint8Array; test?: TestImages }) => void) | null = null;
  let images = true; // the explorer draws images: a table model downloads but is not explored here
  const panel = $('train');
  const status = (t: string) => ($('train-status').textContent = t);
  // 'starting': waiting for the chosen data to finish opening, nothing to pause yet
  const buttons = (state: 'idle' | 'starting' | 'running' | 'paused' | 'done') => {
    ($('train-start') as HTMLButtonElement).disabled = state !== 'idle' && state !== 'done';
    ($('train-pause') as HTMLButtonElement).disabled = state !== 'running';
    ($('train-resume') as HTMLButtonElement).disabled = state !== 'paused';
    ($('train-stop') as HTMLButtonElement).disabled = state !== 'running' && state !== 'paused';
    ($('train-download') as HTMLButtonElement).disabled = state === 'idle' || state === 'starting';
    ($('train-explore') as HTMLButtonElement).disabled = state === 'idle' || state === 'starting' || !images;
    panel.dataset.state = state;
  };
  const send = (m: ToWorker) => worker?.postMessage(m);
  const data = initDataPanel((name) => ($('train-start').textContent = `train on ${name ?? 'the embedded digits'}`));
  const onMessage = (m: FromWorker) => {
    switch (m.type) {
      case 'ready':
        status(`training on ${m.trainN} examples of ${m.name} (${m.stepsPerEpoch} steps per epoch), testing on ${m.testN}; wasm, ${m.threads} thread${m.threads > 1 ? 's' : ''} in a Web Worker`);
        break;
      case 'step':
        series.train.push([m.step, m.loss]);
        panel.dataset.step = String(m.step);
        if (m.step % 4 === 0) drawLossChart($('loss-chart'), series);
        break;
      case 'epoch': {
        const r = m.record;
        series.test.push([r.step, r.test!.negElbo]);
        drawLossChart($('loss-chart'), series);
        panel.dataset.testNegElbo = String(r.test!.negElbo);
        panel.dataset.epoch = String(r.epoch);
        status(`epoch ${r.epoch}: train −ELBO ${r.train.negElbo.toFixed(2)}, test −ELBO ${r.test!.negElbo.toFixed(2)} nats/example (${r.seconds.toFixed(1)} s)`);
        break;
      }
      case 'snapshot':
        drawTiles($('train-samples'), m.samples, 16, { rows: m.rows, cols: m.cols, channels: m.channels, perRow: 8 });
        drawTiles($('train-recons'), interleave(m.originals, m.recons, m.channels * m.rows * m.cols), 16, { rows: m.rows, cols: m.cols, channels: m.channels, perRow: 8 });
        break;
      case 'paused':
        status(`paused at step ${series.train.length}`);
        buttons('paused');
        break;
      case 'done':
        drawLossChart($('loss-chart'), series);
        status(`${m.outcome} at step ${series.train.length}; ${$('train-status').textContent}`);
        buttons('done');
        break;
      case 'model':
        onModel?.(m);
        break;
      case 'error':
        showError(new Error(m.message), 'training');
        buttons('done');
        break;
    }
  };
  const askModel = (testSet = false) => new Promise<{ configJson: string; weights: Uint8Array; test?: TestImages }>((resolve) => {
    onModel = resolve;
    send({ type: 'export', testSet });
  });
  $('train-start').addEventListener('click', async () => {
    buttons('starting');
    status('waiting for the data…');
    const own = await data.current();
    worker?.terminate();
    series = { train: [], test: [] };
    expose();
    worker = new Worker(new URL('./trainWorker.js', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<FromWorker>) => onMessage(e.data);
    worker.onerror = (e) => showError(new Error(e.message || 'the worker failed to start'), 'training');
    const request: TrainRequest = {
      latentDim: num('train-latent'), hidden: num('train-hidden'), beta: num('train-beta'), epochs: num('train-epochs'),
      batchSize: num('train-batch'), lr: num('train-lr'), seed: num('train-seed'), threads: num('train-threads'), likelihood: data.likelihood(),
    };
    // tables have no pictures: their runs show the loss curves only
    images = own === undefined || own.shape.length === 3;
    $('train-explore').title = images ? '' : 'the explorer draws images; for a table use vaekit sample --model DIR --out synth.csv';
    for (const id of ['train-samples', 'train-recons']) $(id).parentElement!.hidden = !images;
    status('starting…');
    buttons('running');
    send({ type: 'start', request, data: own });
  });
  $('train-pause').addEventListener('click', () => send({ type: 'pause' }));
  $('train-resume').addEventListener('click', () => {
    buttons('running');
    send({ type: 'resume' });
  });
  $('train-stop').addEventListener('click', () => send({ type: 'stop' }));
  $('train-download').addEventListener('click', async () => {
    const m = await askModel();
    save(new Blob([m.configJson], { type: 'application/json' }), 'config.json');
    save(new Blob([m.weights as Uint8Array<ArrayBuffer>]), 'weights.safetensors');
  });
  $('train-explore').addEventListener('click', async () => {
    const m = await askModel(true);
    explore(decodeModel(m.configJson, m.weights, { config: 'trained config.json', weights: 'trained weights.safetensors' }), m.test);
  });
  ($('train-threads') as HTMLInputElement).value = String(globalThis.crossOriginIsolated ? Math.min(2, navigator.hardwareConcurrency || 1) : 1);
  buttons('idle');
}

function save(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Row 1: originals, row 2: their reconstructions (8 each). */
function interleave(originals: Float32Array, recons: Float32Array, px: number): Float32Array {
  const out = new Float32Array(16 * px);
  out.set(originals.subarray(0, 8 * px), 0);
  out.set(recons.subarray(0, 8 * px), 8 * px);
  return out;
}
