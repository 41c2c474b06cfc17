import type * as Ort from 'onnxruntime-common';
import { VaekitError } from '../errors.js';
import { fmtShape, sizeOf, type DType } from '../graph/dtype.js';
import { toOnnx, type ToOnnxOptions } from '../graph/serialize.js';
import { type Graph, type Tensor } from '../graph/tensor.js';
import { probeNchwcBlock } from './nchwcProbe.js';

/** The part of an onnxruntime module (onnxruntime-node or onnxruntime-web) vaekit uses. */
export interface OrtModule {
  InferenceSession: typeof Ort.InferenceSession;
  Tensor: typeof Ort.Tensor;
}

/** Options for {@link Engine}. */
export interface EngineOptions {
  /** Intra-op threads; defaults to the machine's cores. */
  threads?: number;
  /** ORT execution providers, e.g. ['cpu'] (node) or ['wasm'] / ['webgpu'] (web). */
  executionProviders?: string[];
  /** Extra ORT session options, applied over vaekit's defaults. */
  sessionOptions?: Ort.InferenceSession.SessionOptions;
  /**
   * Write convolutions as ORT's NCHWc CPU kernels when this ORT has them (asked once, {@link probeNchwcBlock}).
   * Only for ORT's CPU provider; the Node entry turns it on.
   */
  nchwc?: boolean;
}

/** Values a compiled graph is fed with and returns. */
export type HostArray = Float32Array | BigInt64Array | Uint8Array;

/**
 * Compiles vaekit graphs into ONNX Runtime sessions. One engine per backend; the Node entry
 * (`vaekit/node`) makes one over onnxruntime-node, the browser over onnxruntime-web.
 *
 * @example
 * const engine = new Engine(ort, { threads: 2 });
 * const f = await engine.compile(g, { loss }, 'loss');
 * const { loss } = await f.run({ x: batch });
 */
export class Engine {
  readonly threads: number;
  constructor(readonly ort: OrtModule, readonly opts: EngineOptions = {}) {
    const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
    this.threads = opts.threads ?? cores;
    if (!Number.isInteger(this.threads) || this.threads < 1) throw new VaekitError(`threads must be a positive integer, got ${opts.threads}`, 'E_CONFIG');
  }

  /**
   * Serializes `outputs` of `graph` and creates an ORT session for it (compiled once, run many times).
   * Inputs given in `opts.initializers` are baked into the session and are not fed.
   */
  async compile(graph: Graph, outputs: Record<string, Tensor>, name = 'graph', opts: ToOnnxOptions = {}): Promise<CompiledGraph> {
    const nchwcBlock = await this.nchwcBlock();
    return this.compileBytes(toOnnx(graph, outputs, { name, nchwcBlock, ...opts }), graph, outputs, name, new Set(Object.keys(opts.initializers ?? {})));
  }

  /** Block size of the NCHWc kernels that {@link compile} writes convolutions for, or undefined when it writes none. */
  nchwcBlock(): Promise<number | undefined> {
    return this.opts.nchwc ? probeNchwcBlock(this.ort) : Promise.resolve(undefined);
  }

  /** Creates a session from ONNX bytes already built from `graph` (minus the `baked` inputs, written as initializers). */
  async compileBytes(bytes: Uint8Array, graph: Graph, outputs: Record<string, Tensor>, name: string, baked: ReadonlySet<string> = new Set()): Promise<CompiledGraph> {
    let session: Ort.InferenceSession;
    try {
      session = await this.ort.InferenceSession.create(bytes, {
        intraOpNumThreads: this.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        // ORT's memory-pattern planner allocates one block per run for the intermediates; large blocks go back
        // to the OS and fault in again every run (measured: ~1,100 page faults and 4–5× slower elementwise ops
        // per run on a 10 MB tensor). The arena alone keeps buffers across runs with zero faults.
        enableMemPattern: false,
        enableCpuMemArena: true,
        executionProviders: this.opts.executionProviders,
        ...this.opts.sessionOptions,
      });
    } catch (e) {
      const ins = graph.inputs.map((i) => `${i.name}${fmtShape(i.tensor.shape)}`).join(', ');
      throw new VaekitError(`ONNX Runtime refused graph "${name}" (inputs ${ins}): ${(e as Error).message}`, 'E_ORT');
    }
    const sig = (t: Tensor): Signature => ({ shape: [...t.shape], dtype: t.dtype });
    const inputs = Object.fromEntries(graph.inputs.filter((i) => !baked.has(i.name)).map((i) => [i.name, sig(i.tensor)]));
    const outs = Object.fromEntries(Object.entries(outputs).map(([k, t]) => [k, sig(t)]));
    return new CompiledGraph(this.ort, session, name, inputs, outs, bytes);
  }
}

/** Static shape and dtype of a graph input or output. */
export interface Signature {
  shape: number[];
  dtype: DType;
}

const ORT_TYPE: Record<DType, 'float32' | 'int64' | 'bool'> = { float32: 'float32', int64: 'int64', bool: 'bool' };

/**
 * A graph compiled into an ORT session. `run` checks feeds against the static signature first, so a wrong
 * shape names the input instead of failing inside ORT.
 */
export class CompiledGraph {
  /** Whether the backend fills preallocated output tensors itself (learned on the first run with fetches). */
  private writesIntoFetches: boolean | undefined;

  constructor(
    private readonly ort: OrtModule,
    readonly session: Ort.InferenceSession,
    readonly name: string,
    readonly inputs: Record<string, Signature>,
    readonly outputs: Record<string, Signature>,
    readonly bytes: Uint8Array,
  ) {}

  /** Wraps a host array as an ORT tensor of the input's (or output's) signature, without copying. */
  tensor(name: string, data: HostArray): Ort.Tensor {
    const sig = this.inputs[name] ?? this.outputs[name];
    if (!sig) throw new VaekitError(`graph "${this.name}" has no input or output "${name}"`, 'E_FEED');
    this.check(name, sig, data);
    return new this.ort.Tensor(ORT_TYPE[sig.dtype], data as Float32Array, sig.shape);
  }

  /**
   * Runs the session. Feeds may be host arrays or ORT tensors made by {@link tensor}; `fetches`, when
   * given, are preallocated ORT tensors that receive the outputs (written by ORT itself where the backend
   * supports it, as onnxruntime-node does; copied in otherwise).
   */
  async run(feeds: Record<string, HostArray | Ort.Tensor>, fetches?: Record<string, Ort.Tensor | null>): Promise<Record<string, HostArray>> {
    const ortFeeds: Record<string, Ort.Tensor> = {};
    for (const [name, sig] of Object.entries(this.inputs)) {
      const v = feeds[name];
      if (v === undefined) throw new VaekitError(`graph "${this.name}": missing input "${name}" ${sig.dtype}${fmtShape(sig.shape)}`, 'E_FEED');
      ortFeeds[name] = ArrayBuffer.isView(v) ? this.tensor(name, v as HostArray) : (v as Ort.Tensor);
    }
    for (const k of Object.keys(feeds)) {
      if (!(k in this.inputs)) throw new VaekitError(`graph "${this.name}" has no input "${k}"; inputs: ${Object.keys(this.inputs).join(', ')}`, 'E_FEED');
    }
    // Until we know whether this backend writes into preallocated outputs, mark one with a NaN sentinel.
    const probe = fetches && this.writesIntoFetches === undefined ? Object.values(fetches).find((t) => t && (t.data as Float32Array).length > 0) : undefined;
    if (probe) (probe.data as Float32Array)[0] = NaN;
    const run = async (withFetches: boolean) => {
      try {
        // outputs without a preallocated tensor are allocated by ORT (null entries)
        const all = Object.fromEntries(Object.keys(this.outputs).map((k) => [k, fetches?.[k] ?? null]));
        return withFetches ? await this.session.run(ortFeeds, all) : await this.session.run(ortFeeds);
      } catch (e) {
        throw new VaekitError(`ONNX Runtime failed running graph "${this.name}": ${(e as Error).message}`, 'E_ORT');
      }
    };
    let res = await run(fetches !== undefined && this.writesIntoFetches !== false);
    if (probe) {
      // onnxruntime-node fills preallocated outputs (and also returns copies); onnxruntime-web leaves them
      // untouched, so run again without them (inputs are unchanged) and copy the results over.
      this.writesIntoFetches = !Number.isNaN((probe.data as Float32Array)[0]);
      if (!this.writesIntoFetches) res = await run(false);
    }
    const out: Record<string, HostArray> = {};
    for (const k of Object.keys(this.outputs)) out[k] = (res[k] as Ort.Tensor).data as HostArray;
    if (fetches && this.writesIntoFetches === false) {
      for (const [k, t] of Object.entries(fetches)) if (t) (t.data as Float32Array).set(out[k] as Float32Array);
    }
    return out;
  }

  private check(name: string, sig: Signature, data: HostArray): void {
    const want = sig.dtype === 'float32' ? Float32Array : sig.dtype === 'int64' ? BigInt64Array : Uint8Array;
    if (!(data instanceof want)) {
      throw new VaekitError(`graph "${this.name}": "${name}" must be ${sig.dtype} (${want.name}), got ${data.constructor.name}`, 'E_FEED');
    }
    if (data.length !== sizeOf(sig.shape)) {
      throw new VaekitError(`graph "${this.name}": "${name}" must have shape ${fmtShape(sig.shape)} (${sizeOf(sig.shape)} values), got ${data.length} values`, 'E_FEED');
    }
  }

  /** Frees the ORT session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}
