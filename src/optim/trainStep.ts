import { grad } from '../autodiff/grad.js';
import { VaekitError } from '../errors.js';
import { type DType } from '../graph/dtype.js';
import { add, concat, div, max, mul, reshape, scalar, sqrt, sum, sumSquares } from '../graph/ops/index.js';
import { Graph, type Tensor } from '../graph/tensor.js';
import { type Optimizer, type StepScalars } from './optimizer.js';

/** Static shape of each named parameter. */
export type ParamShapes = Record<string, readonly number[]>;

/**
 * A loss function over symbolic params (and buffers) and data: the scalar to minimize, scalar metrics to
 * report, and the new values of buffers the forward pass updates (batch-norm running statistics).
 */
export type LossFn = (
  params: Record<string, Tensor>,
  data: Record<string, Tensor>,
) => { loss: Tensor; metrics: Record<string, Tensor>; updates?: Record<string, Tensor> };

/** One data input per step: a batch (leading axis = batch size), or a per-step value such as β (`perStep`). */
export interface DataSpec {
  shape: readonly number[];
  dtype?: DType;
  /** Not batched: the same shape whatever the batch size (a schedule's scalar). */
  perStep?: boolean;
}

/** Everything needed to trace one training step. */
export interface TrainStepSpec {
  params: ParamShapes;
  /** Non-trained state carried through the step (no gradient, no optimizer): updated by the loss's `updates`. */
  buffers?: ParamShapes;
  data: Record<string, DataSpec>;
  loss: LossFn;
  optimizer: Optimizer;
  /** Global-norm gradient clipping threshold (off when undefined). */
  gradClip?: number;
  /**
   * Report the global gradient norm as metric `gradNorm` (always on with `gradClip`). Off by default: the
   * norm reads every gradient once more (≈ 5% of a 784-400-20 VAE step), and divergence is caught by the
   * loss and the per-call state check instead.
   */
  trackGradNorm?: boolean;
}

/** The output that carries the updated value of a state input: 'param/w' → 'new_param/w'. */
const updated = (input: string) => `new_${input}`;

/** Graph input/output names of a training step, shared by the builder and the runner. */
export const stepNames = {
  param: (k: string) => `param/${k}`,
  buffer: (k: string) => `buffer/${k}`,
  newBuffer: (k: string) => updated(stepNames.buffer(k)),
  state: (slot: string, k: string) => `state/${slot}/${k}`,
  updated,
  newParam: (k: string) => updated(stepNames.param(k)),
  newState: (slot: string, k: string) => updated(stepNames.state(slot, k)),
  metric: (k: string) => `metric/${k}`,
  /** Σ of every value of the call's final parameters and optimizer state: finite ⇔ all are finite. */
  stateSum: 'check/stateSum',
  /** Data input `k` of the call's step `i` (0-based). */
  data: (k: string, i: number) => `${k}/${i}`,
  lr: 'lr',
  step: 'step',
};

/**
 * A traced training call: `(params, state, data, lr, step) → (new params, new state, metrics)`. It runs
 * `steps` optimizer steps in sequence: each data array is one input per step (`stepNames.data(k, i)`), `step`
 * is the first step's 1-based count, and each metric is a vector with one value per step.
 */
export interface TrainStepGraph {
  graph: Graph;
  outputs: Record<string, Tensor>;
  metricNames: string[];
  steps: number;
}

/**
 * Traces `steps` consecutive training steps into one graph (default 1): per step the forward loss,
 * reverse-mode gradients of every parameter, optional global-norm clipping and the optimizer update, each
 * step reading the state the previous one wrote. Several steps per call exist because onnxruntime-node
 * copies every output into a new JavaScript buffer on each call (≈ 8 MB of parameters and Adam moments for
 * the 784-400-20 VAE); the arithmetic of each step is the same either way. Metrics always include `loss`
 * (and `gradNorm` before clipping when clipped or tracked). The output `stateSum` is finite exactly when
 * the final state is (barring overflow of the sum itself), so one cheap check per call catches an update
 * that overflowed even when every loss was finite.
 *
 * @example
 * const step = buildTrainStep({ params: { w: [10, 3] }, data: { x: { shape: [32, 3] } }, loss, optimizer: adam() });
 */
export function buildTrainStep(spec: TrainStepSpec, steps = 1): TrainStepGraph {
  const g = new Graph();
  const names = Object.keys(spec.params).sort();
  if (names.length === 0) throw new VaekitError('buildTrainStep: no parameters to train', 'E_CONFIG');
  if (!Number.isInteger(steps) || steps < 1) throw new VaekitError(`buildTrainStep: steps must be a positive integer, got ${steps}`, 'E_CONFIG');
  if (spec.gradClip !== undefined && !(spec.gradClip > 0)) throw new VaekitError(`gradClip must be > 0, got ${spec.gradClip}`, 'E_CONFIG');
  const bufferNames = Object.keys(spec.buffers ?? {}).sort();
  for (const k of bufferNames) if (Object.hasOwn(spec.params, k)) throw new VaekitError(`buildTrainStep: "${k}" is both a parameter and a buffer`, 'E_CONFIG');
  let params = Object.fromEntries(names.map((k) => [k, g.input(stepNames.param(k), spec.params[k])]));
  let buffers = Object.fromEntries(bufferNames.map((k) => [k, g.input(stepNames.buffer(k), spec.buffers![k])]));
  let state = Object.fromEntries(
    names.map((k) => [k, Object.fromEntries(spec.optimizer.slots.map((s) => [s, g.input(stepNames.state(s, k), spec.params[k])]))]),
  );
  // one input per data array and step: the caller feeds views of one [steps, ...shape] buffer without copying,
  // where a single input would cost ORT a slice copy per step
  const data = Object.entries(spec.data);
  const lr = g.input(stepNames.lr, []);
  const first = g.input(stepNames.step, []);
  const perStep: Record<string, Tensor[]> = {};
  for (let i = 0; i < steps; i++) {
    const batch = Object.fromEntries(data.map(([k, d]) => [k, g.input(stepNames.data(k, i), d.shape, d.dtype ?? 'float32')]));
    const r = traceStep(spec, names, params, buffers, state, batch, { lr, step: i === 0 ? first : add(first, i) });
    params = r.params;
    state = r.state;
    buffers = r.buffers;
    for (const [k, t] of Object.entries(r.metrics)) (perStep[k] ??= []).push(reshape(t, [1]));
  }
  const outputs: Record<string, Tensor> = {};
  for (const k of names) {
    outputs[stepNames.newParam(k)] = params[k];
    for (const s of spec.optimizer.slots) outputs[stepNames.newState(s, k)] = state[k][s];
  }
  for (const k of bufferNames) outputs[stepNames.newBuffer(k)] = buffers[k];
  for (const [k, ts] of Object.entries(perStep)) outputs[stepNames.metric(k)] = ts.length === 1 ? ts[0] : concat(ts, 0);
  const finals = [...names.flatMap((k) => [params[k], ...spec.optimizer.slots.map((sl) => state[k][sl])]), ...bufferNames.map((k) => buffers[k])];
  outputs[stepNames.stateSum] = reshape(finals.map((t) => sum(t)).reduce((a, b) => add(a, b)), [1]);
  return { graph: g, outputs, metricNames: Object.keys(perStep), steps };
}

type ParamState = Record<string, Record<string, Tensor>>;

// One step: loss, gradients, clipping, update. Returns the new parameters, state and scalar metrics.
function traceStep(
  spec: TrainStepSpec,
  names: string[],
  params: Record<string, Tensor>,
  buffers: Record<string, Tensor>,
  state: ParamState,
  data: Record<string, Tensor>,
  scalars: StepScalars,
): { params: Record<string, Tensor>; buffers: Record<string, Tensor>; state: ParamState; metrics: Record<string, Tensor> } {
  const { loss, metrics, updates = {} } = spec.loss({ ...params, ...buffers }, data);
  for (const k of Object.keys(updates)) if (!Object.hasOwn(buffers, k)) throw new VaekitError(`buildTrainStep: the loss updates "${k}", which is not a buffer`, 'E_CONFIG');
  const newBuffers = Object.fromEntries(Object.entries(buffers).map(([k, t]) => [k, updates[k] ?? t]));
  if (loss.size !== 1) throw new VaekitError(`buildTrainStep: loss must be a scalar, got shape [${loss.shape}]`, 'E_SHAPE');
  let grads = grad(loss, names.map((k) => params[k]));
  const extra: Record<string, Tensor> = {};
  if (spec.gradClip !== undefined || spec.trackGradNorm) {
    // ‖g‖₂ over all parameters
    const gradNorm = sqrt(grads.map((gr) => sumSquares(gr)).reduce((a, b) => add(a, b)));
    extra.gradNorm = gradNorm;
    if (spec.gradClip !== undefined) {
      // scale = clip / max(‖g‖, clip) ≤ 1: a no-op below the threshold (as torch.nn.utils.clip_grad_norm_)
      const scale = div(spec.gradClip, maxScalar(gradNorm, spec.gradClip));
      grads = grads.map((gr) => mul(gr, scale));
    }
  }
  const update = spec.optimizer.begin(scalars);
  const newParams: Record<string, Tensor> = {};
  const newState: ParamState = {};
  names.forEach((k, i) => {
    const r = update(params[k], grads[i], state[k]);
    newParams[k] = r.param;
    newState[k] = r.state;
  });
  return { params: newParams, buffers: newBuffers, state: newState, metrics: { loss, ...metrics, ...extra } };
}

// max(a, c) for a scalar tensor a and a number c, as a reduction over the pair.
function maxScalar(a: Tensor, c: number): Tensor {
  return max(concat([reshape(a, [1]), reshape(scalar(a.graph, c), [1])], 0));
}
