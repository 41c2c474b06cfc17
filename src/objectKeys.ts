/**
 * Names read from files that collide with JavaScript object machinery (`__proto__`, `constructor`,
 * `toString`, …). Used as record keys they silently vanish or resolve to functions; vaekit refuses them
 * as dataset, metric and optimizer-slot names with a clear message.
 */
import { z } from 'zod';

/**
 * True for `__proto__` and every name Object.prototype has (constructor, toString, hasOwnProperty, …).
 *
 * @example
 * isObjectMachineryKey('constructor'); // true
 */
export function isObjectMachineryKey(name: string): boolean {
  return name === '__proto__' || Object.hasOwn(Object.prototype, name);
}

/**
 * A string schema refusing {@link isObjectMachineryKey} names, for keys and names in file formats.
 *
 * @example
 * z.record(SafeKey, z.number()).parse({ loss: 1 });
 */
export const SafeKey = z.string().refine((k) => !isObjectMachineryKey(k), { message: 'is a JavaScript object property name (such as __proto__ or constructor), not allowed as a name here' });
