import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binarize, binarizeDynamic, binarizeStatic } from '../../src/data/binarize.js';
import { Prng } from '../../src/random/prng.js';
import { VaekitError } from '../../src/errors.js';

test('static: x > 0.5 → 1, else 0 (0.5 itself → 0)', () => {
  const x = Float32Array.from([0, 0.2, 0.5, Math.fround(0.5000001), 0.7, 1]);
  assert.deepEqual(Array.from(binarizeStatic(x)), [0, 0, 0, 1, 1, 1]);
  const out = new Float32Array(6);
  assert.equal(binarizeStatic(x, out), out);
  assert.throws(() => binarizeStatic(x, new Float32Array(5)), (e) => e instanceof VaekitError && /out has 5 elements but images has 6/.test(e.message));
});

test('dynamic: the mean of many draws ≈ the pixel value; 0 and 1 are exact', () => {
  const ps = [0, 0.01, 0.1, 0.5, 0.9, 1];
  const draws = 20000;
  // One "image" holding each probability `draws` times: [ps.length, draws]
  const x = new Float32Array(ps.length * draws);
  ps.forEach((p, i) => x.fill(p, i * draws, (i + 1) * draws));
  const b = binarizeDynamic(x, new Prng(7));
  ps.forEach((p, i) => {
    let ones = 0;
    for (let k = i * draws; k < (i + 1) * draws; k++) {
      assert.ok(b[k] === 0 || b[k] === 1);
      ones += b[k];
    }
    const pf = Math.fround(p);
    const sd = Math.sqrt((pf * (1 - pf)) / draws);
    assert.ok(Math.abs(ones / draws - pf) <= 5 * sd, `p=${p}: mean ${ones / draws}`);
    if (p === 0) assert.equal(ones, 0);
    if (p === 1) assert.equal(ones, draws);
  });
});

test('dynamic: seeded, reproducible, fresh per call, works in place', () => {
  const x = new Float32Array(1000).fill(0.5);
  const a = binarizeDynamic(x, new Prng(3));
  assert.deepEqual(binarizeDynamic(x, new Prng(3)), a);
  const rng = new Prng(3);
  binarizeDynamic(x, rng);
  assert.notDeepEqual(binarizeDynamic(x, rng), a);
  const y = x.slice();
  assert.equal(binarizeDynamic(y, new Prng(3), y), y);
  assert.deepEqual(y, a);
});

test('binarize dispatches on the mode', () => {
  const x = Float32Array.from([0.3, 0.8]);
  const rng = new Prng(1);
  assert.equal(binarize(x, 'none', rng), x);
  const out = new Float32Array(2);
  assert.deepEqual(Array.from(binarize(x, 'none', rng, out)), Array.from(x));
  assert.deepEqual(Array.from(binarize(x, 'static', rng)), [0, 1]);
  assert.ok(Array.from(binarize(x, 'dynamic', rng)).every((v) => v === 0 || v === 1));
  // @ts-expect-error -- a mode from an unchecked config
  assert.throws(() => binarize(x, 'otsu', rng), (e) => e instanceof VaekitError && /unknown binarize mode 'otsu'/.test(e.message));
});
