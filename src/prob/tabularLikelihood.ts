import { VaekitError } from '../errors.js';
import { add, concat, constant, exp, logsumexp, matmul, mul, neg, reshape, slice, sub, sum } from '../graph/ops/index.js';
import { type Tensor } from '../graph/tensor.js';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * One column's slice of x and of the decoder output: a standardized numeric column (width 1, Gaussian) or a
 * one-hot categorical column (width = number of levels, categorical over the segment's logits).
 */
export interface TabularSegment {
  kind: 'gaussian' | 'categorical';
  /** First index in x [..., D]. */
  start: number;
  width: number;
  /** Column name, for messages. */
  column: string;
}

/** The mixed likelihood of one table row given the decoder output. */
export interface TabularLikelihood {
  /**
   * log p(x|z) summed over columns: x [..., D] → [...]. With `mask` [..., D] (1 observed, 0 missing; x = 0
   * where missing), a missing numeric cell or categorical column contributes exactly 0.
   */
  logProb(x: Tensor, mask?: Tensor): Tensor;
  /** [..., D]: the Gaussian means of numeric columns and the softmax probabilities of categorical segments. */
  mean: Tensor;
}

/**
 * Width D of x and of the decoder output for these segments.
 *
 * @example
 * segmentsWidth(tableSegments(schema)) // = tableWidth(schema)
 */
export const segmentsWidth = (segments: readonly TabularSegment[]): number => segments.reduce((d, s) => d + s.width, 0);

/**
 * Number of Gaussian (numeric) segments: the length of `lik.logvar`.
 *
 * @example
 * new Float32Array(numericCount(segs)) // initial log σ² = 0
 */
export const numericCount = (segments: readonly TabularSegment[]): number => segments.filter((s) => s.kind === 'gaussian').length;

/**
 * The parameter the likelihood owns beside the decoder: `lik.logvar` [numeric columns], one learned log σ²
 * per numeric column in segment order (absent for an all-categorical table). Initialize it to zeros (σ = 1,
 * the standardized scale).
 *
 * @example
 * tabularParamShapes(segs) // { 'lik.logvar': [4] }
 */
export function tabularParamShapes(segments: readonly TabularSegment[]): Record<string, number[]> {
  const n = numericCount(segments);
  return n > 0 ? { 'lik.logvar': [n] } : {};
}

/**
 * p(x|z) over column segments from the decoder output `out` [..., D] (Gaussian means and categorical logits
 * side by side, D = {@link segmentsWidth}) and `logvar` ([numeric columns] tensor, or a number for a fixed
 * variance): Σ_numeric log N(x_j | out_j, e^{logvar_j}) + Σ_categorical Σ_k x_k log softmax(out_seg)_k.
 * Built from graph ops, so it differentiates like any loss.
 *
 * @example
 * const lik = tabularLikelihood(segs, decoderOut, p['lik.logvar']);
 * const recon = neg(lik.logProb(x, mask)); // [B] nats
 */
export function tabularLikelihood(segments: readonly TabularSegment[], out: Tensor, logvar?: Tensor | number): TabularLikelihood {
  const d = segmentsWidth(segments);
  const nNum = numericCount(segments);
  checkSegments(segments);
  if (out.rank < 2 || out.shape[out.rank - 1] !== d) {
    throw new VaekitError(`tabularLikelihood: decoder output [${out.shape}] must end in the table width ${d}`, 'E_SHAPE');
  }
  if (nNum > 0 && logvar === undefined) throw new VaekitError(`tabularLikelihood: ${nNum} numeric columns need logvar [${nNum}]`, 'E_CONFIG');
  if (logvar !== undefined && typeof logvar !== 'number' && logvar.size !== nNum) {
    throw new VaekitError(`tabularLikelihood: logvar has ${logvar.size} values, the table has ${nNum} numeric columns`, 'E_SHAPE');
  }
  const cats = segments.filter((s) => s.kind === 'categorical');
  // [D, N] 0/1 matrix picking the numeric columns: x @ S → [..., N], one MatMul instead of N slices
  const pick = nNum > 0 ? numericSelector(out, segments, d, nNum) : undefined;
  const seg = (t: Tensor, s: TabularSegment) => slice(t, [s.start], [s.start + s.width], [t.rank - 1]);
  // log softmax of each categorical segment, [..., width]
  const logSoftmax = new Map(cats.map((s) => {
    const l = seg(out, s);
    return [s, sub(l, logsumexp(l, -1, true))];
  }));

  function logProb(x: Tensor, mask?: Tensor): Tensor {
    if (x.shape[x.rank - 1] !== d) throw new VaekitError(`tabularLikelihood: x [${x.shape}] must end in the table width ${d}`, 'E_SHAPE');
    const terms: Tensor[] = [];
    if (pick) {
      const diff = sub(matmul(x, pick), matmul(out, pick));
      let ll: Tensor; // [..., N]: −½ [(x−μ)²/σ² + log σ² + log 2π]
      if (typeof logvar === 'number') ll = mul(add(mul(mul(diff, diff), Math.exp(-logvar)), logvar + LOG_2PI), -0.5);
      else {
        const lv = reshape(logvar!, [nNum]);
        ll = mul(add(add(mul(mul(diff, diff), exp(neg(lv))), lv), LOG_2PI), -0.5);
      }
      terms.push(sum(mask ? mul(ll, matmul(mask, pick)) : ll, -1));
    }
    for (const s of cats) {
      // Σ_k x_k log p_k: one-hot x picks the observed level; a missing segment is all zeros and masked
      let ll = mul(seg(x, s), logSoftmax.get(s)!);
      if (mask) ll = mul(ll, slice(mask, [s.start], [s.start + 1], [mask.rank - 1]));
      terms.push(sum(ll, -1));
    }
    return terms.reduce((a, b) => add(a, b));
  }

  // mean: consecutive numeric columns as one slice, each categorical segment as probabilities
  const pieces: Tensor[] = [];
  for (let i = 0; i < segments.length; ) {
    const s = segments[i];
    if (s.kind === 'categorical') {
      pieces.push(exp(logSoftmax.get(s)!));
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < segments.length && segments[j + 1].kind === 'gaussian') j++;
    pieces.push(slice(out, [s.start], [segments[j].start + 1], [out.rank - 1]));
    i = j + 1;
  }
  return { logProb, mean: pieces.length === 1 ? pieces[0] : concat(pieces, -1) };
}

/**
 * Throws unless segments tile [0, D) in order, Gaussian ones of width 1.
 *
 * @example
 * checkSegments(segsFromConfig); // before building a graph from a saved layout
 */
export function checkSegments(segments: readonly TabularSegment[]): void {
  if (segments.length === 0) throw new VaekitError('tabular segments: none given', 'E_CONFIG');
  let at = 0;
  for (const s of segments) {
    const ok = s.start === at && Number.isInteger(s.width) && (s.kind === 'gaussian' ? s.width === 1 : s.kind === 'categorical' && s.width >= 1);
    if (!ok) throw new VaekitError(`tabular segments: column ${JSON.stringify(s.column)} (${s.kind}, start ${s.start}, width ${s.width}) does not follow at ${at}`, 'E_CONFIG');
    at += s.width;
  }
}

function numericSelector(like: Tensor, segments: readonly TabularSegment[], d: number, n: number): Tensor {
  const s = new Float32Array(d * n);
  segments.filter((g) => g.kind === 'gaussian').forEach((g, j) => (s[g.start * n + j] = 1));
  return constant(like.graph, s, [d, n]);
}
