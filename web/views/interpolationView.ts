// Interpolation between two test examples A and B: their codes μ(A), μ(B), the path between (linear or
// spherical), decoded as a strip. The strip's ends are the reconstructions of A and B.
import { interpolateLatents } from '../../src/web.js';
import { drawTiles } from '../ui/canvas.js';
import { showError } from '../ui/messages.js';
import { LatestOnly, type Explorer } from '../explorer.js';
import { type PlaneView } from './planeView.js';

export interface InterpolationControls {
  a: HTMLInputElement;
  b: HTMLInputElement;
  pickA: HTMLButtonElement;
  pickB: HTMLButtonElement;
  mode: HTMLSelectElement;
  steps: HTMLInputElement;
  strip: HTMLCanvasElement;
}

/**
 * The interpolation strip between examples A and B.
 *
 * @example
 * new InterpolationView(ex, controls, plane, planeCanvas).update();
 */
export class InterpolationView {
  private readonly runner: LatestOnly<null>;

  constructor(private readonly ex: Explorer, private readonly c: InterpolationControls, plane: PlaneView, planeCanvas: HTMLCanvasElement) {
    this.runner = new LatestOnly(() => this.render(), (e) => showError(e, 'interpolation'));
    const n = ex.data?.n ?? 0;
    for (const input of [c.a, c.b]) input.max = String(Math.max(0, n - 1));
    for (const el of [c.a, c.b, c.mode, c.steps]) el.addEventListener('change', () => this.update());
    const pick = (input: HTMLInputElement) => () => {
      planeCanvas.classList.add('picking');
      plane.pick = (i) => {
        input.value = String(i);
        this.update();
      };
    };
    c.pickA.addEventListener('click', pick(c.a));
    c.pickB.addEventListener('click', pick(c.b));
  }

  update(): void {
    this.runner.push(null);
  }

  private async render(): Promise<void> {
    const n = this.ex.data?.n ?? 0;
    if (n === 0 || this.ex.mu.length === 0) return; // no test set, or its codes are not ready
    const idx = (el: HTMLInputElement) => Math.min(n - 1, Math.max(0, Math.round(Number(el.value) || 0)));
    const [a, b] = [idx(this.c.a), idx(this.c.b)];
    const steps = Math.min(16, Math.max(2, Math.round(Number(this.c.steps.value) || 10)));
    const z = interpolateLatents(this.ex.code(a), this.ex.code(b), steps, { spherical: this.c.mode.value === 'spherical' });
    const imgs = await this.ex.model.decode(z);
    drawTiles(this.c.strip, imgs, steps, { rows: this.ex.rows, cols: this.ex.cols, channels: this.ex.channels, perRow: steps });
    this.c.strip.dataset.ab = `${a},${b},${steps},${this.c.mode.value}`;
  }
}
