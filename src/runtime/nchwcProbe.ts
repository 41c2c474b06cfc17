import { ONNX_DTYPE } from '../graph/dtype.js';
import { NCHWC_DOMAIN } from '../graph/nchwcLowerings.js';
import { ModelProto } from '../graph/onnxSchema.js';
import { IR_VERSION, OPSET } from '../graph/serialize.js';
import { type OrtModule } from './engine.js';

/**
 * The block size of ONNX Runtime's NCHWc CPU kernels in this process (8 with AVX2, 16 with AVX-512; it depends
 * on the CPU ORT runs on, so it is asked, not assumed), or undefined when this ORT build has no such kernels.
 * Asks by running ReorderInput on 4 channels: it pads the channels to one block.
 *
 * @example
 * const bs = await probeNchwcBlock(ort); // 8 on an AVX2 machine
 */
export function probeNchwcBlock(ort: OrtModule): Promise<number | undefined> {
  let p = asked.get(ort);
  if (!p) asked.set(ort, (p = ask(ort)));
  return p;
}

// one question per ORT module in the process (engines are cheap to make; sessions are not)
const asked = new WeakMap<OrtModule, Promise<number | undefined>>();

async function ask(ort: OrtModule): Promise<number | undefined> {
  const f32 = ONNX_DTYPE.float32;
  const info = (name: string, dims?: number[]) => ({ name, type: { tensorType: { elemType: f32, ...(dims ? { shape: { dim: dims.map((d) => ({ dimValue: d })) } } : {}) } } });
  const model = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }, { domain: NCHWC_DOMAIN, version: 1 }],
    producerName: 'vaekit',
    graph: { name: 'nchwc_probe', node: [{ name: 'r', opType: 'ReorderInput', domain: NCHWC_DOMAIN, input: ['x'], output: ['y'] }], input: [info('x', [1, 4, 1, 1])], output: [info('y')] },
  };
  try {
    const session = await ort.InferenceSession.create(ModelProto.encode(ModelProto.fromObject(model)).finish(), { executionProviders: ['cpu'], graphOptimizationLevel: 'disabled' });
    try {
      const { y } = await session.run({ x: new ort.Tensor('float32', new Float32Array(4), [1, 4, 1, 1]) });
      const bs = y.dims[1];
      return bs >= 4 && bs % 4 === 0 ? bs : undefined;
    } finally {
      await session.release();
    }
  } catch {
    return undefined; // no NCHWc kernels (another build or provider): convolutions stay plain ONNX
  }
}
