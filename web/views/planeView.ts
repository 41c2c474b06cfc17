// The latent plane: the test set's codes as dots coloured by label (2-D codes directly, else their PCA
// plane), hover shows the example, press or drag decodes the point under the pointer. In pick mode a click
// chooses the nearest example instead (for interpolation).
import { categoricalColor } from '../../src/web.js';
import { drawPixels } from '../ui/canvas.js';
import { type Explorer } from '../explorer.js';

const PAD = 0.06; // share of the range left around the dots

/**
 * The latent-plane view over a canvas.
 *
 * @example
 * const plane = new PlaneView(ex, canvas, { img: hoverCanvas, label: hoverText });
 */
export class PlaneView {
  /** When set, the next click picks the nearest example and calls this instead of decoding. */
  pick: ((index: number) => void) | null = null;
  private drawn: Float32Array | null = null;
  private box = { u0: -3, u1: 3, v0: -3, v1: 3 };

  constructor(private readonly ex: Explorer, private readonly canvas: HTMLCanvasElement, private readonly hover: { img: HTMLCanvasElement; label: HTMLElement }) {
    this.fit();
    new ResizeObserver(() => this.redraw()).observe(canvas);
    canvas.addEventListener('pointermove', (e) => (e.buttons & 1 && !this.pick ? this.decodeAt(e) : this.showHover(e)));
    canvas.addEventListener('pointerdown', (e) => {
      if (this.pick) {
        const i = this.nearest(e, Infinity);
        if (i >= 0) this.pick(i);
        this.pick = null;
        canvas.classList.remove('picking');
        return;
      }
      canvas.setPointerCapture(e.pointerId);
      this.decodeAt(e);
    });
    ex.onZ(() => this.redraw());
  }

  /** Recomputes the plotted range from the codes. */
  fit(): void {
    const c = this.ex.coords;
    if (c.length === 0) return;
    let [u0, u1, v0, v1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < c.length; i += 2) {
      [u0, u1, v0, v1] = [Math.min(u0, c[i]), Math.max(u1, c[i]), Math.min(v0, c[i + 1]), Math.max(v1, c[i + 1])];
    }
    const du = (u1 - u0 || 1) * PAD;
    const dv = (v1 - v0 || 1) * PAD;
    this.box = { u0: u0 - du, u1: u1 + du, v0: v0 - dv, v1: v1 + dv };
  }

  /** Marks a drawn or dropped image's code. */
  markDrawn(z: Float32Array): void {
    this.drawn = z;
    this.redraw();
  }

  redraw(): void {
    const { canvas } = this;
    const dpr = globalThis.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
    if (canvas.width !== w || canvas.height !== w) [canvas.width, canvas.height] = [w, w];
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, w);
    const c = this.ex.coords;
    const labels = this.ex.data?.labels;
    const r = Math.max(1.5, w / 260);
    for (let i = 0; i < c.length / 2; i++) {
      const [x, y] = this.toPx(c[2 * i], c[2 * i + 1]);
      ctx.fillStyle = categoricalColor(labels ? labels[i] : 0);
      ctx.globalAlpha = 0.75;
      ctx.fillRect(x - r, y - r, 2 * r, 2 * r);
    }
    ctx.globalAlpha = 1;
    ctx.font = `${Math.round(11 * dpr)}px system-ui, sans-serif`;
    ctx.fillStyle = '#444';
    ctx.fillText(this.ex.plane.axes[0] + ' →', 6 * dpr, w - 6 * dpr);
    ctx.save();
    ctx.translate(14 * dpr, w - 40 * dpr);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(this.ex.plane.axes[1] + ' →', 0, 0);
    ctx.restore();
    const mark = (z: Float32Array, color: string, size: number) => {
      const [x, y] = this.toPx(...this.ex.plane.project(z));
      ctx.strokeStyle = color;
      ctx.lineWidth = 2 * dpr;
      ctx.beginPath();
      ctx.moveTo(x - size, y);
      ctx.lineTo(x + size, y);
      ctx.moveTo(x, y - size);
      ctx.lineTo(x, y + size);
      ctx.stroke();
    };
    if (this.drawn) mark(this.drawn, '#d00', 9 * dpr);
    mark(this.ex.z, '#000', 7 * dpr);
  }

  private toPx(u: number, v: number): [number, number] {
    const w = this.canvas.width;
    const b = this.box;
    return [((u - b.u0) / (b.u1 - b.u0)) * w, (1 - (v - b.v0) / (b.v1 - b.v0)) * w];
  }

  private fromEvent(e: PointerEvent): [number, number] {
    const rect = this.canvas.getBoundingClientRect();
    const b = this.box;
    const fx = (e.clientX - rect.left) / rect.width;
    const fy = (e.clientY - rect.top) / rect.height;
    return [b.u0 + fx * (b.u1 - b.u0), b.v0 + (1 - fy) * (b.v1 - b.v0)];
  }

  private decodeAt(e: PointerEvent): void {
    this.ex.setZ(this.ex.plane.lift(...this.fromEvent(e), this.ex.z), 'plane');
  }

  /** Index of the example nearest the pointer within `maxPx` CSS pixels, or -1. */
  private nearest(e: PointerEvent, maxPx: number): number {
    const rect = this.canvas.getBoundingClientRect();
    const scale = this.canvas.width / rect.width;
    const [px, py] = [(e.clientX - rect.left) * scale, (e.clientY - rect.top) * scale];
    let best = -1;
    let bestD = (maxPx * scale) ** 2;
    const c = this.ex.coords;
    for (let i = 0; i < c.length / 2; i++) {
      const [x, y] = this.toPx(c[2 * i], c[2 * i + 1]);
      const d = (x - px) ** 2 + (y - py) ** 2;
      if (d < bestD) [best, bestD] = [i, d];
    }
    return best;
  }

  private showHover(e: PointerEvent): void {
    const i = this.nearest(e, 8);
    if (i < 0 || !this.ex.data) return;
    drawPixels(this.hover.img, this.ex.example(i), this.ex.rows, this.ex.cols, this.ex.channels);
    this.hover.label.textContent = `#${i} · ${this.ex.labelName(this.ex.data.labels[i])}`;
  }
}
