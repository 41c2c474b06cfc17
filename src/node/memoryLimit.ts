/**
 * How much memory one vaekit command may plan to use, and the refusal when an estimate exceeds it: a size
 * flag such as `--hidden 65536,65536` ends at once with the number and the limit instead of swapping the
 * machine to a halt or dying in the allocator minutes later.
 */
import os from 'node:os';
import { VaekitError } from '../errors.js';

/** Environment variable that overrides the limit, in bytes or with a unit: 8G, 512M. */
export const MEMORY_LIMIT_ENV = 'VAEKIT_MEMORY_LIMIT';

/**
 * The limit in bytes and where it comes from: VAEKIT_MEMORY_LIMIT, else 80% of the machine's memory.
 *
 * @example
 * memoryLimit(); // { bytes: 27487790694, source: '80% of this machine's 32 GiB' }
 */
export function memoryLimit(env: NodeJS.ProcessEnv = process.env): { bytes: number; source: string } {
  const text = env[MEMORY_LIMIT_ENV]?.trim();
  if (text) {
    const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(text);
    if (!m) throw new VaekitError(`${MEMORY_LIMIT_ENV}=${text}: expected bytes or a size such as 8G or 512M`, 'E_ARG');
    const unit = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'];
    return { bytes: Number(m[1]) * unit, source: `${MEMORY_LIMIT_ENV}=${text}` };
  }
  const total = os.totalmem();
  return { bytes: 0.8 * total, source: `80% of this machine's ${formatBytes(total)}; set ${MEMORY_LIMIT_ENV} to change it` };
}

/**
 * Throws unless `bytes` fits the memory limit.
 *
 * @param what the allocation, e.g. "training a 784-65536-65536-20 VAE (parameters, Adam state, step buffers)"
 * @param hint what to change, e.g. "use smaller --hidden sizes"
 * @example
 * checkMemory('decoding 3000000 samples', 3e6 * 784 * 4, 'use a smaller --n');
 */
export function checkMemory(what: string, bytes: number, hint: string, env: NodeJS.ProcessEnv = process.env): void {
  const limit = memoryLimit(env);
  if (bytes > limit.bytes) {
    throw new VaekitError(`${what} needs about ${formatBytes(bytes)}, more than the memory limit of ${formatBytes(limit.bytes)} (${limit.source}); ${hint}`, 'E_MEMORY');
  }
}

/**
 * Bytes for people, in binary units.
 *
 * @example
 * formatBytes(3 * 2 ** 30); // '3.0 GiB'
 */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) (n /= 1024), i++;
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}
