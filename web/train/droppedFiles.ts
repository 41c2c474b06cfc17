// Files picked or dropped for training, with their paths inside a dropped or picked folder (class subfolders
// give labels): a file input's webkitRelativePath, or a drop's FileSystem entries walked recursively.
import { type WebFile } from '../../src/web.js';

/** Most files read from one drop (a folder of 100k images would not fit the page's data limit anyway). */
const MAX_FILES = 200_000;

/**
 * The files of an `<input type=file>` (plain or `webkitdirectory`).
 *
 * @example
 * const files = filesOfInput(input); // [{ path: 'photos/cats/a.png', blob }]
 */
export function filesOfInput(input: HTMLInputElement): WebFile[] {
  return Array.from(input.files ?? [], (f) => ({ path: f.webkitRelativePath || f.name, blob: f }));
}

/**
 * The files of a drop: folders are walked (entries), plain files keep their names.
 *
 * @example
 * zone.addEventListener('drop', async (e) => use(await filesOfDrop(e.dataTransfer!)));
 */
export async function filesOfDrop(dt: DataTransfer): Promise<WebFile[]> {
  // entries must be taken synchronously, before the first await (the DataTransfer empties after the event)
  const entries = Array.from(dt.items ?? [], (it) => (it.kind === 'file' ? it.webkitGetAsEntry?.() : null));
  if (entries.length === 0 || entries.some((e) => !e)) return Array.from(dt.files, (f) => ({ path: f.name, blob: f }));
  const out: WebFile[] = [];
  for (const e of entries) await walk(e!, '', out);
  return out;
}

async function walk(entry: FileSystemEntry, prefix: string, out: WebFile[]): Promise<void> {
  if (out.length >= MAX_FILES) return;
  const path = prefix + entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path, blob: file });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns batches (about 100 at a time in Chromium) until an empty one
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const e of batch) await walk(e, `${path}/`, out);
  }
}
