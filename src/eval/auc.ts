/**
 * ROC AUC for anomaly / out-of-distribution scores (e.g. −ELBO of in- vs out-of-distribution images).
 * Exact: AUC = P(s⁺ > s⁻) + ½ P(s⁺ = s⁻), the Mann–Whitney U statistic with midranks for ties, O(n log n).
 */
import { VaekitError } from '../errors.js';

/**
 * Exact ROC AUC of `scores` (higher = more positive) against 0/1 or boolean labels.
 *
 * @example
 * rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]); // 0.75
 */
export function rocAuc(scores: ArrayLike<number>, isPositive: ArrayLike<boolean | number>): number {
  const { order, pos, nPos, nNeg } = sortChecked(scores, isPositive, 'rocAuc');
  // rank sum of positives, ranks 1..n in ascending score order, tied blocks share their mean rank
  let rankSumPos = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    const midrank = (i + j) / 2 + 1; // mean of ranks i+1 .. j+1
    for (let k = i; k <= j; k++) if (pos[order[k]]) rankSumPos += midrank;
    i = j + 1;
  }
  const u = rankSumPos - (nPos * (nPos + 1)) / 2; // # (pos, neg) pairs with pos > neg, ties counted ½
  return u / (nPos * nNeg);
}

/** ROC points, one per distinct score threshold, from (0, 0) to (1, 1). */
export interface RocCurve {
  /** False-positive rate at each point, non-decreasing. */
  fpr: Float64Array;
  /** True-positive rate at each point, non-decreasing. */
  tpr: Float64Array;
  /** thresholds[k]: point k classifies score ≥ thresholds[k] as positive; thresholds[0] = +Infinity. */
  thresholds: Float64Array;
}

/**
 * ROC curve: sweep the threshold down through the distinct scores. The trapezoid area under
 * (fpr, tpr) equals `rocAuc` (ties become diagonal segments, worth ½).
 *
 * @example
 * const { fpr, tpr } = rocCurve(scores, isOod);
 * lineChartSvg([{ name: 'ROC', x: Array.from(fpr), y: Array.from(tpr) }], { xLabel: 'FPR', yLabel: 'TPR' });
 */
export function rocCurve(scores: ArrayLike<number>, isPositive: ArrayLike<boolean | number>): RocCurve {
  const { order, pos, nPos, nNeg } = sortChecked(scores, isPositive, 'rocCurve');
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Infinity];
  let tp = 0;
  let fp = 0;
  // descending score order: walk `order` backwards, one point after each block of equal scores
  for (let i = order.length - 1; i >= 0; ) {
    const s = scores[order[i]];
    for (; i >= 0 && scores[order[i]] === s; i--) {
      if (pos[order[i]]) tp++;
      else fp++;
    }
    fpr.push(fp / nNeg);
    tpr.push(tp / nPos);
    thresholds.push(s);
  }
  return { fpr: Float64Array.from(fpr), tpr: Float64Array.from(tpr), thresholds: Float64Array.from(thresholds) };
}

/** Validate inputs and sort indices by ascending score. */
function sortChecked(scores: ArrayLike<number>, isPositive: ArrayLike<boolean | number>, fn: string) {
  const n = scores.length;
  if (isPositive.length !== n) {
    throw new VaekitError(`${fn}: ${n} scores but ${isPositive.length} labels; give one label per score`, 'E_SHAPE');
  }
  const pos = new Uint8Array(n);
  let nPos = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    const l = isPositive[i];
    if (Number.isNaN(s)) throw new VaekitError(`${fn}: score ${i} is NaN; scores must be numbers (±Infinity is allowed)`, 'E_DATA');
    if (l !== true && l !== false && l !== 0 && l !== 1) {
      throw new VaekitError(`${fn}: label ${i} is ${String(l)}; labels must be 0/1 or booleans (1 = positive)`, 'E_DATA');
    }
    pos[i] = l === true || l === 1 ? 1 : 0;
    nPos += pos[i];
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) {
    throw new VaekitError(
      `${fn}: needs both classes, got ${nPos} positives and ${nNeg} negatives; AUC is undefined with one class`,
      'E_DATA',
    );
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const s = Float64Array.from(scores as ArrayLike<number>);
  order.sort((a, b) => s[a] - s[b] || 0); // `|| 0`: Infinity - Infinity is NaN for equal infinities
  return { order, pos, nPos, nNeg };
}
