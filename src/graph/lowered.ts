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
  /** Operator domain; absent for standard ONNX ops (the serializer imports each domain used, version 1). */
  domain?: string;
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

/** What the runtime that will run the model offers the lowerings (from toOnnx's options). */
export interface LoweringTarget {
  /**
   * Block size of ONNX Runtime's NCHWc CPU kernels (contrib domain com.microsoft.nchwc: 8 with AVX2, 16 with
   * AVX-512), when the model will run on ORT's CPU provider; absent, no NCHWc ops are written.
   */
  nchwcBlock?: number;
}

/**
 * Rewrites a node as several ONNX nodes, or returns null to write it as it is. `input` holds the
 * node's input names, `output` its output name, `tmp(k)` makes names unique to the node, and `target`
 * says what the runtime offers.
 */
export type Lowering = (n: Node, input: string[], output: string, tmp: (k: string) => string, target: LoweringTarget) => Lowered | null;

export const node = (opType: string, input: string[], output: string, attrs?: Record<string, Attr>): LoweredNode => ({ opType, input, output: [output], attrs });
export const ints = (...v: number[]): Attr => ({ kind: 'ints', v });
export const int = (v: number): Attr => ({ kind: 'int', v });
export const i64 = (name: string, v: number[]): LoweredConst => ({ name, dtype: 'int64', shape: [v.length], data: BigInt64Array.from(v.map(BigInt)) });
