// The training panel's data chooser: the embedded digits, or the user's own files by picker or drag and drop
// (a folder of images, several images, an .npy, .npz or .csv), opened with the CLI's parsers in a data worker
// (./dataWorker.ts, so a big file never freezes the page), summarized before training, and handed to the
// training worker as arrays. Every problem shows in the page's banner, naming the file.
import { type WebFile } from '../../src/web.js';
import { clearError, showError } from '../ui/messages.js';
import { filesOfDrop, filesOfInput } from './droppedFiles.js';
import { type DataPayload, type FromDataWorker, type OpenRequest } from './protocol.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** The chosen data: undefined for the embedded digits. */
export interface DataChoice {
  /** Waits for an open still under way (a setting changed just before start), then the data. */
  current(): Promise<DataPayload | undefined>;
  /** The likelihood setting applies (pixel data); tables bring their own. */
  likelihood(): 'bernoulli' | 'gaussian' | undefined;
}

/**
 * Wires the data chooser; `changed` is told the new data's name (undefined: the embedded digits).
 *
 * @example
 * const data = initDataPanel((name) => (startButton.textContent = `train on ${name ?? 'the embedded digits'}`));
 */
export function initDataPanel(changed: (name: string | undefined) => void): DataChoice {
  let files: WebFile[] = [];
  let data: Extract<FromDataWorker, { type: 'opened' }> | undefined; // the opened data, as the data worker sent it
  let cancel: (() => void) | undefined; // a newer choice terminates the worker of an open still decoding
  let generation = 0; // which open is the latest: an older one that finishes anyway is dropped
  let pending: Promise<void> | undefined; // the latest open, until it settles
  const zone = $('train-data');
  const summary = $('train-data-summary');
  const show = (lines: string[]) => summary.replaceChildren(...lines.map((l) => Object.assign(document.createElement('li'), { textContent: l })));
  const options = (): OpenRequest['options'] => {
    const size = ($('train-image-size') as HTMLInputElement).value.trim();
    const m = /^(\d+)(?:\s*[x×]\s*(\d+))?$/i.exec(size);
    if (size && !m) throw new Error(`image size "${size}": expected N or HxW, e.g. 28 or 64x48`);
    const channels = ($('train-channels') as HTMLSelectElement).value;
    const label = ($('train-label-column') as HTMLInputElement).value.trim();
    return {
      imageSize: m ? [Number(m[1]), Number(m[2] ?? m[1])] : undefined,
      channels: channels ? (Number(channels) as 1 | 3) : undefined,
      label: label || undefined,
      onBad: ($('train-on-bad') as HTMLSelectElement).value === 'skip' ? 'skip' : undefined,
    };
  };
  /** Opens the files in a fresh data worker: progress shown as it comes, the data or the error at the end. */
  const openInWorker = (request: OpenRequest) => new Promise<Extract<FromDataWorker, { type: 'opened' }>>((resolve, reject) => {
    const w = new Worker(new URL('./dataWorker.js', import.meta.url), { type: 'module' });
    cancel = () => {
      w.terminate();
      reject(new Error('replaced by a newer choice'));
    };
    w.onmessage = (e: MessageEvent<FromDataWorker>) => {
      const m = e.data;
      if (m.type === 'progress') show([`decoding images: ${m.done} of ${m.total}`]);
      else {
        w.terminate();
        if (m.type === 'opened') resolve(m);
        else reject(new Error(m.message));
      }
    };
    w.onerror = (e) => {
      w.terminate();
      reject(new Error(e.message || 'the data worker failed to start'));
    };
    w.postMessage(request);
  });
  const open = async () => {
    cancel?.();
    const mine = ++generation;
    data = undefined;
    zone.dataset.state = 'loading';
    const names = files.length === 1 ? files[0].path : `${files.length} files (${files.slice(0, 2).map((f) => f.path).join(', ')}${files.length > 2 ? ', …' : ''})`;
    show([`reading ${names}…`]);
    try {
      const d = await openInWorker({ files, options: options() });
      if (mine !== generation) return; // a newer choice replaced this one
      data = d;
      (globalThis as { vaekitData?: DataPayload }).vaekitData = d.payload; // for tests and the console
      clearError();
      show(d.summary);
      zone.dataset.state = 'ready';
      zone.dataset.n = String(d.n);
      ($('train-likelihood') as HTMLSelectElement).disabled = d.kind === 'table';
      changed(d.name);
    } catch (e) {
      if (mine !== generation) return;
      zone.dataset.state = 'error';
      show([`could not use ${names}; training stays on the embedded digits`]);
      showError(e, `reading ${names}`);
      changed(undefined);
    }
  };
  const reopen = () => {
    const p = open();
    pending = p;
    void p.finally(() => pending === p && (pending = undefined));
  };
  const use = (f: WebFile[]) => {
    if (f.length === 0) return;
    files = f;
    reopen();
  };
  for (const id of ['train-files', 'train-folder']) {
    const input = $(id) as HTMLInputElement;
    input.addEventListener('change', () => {
      use(filesOfInput(input));
      input.value = ''; // the same file again still fires change
    });
  }
  // the page's own drop handler opens models: a drop here is data, so it stops here
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    e.stopPropagation();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    e.stopPropagation();
    zone.classList.remove('over');
    if (e.dataTransfer) filesOfDrop(e.dataTransfer).then(use, (err: unknown) => showError(err, 'reading the dropped files'));
  });
  for (const id of ['train-image-size', 'train-channels', 'train-label-column', 'train-on-bad']) $(id).addEventListener('change', () => files.length > 0 && reopen());
  $('train-digits').addEventListener('click', () => {
    cancel?.();
    generation++;
    pending = undefined;
    files = [];
    data = undefined;
    zone.dataset.state = 'digits';
    ($('train-likelihood') as HTMLSelectElement).disabled = false;
    show([]);
    changed(undefined);
  });
  return {
    current: async () => {
      // a changed setting reopens the files; training must not start on the digits meanwhile
      while (pending) await pending;
      return data?.payload;
    },
    likelihood: () => (data?.kind === 'table' ? undefined : (($('train-likelihood') as HTMLSelectElement).value as 'bernoulli' | 'gaussian')),
  };
}
