// The decoded image of the current point, one slider per latent dimension. Decodes run latest-wins at
// batch 1; the canvas records the code it shows (data-z) and the decode time (data-ms) for tests and the
// status line.
import { drawPixels } from '../ui/canvas.js';
import { showError } from '../ui/messages.js';
import { LatestOnly, type Explorer } from '../explorer.js';

/** Slider range: ±4 covers the prior's mass; codes outside are clamped on the slider only. */
const RANGE = 4;

/**
 * The decoded image of the current point and its sliders.
 *
 * @example
 * new DecodedView(ex, decodedCanvas, sliderBox);
 */
export class DecodedView {
  private sliders: HTMLInputElement[] = [];
  private readonly decoder: LatestOnly<Float32Array>;

  constructor(private readonly ex: Explorer, private readonly canvas: HTMLCanvasElement, sliderBox: HTMLElement) {
    this.decoder = new LatestOnly((z) => this.decode(z), (e) => showError(e, 'decoding'));
    sliderBox.replaceChildren();
    for (let i = 0; i < ex.L; i++) {
      const label = document.createElement('label');
      const s = document.createElement('input');
      Object.assign(s, { type: 'range', min: String(-RANGE), max: String(RANGE), step: '0.01', value: '0' });
      s.id = `z${i + 1}`;
      s.setAttribute('aria-label', `z${i + 1}`);
      const out = document.createElement('output');
      out.textContent = '0.00';
      s.addEventListener('input', () => {
        const z = Float32Array.from(ex.z);
        z[i] = Number(s.value);
        ex.setZ(z, `slider${i}`);
      });
      label.append(`z${i + 1}`, s, out);
      sliderBox.append(label);
      this.sliders.push(s);
    }
    ex.onZ((z, source) => {
      this.sliders.forEach((s, i) => {
        if (source !== `slider${i}`) s.value = String(z[i]);
        (s.nextElementSibling as HTMLOutputElement).textContent = z[i].toFixed(2);
      });
      this.decoder.push(z);
    });
  }

  private async decode(z: Float32Array): Promise<void> {
    const t0 = performance.now();
    const img = await this.ex.model.decode(z);
    const ms = performance.now() - t0;
    drawPixels(this.canvas, img, this.ex.rows, this.ex.cols, this.ex.channels);
    this.canvas.dataset.z = JSON.stringify(Array.from(z));
    this.canvas.dataset.ms = ms.toFixed(3);
    // time from navigation start to the first decoded image (bench:web reads it)
    document.body.dataset.firstImageMs ??= performance.now().toFixed(1);
  }
}
