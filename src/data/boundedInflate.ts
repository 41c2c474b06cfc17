import { Gunzip, gunzipSync, Unzlib, unzlibSync } from 'fflate';
import { VaekitError } from '../errors.js';

/**
 * Decompression with a ceiling, isomorphic: the compressed bytes go to fflate's streaming inflater in
 * small pieces, and decompression stops with an error as soon as the output passes the size the file's own
 * header allows, so a decompression bomb (a small file that inflates to gigabytes) costs at most that size
 * in memory and a few milliseconds, not the bomb's size.
 */

/** Compressed bytes fed per step: at most 1032× this (4 MiB; DEFLATE's largest ratio) comes out of one step. */
const PIECE = 4 << 10;

/** Options of {@link inflateBounded}. */
export interface InflateBounds {
  /** 'gzip' (one member, header and trailer) or 'zlib' (PNG's IDAT stream). */
  format: 'gzip' | 'zlib';
  /**
   * The most output allowed, or a function of the first output bytes that returns it once those bytes
   * suffice (undefined: not yet), e.g. from an IDX header inside the stream.
   */
  limit: number | ((head: Uint8Array) => number | undefined);
  /** Names the data in errors ("gzip file x.gz"). */
  source: string;
  /** What sets the limit, for the error ("the IDX header (dims 60000x28x28)"). */
  why: (limit: number) => string;
}

/**
 * A bounded inflater: {@link inflateBounded} (fflate, isomorphic) or a faster native one (src/node/nodeInflate.ts).
 *
 * @example
 * const inflate: BoundedInflate = opts.inflate ?? inflateBounded;
 */
export type BoundedInflate = ((bytes: Uint8Array, bounds: InflateBounds) => Uint8Array) & {
  /** True when the inflater itself verifies a gzip member's CRC-32 and length (zlib does; fflate does not). */
  readonly checksGzipTrailer?: boolean;
};

/**
 * The error for output past the limit, shared by every {@link BoundedInflate}.
 *
 * @example
 * throw inflateTooBig(bounds, 7856);
 */
export function inflateTooBig(bounds: InflateBounds, limit: number): VaekitError {
  return new VaekitError(`${bounds.source}: decompresses to more than ${limit} bytes, but ${bounds.why(limit)}; the file is corrupt or a decompression bomb`, 'E_INFLATE_LIMIT');
}

/**
 * Inflates `bytes` with fflate, refusing output longer than the limit.
 *
 * @throws VaekitError naming `source`, the limit and what set it, or fflate's reason for corrupt data
 * @example
 * const raw = inflateBounded(idat, { format: 'zlib', limit: 812, source: 'digit.png', why: () => '28x28 8-bit grey' });
 */
export function inflateBounded(bytes: Uint8Array, bounds: InflateBounds): Uint8Array {
  const fixed = typeof bounds.limit === 'number' ? bounds.limit : undefined;
  if (fixed !== undefined && bytes.length <= PIECE) {
    // small input, known limit: one call into a buffer one byte longer than allowed (fflate never grows a
    // buffer it is given, so memory stays bounded; a full spare byte shows output past the limit)
    let out: Uint8Array;
    try {
      const opts = { out: new Uint8Array(fixed + 1) };
      out = bounds.format === 'gzip' ? gunzipSync(bytes, opts) : unzlibSync(bytes, opts);
    } catch (e) {
      throw new VaekitError(`${bounds.source}: cannot decompress (${e instanceof Error ? e.message : String(e)}); the file is corrupt or truncated`, 'E_DATA');
    }
    if (out.length > fixed) throw inflateTooBig(bounds, fixed);
    return out;
  }
  let limit = fixed;
  let out = fixed !== undefined ? new Uint8Array(fixed) : undefined;
  let pending: Uint8Array[] = []; // output before the limit is known
  let total = 0;
  let ended = false;
  const tooBig = (l: number) => inflateTooBig(bounds, l);
  const take = (chunk: Uint8Array, final: boolean) => {
    ended ||= final;
    if (chunk.length === 0) return;
    if (out === undefined) {
      pending.push(chunk);
      const head = concat(pending, total + chunk.length);
      limit = (bounds.limit as (h: Uint8Array) => number | undefined)(head);
      if (limit === undefined) {
        pending = [head];
        total += chunk.length;
        return;
      }
      if (head.length > limit) throw tooBig(limit);
      out = new Uint8Array(limit);
      out.set(head);
      total = head.length;
      pending = [];
      return;
    }
    if (total + chunk.length > limit!) throw tooBig(limit!);
    out.set(chunk, total);
    total += chunk.length;
  };
  const stream = bounds.format === 'gzip' ? new Gunzip(take) : new Unzlib(take);
  try {
    let at = 0;
    do {
      const end = Math.min(bytes.length, at + PIECE);
      stream.push(bytes.subarray(at, end), end === bytes.length);
      at = end;
    } while (at < bytes.length && !ended);
  } catch (e) {
    if (e instanceof VaekitError) throw e;
    throw new VaekitError(`${bounds.source}: cannot decompress (${e instanceof Error ? e.message : String(e)}); the file is corrupt or truncated`, 'E_DATA');
  }
  if (out === undefined) return concat(pending, total);
  return out.subarray(0, total);
}

function concat(parts: Uint8Array[], n: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
