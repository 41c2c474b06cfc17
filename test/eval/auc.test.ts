import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rocAuc, rocCurve } from '../../src/eval/auc.js';
import { VaekitError } from '../../src/errors.js';
import { Prng } from '../../src/random/prng.js';

/** O(n²) truth: fraction of (positive, negative) pairs ordered correctly, ties counted ½. */
function bruteAuc(s: number[], pos: boolean[]): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < s.length; i++) {
    if (!pos[i]) continue;
    for (let j = 0; j < s.length; j++) {
      if (pos[j]) continue;
      pairs++;
      sum += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
    }
  }
  return sum / pairs;
}

test('hand-computed cases', () => {
  assert.equal(rocAuc([1, 2, 3, 4], [0, 0, 1, 1]), 1);
  assert.equal(rocAuc([1, 2, 3, 4], [1, 1, 0, 0]), 0);
  assert.equal(rocAuc([7, 7, 7, 7, 7], [1, 0, 0, 1, 0]), 0.5);
  assert.equal(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]), 0.75);
  // pos {0.5, 0.8}, neg {0.5, 0.2, 0.8}: pairs 0.5|0.5 ½, 0.5>0.2 1, 0.5<0.8 0, 0.8>0.5 1, 0.8>0.2 1, 0.8|0.8 ½ → 4/6
  assert.equal(rocAuc([0.5, 0.5, 0.2, 0.8, 0.8], [1, 0, 0, 1, 0]), 4 / 6);
  // pos {0, ∞}, neg {−∞, ∞}: 0>−∞ 1, 0<∞ 0, ∞>−∞ 1, ∞|∞ ½ → 2.5/4
  assert.equal(rocAuc(Float32Array.from([-Infinity, 0, Infinity, Infinity]), [0, 1, 1, 0]), 2.5 / 4);
});

test('matches the O(n²) pair count on random data with many ties', () => {
  const rng = new Prng(7);
  for (let trial = 0; trial < 20; trial++) {
    const n = 2 + Math.floor(rng.uniform() * 300);
    const levels = 1 + Math.floor(rng.uniform() * 20); // few levels → many ties
    const s = Array.from({ length: n }, () => Math.floor(rng.uniform() * levels) / levels);
    const pos = Array.from({ length: n }, () => rng.uniform() < 0.3);
    pos[0] = true;
    pos[1] = false;
    const auc = rocAuc(s, pos);
    assert.ok(Math.abs(auc - bruteAuc(s, pos)) < 1e-12, `trial ${trial}: ${auc} vs ${bruteAuc(s, pos)}`);
  }
});

test('rocCurve goes from (0,0) to (1,1) and its trapezoid area equals rocAuc', () => {
  const rng = new Prng(3);
  const s = Array.from({ length: 200 }, () => Math.round(rng.normal() * 4));
  const pos = s.map((v) => rng.uniform() < 1 / (1 + Math.exp(-v / 2)));
  const { fpr, tpr, thresholds } = rocCurve(s, pos);
  assert.deepEqual([fpr[0], tpr[0], fpr.at(-1), tpr.at(-1), thresholds[0]], [0, 0, 1, 1, Infinity]);
  let area = 0;
  for (let k = 1; k < fpr.length; k++) {
    assert.ok(fpr[k] >= fpr[k - 1] && tpr[k] >= tpr[k - 1] && thresholds[k] < thresholds[k - 1]);
    area += ((fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1])) / 2;
  }
  assert.ok(Math.abs(area - rocAuc(s, pos)) < 1e-12);
  assert.equal(thresholds.length, new Set(s).size + 1, 'one point per distinct score');
});

test('errors: one class, NaN score, labels that are not 0/1, length mismatch', () => {
  const is = (re: RegExp) => (e: unknown) => e instanceof VaekitError && re.test(e.message);
  assert.throws(() => rocAuc([1, 2, 3], [1, 1, 1]), is(/both classes/));
  assert.throws(() => rocAuc([1, 2, 3], [0, 0, 0]), is(/both classes/));
  assert.throws(() => rocAuc([1, NaN, 3], [0, 1, 1]), is(/score 1 is NaN/));
  assert.throws(() => rocAuc([1, 2, 3], [0, 2, 1]), is(/0\/1 or booleans/));
  assert.throws(() => rocAuc([1, 2, 3], [0, 1]), is(/one label per score/));
  assert.throws(() => rocCurve([1], [1]), VaekitError);
});
