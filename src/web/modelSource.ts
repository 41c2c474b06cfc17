import { VaekitError } from '../errors.js';
import { CONFIG_FILE, decodeModel, WEIGHTS_FILE, type SavedModel } from '../io/modelFiles.js';

/** Largest weights file loaded into a page (bytes); bigger models are refused before reading. */
export const MAX_WEIGHTS_BYTES = 1 << 30;

/** The part of the browser's File the loader uses (also satisfied by Node's File / Blob with a name). */
export interface NamedBlob {
  readonly name: string;
  readonly size: number;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Loads a model directory served over HTTP: `base` + config.json and weights.safetensors.
 *
 * @throws VaekitError naming the URL and its HTTP status, or the bad file and what is wrong with it
 * @example
 * const model = await loadModelFromUrl('models/mnist/');
 */
export async function loadModelFromUrl(base: string, fetchFn: typeof fetch = fetch): Promise<SavedModel> {
  const dir = base.endsWith('/') ? base : `${base}/`;
  const get = async (name: string): Promise<Response> => {
    const url = `${dir}${name}`;
    let r: Response;
    try {
      r = await fetchFn(url);
    } catch (e) {
      throw new VaekitError(`${url}: cannot be fetched (${(e as Error).message})`, 'E_MODEL');
    }
    if (!r.ok) throw new VaekitError(`${url}: HTTP ${r.status} ${r.statusText}; a model directory needs ${CONFIG_FILE} and ${WEIGHTS_FILE}`, 'E_MODEL');
    return r;
  };
  const [c, w] = await Promise.all([get(CONFIG_FILE), get(WEIGHTS_FILE)]);
  const size = Number(w.headers.get('content-length') ?? 0);
  if (size > MAX_WEIGHTS_BYTES) throw new VaekitError(`${dir}${WEIGHTS_FILE}: ${size} bytes is more than a page loads (${MAX_WEIGHTS_BYTES})`, 'E_MODEL');
  return decodeModel(await c.text(), new Uint8Array(await w.arrayBuffer()), { config: `${dir}${CONFIG_FILE}`, weights: `${dir}${WEIGHTS_FILE}` });
}

/**
 * Loads a model from picked or dropped files: config.json and weights.safetensors (any other files are
 * ignored, so a whole model directory can be dropped).
 *
 * @throws VaekitError naming a missing file (and the files given) or the bad file and what is wrong with it
 * @example
 * input.onchange = async () => show(await loadModelFromFiles([...input.files!]));
 */
export async function loadModelFromFiles(files: readonly NamedBlob[]): Promise<SavedModel> {
  const byName = (want: string, ext: string) => files.find((f) => f.name === want) ?? (files.filter((f) => f.name.endsWith(ext)).length === 1 ? files.find((f) => f.name.endsWith(ext)) : undefined);
  const cfg = byName(CONFIG_FILE, '.json');
  const w = byName(WEIGHTS_FILE, '.safetensors');
  const given = files.map((f) => f.name).join(', ') || 'none';
  if (!cfg) throw new VaekitError(`no ${CONFIG_FILE} among the files given (${given}); pick both files of a model directory`, 'E_MODEL');
  if (!w) throw new VaekitError(`no ${WEIGHTS_FILE} among the files given (${given}); pick both files of a model directory`, 'E_MODEL');
  if (w.size > MAX_WEIGHTS_BYTES) throw new VaekitError(`${w.name}: ${w.size} bytes is more than a page loads (${MAX_WEIGHTS_BYTES})`, 'E_MODEL');
  return decodeModel(await cfg.text(), new Uint8Array(await w.arrayBuffer()), { config: cfg.name, weights: w.name });
}
