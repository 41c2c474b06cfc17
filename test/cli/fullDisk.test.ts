// Real file-system errors, not simulated ones: a 64 KiB tmpfs fills up under `train`, a read-only tmpfs refuses
// `sample`. Each is one line naming the path and the cause, and nothing half-written stays. Needs root (mount);
// skips elsewhere.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { cli, ONE_THREAD, show, tmp } from './helpers.js';

function mount(dir: string, opts: string): boolean {
  return spawnSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir], { encoding: 'utf8' }).status === 0;
}
const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  const d = mkdtempSync(path.join(os.tmpdir(), 'vaekit-mnt-'));
  const ok = mount(d, 'size=64k');
  if (ok) spawnSync('umount', [d]);
  rmSync(d, { recursive: true, force: true });
  return ok;
})();

test('ENOSPC while checkpointing and EROFS while writing a PNG: one line naming the path, no temp files', { skip: canMount ? false : 'needs root to mount a small tmpfs' }, async (t) => {
  const dir = tmp();
  const full = path.join(dir, 'full');
  const ro = path.join(dir, 'ro');
  for (const d of [full, ro]) spawnSync('mkdir', ['-p', d]);
  assert.ok(mount(full, 'size=64k') && mount(ro, 'ro'));
  t.after(() => {
    spawnSync('umount', [full]);
    spawnSync('umount', [ro]);
    rmSync(dir, { recursive: true, force: true });
  });
  const out = path.join(full, 'run');
  const r = await cli(['train', '--epochs', '1', '--hidden', '32', '--latent', '2', '--out', out, ...ONE_THREAD]);
  assert.equal(r.code, 1, show(r));
  const last = r.stderr.trim().split('\n').at(-1)!;
  assert.match(last, /^vaekit: cannot write .*\/full\/run\/.*: no space left on the device; .*\(ENOSPC\)$/);
  assert.ok(!readdirSync(out).some((f) => f.includes('.new') || f.includes('.tmp')), `temp files left: ${readdirSync(out)}`);

  const model = path.join(dir, 'model');
  assert.equal((await cli(['train', '--epochs', '1', '--hidden', '16', '--latent', '2', '--out', model, ...ONE_THREAD])).code, 0);
  const s = await cli(['sample', '--model', model, '--out', path.join(ro, 's.png'), ...ONE_THREAD]);
  assert.equal(s.code, 1, show(s));
  assert.match(s.stderr.trim(), /^vaekit: cannot write .*\/ro\/s\.png: the file system is read-only; .*\(EROFS\)$/);
});
