import type * as Ort from 'onnxruntime-common';
import { VaekitError } from '../errors.js';
import { sizeOf } from '../graph/dtype.js';
import { type CompiledGraph, type Engine, type HostArray } from '../runtime/engine.js';
import { type Optimizer } from './optimizer.js';
import { buildTrainStep, stepNames, type TrainStepSpec } from './trainStep.js';

import { type Params, type TrainState } from './trainState.js';

/**
 * Runs compiled training steps with the state kept in two preallocated buffer sets that swap roles each
 * call (ORT reads set A and writes set B, then the reverse), so JavaScript never copies parameters or
 * optimizer state. (onnxruntime-node itself still returns a copy of every output per call, which is why
 * {@link runSteps} can take several steps per call.) One compiled graph per distinct batch shape and step
 * count (e.g. the last, partial batch of an epoch).
 *
 * @example
 * const runner = await StepRunner.create(engine, spec, initialParams);
 * const metrics = await runner.step({ x: batch, eps: noise });
 */
export class StepRunner {
  private graphs = new Map<string, Promise<CompiledGraph>>();
  private sets: [Record<string, Float32Array>, Record<string, Float32Array>];
  private cur = 0;
  private stepCount: number;
  /** Steps taken by the last call (what {@link rollback} undoes); 0 when there is nothing to undo. */
  private lastCall = 0;
  private readonly lrBuf = new Float32Array(1);
  private readonly stepBuf = new Float32Array(1);
  private finite = true;
  lr: number;

  private constructor(
    private readonly engine: Engine,
    private readonly spec: Omit<TrainStepSpec, 'data'>,
    private readonly dataSpec: TrainStepSpec['data'],
    init: TrainState,
  ) {
    this.lr = spec.optimizer.lr;
    this.stepCount = init.step;
    const names = Object.keys(spec.params);
    const make = () => {
      const set: Record<string, Float32Array> = {};
      for (const k of names) {
        set[stepNames.param(k)] = new Float32Array(sizeOf(spec.params[k]));
        for (const s of spec.optimizer.slots) set[stepNames.state(s, k)] = new Float32Array(sizeOf(spec.params[k]));
      }
      for (const [k, shape] of Object.entries(spec.buffers ?? {})) set[stepNames.buffer(k)] = new Float32Array(sizeOf(shape));
      return set;
    };
    this.sets = [make(), make()];
    this.setState(init);
  }

  /**
   * Builds the runner and compiles the graph for `stepsPerCall` steps of the spec's batch shape, the call it
   * will mostly make; `init.opt` may be empty (zeros), as at the start of training.
   */
  static async create(engine: Engine, spec: TrainStepSpec, init: TrainState | { params: Params }, stepsPerCall = 1): Promise<StepRunner> {
    const full: TrainState = 'step' in init ? init : { params: init.params, opt: {}, step: 0 };
    const { data, ...rest } = spec;
    const r = new StepRunner(engine, rest, data, full);
    await r.compiled(data, stepsPerCall);
    return r;
  }

  get optimizer(): Optimizer {
    return this.spec.optimizer;
  }

  /**
   * Whether every parameter and optimizer-state value after the last call is finite. A gradient that
   * overflows can leave them non-finite (or an Adam moment infinite) while every loss was finite.
   */
  get stateFinite(): boolean {
    return this.finite;
  }

  /** Number of steps taken so far (Adam's t after the last step). */
  get steps(): number {
    return this.stepCount;
  }

  /**
   * One optimizer step on a batch. Data arrays may have another leading (batch) size than the spec;
   * a graph for that size is compiled on first use. Returns the step's metrics as numbers.
   */
  async step(data: Record<string, HostArray>): Promise<Record<string, number>> {
    return (await this.runSteps(data, 1))[0];
  }

  /**
   * `k` consecutive optimizer steps in one ORT call: each data array holds k batches back to back
   * ([k, B, ...] flattened). The same arithmetic as k calls of {@link step}, with one round trip of the
   * state instead of k. Returns each step's metrics.
   */
  async runSteps(data: Record<string, HostArray>, k: number): Promise<Record<string, number>[]> {
    // every data array holds k batches of one common batch size
    let rows: number | undefined;
    const shapes = Object.fromEntries(
      Object.entries(this.dataSpec).map(([name, d]) => {
        if (d.perStep) {
          const want = k * sizeOf(d.shape);
          if ((data[name]?.length ?? 0) !== want) throw new VaekitError(`runSteps: per-step data "${name}" has ${data[name]?.length ?? 0} values; expected ${k} step(s) × ${sizeOf(d.shape)}`, 'E_FEED');
          return [name, d];
        }
        const per = sizeOf(d.shape.slice(1));
        const n = data[name]?.length ?? 0;
        const r = n / per / k;
        if (!Number.isInteger(r) || r < 1 || (rows !== undefined && r !== rows)) {
          throw new VaekitError(
            `runSteps: data "${name}" has ${n} values; expected ${k} step(s) × ${rows ?? 'B'} rows × ${per}` +
              (rows === undefined ? '' : ` (the batch size of the other data arrays)`),
            'E_FEED',
          );
        }
        rows = r;
        return [name, { ...d, shape: [r, ...d.shape.slice(1)] }];
      }),
    );
    const g = await this.compiled(shapes, k);
    const { feeds: src, fetches } = this.ortSet(g, this.cur);
    this.lrBuf[0] = this.lr;
    this.stepBuf[0] = this.stepCount + 1;
    const feeds: Record<string, HostArray | Ort.Tensor> = { ...src, [stepNames.lr]: this.lrBuf, [stepNames.step]: this.stepBuf };
    for (const [name, arr] of Object.entries(data)) {
      const per = arr.length / k;
      for (let i = 0; i < k; i++) feeds[stepNames.data(name, i)] = arr.subarray(i * per, (i + 1) * per);
    }
    const res = await g.run(feeds, fetches);
    this.cur = 1 - this.cur;
    this.stepCount += k;
    this.lastCall = k;
    this.finite = Number.isFinite((res[stepNames.stateSum] as Float32Array)[0]);
    const out: Record<string, number>[] = Array.from({ length: k }, () => ({}));
    for (const name of Object.keys(g.outputs)) {
      if (!name.startsWith('metric/')) continue;
      const v = res[name] as Float32Array;
      for (let i = 0; i < k; i++) out[i][name.slice(7)] = v[i];
    }
    return out;
  }

  /**
   * Undoes the last call (its k steps): its inputs are still intact in the other buffer set. Used when a
   * step produced non-finite values, so the last good parameters survive.
   */
  rollback(): void {
    if (this.lastCall === 0) return;
    this.cur = 1 - this.cur;
    this.stepCount -= this.lastCall;
    this.lastCall = 0;
    this.finite = true;
  }

  /** Copies of the current parameters and buffers (safe to keep; training does not touch them). */
  params(): Params {
    const set = this.sets[this.cur];
    return {
      ...Object.fromEntries(Object.keys(this.spec.params).map((k) => [k, set[stepNames.param(k)].slice()])),
      ...Object.fromEntries(Object.keys(this.spec.buffers ?? {}).map((k) => [k, set[stepNames.buffer(k)].slice()])),
    };
  }

  /** Copies of the full state, for checkpoints. */
  getState(): TrainState {
    const set = this.sets[this.cur];
    const opt: Record<string, Params> = {};
    for (const s of this.spec.optimizer.slots) {
      opt[s] = Object.fromEntries(Object.keys(this.spec.params).map((k) => [k, set[stepNames.state(s, k)].slice()]));
    }
    return { params: this.params(), opt, step: this.stepCount };
  }

  /** Restores a state from {@link getState} (missing optimizer slots start at zero). */
  setState(st: TrainState): void {
    const set = this.sets[this.cur];
    for (const k of Object.keys(this.spec.params)) {
      const p = st.params[k];
      const dst = set[stepNames.param(k)];
      if (!p || p.length !== dst.length) throw new Error(`StepRunner: parameter "${k}" needs ${dst.length} values, got ${p?.length}`);
      dst.set(p);
      for (const s of this.spec.optimizer.slots) set[stepNames.state(s, k)].set(st.opt[s]?.[k] ?? new Float32Array(dst.length));
    }
    for (const k of Object.keys(this.spec.buffers ?? {})) {
      const v = st.params[k];
      const dst = set[stepNames.buffer(k)];
      if (!v || v.length !== dst.length) throw new Error(`StepRunner: buffer "${k}" needs ${dst.length} values, got ${v?.length}`);
      dst.set(v);
    }
    this.stepCount = st.step;
    this.lastCall = 0;
  }

  // ORT tensors over buffer set i as inputs and set 1−i as outputs, made once: every batch shape's graph
  // has the same parameter and state signatures.
  private ortSets: { feeds: Record<string, Ort.Tensor>; fetches: Record<string, Ort.Tensor> }[] = [];
  private ortSet(g: CompiledGraph, i: number): { feeds: Record<string, Ort.Tensor>; fetches: Record<string, Ort.Tensor> } {
    if (!this.ortSets[i]) {
      const feeds = Object.fromEntries(Object.entries(this.sets[i]).map(([k, buf]) => [k, g.tensor(k, buf)]));
      const fetches = Object.fromEntries(Object.entries(this.sets[1 - i]).map(([k, buf]) => [stepNames.updated(k), g.tensor(stepNames.updated(k), buf)]));
      this.ortSets[i] = { feeds, fetches };
    }
    return this.ortSets[i];
  }

  private compiled(data: TrainStepSpec['data'], k = 1): Promise<CompiledGraph> {
    const key = JSON.stringify([k, Object.entries(data).map(([name, d]) => [name, d.shape])]);
    let g = this.graphs.get(key);
    if (!g) {
      const t = buildTrainStep({ ...this.spec, data }, k);
      g = this.engine.compile(t.graph, t.outputs, 'train_step');
      this.graphs.set(key, g);
    }
    return g;
  }
}
