// The explorer page: loads onnxruntime-web, a model (model/ next to the page, ?model=URL, or files picked or
// dropped) and the test set (data/), then wires the views. Every failure shows in the page's banner.
import { categoricalColor, describeVae, imageSetFromIdx, loadModelFromFiles, loadModelFromUrl, parseIdx, webEngine, WebModel, type ImageSet, type SavedModel, type WebEngine } from '../src/web.js';
import { Explorer, type ExplorerData } from './explorer.js';
import { downloadPng } from './ui/canvas.js';
import { clearError, setStatus, showError } from './ui/messages.js';
import { DecodedView } from './views/decodedView.js';
import { DrawView } from './views/drawView.js';
import { InterpolationView } from './views/interpolationView.js';
import { PlaneView } from './views/planeView.js';
import { SamplesView } from './views/samplesView.js';
import { initTrainPanel } from './train/trainPanel.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** The served test split: grey or colour images, labels of any width (what `vaekit explore` writes). */
async function loadTestSet(base: string): Promise<ImageSet | null> {
  const get = async (name: string) => {
    const r = await fetch(base + name);
    if (!r.ok) throw new Error(`${base}${name}: HTTP ${r.status}`);
    return parseIdx(new Uint8Array(await r.arrayBuffer()), base + name);
  };
  const [images, labels] = await Promise.all([get('test-images.idx'), get('test-labels.idx')]);
  return imageSetFromIdx(images, labels, 'test set');
}

/** Builds the views for a model (fresh DOM from the template, so no listener outlives its model). */
async function start(we: WebEngine, saved: SavedModel, data: ExplorerData | null, source: string): Promise<void> {
  const model = new WebModel(we.engine, saved);
  const [rows, cols] = model.signature.imageShape;
  // a conditional model draws and encodes as the class picked here (every view follows the picker)
  const picker = $('label-picker') as HTMLSelectElement;
  const K = model.signature.classes;
  const names = saved.meta.dataset?.classNames as readonly string[] | undefined;
  picker.hidden = K === 0;
  if (K > 0) {
    model.label = 0;
    picker.replaceChildren(...Array.from({ length: K }, (_, k) => new Option(names?.[k] ?? `class ${k}`, String(k))));
  }
  const ds = model.signature.dataShape;
  const channels = ds.length === 3 ? ds[0] : 1;
  const fits = data && data.rows === rows && data.cols === cols && (data.channels ?? 1) === channels ? data : null;
  const ex = new Explorer(model, fits, names);
  const main = $('views');
  main.replaceChildren(($('views-template') as HTMLTemplateElement).content.cloneNode(true));
  const plane = new PlaneView(ex, $('plane'), { img: $('hover-img'), label: $('hover-label') });
  new DecodedView(ex, $('decoded'), $('sliders'));
  const interp = new InterpolationView(ex, { a: $('interp-a'), b: $('interp-b'), pickA: $('pick-a'), pickB: $('pick-b'), mode: $('interp-mode'), steps: $('interp-steps'), strip: $('strip') }, plane, $('plane'));
  // trained on the user's own data (config.json records how it was read): a dropped image is read as image files are
  const ownImages = (saved.meta.dataset as { preprocessing?: unknown } | null)?.preprocessing !== undefined;
  const draw = new DrawView(ex, $('pad'), $('pad-recon'), plane, $('pad-clear'), ownImages);
  const samples = new SamplesView(ex, $('samples'), $('temperature'), $('resample'), $('temperature-out'));
  picker.onchange = () => {
    model.label = Number(picker.value);
    ex.setZ(ex.z, 'label');
    samples.update();
  };
  for (const b of Array.from(main.querySelectorAll<HTMLButtonElement>('button[data-png]'))) {
    b.addEventListener('click', () => downloadPng($(b.dataset.png!), `vaekit-${b.dataset.png}.png`));
  }
  // images first (the origin and prior samples), then the test set's codes for the plane
  ex.setZ(new Float32Array(ex.L), 'start');
  samples.update();
  await ex.encodeTestSet();
  $('plane-note').textContent = fits
    ? `${fits.n} test examples, ${ex.plane.axes.join(' × ')}`
    : data ? `the test set's ${data.channels ?? 1}×${data.rows}×${data.cols} images do not fit this ${channels}×${rows}×${cols} model: no dots` : 'no test set: no dots';
  if (fits) {
    // one chip per label present, in the plane's colours
    const present = [...new Set(fits.labels)].sort((a, b) => a - b);
    $('plane-legend').replaceChildren(...present.map((k) => {
      const chip = document.createElement('span');
      const dot = document.createElement('i');
      dot.style.background = categoricalColor(k);
      chip.append(dot, ex.labelName(k));
      return chip;
    }));
  }
  if (!fits) for (const id of ['pick-a', 'pick-b', 'interp-a', 'interp-b']) ($(id) as HTMLInputElement).disabled = true;
  if (fits && ex.L > 2) {
    // the PCA plane, or two latent dimensions (pairs among the first 8)
    const sel = $('plane-axes') as HTMLSelectElement;
    const pairs: [number, number][] = [];
    for (let i = 0; i < Math.min(8, ex.L); i++) for (let j = i + 1; j < Math.min(8, ex.L); j++) pairs.push([i, j]);
    sel.replaceChildren(new Option('PCA plane', 'pca'), ...pairs.map(([i, j]) => new Option(`z${i + 1} × z${j + 1}`, `${i},${j}`)));
    sel.hidden = false;
    sel.addEventListener('change', () => {
      ex.setAxes(sel.value === 'pca' ? 'pca' : (sel.value.split(',').map(Number) as [number, number]));
      $('plane-note').textContent = `${fits.n} test examples, ${ex.plane.axes.join(' × ')}`;
      plane.fit();
      plane.redraw();
    });
  }
  plane.fit();
  plane.redraw();
  if (fits) ex.setZ(ex.code(0), 'start');
  interp.update();
  const cfg = saved.meta.model;
  setStatus(`${source} · ${describeVae(cfg)} → ${cfg.latentDim}-d latent, ${cfg.likelihood.type} · ${we.backend}, ${we.threads} thread${we.threads > 1 ? 's' : ''}${globalThis.crossOriginIsolated ? ', cross-origin isolated' : ''}`);
  (globalThis as { vaekitExplorer?: unknown }).vaekitExplorer = { explorer: ex, engine: we, draw };
}

async function boot(): Promise<void> {
  const q = new URLSearchParams(location.search);
  const modelUrl = q.get('model') ?? 'model/';
  const dataLoad = loadTestSet(q.get('data') ?? 'data/').catch((e: unknown) => {
    showError(e, 'loading the test set');
    return null;
  });
  const modelLoad = loadModelFromUrl(modelUrl);
  modelLoad.catch(() => undefined); // handled below
  const we = await webEngine({
    backend: (q.get('backend') as 'wasm' | 'webgpu' | null) ?? 'auto',
    threads: q.get('threads') ? Number(q.get('threads')) : undefined,
    wasmPaths: new URL('./', import.meta.url).href,
  });
  const data = await dataLoad;
  const open = async (files: File[]) => {
    try {
      const saved = await loadModelFromFiles(files);
      clearError();
      await start(we, saved, data, files.map((f) => f.name).join(' + '));
    } catch (e) {
      showError(e, 'opening the model files');
    }
  };
  initTrainPanel((saved, test) => {
    clearError();
    // trained on the user's images: their held-out test rows (the training's split) are the dots
    start(we, saved, test ?? data, test ? `trained in this page on ${saved.meta.dataset?.name ?? 'your data'}` : 'trained in this page').catch((e: unknown) => showError(e, 'opening the trained model'));
  });
  const picker = $('model-files') as HTMLInputElement;
  picker.addEventListener('change', () => void open(Array.from(picker.files ?? [])));
  document.body.addEventListener('dragover', (e) => e.preventDefault());
  document.body.addEventListener('drop', (e) => {
    if ((e.target as HTMLElement).id === 'pad') return; // the drawing pad takes images
    e.preventDefault();
    void open(Array.from(e.dataTransfer?.files ?? []));
  });
  try {
    await start(we, await modelLoad, data, modelUrl);
  } catch (e) {
    showError(e, `loading the model at ${modelUrl} (or open a model directory's config.json and weights.safetensors)`);
    setStatus('no model loaded');
  }
  document.body.dataset.ready = String(performance.now());
}

boot().catch((e: unknown) => showError(e, 'starting the explorer'));
