import { unzipSync, zipSync, type Zippable } from 'fflate';
import { VaekitError } from '../errors.js';
import { decodeNpy, encodeNpy, MAX_NPY_IN_MEMORY_BYTES, type NpyArray } from './npy.js';

/**
 * NumPy's `.npz` (what `numpy.savez` / `savez_compressed` write): a zip of `NAME.npy` members, isomorphic
 * through fflate. Arrays are decoded into memory, so sizes claimed by the zip directory are checked before
 * anything is inflated.
 */

/** DEFLATE cannot expand by more than 1032:1, so a member claiming more is corrupt or hostile. */
const MAX_DEFLATE_RATIO = 1032;

/**
 * Decodes every array in an `.npz` (or only those in `names`), keyed by name without `.npy`.
 *
 * @example
 * const { x_train, y_train } = decodeNpz(await readFile('mnist.npz'), 'mnist.npz');
 */
export function decodeNpz(bytes: Uint8Array, source: string, names?: readonly string[]): Record<string, NpyArray> {
  checkEndRecord(bytes, source);
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (!f.name.endsWith('.npy') || (names && !names.includes(f.name.slice(0, -4)))) return false;
        // fflate allocates originalSize before inflating: it must be plausible for the bytes actually present
        const stored = Math.min(f.size, bytes.length);
        const claims = f.compression === 0 ? f.originalSize === f.size && f.size <= bytes.length : f.originalSize <= stored * MAX_DEFLATE_RATIO + 1024;
        total += f.originalSize;
        if (!claims || f.originalSize > MAX_NPY_IN_MEMORY_BYTES || total > MAX_NPY_IN_MEMORY_BYTES) {
          throw new VaekitError(
            `.npz file ${source}: member ${f.name} claims ${f.originalSize} bytes from ${f.size} stored (limit ${MAX_NPY_IN_MEMORY_BYTES} in all); ` +
              'the archive is corrupt, or too large to load: save the array with numpy.save and open the .npy from disk',
            'E_DATA',
          );
        }
        return true;
      },
    });
  } catch (e) {
    if (e instanceof VaekitError) throw e;
    throw new VaekitError(`.npz file ${source}: not a readable zip archive (${e instanceof Error ? e.message : String(e)}); save it with numpy.savez`, 'E_DATA');
  }
  const out: Record<string, NpyArray> = {};
  for (const [file, data] of Object.entries(files)) out[file.slice(0, -4)] = decodeNpy(data, `${source}:${file}`);
  for (const n of names ?? []) {
    if (!(n in out)) throw new VaekitError(`.npz file ${source}: no array '${n}'; it holds ${npzNames(bytes, source).join(', ') || 'no arrays'}`, 'E_DATA');
  }
  return out;
}

/**
 * The array names in an `.npz` without inflating anything.
 *
 * @example
 * npzNames(bytes, 'mnist.npz'); // ['x_train', 'y_train', 'x_test', 'y_test']
 */
export function npzNames(bytes: Uint8Array, source: string): string[] {
  checkEndRecord(bytes, source);
  const names: string[] = [];
  try {
    unzipSync(bytes, { filter: (f) => (f.name.endsWith('.npy') && names.push(f.name.slice(0, -4)), false) });
  } catch (e) {
    throw new VaekitError(`.npz file ${source}: not a readable zip archive (${e instanceof Error ? e.message : String(e)}); save it with numpy.savez`, 'E_DATA');
  }
  return names;
}

/**
 * A zip ends with an end-of-central-directory record (PK\x05\x06, 22 bytes plus a comment of at most
 * 65535) holding the entry count (uint16 at +10, or uint64 at +32 of the zip64 record its locator points to).
 * Checked here because fflate is slow on short non-zip input and walks as many entries as the count claims.
 */
function checkEndRecord(bytes: Uint8Array, source: string): void {
  const fail = (what: string) => new VaekitError(`.npz file ${source}: ${what}; save it with numpy.savez`, 'E_DATA');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let e = bytes.length - 22;
  while (e >= 0 && e >= bytes.length - 22 - 0xffff && v.getUint32(e, true) !== 0x06054b50) e--;
  if (e < 0 || e < bytes.length - 22 - 0xffff) throw fail(`not a zip archive (no end-of-central-directory record in its last bytes; ${bytes.length} bytes)`);
  let count = v.getUint16(e + 10, true);
  if (count === 0xffff && e >= 20 && v.getUint32(e - 20, true) === 0x07064b50) {
    const z = Number(v.getBigUint64(e - 12, true)); // zip64 end record offset, from the locator
    if (z + 40 > bytes.length || v.getUint32(z, true) !== 0x06064b50) throw fail(`the zip64 end record offset ${z} (read at byte ${e - 12}) is not a zip64 record`);
    count = Number(v.getBigUint64(z + 32, true));
  }
  // each central-directory entry takes at least 46 bytes
  if (count * 46 > bytes.length) throw fail(`the end record at byte ${e} claims ${count} entries, more than ${bytes.length} bytes can hold`);
}

/**
 * Encodes arrays as an `.npz` that `numpy.load` reads (stored, or deflated with `compress`, as `savez_compressed`).
 *
 * @example
 * const bytes = encodeNpz({ codes: { dtype: 'float32', shape: [2, 1], data: Float32Array.of(0.5, -1) } });
 */
export function encodeNpz(arrays: Record<string, NpyArray>, opts: { compress?: boolean } = {}): Uint8Array {
  const files: Zippable = {};
  for (const [name, a] of Object.entries(arrays)) {
    if (name === '' || name.includes('/')) throw new VaekitError(`encodeNpz: array name '${name}' must be non-empty without '/'`, 'E_ARG');
    files[`${name}.npy`] = encodeNpy(a);
  }
  return zipSync(files, { level: opts.compress ? 6 : 0 });
}
