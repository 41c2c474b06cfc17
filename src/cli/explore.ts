/** `vaekit explore`: the latent explorer page for a model, served locally with wasm threads enabled. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command } from 'commander';
import { datasetToIdx } from '../data/idxWrite.js';
import { VaekitError } from '../errors.js';
import { startExplorerServer } from '../node/explorerServer.js';
import { loadModelDir } from '../node/modelDir.js';
import { datasetFor, loadSplit } from './datasets.js';
import { intArg } from './options.js';
import { print } from './output.js';

/** Test examples sent to the page (its scatter's dots). */
const EXAMPLES = 2000;

interface ExploreFlags {
  model: string;
  port: number;
  host: string;
  site?: string;
}

/**
 * Adds `vaekit explore --model DIR [--port N] [--host H] [--site DIR]`.
 *
 * @example
 * registerExplore(program);
 */
export function registerExplore(program: Command): void {
  program
    .command('explore')
    .description("open a model in the browser: latent plane of its test set, sliders, interpolation, drawing, samples (Ctrl-C stops the server)")
    .requiredOption('--model <dir>', 'model directory (config.json + weights.safetensors)')
    .option('--port <n>', 'port (0: any free port)', intArg(0), 8080)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--site <dir>', 'the built page (default: the package\'s dist/explorer, made by npm run build:web)')
    .action((o: ExploreFlags) => explore(o));
}

async function explore(o: ExploreFlags): Promise<void> {
  const { meta } = loadModelDir(o.model); // fails here, with the file named, rather than in the page
  const siteDir = o.site ?? defaultSite();
  const test = await loadSplit(datasetFor(meta, {}), 'test');
  const { images, labels } = datasetToIdx(test, EXAMPLES);
  const server = await startExplorerServer({ siteDir, modelDir: o.model, port: o.port, host: o.host, data: { 'test-images.idx': images, 'test-labels.idx': labels } });
  print(`vaekit explorer for ${o.model} (${test.name}, ${Math.min(EXAMPLES, test.n)} test examples): ${server.url}`);
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
