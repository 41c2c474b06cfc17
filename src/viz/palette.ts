/**
 * Categorical colours: matplotlib's tab10 (the colours ML readers know from MNIST latent plots),
 * then tab20's light tints for labels 10–19. Label k always gets the same colour in every plot.
 */

/** 20 hex colours; index = class label (mod 20). */
export const CATEGORICAL_PALETTE: readonly string[] = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
  '#aec7e8', '#ffbb78', '#98df8a', '#ff9896', '#c5b0d5', '#c49c94', '#f7b6d2', '#c7c7c7', '#dbdb8d', '#9edae5',
];

/**
 * Colour of class `k` (wraps around after 20).
 *
 * @example
 * categoricalColor(3); // "#d62728"
 */
export function categoricalColor(k: number): string {
  const n = CATEGORICAL_PALETTE.length;
  return CATEGORICAL_PALETTE[((k % n) + n) % n];
}
