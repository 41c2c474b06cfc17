// A grid of prior samples z = T·ε, ε ~ N(0, I) from a seeded generator; T is the temperature (T < 1 draws
// nearer the mode, sharper and less varied).
import { Prng } from '../../src/web.js';
import { drawTiles } from '../ui/canvas.js';
import { showError } from '../ui/messages.js';
import { LatestOnly, type Explorer } from '../explorer.js';

const N = 64;

/**
 * The 8×8 grid of prior samples with a temperature slider.
 *
 * @example
 * new SamplesView(ex, grid, temperature, again, tOut).update();
 */
export class SamplesView {
  private seed = 1;
  private readonly runner: LatestOnly<null>;

  constructor(private readonly ex: Explorer, private readonly grid: HTMLCanvasElement, private readonly temperature: HTMLInputElement, again: HTMLButtonElement, private readonly tOut: HTMLOutputElement) {
    this.runner = new LatestOnly(() => this.render(), (e) => showError(e, 'sampling'));
    temperature.addEventListener('input', () => this.runner.push(null));
    again.addEventListener('click', () => {
      this.seed++;
      this.runner.push(null);
    });
  }

  update(): void {
    this.runner.push(null);
  }

  private async render(): Promise<void> {
    const t = Number(this.temperature.value);
    this.tOut.textContent = t.toFixed(2);
    const z = new Prng(this.seed).normals(new Float32Array(N * this.ex.L)).map((v) => v * t);
    drawTiles(this.grid, await this.ex.model.decode(z), N, { rows: this.ex.rows, cols: this.ex.cols, channels: this.ex.channels, perRow: 8 });
  }
}
