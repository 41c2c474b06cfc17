// Draw with the pointer on an image-sized canvas, or drop an image on it: the image is encoded, its code μ
// is marked on the plane and becomes the current point, and its reconstruction is shown beside it. A model
// trained on the user's own data gets a dropped image as training reads image files (cover crop, its
// channels, no inversion); a model of the built-in digits gets it as MNIST draws (grey, light ink on dark).
import { decodeWebImage } from '../../src/web.js';
import { drawPixels } from '../ui/canvas.js';
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
  /** [channels, rows, cols] in [0, 1]: what the model encodes. */
  private readonly pixels: Float32Array;
  private readonly encoder: LatestOnly<null>;

  /** `ownImages`: the model was trained on the user's own data (config.json records its preprocessing). */
  constructor(private readonly ex: Explorer, private readonly pad: HTMLCanvasElement, private readonly recon: HTMLCanvasElement, private readonly plane: PlaneView, clear: HTMLButtonElement, private readonly ownImages = false) {
    this.pixels = new Float32Array(ex.channels * ex.rows * ex.cols);
    this.encoder = new LatestOnly(() => this.encode(), (e) => showError(e, 'encoding the drawing'));
    this.show();
    pad.addEventListener('pointerdown', (e) => {
      pad.setPointerCapture(e.pointerId);
      this.paint(e);
    });
    pad.addEventListener('pointermove', (e) => e.buttons & 1 && this.paint(e));
    pad.addEventListener('pointerup', () => this.encoder.push(null));
    clear.addEventListener('click', () => {
      this.pixels.fill(0);
      this.show();
    });
    pad.addEventListener('dragover', (e) => e.preventDefault());
    pad.addEventListener('drop', (e) => {
      e.preventDefault();
      const f = e.dataTransfer?.files[0];
      if (f) void this.load(f);
    });
  }

  /** Loads an image file into the pad (as training read images, or as MNIST draws digits) and encodes it. */
  async load(file: File): Promise<void> {
    if (!(await (this.ownImages ? this.readAsTrained(file) : this.readAsDigit(file)))) return;
    clearError();
    this.show();
    this.encoder.push(null);
  }

  /** The training data's decoder: PNG/JPEG scaled to cover and centre-cropped, grey by luma or RGB. */
  private async readAsTrained(file: File): Promise<boolean> {
    const { rows: h, cols: w, channels } = this.ex;
    try {
      const px = await decodeWebImage(new Uint8Array(await file.arrayBuffer()), file.name, { h, w, c: channels as 1 | 3 });
      for (let i = 0; i < px.length; i++) this.pixels[i] = px[i] / 255;
      return true;
    } catch (e) {
      showError(e, 'the dropped image');
      return false;
    }
  }

  /** As MNIST draws digits: stretched to the model's size, grey, light ink on dark (a light image is inverted). */
  private async readAsDigit(file: File): Promise<boolean> {
    let bmp: ImageBitmap;
    try {
      bmp = await createImageBitmap(file);
    } catch {
      showError(new Error(`not an image this browser can decode (type "${file.type || 'unknown'}")`), file.name);
      return false;
    }
    const { rows, cols } = this.ex;
    const c = document.createElement('canvas');
    [c.width, c.height] = [cols, rows];
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bmp, 0, 0, cols, rows);
    const d = ctx.getImageData(0, 0, cols, rows).data;
    const hw = rows * cols;
    let mean = 0;
    for (let i = 0; i < hw; i++) {
      const a = d[4 * i + 3] / 255; // transparent counts as background
      this.pixels[i] = (a * (0.299 * d[4 * i] + 0.587 * d[4 * i + 1] + 0.114 * d[4 * i + 2])) / 255;
      mean += this.pixels[i] / hw;
    }
    if (mean > 0.5) for (let i = 0; i < hw; i++) this.pixels[i] = 1 - this.pixels[i]; // dark ink on light paper
    for (let k = 1; k < this.ex.channels; k++) this.pixels.copyWithin(k * hw, 0, hw); // grey in every channel
    return true;
  }

  /** Draws the pad's pixels (in colour for an RGB model). */
  private show(): void {
    drawPixels(this.pad, this.pixels, this.ex.rows, this.ex.cols, this.ex.channels);
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
        // white ink in every channel
        for (let k = r * cols + c; k < this.pixels.length; k += rows * cols) this.pixels[k] = Math.max(this.pixels[k], v);
      }
    }
    this.show();
  }

  private async encode(): Promise<void> {
    const { mu } = await this.ex.model.encode(this.pixels.slice()); // a copy: painting goes on meanwhile
    const img = await this.ex.model.decode(mu);
    drawPixels(this.recon, img, this.ex.rows, this.ex.cols, this.ex.channels);
    this.plane.markDrawn(mu);
    this.ex.setZ(mu, 'draw');
  }
}
