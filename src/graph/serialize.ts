import { VaekitError } from '../errors.js';
import { ONNX_DTYPE, type DType } from './dtype.js';
import { DEFINITIONS } from './definitions.js';
import { LOWERINGS } from './lowerings.js';
import { ATTR_TYPE, ModelProto } from './onnxSchema.js';
import { type Attr, type Attrs, type Graph, type Node, type Tensor } from './tensor.js';

/** Opset and IR version of every model vaekit writes (opset 17 ↔ IR 8). */
export const OPSET = 17;
export const IR_VERSION = 8;

// Static arguments that ONNX (opset 17) takes as int64 input tensors rather than attributes, in input order.
const ATTR_INPUTS: Record<string, string[]> = {
  Reshape: ['shape'],
  Expand: ['shape'],
  ReduceSum: ['axes'],
  Pad: ['pads'],
  Slice: ['starts', 'ends', 'axes', 'steps'],
};

// vaekit-only ops written as one ONNX op (the others have a definition in definitions.ts).
const OP_ALIAS: Record<string, string> = { StopGradient: 'Identity' };

/** Nodes needed to compute `outputs`, in topological (creation) order. */
export function liveNodes(graph: Graph, outputs: readonly Tensor[]): Node[] {
  const live = new Set<Node>();
  const stack = outputs.map((t) => t.node).filter((n): n is Node => n !== null);
  while (stack.length) {
    const n = stack.pop()!;
    if (live.has(n)) continue;
    live.add(n);
    for (const i of n.inputs) if (i.node) stack.push(i.node);
  }
  return graph.nodes.filter((n) => live.has(n));
}

/**
 * Dims written as names (ONNX dim_param) instead of numbers, and the node attributes that go with them
 * (e.g. a Reshape target whose batch entry becomes -1). Made by {@link symbolicBatch}.
 */
export interface SymbolicShapes {
  /** The dims of a tensor as written: a number, or a dim_param name. */
  dims(t: Tensor): (number | string)[];
  /** A node's attributes as written (shape-like arguments made valid for every value of the names). */
  attrs(n: Node): Attrs;
}

/** Options for {@link toOnnx}. */
export interface ToOnnxOptions {
  name?: string;
  docString?: string;
  /**
   * Apply the CPU-speed rewrites of graph/lowerings.ts (default true). Off, every standard ONNX op is written
   * as itself (plain Conv/ConvTranspose for an exported model) and vaekit-only ops take their plain
   * definitions (graph/definitions.ts).
   */
  lower?: boolean;
  /** Graph inputs written as initializers (weights inside the file) instead of inputs, by input name. */
  initializers?: Record<string, Float32Array | BigInt64Array | Uint8Array>;
  /** Key/value pairs written to the model's metadata_props. */
  metadata?: Record<string, string>;
  /** Symbolic dims (a batch dimension left open); requires `lower: false`, since lowerings bake shapes. */
  symbolic?: SymbolicShapes;
  /**
   * With `lower`, write convolutions as ONNX Runtime's NCHWc CPU kernels of this block size (the engine's
   * `nchwcBlock()`); such a model runs only on ORT's CPU provider.
   */
  nchwcBlock?: number;
}

/**
 * Serializes the part of a graph that computes `outputs` to ONNX ModelProto bytes (opset 17). All declared
 * graph inputs are kept so feeds stay stable, except those given as `initializers` (written only where
 * the outputs read them). The same graph always gives the same bytes.
 *
 * @example
 * const bytes = toOnnx(g, { loss }); // any ONNX tool can read it
 */
export function toOnnx(graph: Graph, outputs: Record<string, Tensor>, opts: ToOnnxOptions = {}): Uint8Array {
  const outs = Object.entries(outputs);
  if (outs.length === 0) throw new VaekitError('toOnnx: a model needs at least one output', 'E_GRAPH');
  const inputNames = new Set(graph.inputs.map((i) => i.name));
  const inits = opts.initializers ?? {};
  for (const k of Object.keys(inits)) if (!inputNames.has(k)) throw new VaekitError(`toOnnx: initializer "${k}" is not a graph input`, 'E_GRAPH');
  if (opts.symbolic && opts.lower !== false) throw new VaekitError('toOnnx: symbolic dims need lower: false (lowerings bake static shapes)', 'E_GRAPH');
  const attrsOf = (n: Node): Attrs => opts.symbolic?.attrs(n) ?? n.attrs;
  const dimsOf = (t: Tensor): (number | string)[] => opts.symbolic?.dims(t) ?? [...t.shape];
  for (const [name, t] of outs) {
    if (t.graph !== graph) throw new VaekitError(`toOnnx: output "${name}" belongs to another graph`, 'E_GRAPH');
    if (inputNames.has(name)) throw new VaekitError(`toOnnx: output "${name}" has the same name as an input`, 'E_GRAPH');
  }
  // A node output that is a graph output takes the output's name directly (no Identity copy); a tensor
  // exposed under several names, or a graph input exposed as an output, goes through an Identity.
  const outName = new Map<Tensor, string>();
  const viaIdentity: [string, Tensor][] = [];
  for (const [name, t] of outs) {
    if (t.node && !outName.has(t)) outName.set(t, name);
    else viaIdentity.push([name, t]);
  }
  const lower = opts.lower ?? true;
  const target = { nchwcBlock: opts.nchwcBlock };
  const domains = new Set<string>();
  const nameOf = (t: Tensor) => t.inputName ?? outName.get(t) ?? `t${t.id}`;
  const nodes: object[] = [];
  const initializers: object[] = [];
  const live = liveNodes(graph, outs.map(([, t]) => t));
  // initializers only for the weights the outputs read (an encoder file carries no decoder weights)
  const read = new Set<string>([...live.flatMap((n) => n.inputs), ...outs.map(([, t]) => t)].map((t) => t.inputName ?? ''));
  for (const n of live) {
    if (n.op === 'Constant') {
      const v = n.attrs.value as Extract<Attr, { kind: 'tensor' }>;
      initializers.push(tensorProto(nameOf(n.outputs[0]), v.dtype, v.shape, v.data));
      continue;
    }
    const args = [n, n.inputs.map(nameOf), nameOf(n.outputs[0]), (k: string) => `t${n.id}_${k}`, target] as const;
    const lowered = (lower ? LOWERINGS[n.op]?.(...args) : null) ?? DEFINITIONS[n.op]?.(...args);
    if (lowered) {
      for (const c of lowered.consts) initializers.push(tensorProto(c.name, c.dtype, c.shape, c.data));
      lowered.nodes.forEach((p, i) => {
        if (p.domain) domains.add(p.domain);
        const attribute = Object.entries(p.attrs ?? {}).map(([k, v]) => attrProto(k, v));
        nodes.push({ name: `n${n.id}_${i}`, opType: p.opType, input: p.input, output: p.output, attribute, ...(p.domain ? { domain: p.domain } : {}) });
      });
      continue;
    }
    const attrs = attrsOf(n);
    const extra = ATTR_INPUTS[n.op] ?? [];
    const inputs = n.inputs.map(nameOf);
    for (const a of extra) {
      const v = (attrs[a] as Extract<Attr, { kind: 'ints' }>).v;
      const cname = `t${n.id}_${a}`;
      initializers.push(tensorProto(cname, 'int64', [v.length], BigInt64Array.from(v.map(BigInt))));
      inputs.push(cname);
    }
    const attribute = Object.entries(attrs)
      .filter(([k]) => !extra.includes(k))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => attrProto(k, v));
    nodes.push({ name: `n${n.id}`, opType: OP_ALIAS[n.op] ?? n.op, input: inputs, output: n.outputs.map(nameOf), attribute });
  }
  for (const [name, t] of viaIdentity) nodes.push({ name: `out_${name}`, opType: 'Identity', input: [nameOf(t)], output: [name], attribute: [] });
  for (const i of graph.inputs) {
    const v = inits[i.name];
    if (!v || !read.has(i.name)) continue;
    if (v.length !== i.tensor.size) throw new VaekitError(`toOnnx: initializer "${i.name}" has ${v.length} values, input ${i.tensor} needs ${i.tensor.size}`, 'E_GRAPH');
    initializers.push(tensorProto(i.name, i.tensor.dtype, i.tensor.shape, v));
  }
  const model = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }, ...[...domains].sort().map((domain) => ({ domain, version: 1 }))],
    producerName: 'vaekit',
    producerVersion: '0.1.0',
    docString: opts.docString ?? '',
    metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: opts.name ?? 'vaekit',
      node: nodes,
      initializer: initializers,
      input: graph.inputs.filter((i) => !(i.name in inits)).map((i) => valueInfo(i.name, i.tensor, dimsOf(i.tensor))),
      output: outs.map(([name, t]) => valueInfo(name, t, dimsOf(t))),
    },
  };
  const err = ModelProto.verify(model);
  if (err) throw new Error(`toOnnx: internal error building ModelProto: ${err}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

function valueInfo(name: string, t: Tensor, dims: (number | string)[]): object {
  const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType: ONNX_DTYPE[t.dtype], shape: { dim } } } };
}

function tensorProto(name: string, dtype: DType, shape: readonly number[], data: Float32Array | BigInt64Array | Uint8Array): object {
  // raw_data is little-endian; typed arrays on every platform vaekit runs on are little-endian too.
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  return { name, dims: [...shape], dataType: ONNX_DTYPE[dtype], rawData: raw };
}

function attrProto(name: string, a: Attr): object {
  switch (a.kind) {
    case 'int':
      return { name, type: ATTR_TYPE.int, i: a.v };
    case 'float':
      return { name, type: ATTR_TYPE.float, f: a.v };
    case 'ints':
      return { name, type: ATTR_TYPE.ints, ints: a.v };
    case 'floats':
      return { name, type: ATTR_TYPE.floats, floats: a.v };
    case 'string':
      return { name, type: ATTR_TYPE.string, s: new TextEncoder().encode(a.v) };
    case 'tensor':
      return { name, type: ATTR_TYPE.tensor, t: tensorProto('', a.dtype, a.shape, a.data) };
  }
}
