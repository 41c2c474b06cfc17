import { type Attrs, type Tensor } from '../graph/tensor.js';

/** What a VJP rule sees of the node it differentiates. */
export interface VjpContext {
  readonly inputs: readonly Tensor[];
  /** The node's (single) output, reusable in the rule: e.g. d exp(x) = gy · exp(x). */
  readonly y: Tensor;
  readonly attrs: Attrs;
}

/**
 * A vector–Jacobian product: from the cotangent of the output, the cotangent of each input
 * (null where the input is not differentiable), written with the same op builders as the forward pass.
 */
export type VjpRule = (ctx: VjpContext, gy: Tensor) => (Tensor | null)[];

/** Reads an ints attribute. */
export const intsAttr = (attrs: Attrs, k: string): number[] => (attrs[k] as { v: number[] }).v;
/** Reads an int or float attribute. */
export const numAttr = (attrs: Attrs, k: string): number => (attrs[k] as { v: number }).v;
