import { grad } from '../autodiff/grad.js';
import { VaekitError } from '../errors.js';
import { type DType } from '../graph/dtype.js';
import { add, concat, div, max, mul, reshape, scalar, sqrt, sumSquares } from '../graph/ops/index.js';
import { Graph, type Tensor } from '../graph/tensor.js';
import { type Optimizer } from './optimizer.js';

/** Static shape of each named parameter. */
export type ParamShapes = Record<string, readonly number[]>;

/** A loss function over symbolic params and data: the scalar to minimize plus scalar metrics to report. */
export type LossFn = (params: Record<string, Tensor>, data: Record<string, Tensor>) => { loss: Tensor; metrics: Record<string, Tensor> };

/** Everything needed to trace one training step. */
export interface TrainStepSpec {
  params: ParamShapes;
  data: Record<string, { shape: readonly number[]; dtype?: DType }>;
  loss: LossFn;
  optimizer: Optimizer;
  /** Global-norm gradient clipping threshold (off when undefined). */
  gradClip?: number;
}

/** Graph input/output names of a training step, shared by the builder and the runner. */
export const stepNames = {
  param: (k: string) => `param/${k}`,
  state: (slot: string, k: string) => `state/${slot}/${k}`,
  newParam: (k: string) => `new_param/${k}`,
  newState: (slot: string, k: string) => `new_state/${slot}/${k}`,
  metric: (k: string) => `metric/${k}`,
  lr: 'lr',
  step: 'step',
};

/** A traced training step: `(params, state, data, lr, step) → (new params, new state, metrics)`. */
export interface TrainStepGraph {
  graph: Graph;
  outputs: Record<string, Tensor>;
  metricNames: string[];
}

/**
 * Traces one training step: forward loss, reverse-mode gradients of every parameter, optional global-norm
 * clipping and the optimizer update. Metrics always include `loss` and `gradNorm` (before clipping), so the
 * caller can stop on a non-finite value.
 *
 * @example
 * const step = buildTrainStep({ params: { w: [10, 3] }, data: { x: { shape: [32, 3] } }, loss, optimizer: adam() });
 */
export function buildTrainStep(spec: TrainStepSpec): TrainStepGraph {
  const g = new Graph();
  const names = Object.keys(spec.params).sort();
  if (names.length === 0) throw new VaekitError('buildTrainStep: no parameters to train', 'E_CONFIG');
  const params = Object.fromEntries(names.map((k) => [k, g.input(stepNames.param(k), spec.params[k])]));
  const state = Object.fromEntries(
    names.map((k) => [k, Object.fromEntries(spec.optimizer.slots.map((s) => [s, g.input(stepNames.state(s, k), spec.params[k])]))]),
  );
  const data = Object.fromEntries(Object.entries(spec.data).map(([k, d]) => [k, g.input(k, d.shape, d.dtype ?? 'float32')]));
  const scalars = { lr: g.input(stepNames.lr, []), step: g.input(stepNames.step, []) };

  const { loss, metrics } = spec.loss(params, data);
  if (loss.size !== 1) throw new VaekitError(`buildTrainStep: loss must be a scalar, got shape [${loss.shape}]`, 'E_SHAPE');
  let grads = grad(loss, names.map((k) => params[k]));
  // ‖g‖₂ over all parameters: a divergence signal, and the clipping scale
  const gradNorm = sqrt(grads.map((gr) => sumSquares(gr)).reduce((a, b) => add(a, b)));
  if (spec.gradClip !== undefined) {
    if (!(spec.gradClip > 0)) throw new VaekitError(`gradClip must be > 0, got ${spec.gradClip}`, 'E_CONFIG');
    // scale = clip / max(‖g‖, clip) ≤ 1: a no-op below the threshold (as torch.nn.utils.clip_grad_norm_)
    const scale = div(spec.gradClip, maxScalar(gradNorm, spec.gradClip));
    grads = grads.map((gr) => mul(gr, scale));
  }
  const outputs: Record<string, Tensor> = {};
  const update = spec.optimizer.begin(scalars);
  names.forEach((k, i) => {
    const { param, state: st } = update(params[k], grads[i], state[k]);
    outputs[stepNames.newParam(k)] = param;
    for (const s of spec.optimizer.slots) outputs[stepNames.newState(s, k)] = st[s];
  });
  const allMetrics = { loss, ...metrics, gradNorm };
  for (const [k, t] of Object.entries(allMetrics)) outputs[stepNames.metric(k)] = t;
  return { graph: g, outputs, metricNames: Object.keys(allMetrics) };
}

// max(a, c) for a scalar tensor a and a number c, as a reduction over the pair.
function maxScalar(a: Tensor, c: number): Tensor {
  return max(concat([reshape(a, [1]), reshape(scalar(a.graph, c), [1])], 0));
}
