import { VaekitError } from '../errors.js';

interface GpuError {
  message: string;
}

/** The part of a GPUDevice this file uses. */
interface GpuDevice {
  pushErrorScope(filter: 'validation' | 'out-of-memory'): void;
  popErrorScope(): Promise<GpuError | null>;
}

/** The part of a GPUAdapter onnxruntime-web and vaekit use. */
export interface GpuAdapterLike {
  limits: object;
  features: object;
  info?: { vendor?: string; architecture?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
  requestDevice(descriptor?: unknown): Promise<GpuDevice>;
}

const SCOPES = ['validation', 'out-of-memory'] as const;

/**
 * Turns WebGPU errors during a run into a thrown VaekitError. onnxruntime-web does not check them (outside
 * its debug mode): a kernel whose pipeline fails validation, or a buffer that fails to allocate, leaves its
 * output unwritten and the run returns stale or zero numbers, only a console line saying so. Hand
 * `adapter` (the browser's, wrapped to keep the device it creates) to onnxruntime-web as env.webgpu.adapter,
 * and wrap each session run in `around`: it opens error scopes on that device for the run and throws what
 * they caught.
 *
 * @example
 * const errors = new WebGpuErrors(await navigator.gpu.requestAdapter());
 * ort.env.webgpu.adapter = errors.adapter;
 * const out = await errors.around('decoder', () => session.run(feeds));
 */
export class WebGpuErrors {
  readonly adapter: GpuAdapterLike;
  private device: GpuDevice | undefined;

  constructor(real: GpuAdapterLike) {
    // a plain object: GPUAdapter's methods check their receiver, so the adapter itself cannot be subclassed
    this.adapter = {
      limits: real.limits,
      features: real.features,
      info: real.info,
      requestDevice: async (descriptor) => (this.device = await real.requestDevice(descriptor)),
    };
  }

  /** Runs `f` inside validation and out-of-memory error scopes; throws the first WebGPU error they caught. */
  async around<T>(what: string, f: () => Promise<T>): Promise<T> {
    const d = this.device;
    if (!d) return f(); // no device yet: onnxruntime-web creates it with the first WebGPU session
    for (const s of SCOPES) d.pushErrorScope(s);
    let failure: { e: unknown } | undefined;
    let out: T | undefined;
    try {
      out = await f();
    } catch (e) {
      failure = { e };
    }
    // scopes pop in reverse order of the pushes: out-of-memory, then validation
    const caught = (await Promise.all(SCOPES.map(() => d.popErrorScope()))).filter((e): e is GpuError => e != null);
    if (caught.length > 0) {
      throw new VaekitError(`WebGPU error while running ${what}: ${caught[0].message.split('\n')[0]} (its outputs are not valid; run with backend 'wasm')`, 'E_WEBGPU');
    }
    if (failure) throw failure.e;
    return out as T;
  }
}
