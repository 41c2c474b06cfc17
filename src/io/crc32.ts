/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as in gzip, PNG and zip), isomorphic.
 * Used to verify gzip members (fflate checks none) and the tensor data of safetensors files vaekit writes.
 */

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/**
 * CRC-32 of `data`, continuing from `prev` (the CRC of the bytes before, 0 to start).
 *
 * @example
 * crc32(new TextEncoder().encode('123456789')); // 0xcbf43926
 */
export function crc32(data: Uint8Array, prev = 0): number {
  const t = crcTable();
  let c = (prev ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A CRC as 8 lower-case hex digits with 0x, the form error messages and file headers use.
 *
 * @example
 * hex32(0xcbf43926); // '0xcbf43926'
 */
export function hex32(x: number): string {
  return '0x' + x.toString(16).padStart(8, '0');
}
