import { VaekitError } from '../errors.js';
import { type DType, fmtShape, sizeOf } from './dtype.js';

/** A node attribute. Static shape-like arguments (axes, shape, starts…) live here too; the serializer
 *  turns the ones ONNX wants as inputs into int64 initializers. */
export type Attr =
  | { kind: 'int'; v: number }
  | { kind: 'float'; v: number }
  | { kind: 'ints'; v: number[] }
  | { kind: 'floats'; v: number[] }
  | { kind: 'string'; v: string }
  | { kind: 'tensor'; dtype: DType; shape: number[]; data: Float32Array | BigInt64Array | Uint8Array };

export type Attrs = Record<string, Attr>;

/** One traced operation. `op` is the ONNX op type it serializes to. */
export interface Node {
  readonly id: number;
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly attrs: Attrs;
  outputs: Tensor[];
}

/**
 * A symbolic tensor: a static shape, a dtype and the node that produces it (null for graph inputs).
 * Calling op builders on Tensors records nodes in their Graph, like tracing in JAX.
 *
 * @example
 * const g = new Graph();
 * const x = g.input('x', [128, 784]);
 * const h = relu(matmul(x, w)); // h.shape = [128, 400]
 */
export class Tensor {
  constructor(
    readonly graph: Graph,
    readonly id: number,
    readonly shape: readonly number[],
    readonly dtype: DType,
    readonly node: Node | null,
    /** Graph input name, for placeholders. */
    readonly inputName: string | null = null,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  get size(): number {
    return sizeOf(this.shape);
  }

  toString(): string {
    return `Tensor(${this.inputName ?? `%${this.id}`}, ${this.dtype}${fmtShape(this.shape)})`;
  }
}

/** Input declared on a graph: a name, a static shape and a dtype. */
export interface GraphInput {
  readonly name: string;
  readonly tensor: Tensor;
}

/**
 * The trace: inputs and nodes in creation order (already topologically sorted, since a node can only
 * use tensors that exist). Outputs are chosen when the graph is serialized or compiled.
 *
 * @example
 * const g = new Graph();
 * const x = g.input('x', [2, 3]);
 * const y = sum(mul(x, x)); // y.shape = []
 */
export class Graph {
  readonly inputs: GraphInput[] = [];
  readonly nodes: Node[] = [];
  private nextId = 0;

  /** Declares a named input (a parameter, a batch, a noise buffer…). Names must be unique. */
  input(name: string, shape: readonly number[], dtype: DType = 'float32'): Tensor {
    if (this.inputs.some((i) => i.name === name)) throw new VaekitError(`graph input "${name}" is declared twice`, 'E_GRAPH');
    checkShape('input', shape);
    const t = new Tensor(this, this.nextId++, [...shape], dtype, null, name);
    this.inputs.push({ name, tensor: t });
    return t;
  }

  /** Records a node; `outTypes` are the already-inferred output shapes and dtypes. */
  addNode(op: string, inputs: readonly Tensor[], attrs: Attrs, outTypes: { shape: readonly number[]; dtype: DType }[]): Tensor[] {
    for (const t of inputs) {
      if (t.graph !== this) throw new VaekitError(`${op}: input ${t} belongs to another graph`, 'E_GRAPH');
    }
    const node: Node = { id: this.nextId++, op, inputs: [...inputs], attrs, outputs: [] };
    node.outputs = outTypes.map((o) => new Tensor(this, this.nextId++, [...o.shape], o.dtype, node));
    this.nodes.push(node);
    return node.outputs;
  }

  /** Looks up a declared input by name. */
  getInput(name: string): Tensor {
    const i = this.inputs.find((x) => x.name === name);
    if (!i) throw new VaekitError(`graph has no input "${name}"; inputs are: ${this.inputs.map((x) => x.name).join(', ')}`, 'E_GRAPH');
    return i.tensor;
  }
}

function checkShape(op: string, shape: readonly number[]): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new VaekitError(`${op}: invalid shape ${fmtShape(shape)}: dims must be non-negative integers`, 'E_SHAPE');
  }
}
