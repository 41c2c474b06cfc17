import { z } from 'zod';
import { VaekitError } from '../errors.js';
import { type NpyArray } from './npy.js';

/**
 * What a data source did to turn stored values into model inputs, saved with the model (config.json) so
 * `sample`, `encode` and `score` apply and invert exactly what training did. Pixel sources (`.npy`, `.npz`,
 * image folders) record it here; tables (CSV) add their own kind.
 */
export const PixelPreprocessing = z.object({
  kind: z.literal('pixels'),
  source: z.enum(['npy', 'npz', 'images', 'idx']),
  /** Model input = stored value × scale: 1/255 for uint8 (and image folders), 1 for float arrays. */
  scale: z.number().positive(),
  /** The stored dtype: sample/encode outputs in source units use it. */
  dtype: z.enum(['uint8', 'float32', 'float64']),
  /** The stored array was [N, H, W, C]; the model sees [C, H, W]. */
  channelsLast: z.boolean().default(false),
  /** Per-example shape the model sees: [C, H, W] or [D]. */
  shape: z.array(z.number().int().positive()),
  /** Image folders: the decode target (scaled to cover H×W, centre-cropped). */
  image: z.object({ size: z.tuple([z.number().int().positive(), z.number().int().positive()]), channels: z.union([z.literal(1), z.literal(3)]), fit: z.literal('cover') }).optional(),
});

/**
 * A pixel source's preprocessing record.
 *
 * @example
 * const p: PixelPreprocessing = { kind: 'pixels', source: 'npy', scale: 1 / 255, dtype: 'uint8', channelsLast: false, shape: [1, 28, 28] };
 */
export type PixelPreprocessing = z.infer<typeof PixelPreprocessing>;

/**
 * Model-space examples `x` [n, ...pre.shape] back in the source's layout: channels-last again when the source
 * was, and with `units: 'source'` in its dtype and units (uint8 0..255, rounded and clamped); by default
 * float32 in model units ([0, 1] for pixels).
 *
 * @example
 * writeNpy('samples.npy', toSourceArray(pre, samples, { units: 'source' })); // uint8 [n, H, W, C] for an NHWC uint8 source
 */
export function toSourceArray(pre: PixelPreprocessing, x: Float32Array, opts: { units?: 'model' | 'source' } = {}): NpyArray {
  const d = pre.shape.reduce((a, b) => a * b, 1);
  if (x.length % d !== 0) throw new VaekitError(`toSourceArray: ${x.length} values are not rows of shape [${pre.shape}]`, 'E_SHAPE');
  const n = x.length / d;
  let out = x;
  let shape = [n, ...pre.shape];
  if (pre.channelsLast && pre.shape.length === 3) {
    const [c, h, w] = pre.shape;
    out = new Float32Array(x.length);
    for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) for (let p = 0; p < h * w; p++) out[i * d + p * c + k] = x[i * d + k * h * w + p];
    shape = [n, h, w, c];
  }
  if (opts.units !== 'source') return { dtype: 'float32', shape, data: out === x ? x.slice() : out };
  if (pre.dtype === 'uint8') return { dtype: 'uint8', shape, data: Uint8Array.from(out, (v) => Math.round(Math.min(1, Math.max(0, v)) / pre.scale)) };
  const scaled = Float64Array.from(out, (v) => v / pre.scale);
  return pre.dtype === 'float64' ? { dtype: 'float64', shape, data: scaled } : { dtype: 'float32', shape, data: Float32Array.from(scaled) };
}
