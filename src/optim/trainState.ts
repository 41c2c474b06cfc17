/** Parameters, buffers or optimizer state: name → flat float32 values. */
export type Params = Record<string, Float32Array>;

/** Host copies of the whole trainable state: parameters and buffers, optimizer slots, step count. */
export interface TrainState {
  /** Every tensor of the model: trained parameters and buffers (e.g. batch-norm running statistics). */
  params: Params;
  /** slot → trained param name → values */
  opt: Record<string, Params>;
  step: number;
}
