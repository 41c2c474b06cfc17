import { VaekitError } from '../errors.js';
import { fmtShape } from '../graph/dtype.js';
import { add, scalar, expand } from '../graph/ops/index.js';
import { type Node, type Tensor } from '../graph/tensor.js';
import { vjpRule } from './rules/index.js';

/**
 * Reverse-mode gradient as a graph transform: appends to y's graph the nodes computing ∂y/∂x for each x
 * in `wrt` (y a scalar, or any shape with an explicit cotangent `seed`). Inputs y does not depend on get
 * a zero gradient of their shape.
 *
 * @example
 * const [gw, gb] = grad(loss, [w, b]);
 */
export function grad(y: Tensor, wrt: readonly Tensor[], seed?: Tensor): Tensor[] {
  const g = y.graph;
  if (y.dtype !== 'float32') throw new VaekitError(`grad: output must be float32, got ${y.dtype}`, 'E_GRAD');
  if (!seed && y.size !== 1) throw new VaekitError(`grad: output ${fmtShape(y.shape)} is not a scalar; pass a seed cotangent`, 'E_GRAD');
  if (seed && fmtShape(seed.shape) !== fmtShape(y.shape)) throw new VaekitError(`grad: seed ${fmtShape(seed.shape)} must match output ${fmtShape(y.shape)}`, 'E_GRAD');
  for (const x of wrt) if (x.graph !== g) throw new VaekitError(`grad: ${x} belongs to another graph`, 'E_GRAD');

  // Only nodes on a path wrt → y need a VJP: forward-reachable from wrt and backward-reachable from y.
  const fromWrt = new Set<Tensor>(wrt);
  for (const n of g.nodes) if (n.inputs.some((i) => fromWrt.has(i))) n.outputs.forEach((o) => fromWrt.add(o));
  const path: Node[] = [];
  const toY = new Set<Node>();
  const stack = y.node ? [y.node] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (toY.has(n)) continue;
    toY.add(n);
    for (const i of n.inputs) if (i.node && fromWrt.has(i)) stack.push(i.node);
  }
  for (const n of g.nodes) if (toY.has(n) && n.outputs.some((o) => fromWrt.has(o))) path.push(n);

  const cot = new Map<Tensor, Tensor>();
  cot.set(y, seed ?? expand(scalar(g, 1), y.shape));
  for (let k = path.length - 1; k >= 0; k--) {
    const n = path[k];
    const gy = cot.get(n.outputs[0]);
    if (!gy) continue;
    const gins = vjpRule(n.op)({ inputs: n.inputs, y: n.outputs[0], attrs: n.attrs }, gy);
    n.inputs.forEach((inp, i) => {
      const gi = gins[i];
      if (!gi || !fromWrt.has(inp)) return;
      if (fmtShape(gi.shape) !== fmtShape(inp.shape)) {
        throw new Error(`grad: internal error: VJP of ${n.op} gave ${fmtShape(gi.shape)} for input ${fmtShape(inp.shape)}`);
      }
      const prev = cot.get(inp);
      cot.set(inp, prev ? add(prev, gi) : gi);
    });
  }
  return wrt.map((x) => cot.get(x) ?? expand(scalar(g, 0), x.shape));
}

/**
 * The value together with its gradients: `{ value: y, grads }`.
 *
 * @example
 * const { value, grads } = valueAndGrad(loss, params);
 */
export function valueAndGrad(y: Tensor, wrt: readonly Tensor[]): { value: Tensor; grads: Tensor[] } {
  return { value: y, grads: grad(y, wrt) };
}
