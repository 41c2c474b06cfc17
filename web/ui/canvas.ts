// Grey or RGB images on canvases: one image at its native size (CSS scales it up, pixelated), grids of tiles, and
// PNG downloads of any canvas (small images enlarged without smoothing).

/**
 * Draws values in [0, 1] ([rows·cols], row-major) as grey pixels: byte = round(255·v).
 *
 * @example
 * drawGrey(canvas, decoded, 28, 28);
 */
export function drawGrey(canvas: HTMLCanvasElement, values: ArrayLike<number>, rows: number, cols: number): void {
  drawPixels(canvas, values, rows, cols, 1);
}

/**
 * Draws one image of values in [0, 1] at its native size: [rows·cols] grey, or [3, rows, cols] channel planes
 * as RGB; byte = round(255·v).
 *
 * @example
 * drawPixels(canvas, decoded, 32, 32, 3);
 */
export function drawPixels(canvas: HTMLCanvasElement, values: ArrayLike<number>, rows: number, cols: number, channels = 1): void {
  if (canvas.width !== cols || canvas.height !== rows) [canvas.width, canvas.height] = [cols, rows];
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(cols, rows);
  const px = rows * cols;
  const byte = (i: number) => Math.round(255 * Math.min(1, Math.max(0, values[i])));
  for (let i = 0; i < px; i++) {
    const v = byte(i);
    img.data.set(channels === 3 ? [v, byte(i + px), byte(i + 2 * px), 255] : [v, v, v, 255], 4 * i);
  }
  ctx.putImageData(img, 0, 0);
}

/** Grid layout: tile size, channels (1 grey, 3 RGB planes), columns, gap (pixels, filled with mid grey). */
export interface TileLayout {
  rows: number;
  cols: number;
  channels?: number;
  perRow: number;
  gap?: number;
}

/**
 * Draws n images ([n, channels·rows·cols], channel planes) as a grid of tiles, `perRow` per row, `gap` pixels apart.
 *
 * @example
 * drawTiles(canvas, samples, 64, { rows: 28, cols: 28, perRow: 8 });
 */
export function drawTiles(canvas: HTMLCanvasElement, images: Float32Array, n: number, t: TileLayout): void {
  const gap = t.gap ?? 2;
  const gridRows = Math.ceil(n / t.perRow);
  const w = Math.min(n, t.perRow) * (t.cols + gap) + gap;
  const h = gridRows * (t.rows + gap) + gap;
  [canvas.width, canvas.height] = [w, h];
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(w, h);
  img.data.fill(96);
  const px = t.rows * t.cols;
  const ch = t.channels ?? 1;
  const byte = (i: number) => Math.round(255 * Math.min(1, Math.max(0, images[i])));
  for (let k = 0; k < n; k++) {
    const x0 = gap + (k % t.perRow) * (t.cols + gap);
    const y0 = gap + Math.floor(k / t.perRow) * (t.rows + gap);
    for (let r = 0; r < t.rows; r++) {
      for (let c = 0; c < t.cols; c++) {
        const at = k * ch * px + r * t.cols + c;
        const v = byte(at);
        img.data.set(ch === 3 ? [v, byte(at + px), byte(at + 2 * px)] : [v, v, v], 4 * ((y0 + r) * w + x0 + c));
      }
    }
  }
  for (let i = 3; i < img.data.length; i += 4) img.data[i] = 255;
  ctx.putImageData(img, 0, 0);
}

/**
 * Saves a canvas as a PNG file; canvases under 256 px wide are enlarged by a whole factor, pixelated.
 *
 * @example
 * downloadPng(planeCanvas, 'latent-plane.png');
 */
export function downloadPng(canvas: HTMLCanvasElement, name: string): void {
  const k = Math.max(1, Math.floor(256 / canvas.width));
  const out = document.createElement('canvas');
  [out.width, out.height] = [canvas.width * k, canvas.height * k];
  const ctx = out.getContext('2d')!;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(canvas, 0, 0, out.width, out.height);
  out.toBlob((blob) => {
    if (!blob) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }, 'image/png');
}
