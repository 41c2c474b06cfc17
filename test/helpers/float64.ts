// Rewrites a float32 ONNX model as float64: input/output types, float initializers and Cast targets.
// Gradient checks use it for a float64 reference where ONNX Runtime's CPU kernels exist in double.
import { ModelProto } from '../../src/graph/onnxSchema.js';

const FLOAT = 1;
const DOUBLE = 11;

// protobufjs plain objects: fields as in onnxSchema.ts
type Obj = Record<string, any>;

function retypeTensor(t: Obj): void {
  if (t.dataType !== FLOAT) return;
  const raw: Uint8Array = t.rawData;
  const f32 = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  t.rawData = new Uint8Array(Float64Array.from(f32).buffer);
  t.dataType = DOUBLE;
}

/** The same model computing in float64 (every float32 tensor becomes double). */
export function toFloat64(bytes: Uint8Array): Uint8Array {
  const m = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, bytes: Uint8Array, defaults: false }) as Obj;
  const g = m.graph;
  for (const v of [...(g.input ?? []), ...(g.output ?? [])]) {
    if (v.type.tensorType.elemType === FLOAT) v.type.tensorType.elemType = DOUBLE;
  }
  for (const t of g.initializer ?? []) retypeTensor(t);
  for (const n of g.node ?? []) {
    for (const a of n.attribute ?? []) {
      if (n.opType === 'Cast' && a.name === 'to' && a.i === FLOAT) a.i = DOUBLE;
      if (a.t) retypeTensor(a.t);
    }
  }
  return ModelProto.encode(ModelProto.fromObject(m)).finish();
}
