/** `vaekit explore`: the latent explorer page for a model, served locally with wasm threads enabled. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command } from 'commander';
import { datasetToIdx } from '../data/idxWrite.js';
import { VaekitError } from '../errors.js';
import { startExplorerServer } from '../node/explorerServer.js';
import { dataForModel, loadModel, makeEngine } from './common.js';
import { addDatasetOptions, type DatasetFlags, intArg } from './options.js';
import { print } from './output.js';

/** The page holds the examples as float32: 128 Mi pixel values sent make 512 MiB there, its data limit. */
const MAX_VALUES = 128 * 2 ** 20;

interface ExploreFlags extends DatasetFlags {
  model: string;
  n: number;
  port: number;
  host: string;
  site?: string;
}

/**
 * Adds `vaekit explore --model DIR [--port N] [--host H] [--site DIR] [--n 2000] [dataset flags]`.
 *
 * @example
 * registerExplore(program);
 */
export function registerExplore(program: Command): void {
  const cmd = program
    .command('explore')
    .description("open a model in the browser: latent plane of its test set, sliders, interpolation, drawing, samples (Ctrl-C stops the server)")
    .requiredOption('--model <dir>', 'model directory (config.json + weights.safetensors)')
    .option('--n <n>', 'examples of the split shown as dots on the plane (the first N)', intArg(1), 2000)
    .option('--port <n>', 'port (0: any free port)', intArg(0), 8080)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--site <dir>', 'the built page (default: the package\'s dist/explorer, made by npm run build:web)');
  addDatasetOptions(cmd).action((o: ExploreFlags) => explore(o));
}

async function explore(o: ExploreFlags): Promise<void> {
  const m = loadModel(o.model, makeEngine(1)); // fails here, with the file named, rather than in the page
  if ((m.meta.dataset as { preprocessing?: { kind?: string } } | null)?.preprocessing?.kind === 'table') {
    throw new VaekitError(`the model in ${o.model} was trained on a table; the explorer draws images. Use vaekit sample --model ${o.model} --out synth.csv, or encode`, 'E_ARG');
  }
  const D = m.model.dataDim;
  if (o.n * D > MAX_VALUES) throw new VaekitError(`--n ${o.n}: ${o.n} examples of ${D} values are ${o.n * D} values, more than the page's ${MAX_VALUES} (${Math.floor(MAX_VALUES / D)} examples of this model)`, 'E_MEMORY');
  const siteDir = o.site ?? defaultSite();
  // the examples as the model reads them (the path every command takes): its own data, or the flags'
  const { ds } = await dataForModel(m, { ...o, limit: o.n });
  const { images, labels } = datasetToIdx(ds);
  const server = await startExplorerServer({ siteDir, modelDir: o.model, port: o.port, host: o.host, data: { 'test-images.idx': images, 'test-labels.idx': labels } });
  print(`vaekit explorer for ${o.model} (${ds.name}, ${ds.n} ${o.split} examples): ${server.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => void server.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** dist/explorer above this file (src/cli or dist/cli). */
function defaultSite(): string {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const site = path.join(root, 'dist', 'explorer');
  if (!existsSync(path.join(site, 'index.html'))) throw new VaekitError(`the explorer page is not built (${site} has no index.html): run npm run build:web, or pass --site DIR`, 'E_ARG');
  return site;
}
