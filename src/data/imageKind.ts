/**
 * The kind of image in `bytes` by its magic number, or undefined (isomorphic: the CLI's decoder and the web
 * page's share it).
 *
 * @example
 * imageKind(bytes); // 'png' | 'jpeg' | undefined
 */
export function imageKind(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

/**
 * The message for bytes that are neither PNG nor JPEG, naming the file and its first bytes.
 *
 * @example
 * throw new VaekitError(notAnImage('notes.png', bytes), 'E_DATA');
 */
export function notAnImage(file: string, bytes: Uint8Array): string {
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `${file}: not a PNG or JPEG image (${bytes.length} bytes, starting ${head || 'with nothing'})`;
}
