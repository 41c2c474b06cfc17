import { type Tensor } from '../graph/tensor.js';

/** Per-step scalar inputs every update graph receives: the learning rate and the 1-based step count. */
export interface StepScalars {
  lr: Tensor;
  step: Tensor;
}

/** The update of one parameter, given its gradient and state slots. */
export type ParamUpdate = (p: Tensor, g: Tensor, state: Record<string, Tensor>) => { param: Tensor; state: Record<string, Tensor> };

/**
 * An optimizer as a graph update. `begin` traces the per-step scalars once (e.g. Adam's bias corrections)
 * and returns the per-parameter update. State slots (Adam: m and v) are shaped like the parameter and start at zero.
 *
 * @example
 * const update = adam({ lr: 1e-3 }).begin(scalars);
 * const { param, state } = update(p, g, { m, v });
 */
export interface Optimizer {
  readonly name: string;
  /** The default learning rate (fed each step through `lr`, so schedules need no recompile). */
  readonly lr: number;
  /** Names of per-parameter state slots. */
  readonly slots: readonly string[];
  begin(s: StepScalars): ParamUpdate;
  /** Hyperparameters, for saving next to the weights. */
  toJSON(): Record<string, unknown>;
}
