import { z } from 'zod';

// Sizes a layer list may leave to the model: 'out' = what the layer must produce for the model to fit
// (the likelihood's parameter count for a decoder's last dense layer, its channels for a last conv).
const Size = z.union([z.number().int().positive().max(1 << 20), z.literal('out')]);
const Pair = z.union([z.number().int().positive().max(64), z.tuple([z.number().int().positive().max(64), z.number().int().positive().max(64)])]);
const NonNegPair = z.union([z.number().int().nonnegative().max(64), z.tuple([z.number().int().nonnegative().max(64), z.number().int().nonnegative().max(64)])]);
/** [top, left, bottom, right] or one number for all, or [vertical, horizontal]. */
const Padding = z.union([NonNegPair, z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative(), z.number().int().nonnegative(), z.number().int().nonnegative()])]);

const act = <T extends string>(type: T) => z.object({ type: z.literal(type) }).strict();

/**
 * One layer of an encoder or decoder as saved in config.json. A discriminated union on `type`: the registry
 * in layers/registry.ts maps each type to a function, so adding a layer is one schema entry plus one function.
 *
 * @example
 * const spec = LayerSpecSchema.parse({ type: 'conv2d', filters: 32, kernel: 3, stride: 2, padding: 1 });
 */
export const LayerSpecSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('dense'), units: Size, bias: z.boolean().default(true) }).strict(),
  z.object({ type: z.literal('conv2d'), filters: Size, kernel: Pair, stride: Pair.default(1), padding: Padding.default(0), bias: z.boolean().default(true) }).strict(),
  z
    .object({
      type: z.literal('convTranspose2d'),
      filters: Size,
      kernel: Pair,
      stride: Pair.default(1),
      padding: Padding.default(0),
      outputPadding: NonNegPair.default(0),
      bias: z.boolean().default(true),
    })
    .strict(),
  z.object({ type: z.literal('reshape'), shape: z.array(z.number().int().positive()).min(1).max(4) }).strict(),
  act('flatten'),
  act('relu'),
  z.object({ type: z.literal('leakyRelu'), slope: z.number().min(0).max(1).default(0.01) }).strict(),
  z.object({ type: z.literal('elu'), alpha: z.number().positive().default(1) }).strict(),
  act('gelu'),
  act('tanh'),
  act('sigmoid'),
  act('softplus'),
  z.object({ type: z.literal('batchNorm'), momentum: z.number().gt(0).max(1).default(0.1), eps: z.number().positive().default(1e-5) }).strict(),
  z.object({ type: z.literal('layerNorm'), eps: z.number().positive().default(1e-5) }).strict(),
]);

export type LayerSpec = z.infer<typeof LayerSpecSchema>;
export type LayerType = LayerSpec['type'];
/** Layer specs as a user writes them (defaults may be left out). */
export type LayerSpecInput = z.input<typeof LayerSpecSchema>;
