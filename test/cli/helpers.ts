// Runs the real CLI (src/cli/main.ts) in a child process, plus small readers for what it writes.
//
// How the child runs the TypeScript: through one esbuild bundle of src/cli/main.ts made when this module
// loads (~0.2 s; every package stays an external import, so the same node_modules code runs), because
// tsx's loader costs ~0.6–0.9 s in each of the ~40 child processes these tests start. VAEKIT_CLI_TEST=tsx
// runs the children through tsx instead (also the fallback when esbuild cannot be loaded).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { tempDir } from '../helpers/tempDir.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = path.join(ROOT, 'src/cli/main.ts');
const require = createRequire(import.meta.url);
const TSX = require.resolve('tsx');

/** node arguments that start the CLI. */
const entry: string[] = bundle() ?? ['--import', pathToFileURL(TSX).href, MAIN];

function bundle(): string[] | undefined {
  if (process.env.VAEKIT_CLI_TEST === 'tsx') return undefined;
  let esbuild: typeof import('esbuild');
  try {
    esbuild = createRequire(TSX)('esbuild') as typeof import('esbuild'); // tsx's own esbuild
  } catch {
    return undefined;
  }
  // inside the repository, so the bundle's imports of packages resolve to this node_modules
  const dir = path.join(ROOT, 'node_modules', '.cache', 'vaekit-cli-test');
  mkdirSync(dir, { recursive: true });
  const outfile = path.join(dir, `main-${process.pid}.mjs`);
  esbuild.buildSync({ entryPoints: [MAIN], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
  process.on('exit', () => rmSync(outfile, { force: true }));
  return [outfile];
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `vaekit <args>`; `onStderr` sees all stderr so far whenever more arrives. */
export function startCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; onStderr?: (all: string) => void } = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const env = opts.env ? { ...process.env, ...opts.env } : process.env;
  const child = spawn(process.execPath, [...entry, ...args], { cwd: opts.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
    opts.onStderr?.(stderr);
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Runs `vaekit <args>` to the end. */
export function cli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return startCli(args, opts).done;
}

/** One ORT thread, for runs started side by side on a small machine. */
export const ONE_THREAD = ['--threads', '1'];

/** A fresh temporary directory, removed when the test process exits. */
export function tmp(prefix = 'vaekit-cli-'): string {
  return tempDir(prefix);
}

/** A short description of a result for assertion messages. */
export const show = (r: CliResult) => `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** Width and height from a PNG's IHDR chunk (bytes 16..23). */
export function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  if (b.toString('latin1', 1, 4) !== 'PNG') throw new Error(`${file} is not a PNG`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** Grid side in pixels for k tiles of 28 px with the default 2 px padding. */
export const side = (k: number) => k * 30 + 2;

/** Lines of a text file without the trailing empty one. */
export function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
}

/** Tiny, fast training flags: a 784-64-2 VAE, one epoch, batch 100. */
export const TINY = ['--hidden', '64', '--latent', '2', '--batch', '100', '--epochs', '1'];

/**
 * Writes the first 2000 train and 500 test embedded digits as the four IDX files of an MNIST directory:
 * children read them through --data in milliseconds, where each would spend ~1 s parsing the embedded JSON.
 */
export async function writeDigitsDir(target: string): Promise<void> {
  const { train, test } = await loadEmbeddedMnist();
  mkdirSync(target, { recursive: true });
  const idx = (type: number, dims: number[], data: Uint8Array) => {
    const header = Buffer.alloc(4 + 4 * dims.length);
    header.writeUInt32BE(0x800 + type, 0); // 00 00 08 <rank>: uint8 data
    dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
    return Buffer.concat([header, data]);
  };
  for (const [ds, n, prefix] of [[train, 2000, 'train'], [test, 500, 't10k']] as const) {
    const pixels = Uint8Array.from(ds.images.subarray(0, n * 784), (v) => Math.round(v * 255));
    writeFileSync(path.join(target, `${prefix}-images-idx3-ubyte`), idx(3, [n, 28, 28], pixels));
    writeFileSync(path.join(target, `${prefix}-labels-idx1-ubyte`), idx(1, [n], ds.labels.slice(0, n)));
  }
}

/**
 * The fixture most CLI test files share: a temp root holding the digits directory and one model trained on
 * it with `train TINY ...extra`, made before the file's tests and removed after them (mode restored first,
 * for tests that make the root read-only).
 * @example const { digits, model } = trainedModelFixture(['--binarize', 'static']);
 */
export function trainedModelFixture(extra: string[] = []): { root: string; digits: string; model: string } {
  const root = tmp();
  const fixture = { root, digits: path.join(root, 'digits'), model: path.join(root, 'model') };
  before(async () => {
    await writeDigitsDir(fixture.digits);
    const r = await cli(['train', ...TINY, ...extra, '--data', fixture.digits, '--out', fixture.model, ...ONE_THREAD]);
    assert.equal(r.code, 0, show(r));
  });
  after(() => {
    chmodSync(root, 0o755);
    rmSync(root, { recursive: true, force: true });
  });
  return fixture;
}
