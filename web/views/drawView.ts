// Draw with the pointer on an image-sized canvas, or drop an image on it: the image is encoded, its code μ
// is marked on the plane and becomes the current point, and its reconstruction is shown beside it.
import { drawGrey, drawPixels } from '../ui/canvas.js';
import { clearError, showError } from '../ui/messages.js';
import { LatestOnly, type Explorer } from '../explorer.js';
import { type PlaneView } from './planeView.js';

const BRUSH = 1.3; // brush radius in image pixels (soft edge), about an MNIST pen stroke

/**
 * The drawing pad (and image drop target) with the reconstruction beside it.
 *
 * @example
 * const draw = new DrawView(ex, pad, recon, plane, clearButton);
 * await draw.load(droppedFile);
 */
export class DrawView {
  private readonly pixels: Float32Array;
  private readonly encoder: LatestOnly<null>;

  constructor(private readonly ex: Explorer, private readonly pad: HTMLCanvasElement, private readonly recon: HTMLCanvasElement, private readonly plane: PlaneView, clear: HTMLButtonElement) {
    this.pixels = new Float32Array(ex.rows * ex.cols);
    this.encoder = new LatestOnly(() => this.encode(), (e) => showError(e, 'encoding the drawing'));
    drawGrey(pad, this.pixels, ex.rows, ex.cols);
    pad.addEventListener('pointerdown', (e) => {
      pad.setPointerCapture(e.pointerId);
      this.paint(e);
    });
    pad.addEventListener('pointermove', (e) => e.buttons & 1 && this.paint(e));
    pad.addEventListener('pointerup', () => this.encoder.push(null));
    clear.addEventListener('click', () => {
      this.pixels.fill(0);
      drawGrey(pad, this.pixels, ex.rows, ex.cols);
    });
    pad.addEventListener('dragover', (e) => e.preventDefault());
    pad.addEventListener('drop', (e) => {
      e.preventDefault();
      const f = e.dataTransfer?.files[0];
      if (f) void this.load(f);
    });
  }

  /** Loads an image file into the pad: scaled to the model's size, grey, white-on-black like MNIST. */
  async load(file: File): Promise<void> {
    let bmp: ImageBitmap;
    try {
      bmp = await createImageBitmap(file);
    } catch {
      showError(new Error(`not an image this browser can decode (type "${file.type || 'unknown'}")`), file.name);
      return;
    }
    clearError();
    const { rows, cols } = this.ex;
    const c = document.createElement('canvas');
    [c.width, c.height] = [cols, rows];
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bmp, 0, 0, cols, rows);
    const d = ctx.getImageData(0, 0, cols, rows).data;
    let mean = 0;
    for (let i = 0; i < rows * cols; i++) {
      const a = d[4 * i + 3] / 255; // transparent counts as background
      this.pixels[i] = (a * (0.299 * d[4 * i] + 0.587 * d[4 * i + 1] + 0.114 * d[4 * i + 2])) / 255;
      mean += this.pixels[i] / (rows * cols);
    }
    if (mean > 0.5) for (let i = 0; i < this.pixels.length; i++) this.pixels[i] = 1 - this.pixels[i]; // dark ink on light paper
    drawGrey(this.pad, this.pixels, rows, cols);
    this.encoder.push(null);
  }

  private paint(e: PointerEvent): void {
    const rect = this.pad.getBoundingClientRect();
    const { rows, cols } = this.ex;
    const x = ((e.clientX - rect.left) / rect.width) * cols - 0.5;
    const y = ((e.clientY - rect.top) / rect.height) * rows - 0.5;
    for (let r = Math.floor(y - 2); r <= Math.ceil(y + 2); r++) {
      for (let c = Math.floor(x - 2); c <= Math.ceil(x + 2); c++) {
        if (r < 0 || c < 0 || r >= rows || c >= cols) continue;
        const d = Math.hypot(r - y, c - x);
        const v = Math.min(1, Math.max(0, BRUSH + 0.5 - d));
        this.pixels[r * cols + c] = Math.max(this.pixels[r * cols + c], v);
      }
    }
    drawGrey(this.pad, this.pixels, rows, cols);
  }

  private async encode(): Promise<void> {
    // the pad is grey; an RGB model encodes it as the same plane in each channel
    const x = new Float32Array(this.ex.channels * this.pixels.length);
    for (let c = 0; c < this.ex.channels; c++) x.set(this.pixels, c * this.pixels.length);
    const { mu } = await this.ex.model.encode(x);
    const img = await this.ex.model.decode(mu);
    drawPixels(this.recon, img, this.ex.rows, this.ex.cols, this.ex.channels);
    this.plane.markDrawn(mu);
    this.ex.setZ(mu, 'draw');
  }
}
