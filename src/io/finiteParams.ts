/**
 * Finite-value checks of named float arrays (parameters, optimizer slots), isomorphic. Loaders refuse a
 * file whose values are NaN or ±Inf, and savers refuse to write such values over a good file.
 */

/** Where the first non-finite value sits. */
export interface NonFinite {
  name: string;
  index: number;
  value: number;
}

/**
 * The first NaN or ±Inf in `arrays` (in key order), or undefined when all are finite.
 *
 * @example
 * firstNonFinite({ 'dec.0.bias': Float32Array.of(0, NaN) }); // { name: 'dec.0.bias', index: 1, value: NaN }
 */
export function firstNonFinite(arrays: Record<string, ArrayLike<number>>): NonFinite | undefined {
  for (const [name, a] of Object.entries(arrays)) {
    for (let i = 0; i < a.length; i++) {
      // x − x is 0 for finite x and NaN for NaN and ±Inf: one test per value
      if (a[i] - a[i] !== 0) return { name, index: i, value: a[i] };
    }
  }
  return undefined;
}

/**
 * A description such as `"dec.0.bias"[3] is NaN`, for error messages.
 *
 * @example
 * describeNonFinite({ name: 'w', index: 2, value: Infinity }); // '"w"[2] is Infinity'
 */
export function describeNonFinite(f: NonFinite): string {
  return `"${f.name}"[${f.index}] is ${f.value}`;
}
