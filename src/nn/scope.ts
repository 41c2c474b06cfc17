import { VaekitError } from '../errors.js';
import { fmtShape, sizeOf } from '../graph/dtype.js';
import { Graph, type Tensor } from '../graph/tensor.js';
import { type Prng } from '../random/prng.js';

/** Initial values of a parameter, drawn from `rng` (called in declaration order, so a seed fixes them all). */
export type Init = (rng: Prng, shape: readonly number[]) => Float32Array;

/** 'param' is trained by the optimizer; 'buffer' is state the forward pass updates (batch-norm running statistics). */
export type ParamKind = 'param' | 'buffer';

/** What tracing learns about one declared tensor. */
export interface ParamSpec {
  shape: number[];
  kind: ParamKind;
  init: Init;
}

/** Where a scope gets its tensors from, and where buffer updates go. */
interface ScopeContext {
  get(name: string, shape: readonly number[], kind: ParamKind, init: Init): Tensor;
  update(name: string, value: Tensor): void;
  readonly training: boolean;
}

/**
 * Parameters by name, Haiku/Flax style: forward code declares `s.param('weight', [out, in], init)` where it
 * uses it, and tracing the forward once yields every name, shape and initializer, so a layer is one function
 * instead of three parallel ones (shapes, init, forward). Names nest with `sub('enc')` → 'enc.0.weight'.
 *
 * @example
 * const w = s.param('weight', [400, 784], uniformInit(1 / 28));
 * const h = gemm(x, w, s.param('bias', [400], zerosInit), { transB: true });
 */
export class Scope {
  constructor(
    private readonly ctx: ScopeContext,
    readonly prefix = '',
  ) {}

  /** A trained parameter. */
  param(name: string, shape: readonly number[], init: Init): Tensor {
    return this.ctx.get(this.full(name), shape, 'param', init);
  }

  /** Non-trained state read by the forward pass (e.g. running mean); see {@link updateBuffer}. */
  buffer(name: string, shape: readonly number[], init: Init): Tensor {
    return this.ctx.get(this.full(name), shape, 'buffer', init);
  }

  /** In a training graph: the buffer's value after this step (ignored in evaluation graphs). */
  updateBuffer(name: string, value: Tensor): void {
    if (this.ctx.training) this.ctx.update(this.full(name), value);
  }

  /** True in training graphs (batch norm uses batch statistics there, running statistics otherwise). */
  get training(): boolean {
    return this.ctx.training;
  }

  /** A scope whose names are prefixed with `name.`. */
  sub(name: string | number): Scope {
    return new Scope(this.ctx, this.full(String(name)));
  }

  private full(name: string): string {
    return this.prefix ? `${this.prefix}.${name}` : name;
  }
}

/**
 * Traces `fn` once on a throw-away graph and returns every tensor it declared, in declaration order.
 *
 * @example
 * const specs = collectParams((s) => dense(s.sub('enc.0'), x, 400)); // { 'enc.0.weight': …, 'enc.0.bias': … }
 */
export function collectParams(fn: (s: Scope, g: Graph) => void): Record<string, ParamSpec> {
  const g = new Graph();
  const specs: Record<string, ParamSpec> = {};
  const tensors = new Map<string, Tensor>();
  fn(
    new Scope({
      get(name, shape, kind, init) {
        const seen = specs[name];
        if (seen) {
          if (fmtShape(seen.shape) !== fmtShape(shape) || seen.kind !== kind) {
            throw new VaekitError(`${kind} "${name}" is declared twice with different shapes or kinds: ${fmtShape(seen.shape)} and ${fmtShape(shape)}`, 'E_CONFIG');
          }
          return tensors.get(name)!;
        }
        specs[name] = { shape: [...shape], kind, init };
        const t = g.input(name, shape);
        tensors.set(name, t);
        return t;
      },
      update() {},
      training: true,
    }),
    g,
  );
  return specs;
}

/**
 * A scope that reads tensors from `tensors` (graph inputs made for each spec), checking shapes, and
 * collects buffer updates when `training`.
 *
 * @example
 * const { scope, updates } = bindScope(p, true);
 */
export function bindScope(tensors: Record<string, Tensor>, training: boolean): { scope: Scope; updates: Record<string, Tensor> } {
  const updates: Record<string, Tensor> = {};
  const scope = new Scope({
    get(name, shape) {
      const t = Object.hasOwn(tensors, name) ? tensors[name] : undefined;
      if (!t) throw new VaekitError(`the model asks for parameter "${name}" ${fmtShape(shape)} that the parameter set lacks`, 'E_CONFIG');
      if (fmtShape(t.shape) !== fmtShape(shape)) throw new VaekitError(`parameter "${name}" is ${fmtShape(t.shape)} but the model declares ${fmtShape(shape)}`, 'E_CONFIG');
      return t;
    },
    update(name, value) {
      const t = tensors[name];
      if (fmtShape(value.shape) !== fmtShape(t.shape)) throw new VaekitError(`buffer "${name}" update is ${fmtShape(value.shape)}, expected ${fmtShape(t.shape)}`, 'E_SHAPE');
      updates[name] = value;
    },
    training,
  });
  return { scope, updates };
}

/**
 * Initial values for `specs`, drawn in declaration order from `rng`.
 *
 * @example
 * const params = initParams(collectParams(fwd), new Prng(1));
 */
export function initParams(specs: Record<string, ParamSpec>, rng: Prng): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [name, s] of Object.entries(specs)) {
    const v = s.init(rng, s.shape);
    if (v.length !== sizeOf(s.shape)) throw new VaekitError(`initializer of "${name}" gave ${v.length} values for shape ${fmtShape(s.shape)}`, 'E_CONFIG');
    out[name] = v;
  }
  return out;
}

/** Shapes of `specs` of one kind (all when omitted). */
export function shapesOf(specs: Record<string, ParamSpec>, kind?: ParamKind): Record<string, number[]> {
  return Object.fromEntries(Object.entries(specs).filter(([, s]) => !kind || s.kind === kind).map(([k, s]) => [k, s.shape]));
}

/** U(−bound, bound): PyTorch's default for Linear and Conv weights and biases with bound = 1/√fan_in. */
export const uniformInit =
  (bound: number): Init =>
  (rng, shape) =>
    Float32Array.from({ length: sizeOf(shape) }, () => (2 * rng.uniform() - 1) * bound);

/** All zeros. */
export const zerosInit: Init = (_rng, shape) => new Float32Array(sizeOf(shape));

/** All ones (batch-norm scale, running variance). */
export const onesInit: Init = (_rng, shape) => new Float32Array(sizeOf(shape)).fill(1);
