// `vaekit compare` through the real CLI: text and --json reports, bad rows, usage and user errors.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { cli, show, tmp } from './helpers.js';

const REAL = ['x,y,c', ...Array.from({ length: 100 }, (_, i) => `${i},${2 * i + 1},${i % 2 ? 'A' : 'B'}`)].join('\n');
// x shifted by 10 (KS 0.1), y = −2x (r = −1), c 80/20 (TVD 0.3)
const SYNTH = ['x,y,c', ...Array.from({ length: 100 }, (_, i) => `${i + 10},${-2 * i},${i % 5 ? 'A' : 'B'}`)].join('\n');

test('compare prints per-column distances and an overall score; --json gives the same numbers', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const [real, synth] = [path.join(dir, 'real.csv'), path.join(dir, 'synth.csv')];
  writeFileSync(real, REAL);
  writeFileSync(synth, SYNTH);
  const text = await cli(['compare', real, synth]);
  assert.equal(text.code, 0, show(text));
  assert.match(text.stdout, /^x\s+KS\s+0\.1\s+0\.9$/m);
  assert.match(text.stdout, /^c\s+TVD\s+0\.3\s+0\.7$/m);
  assert.match(text.stdout, /mean \|Δ correlation\| 2 over 1 numeric pairs/);
  const json = await cli(['compare', real, synth, '--json']);
  const r = JSON.parse(json.stdout) as { columns: { column: string; distance: number }[]; overall: number; rows: { real: number } };
  assert.ok(Math.abs(r.columns[0].distance - 0.1) < 1e-12);
  assert.equal(r.rows.real, 100);
  assert.match(text.stdout, new RegExp(`overall score ${Number(r.overall.toPrecision(4))} `));
  const same = JSON.parse((await cli(['compare', real, real, '--json'])).stdout) as { overall: number };
  assert.equal(same.overall, 1);
});

test('compare: a bad row fails naming file and line, --on-bad skip reports it; usage errors exit 2', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const [real, bad] = [path.join(dir, 'real.csv'), path.join(dir, 'bad.csv')];
  writeFileSync(real, REAL);
  writeFileSync(bad, `${SYNTH}\n1,2\n`);
  const fail = await cli(['compare', real, bad]);
  assert.equal(fail.code, 1, show(fail));
  assert.match(fail.stderr, /bad\.csv: line 102: 2 fields, the header has 3/);
  const skip = await cli(['compare', real, bad, '--on-bad', 'skip']);
  assert.equal(skip.code, 0, show(skip));
  assert.match(skip.stderr, /bad\.csv: skipped 1 bad row \(line 102: 2 fields, the header has 3\)/);
  const missing = await cli(['compare', real, path.join(dir, 'none.csv')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /none\.csv: cannot read the CSV file \(ENOENT\)/);
  const usage = await cli(['compare', real]);
  assert.equal(usage.code, 2, show(usage));
});
