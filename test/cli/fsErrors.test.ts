// File-system errors as one line naming the path and what to do, no temp files left behind, stale temp files
// removed, unusable --out values refused clearly, and a config.json with a byte-order mark.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { isVaekitError } from '../../src/errors.js';
import { asFsError, fsError } from '../../src/node/fsError.js';
import { cli, ONE_THREAD, show, TINY, trainedModelFixture } from './helpers.js';

const { root, digits, model } = trainedModelFixture();

const oneLine = (stderr: string) => stderr.trim().split('\n').filter((l) => l.startsWith('vaekit: ')).length === 1 && !/\n\s+at /.test(stderr);
const temps = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

test('every errno code maps to one line naming the path and the action', () => {
  for (const [code, advice] of [
    ['ENOSPC', /no space left on the device; free some space/],
    ['EROFS', /read-only; choose a writable path/],
    ['EACCES', /permission denied/],
    ['EISDIR', /is a directory; give a file name/],
    ['ENOTDIR', /is a file, not a directory/],
  ] as const) {
    const e = Object.assign(new Error(`${code}: raw`), { code, syscall: 'rename', path: '/x/.a.tmp', dest: '/x/a' });
    const mapped = asFsError(e);
    assert.ok(isVaekitError(mapped), code);
    assert.match((mapped as Error).message, new RegExp(`^cannot rename /x/\\.a\\.tmp → /x/a: `), code);
    assert.match((mapped as Error).message, advice, code);
    assert.match((fsError(e, 'write', 'out.png') as Error).message, new RegExp(`^cannot write out\\.png: .*\\(${code}\\)$`));
  }
  const plain = new Error('not an fs error');
  assert.equal(asFsError(plain), plain, 'other errors pass through');
});

describe('commands', { concurrency: 2 }, () => {
  test('--out that is a directory, empty, or under a file: one-line errors, no temp files', async () => {
    const dirPng = path.join(root, 'dir.png');
    mkdirSync(dirPng);
    const file = path.join(root, 'plain-file');
    writeFileSync(file, 'x');
    const cases: [string[], RegExp][] = [
      [['sample', '--model', model, '--out', dirPng], /--out .*dir\.png is a directory; give a file name/],
      [['sample', '--model', model, '--out', ''], /--out is empty; give a file name ending in \.png/],
      [['sample', '--model', model, '--out', path.join(file, 'x.png')], /cannot create .*plain-file: .*(not a directory|already exists)/],
      [['encode', '--model', model, '--data', digits, '--out', path.join(file, 'x.csv')], /cannot create .*plain-file/],
      [['train', ...TINY, '--data', digits, '--out', file], /--out .*plain-file is a file, not a directory/],
      [['train', ...TINY, '--data', digits, '--out', ''], /--out is empty/],
      [['train', ...TINY, '--data', digits, '--out', path.join(file, 'run')], /cannot create .*plain-file.*(not a directory|already exists)/],
    ];
    for (const [args, p] of cases) {
      const r = await cli([...args, ...ONE_THREAD]);
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, p, show(r));
      assert.ok(oneLine(r.stderr), show(r));
    }
    assert.deepEqual(temps(root), []);
  });

  test('a read-only output directory is reported before training starts, with no temp files', async (t) => {
    if (process.getuid?.() === 0) return t.skip('running as root: permissions do not apply');
    const ro = path.join(root, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    try {
      const r = await cli(['sample', '--model', model, '--out', path.join(ro, 's.png'), ...ONE_THREAD]);
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, /^vaekit: cannot write .*ro\/s\.png: permission denied/m);
      assert.ok(oneLine(r.stderr), show(r));
      const tr = await cli(['train', ...TINY, '--data', digits, '--out', path.join(ro, 'run'), ...ONE_THREAD]);
      assert.equal(tr.code, 1, show(tr));
      assert.match(tr.stderr, /^vaekit: cannot create .*ro\/run: permission denied/m);
      assert.doesNotMatch(tr.stderr, /vaekit: training a/, 'refused before the data was loaded');
      assert.deepEqual(temps(ro), []);
    } finally {
      chmodSync(ro, 0o755);
    }
  });

  test('temp files of a killed write are removed by the next successful write', async () => {
    const out = path.join(root, 'outs');
    mkdirSync(out);
    writeFileSync(path.join(out, '.s.png.2147483646.tmp'), 'left by a killed process');
    const r = await cli(['sample', '--model', model, '--n', '4', '--out', path.join(out, 's.png'), ...ONE_THREAD]);
    assert.equal(r.code, 0, show(r));
    assert.deepEqual(readdirSync(out), ['s.png']);
  });

  test('a config.json with a UTF-8 byte-order mark loads', async () => {
    const bom = path.join(root, 'bom');
    mkdirSync(bom);
    for (const f of ['weights.safetensors']) writeFileSync(path.join(bom, f), readFileSync(path.join(model, f)));
    writeFileSync(path.join(bom, 'config.json'), '\uFEFF' + readFileSync(path.join(model, 'config.json'), 'utf8'));
    const r = await cli(['sample', '--model', bom, '--n', '4', '--out', path.join(bom, 's.png'), ...ONE_THREAD]);
    assert.equal(r.code, 0, show(r));
  });
});
