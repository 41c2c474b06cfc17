// Builds the explorer as static files (npm run build:web [OUT_DIR], default dist/explorer): the page bundled
// by esbuild, onnxruntime-web's loader and .wasm files beside it, and the embedded digits' test split as the
// default data. Any static host serves the result; wasm threads need the COOP/COEP headers `vaekit explore` sends.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { gzipSync } from 'fflate';
import { datasetToIdx } from '../src/data/idxWrite.js';
import { loadEmbeddedMnist } from '../src/data/mnist.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Test examples shipped with the page (the scatter's dots). */
export const EXPLORER_TEST_EXAMPLES = 2000;
// onnxruntime-web's runtime files loaded at run time: wasm-only build, and the WebGPU (JSEP) build
const ORT_FILES = ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.jsep.mjs', 'ort-wasm-simd-threaded.jsep.wasm'];

/**
 * Writes the explorer site to `outDir` (replacing it).
 *
 * @example
 * await buildExplorer('dist/explorer');
 */
export async function buildExplorer(outDir: string, opts: { minify?: boolean } = {}): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(path.join(outDir, 'data'), { recursive: true });
  await build({
    entryPoints: [path.join(HERE, 'main.ts'), path.join(HERE, 'train', 'trainWorker.ts'), path.join(HERE, 'train', 'dataWorker.ts')],
    outdir: outDir,
    entryNames: '[name]',
    bundle: true,
    splitting: true, // onnxruntime-web (wasm or WebGPU build) and mnist load in their own chunks
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: opts.minify ?? true,
    sourcemap: true,
    // the .wasm files stay separate files next to the page, not inlined into the script
    conditions: ['onnxruntime-web-use-extern-wasm'],
    external: ['mnist'],
    logLevel: 'warning',
  });
  for (const f of ['index.html', 'style.css']) copyFileSync(path.join(HERE, f), path.join(outDir, f));
  const ortDist = path.dirname(createRequire(import.meta.url).resolve('onnxruntime-web/wasm'));
  for (const f of ORT_FILES) copyFileSync(path.join(ortDist, f), path.join(outDir, f));
  const digits = await loadEmbeddedMnist();
  const { images, labels } = datasetToIdx(digits.test, EXPLORER_TEST_EXAMPLES);
  writeFileSync(path.join(outDir, 'data', 'test-images.idx'), images);
  writeFileSync(path.join(outDir, 'data', 'test-labels.idx'), labels);
  // the training panel's data: both splits of the embedded digits, gzipped IDX (parseIdx gunzips)
  for (const [split, ds] of [['train', digits.train], ['test', digits.test]] as const) {
    const idx = datasetToIdx(ds);
    writeFileSync(path.join(outDir, 'data', `digits-${split}-images.idx.gz`), gzipSync(idx.images, { level: 9 }));
    writeFileSync(path.join(outDir, 'data', `digits-${split}-labels.idx.gz`), gzipSync(idx.labels, { level: 9 }));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = path.resolve(process.argv[2] ?? path.join(HERE, '..', 'dist', 'explorer'));
  await buildExplorer(out);
  process.stdout.write(`built the explorer in ${out}\n`);
}
