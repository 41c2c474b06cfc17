// The form a vaekit node takes when the serializer writes it as several ONNX nodes (lowerings.ts,
// definitions.ts), and small constructors for it.
import { type DType } from './dtype.js';
import { type Attr, type Node } from './tensor.js';

/** One ONNX node as the serializer writes it (attributes still in vaekit's form). */
export interface LoweredNode {
  opType: string;
  input: string[];
  output: string[];
  attrs?: Record<string, Attr>;
}

/** A constant (ONNX initializer) that lowered nodes read. */
export interface LoweredConst {
  name: string;
  dtype: DType;
  shape: number[];
  data: Float32Array | BigInt64Array;
}

/** What a vaekit node becomes in ONNX when it is not written as one node of its own type. */
export interface Lowered {
  nodes: LoweredNode[];
  consts: LoweredConst[];
}

/**
 * Rewrites a node as several ONNX nodes, or returns null to write it as it is. `input` holds the
 * node's input names, `output` its output name, and `tmp(k)` makes names unique to the node.
 */
export type Lowering = (n: Node, input: string[], output: string, tmp: (k: string) => string) => Lowered | null;

export const node = (opType: string, input: string[], output: string, attrs?: Record<string, Attr>): LoweredNode => ({ opType, input, output: [output], attrs });
export const ints = (...v: number[]): Attr => ({ kind: 'ints', v });
export const int = (v: number): Attr => ({ kind: 'int', v });
export const i64 = (name: string, v: number[]): LoweredConst => ({ name, dtype: 'int64', shape: [v.length], data: BigInt64Array.from(v.map(BigInt)) });
