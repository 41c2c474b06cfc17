import { VaekitError } from '../errors.js';
import { type LayerSpecInput } from '../nn/layerSpec.js';

/** An encoder and a decoder layer list. The encoder's last layer makes 2·L values (μ, log σ²): size 'out'. */
export interface Architecture {
  encoder: LayerSpecInput[];
  decoder: LayerSpecInput[];
}

/** What a preset may read: the data's per-example shape and the MLP's options. */
export interface PresetOptions {
  dataShape: readonly number[];
  hidden?: readonly number[];
  activation?: 'relu' | 'tanh' | 'softplus' | 'sigmoid' | 'leakyRelu' | 'elu' | 'gelu';
}

const needImage = (name: string, shape: readonly number[], h: number, w: number, channels?: number) => {
  if (shape.length !== 3 || shape[1] !== h || shape[2] !== w || (channels !== undefined && shape[0] !== channels)) {
    const want = `[${channels ?? 'C'}, ${h}, ${w}]`;
    throw new VaekitError(`architecture "${name}" needs images ${want}, the data has [${shape.join(', ')}]; use --arch mlp or an --arch-file`, 'E_CONFIG');
  }
};

/**
 * Built-in architectures as data: each returns plain layer lists, saved as such in config.json, so a model
 * reloads without this code. `mlp` is the pytorch/examples VAE (784-400-20 by default); `conv` the Keras
 * example's convolutional VAE; `vanilla64` PyTorch-VAE's VanillaVAE for 64×64 RGB (32-64-128-256-512 with
 * batch norm and leaky ReLU).
 */
export const PRESETS: Record<string, (o: PresetOptions) => Architecture> = {
  mlp: ({ dataShape, hidden = [400], activation = 'relu' }) => {
    const act = { type: activation } as LayerSpecInput;
    const stack = (sizes: readonly number[]) => sizes.flatMap((u) => [{ type: 'dense', units: u } as LayerSpecInput, act]);
    return {
      encoder: [...(dataShape.length > 1 ? [{ type: 'flatten' } as const] : []), ...stack(hidden), { type: 'dense', units: 'out' }],
      decoder: [...stack([...hidden].reverse()), { type: 'dense', units: 'out' }],
    };
  },
  conv: ({ dataShape }) => {
    const [, h, w] = dataShape;
    if (dataShape.length !== 3 || h % 4 !== 0 || w % 4 !== 0) {
      throw new VaekitError(`architecture "conv" needs images [C, H, W] with H and W divisible by 4, the data has [${dataShape.join(', ')}]`, 'E_CONFIG');
    }
    return {
      encoder: [
        { type: 'conv2d', filters: 32, kernel: 3, stride: 2, padding: 1 },
        { type: 'relu' },
        { type: 'conv2d', filters: 64, kernel: 3, stride: 2, padding: 1 },
        { type: 'relu' },
        { type: 'flatten' },
        { type: 'dense', units: 16 },
        { type: 'relu' },
        { type: 'dense', units: 'out' },
      ],
      decoder: [
        { type: 'dense', units: 64 * (h / 4) * (w / 4) },
        { type: 'relu' },
        { type: 'reshape', shape: [64, h / 4, w / 4] },
        { type: 'convTranspose2d', filters: 64, kernel: 3, stride: 2, padding: 1, outputPadding: 1 },
        { type: 'relu' },
        { type: 'convTranspose2d', filters: 32, kernel: 3, stride: 2, padding: 1, outputPadding: 1 },
        { type: 'relu' },
        { type: 'convTranspose2d', filters: 'out', kernel: 3, stride: 1, padding: 1 },
      ],
    };
  },
  vanilla64: ({ dataShape }) => {
    needImage('vanilla64', dataShape, 64, 64);
    const widths = [32, 64, 128, 256, 512];
    const block = (t: 'conv2d' | 'convTranspose2d', f: number): LayerSpecInput[] => [
      t === 'conv2d' ? { type: t, filters: f, kernel: 3, stride: 2, padding: 1 } : { type: t, filters: f, kernel: 3, stride: 2, padding: 1, outputPadding: 1 },
      { type: 'batchNorm' },
      { type: 'leakyRelu' },
    ];
    return {
      encoder: [...widths.flatMap((f) => block('conv2d', f)), { type: 'flatten' }, { type: 'dense', units: 'out' }],
      decoder: [
        { type: 'dense', units: 512 * 4 },
        { type: 'reshape', shape: [512, 2, 2] },
        ...[256, 128, 64, 32, 32].flatMap((f) => block('convTranspose2d', f)),
        { type: 'conv2d', filters: 'out', kernel: 3, padding: 1 },
      ],
    };
  },
};

/** Names accepted by --arch. */
export const PRESET_NAMES = Object.keys(PRESETS);

/**
 * The layer lists of a named preset.
 *
 * @example
 * const { encoder, decoder } = preset('conv', { dataShape: [1, 28, 28] });
 */
export function preset(name: string, o: PresetOptions): Architecture {
  const f = Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
  if (!f) throw new VaekitError(`unknown architecture "${name}"; choose one of ${PRESET_NAMES.join(', ')}, or give your own with --arch-file`, 'E_CONFIG');
  return f(o);
}
