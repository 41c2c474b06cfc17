import { VaekitError } from '../errors.js';
import { fmtShape } from './dtype.js';
import { type SymbolicShapes } from './serialize.js';
import { type Attr, type Attrs, type Graph, type Node, type Tensor } from './tensor.js';

/** A traced graph and the outputs to write. */
export interface Traced {
  graph: Graph;
  outputs: Record<string, Tensor>;
}

// The two batch sizes traced. Any dim that differs between the traces depends on the batch; it must equal the
// batch in both (2 and 3), so k·B or B+1 are refused rather than silently written as "batch".
const B1 = 2;
const B2 = 3;
// Slice end meaning "to the end of the axis" (ONNX clamps ends to the dim).
const TO_END = Number.MAX_SAFE_INTEGER;

/**
 * Traces `build` at two batch sizes and finds the dims that follow the batch: the graph of the first trace
 * is written with those dims as the dim_param `name` and its shape arguments made batch-agnostic (a Reshape
 * target's batch entry becomes -1, an Expand target's 1, a Slice that keeps the whole batch axis ends at
 * +∞). Shapes stay static inside vaekit; only the written file is symbolic. Pass the result to `toOnnx`
 * with `lower: false`.
 *
 * @throws VaekitError when the graph is not batch-agnostic (a dim like 2·B, a batch-sized constant, a
 *   shape argument that cannot be rewritten), naming the op
 * @example
 * const { graph, outputs, symbolic } = symbolicBatch((b) => { const g = new Graph(); const x = g.input('x', [b, 784]); return { graph: g, outputs: { y: relu(x) } }; });
 * const bytes = toOnnx(graph, outputs, { lower: false, symbolic });
 */
export function symbolicBatch(build: (batch: number) => Traced, name = 'batch'): Traced & { symbolic: SymbolicShapes } {
  const a = build(B1);
  const b = build(B2);
  const fail = (what: string): never => {
    throw new VaekitError(`symbolic batch: ${what}; the graph must treat the batch as its own dimension`, 'E_GRAPH');
  };
  if (a.graph.nodes.length !== b.graph.nodes.length || a.graph.inputs.length !== b.graph.inputs.length) fail('tracing at two batch sizes gave different graphs');
  // tensors of trace a → their twin in trace b (same creation order, so the same position)
  const twin = new Map<Tensor, Tensor>();
  a.graph.inputs.forEach((i, k) => twin.set(i.tensor, b.graph.inputs[k].tensor));
  a.graph.nodes.forEach((n, k) => {
    const m = b.graph.nodes[k];
    if (n.op !== m.op || n.outputs.length !== m.outputs.length) fail(`node ${k} is ${n.op} at batch ${B1} but ${m.op} at batch ${B2}`);
    n.outputs.forEach((t, j) => twin.set(t, m.outputs[j]));
  });
  for (const [k, t] of Object.entries(a.outputs)) if (twin.get(t) !== b.outputs[k]) fail(`output "${k}" is a different tensor at batch ${B2}`);

  const dims = (t: Tensor): (number | string)[] => {
    const u = twin.get(t);
    if (!u || u.rank !== t.rank) return fail(`${t} has a different rank at batch ${B2}`);
    return t.shape.map((d, i) => {
      if (d === u.shape[i]) return d;
      if (d === B1 && u.shape[i] === B2) return name;
      return fail(`${t} has dim ${i} = ${d} at batch ${B1} and ${u.shape[i]} at batch ${B2}, not the batch`);
    });
  };
  const attrs = new Map<Node, Attrs>();
  a.graph.nodes.forEach((n, k) => attrs.set(n, batchAgnosticAttrs(n, b.graph.nodes[k], dims, fail)));
  return { ...a, symbolic: { dims, attrs: (n) => attrs.get(n) ?? n.attrs } };
}

function batchAgnosticAttrs(n: Node, m: Node, dims: (t: Tensor) => (number | string)[], fail: (what: string) => never): Attrs {
  const changed = Object.keys(n.attrs).filter((k) => !sameAttr(n.attrs[k], m.attrs[k]));
  if (changed.length === 0) return n.attrs;
  const ints = (k: string) => (n.attrs[k] as Extract<Attr, { kind: 'ints' }>).v;
  const out = { ...n.attrs };
  const rewrite = (k: string, f: (v: number, i: number) => number) => (out[k] = { kind: 'ints', v: ints(k).map(f) });
  const batchAt = (t: Tensor) => dims(t).map((d) => typeof d === 'string');
  const what = `${n.op} node %${n.id} (${changed.map((k) => `${k} ${attrText(n.attrs[k])} at batch ${B1}, ${attrText(m.attrs[k])} at ${B2}`).join('; ')})`;
  if (n.op === 'Reshape' && changed.length === 1 && changed[0] === 'shape') {
    const isBatch = batchAt(n.outputs[0]);
    if (isBatch.filter(Boolean).length !== 1) fail(`${what}: needs exactly one batch entry in its target`);
    rewrite('shape', (v, i) => (isBatch[i] ? -1 : v));
  } else if (n.op === 'Expand' && changed.length === 1 && changed[0] === 'shape') {
    const inBatch = batchAt(n.inputs[0]);
    const lead = n.outputs[0].rank - n.inputs[0].rank;
    const outBatch = batchAt(n.outputs[0]);
    // a 1 in an Expand target keeps the input's dim, which is right only where the input has the batch
    outBatch.forEach((isB, i) => isB && !inBatch[i - lead] && fail(`${what}: broadcasts a size-1 axis to the batch`));
    rewrite('shape', (v, i) => (outBatch[i] ? 1 : v));
  } else if (n.op === 'Slice' && changed.every((k) => k === 'ends')) {
    const axes = ints('axes');
    const inBatch = batchAt(n.inputs[0]);
    const endsB = (m.attrs.ends as Extract<Attr, { kind: 'ints' }>).v;
    rewrite('ends', (v, i) => {
      if (v === endsB[i]) return v;
      // only [0, B) by 1 on the batch axis can be written for every B
      if (!inBatch[axes[i]] || v !== B1 || endsB[i] !== B2 || ints('starts')[i] !== 0 || ints('steps')[i] !== 1) fail(`${what}: slices part of the batch`);
      return TO_END;
    });
  } else {
    fail(`${what}: an argument depends on the batch size`);
  }
  return out;
}

const attrText = (x: Attr | undefined): string => (!x ? 'absent' : x.kind === 'tensor' ? `a ${x.dtype}${fmtShape(x.shape)} constant` : JSON.stringify(x.v));

function sameAttr(x: Attr | undefined, y: Attr | undefined): boolean {
  if (!x || !y || x.kind !== y.kind) return false;
  if (x.kind === 'tensor') {
    const t = y as Extract<Attr, { kind: 'tensor' }>;
    return x.dtype === t.dtype && fmtShape(x.shape) === fmtShape(t.shape) && x.data.length === t.data.length && x.data.every((v, i) => v === t.data[i]);
  }
  return JSON.stringify(x.v) === JSON.stringify((y as Exclude<Attr, { kind: 'tensor' }>).v);
}
