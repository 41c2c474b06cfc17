// The data worker: opens the user's files (images decoded and resized, .npy/.npz/CSV parsed) with the
// library's openWebData, off the page's thread, so a large file never freezes the page; the arrays come back
// transferred, not copied. One worker per open: the panel terminates it when a newer choice replaces it.
import { describeWebData, openWebData, readAll, WEB_TEST_FRACTION, type RowDataset, type WebData } from '../../src/web.js';
import { type DataPayload, type FromDataWorker, type OpenRequest, type SplitArrays } from './protocol.js';

const post = (m: FromDataWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

self.onmessage = async (e: MessageEvent<OpenRequest>) => {
  try {
    const d = await openWebData(e.data.files, { ...e.data.options, onProgress: (done, total) => done % 50 === 0 && post({ type: 'progress', done, total }) });
    const p = payload(d);
    const arrays = [p.train, ...(p.test ? [p.test] : [])].flatMap((s) => [s.x, s.mask, s.labels]).filter((a) => a !== undefined);
    const buffers = [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))]; // labels of both splits may share one
    post({ type: 'opened', name: d.name, kind: d.kind, n: d.train.n, summary: describeWebData(d, WEB_TEST_FRACTION), payload: p }, buffers);
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};

/** The data as arrays: the page keeps them and copies them to each training run's worker. */
function payload(d: WebData): DataPayload {
  const arrays = (ds: RowDataset): SplitArrays => ({ ...readAll(ds), labels: ds.labels });
  return {
    record: { name: d.name, source: d.source, preprocessing: d.preprocessing, classNames: d.train.classNames },
    shape: [...d.train.shape],
    train: arrays(d.train),
    test: d.test && arrays(d.test),
  };
}
