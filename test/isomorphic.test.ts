// The shared core must run in the browser: bundling src/index.ts for the browser platform must not pull in
// any Node built-in (node:*, fs, path…). Node-only code lives behind src/node.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from 'esbuild';

test('the isomorphic entry bundles for the browser without Node built-ins', async () => {
  const r = await build({
    entryPoints: ['src/index.ts'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    // the engine is injected; the data package is loaded lazily from its own chunk
    external: ['onnxruntime-common', 'mnist'],
    metafile: true,
  });
  const inputs = Object.keys(r.metafile!.inputs);
  assert.ok(inputs.some((f) => f.includes('src/graph/serialize.ts')), 'bundle should contain the graph core');
  for (const f of inputs) assert.ok(!/^src\/(node|cli)\//.test(f) && f !== 'src/node.ts', `browser bundle pulled in ${f}`);
});

test('the web entry (vaekit/web) bundles for the browser without Node built-ins', async () => {
  const r = await build({
    entryPoints: ['src/web.ts'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    external: ['onnxruntime-common', 'onnxruntime-web', 'onnxruntime-web/wasm', 'mnist'],
    metafile: true,
  });
  const inputs = Object.keys(r.metafile!.inputs);
  assert.ok(inputs.includes('src/web/webModel.ts'), 'bundle should contain the web model');
  for (const f of inputs) assert.ok(!/^src\/(node|cli)\//.test(f) && f !== 'src/node.ts', `browser bundle pulled in ${f}`);
});
