import { VaekitError } from '../errors.js';
import { type Engine as EngineType, Engine, type OrtModule } from '../runtime/engine.js';
import { type GpuAdapterLike, WebGpuErrors } from './webGpuErrors.js';

/** Which onnxruntime-web backend runs the graphs. */
export type WebBackend = 'wasm' | 'webgpu';

/** Options for {@link webEngine}. */
export interface WebEngineOptions {
  /** 'auto' (default): WebGPU when the browser offers an adapter, else wasm. */
  backend?: 'auto' | WebBackend;
  /** wasm threads; default: up to 4 when the page is cross-origin isolated (SharedArrayBuffer), else 1. */
  threads?: number;
  /** URL prefix (ending in /) of onnxruntime-web's .wasm/.mjs files; default: next to the page's script. */
  wasmPaths?: string;
  /**
   * Let the event loop run before each session run. Single-threaded wasm runs finish synchronously, so a
   * loop of runs never reaches its messages; a training worker sets this to hear "pause" and "stop".
   */
  yieldToEvents?: boolean;
}

/** An engine and what it runs on. */
export interface WebEngine {
  engine: EngineType;
  backend: WebBackend;
  threads: number;
}

interface BrowserGlobals {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number; gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } };
}

/**
 * Whether a hardware WebGPU adapter is there: not just `navigator.gpu` (headless browsers often have no
 * adapter), and not a software fallback adapter (slower than wasm SIMD).
 */
async function hasWebGpu(): Promise<boolean> {
  const gpu = (globalThis as BrowserGlobals).navigator?.gpu;
  if (!gpu) return false;
  try {
    const a = await gpu.requestAdapter();
    return a != null && !a.isFallbackAdapter && !a.info?.isFallbackAdapter;
  } catch {
    return false;
  }
}

/**
 * An Engine over onnxruntime-web: WebGPU where the browser has it (unsupported ops fall back to wasm inside
 * onnxruntime-web), else WebAssembly with SIMD, multi-threaded when the page is cross-origin isolated. The
 * wasm-only build (14 MB) is loaded unless WebGPU is used (its build is 28 MB). On WebGPU a run that hits a
 * WebGPU error throws (see WebGpuErrors) instead of returning what the failed kernels left in their buffers.
 *
 * @example
 * const { engine, backend, threads } = await webEngine();
 * const model = new WebModel(engine, await loadModelFromUrl('model/'));
 */
export async function webEngine(opts: WebEngineOptions = {}): Promise<WebEngine> {
  const g = globalThis as BrowserGlobals;
  const backend: WebBackend = opts.backend === 'wasm' ? 'wasm' : opts.backend === 'webgpu' || (await hasWebGpu()) ? 'webgpu' : 'wasm';
  const cores = g.navigator?.hardwareConcurrency ?? 1;
  const threads = opts.threads ?? (g.crossOriginIsolated ? Math.max(1, Math.min(4, cores)) : 1);
  const ort = (backend === 'webgpu' ? await import('onnxruntime-web') : await import('onnxruntime-web/wasm')) as unknown as OrtModule & {
    env: { wasm: { numThreads: number; wasmPaths?: string }; webgpu: { adapter?: unknown } };
  };
  ort.env.wasm.numThreads = threads;
  if (opts.wasmPaths) ort.env.wasm.wasmPaths = opts.wasmPaths;
  let gpuErrors: WebGpuErrors | undefined;
  if (backend === 'webgpu') {
    const adapter = await g.navigator?.gpu?.requestAdapter().catch(() => null);
    if (!adapter) throw new VaekitError("backend 'webgpu': this browser gives no WebGPU adapter (navigator.gpu is missing or requestAdapter() returned null); use backend 'wasm' or 'auto'", 'E_WEBGPU');
    gpuErrors = new WebGpuErrors(adapter);
    ort.env.webgpu.adapter = gpuErrors.adapter;
  }
  const engine = new Engine(oneAtATime(ort, opts.yieldToEvents ?? false, gpuErrors), { threads, executionProviders: backend === 'webgpu' ? ['webgpu', 'wasm'] : ['wasm'] });
  return { engine, backend, threads };
}

/**
 * The module with every session creation and run queued behind the previous one. onnxruntime-web has one
 * WebAssembly instance per page or worker, and two runs in flight at once (a live preview while the
 * trainer evaluates) corrupt each other ("Session already started", "output name cannot be empty").
 */
function oneAtATime(ort: OrtModule, yieldFirst: boolean, gpuErrors?: WebGpuErrors): OrtModule {
  let queue: Promise<unknown> = Promise.resolve();
  // a macrotask without setTimeout's 4 ms clamp
  const channel = yieldFirst ? new MessageChannel() : null;
  const macrotask = () => new Promise<void>((resolve) => {
    channel!.port1.onmessage = () => resolve();
    channel!.port2.postMessage(null);
  });
  const enqueue = <T>(f: () => Promise<T>): Promise<T> => {
    const p = queue.then(f);
    queue = p.catch(() => undefined);
    return p;
  };
  const create = (async (...args: unknown[]) => {
    const session = await enqueue(() => (ort.InferenceSession.create as (...a: unknown[]) => Promise<InferenceSessionLike>)(...args));
    const run = session.run.bind(session);
    session.run = (...a: unknown[]) => enqueue(async () => {
      if (channel) await macrotask();
      return gpuErrors ? gpuErrors.around('an onnxruntime-web session', () => run(...a)) : run(...a);
    });
    return session;
  }) as unknown as OrtModule['InferenceSession']['create'];
  return { Tensor: ort.Tensor, InferenceSession: { create } as unknown as OrtModule['InferenceSession'] };
}

interface InferenceSessionLike {
  run(...a: unknown[]): Promise<unknown>;
}
