import { type Tensor } from '../graph/tensor.js';

/** Per-step scalar inputs every update graph receives: the learning rate and the 1-based step count. */
export interface StepScalars {
  lr: Tensor;
  step: Tensor;
}

/**
 * An optimizer as a graph update: for one parameter, from (p, g, state) to (p', state'). It declares its
 * state slots (Adam: m and v), each shaped like the parameter and initialized to zero.
 *
 * @example
 * const opt = adam({ lr: 1e-3 });
 * const { param, state } = opt.update(p, g, { m, v }, scalars);
 */
export interface Optimizer {
  readonly name: string;
  /** The default learning rate (fed each step through `lr`, so schedules need no recompile). */
  readonly lr: number;
  /** Names of per-parameter state slots. */
  readonly slots: readonly string[];
  update(p: Tensor, g: Tensor, state: Record<string, Tensor>, s: StepScalars): { param: Tensor; state: Record<string, Tensor> };
  /** Hyperparameters, for saving next to the weights. */
  toJSON(): Record<string, unknown>;
}
