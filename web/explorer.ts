// The explorer's shared state: the model, the test set and its codes, the 2-D plane they are drawn on, and
// the current latent point. Views read it and call setZ; decodes run latest-wins (one in flight, the newest
// pending), so dragging never queues stale work.
import { pca2, type ImageDataset, type LabelArray, type WebModel } from '../src/web.js';

/**
 * The explorer's test set: images [n, channels·rows·cols] (channel planes, values in [0, 1]) and a label per
 * example (0 when the data has none). An ImageDataset is one (channels absent: grey).
 */
export type ExplorerData = ImageDataset<LabelArray> & { channels?: number };

/** Maps latent codes to the drawn plane and back. */
export interface Plane {
  /** 'z1 / z2' or 'PC1 (42%) / PC2 (17%)'. */
  axes: [string, string];
  /** Plane coordinates of a code [L] → [2]. */
  project(z: ArrayLike<number>): [number, number];
  /** The code at a plane point (PCA: back-projection onto the plane through the mean; two dims: `base` with those two replaced). */
  lift(u: number, v: number, base: Float32Array): Float32Array;
}

/** Which plane: the PCA plane, or two latent dimensions (0-based). */
export type PlaneAxes = 'pca' | [number, number];

function dimsPlane(i: number, j: number): Plane {
  return {
    axes: [`z${i + 1}`, `z${j + 1}`],
    project: (z) => [z[i], z[j]],
    lift: (u, v, base) => {
      const z = Float32Array.from(base);
      [z[i], z[j]] = [u, v];
      return z;
    },
  };
}

function planeOf(mu: Float32Array, n: number, L: number, axes: PlaneAxes): Plane {
  if (axes !== 'pca' && L > 2) return dimsPlane(axes[0], axes[1]);
  if (L <= 2) {
    return {
      axes: ['z1', L === 2 ? 'z2' : '—'],
      project: (z) => [z[0], L === 2 ? z[1] : 0],
      lift: (u, v) => Float32Array.from(L === 2 ? [u, v] : [u]),
    };
  }
  const p = pca2(mu, n, L);
  const c = p.components;
  const pct = (r: number) => `${Math.round(100 * r)}%`;
  return {
    axes: [`PC1 (${pct(p.explainedRatio[0])})`, `PC2 (${pct(p.explainedRatio[1])})`],
    project: (z) => {
      let u = 0;
      let v = 0;
      for (let i = 0; i < L; i++) {
        u += (z[i] - p.mean[i]) * c[i];
        v += (z[i] - p.mean[i]) * c[L + i];
      }
      return [u, v];
    },
    lift: (u, v) => Float32Array.from({ length: L }, (_, i) => p.mean[i] + u * c[i] + v * c[L + i]),
  };
}

/**
 * Runs an async function on the newest value only: while one run is in flight, later values replace each
 * other and the last one runs next.
 *
 * @example
 * const decoder = new LatestOnly((z) => draw(z), showError);
 * canvas.onpointermove = (e) => decoder.push(codeAt(e));
 */
export class LatestOnly<T> {
  private pending: { v: T } | undefined;
  private running = false;
  constructor(private readonly fn: (v: T) => Promise<void>, private readonly onError: (e: unknown) => void) {}

  push(v: T): void {
    this.pending = { v };
    if (!this.running) void this.loop();
  }

  private async loop(): Promise<void> {
    this.running = true;
    while (this.pending) {
      const { v } = this.pending;
      this.pending = undefined;
      try {
        await this.fn(v);
      } catch (e) {
        this.onError(e);
      }
    }
    this.running = false;
  }
}

/**
 * The shared state of the explorer's views.
 *
 * @example
 * const ex = new Explorer(model, testSet);
 * await ex.encodeTestSet();
 * ex.onZ((z) => draw(z));
 */
export class Explorer {
  readonly L: number;
  readonly rows: number;
  readonly cols: number;
  /** 1 grey, 3 RGB (channel planes): every view draws examples and decodes this way. */
  readonly channels: number;
  /** Test-set codes μ [n, L] and their plane coordinates [n, 2]. */
  mu: Float32Array = new Float32Array(0);
  coords: Float32Array = new Float32Array(0);
  plane: Plane;
  /** The current latent point. */
  z: Float32Array;
  private zListeners: ((z: Float32Array, source: string) => void)[] = [];

  /** `classNames`: the names of the labels (a class folder's names), shown instead of their numbers. */
  constructor(readonly model: WebModel, readonly data: ExplorerData | null, readonly classNames?: readonly string[]) {
    this.L = model.signature.latentDim;
    [this.rows, this.cols] = model.signature.imageShape;
    const ds = model.signature.dataShape;
    this.channels = ds.length === 3 ? ds[0] : 1;
    this.z = new Float32Array(this.L);
    this.plane = planeOf(new Float32Array(this.L * 2), 2, this.L, 'pca');
  }

  /** Label k as shown: its class name when the model has them, else the number. */
  labelName(k: number): string {
    return this.classNames?.[k] ?? String(k);
  }

  /** Encodes the test set and fits the plane. */
  async encodeTestSet(): Promise<void> {
    if (!this.data) return;
    this.mu = (await this.model.encode(this.data.images)).mu;
    this.setAxes('pca');
  }

  /** Chooses the plane (PCA or two latent dims) and projects the test codes onto it. */
  setAxes(axes: PlaneAxes): void {
    if (!this.data) return;
    this.plane = planeOf(this.mu, this.data.n, this.L, axes);
    this.coords = new Float32Array(2 * this.data.n);
    for (let i = 0; i < this.data.n; i++) this.coords.set(this.plane.project(this.mu.subarray(i * this.L, (i + 1) * this.L)), 2 * i);
  }

  /** Example i's pixels [channels·rows·cols]. */
  example(i: number): Float32Array {
    const px = this.channels * this.rows * this.cols;
    return this.data!.images.subarray(i * px, (i + 1) * px);
  }

  /** Example i's code μ [L]. */
  code(i: number): Float32Array {
    return this.mu.subarray(i * this.L, (i + 1) * this.L);
  }

  /** Moves the current point; `source` lets the view that moved it skip its own update. */
  setZ(z: ArrayLike<number>, source: string): void {
    this.z = Float32Array.from(z);
    for (const f of this.zListeners) f(this.z, source);
  }

  onZ(f: (z: Float32Array, source: string) => void): void {
    this.zListeners.push(f);
  }
}
