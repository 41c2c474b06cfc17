import { VaekitError } from '../errors.js';

/**
 * Which files of a folder are the images of an image dataset, and their labels: the rules of
 * `vaekit train --data DIR` (src/node/imageFolder.ts) over a list of relative paths, so a folder dropped
 * into the web page gives the same examples in the same order with the same class names.
 * - images are .png, .jpg, .jpeg (by name; hidden entries are ignored);
 * - either loose images (no labels) or one subfolder per class (sorted names → label 0, 1, …), not both;
 * - files are sorted by name within a class; anything else is listed as ignored.
 */

const IMAGE_EXT = /\.(png|jpe?g)$/i;

/**
 * True for a name the image rules read (.png, .jpg, .jpeg; not hidden).
 *
 * @example
 * isImageName('cat.JPG'); // true
 */
export const isImageName = (name: string): boolean => !name.startsWith('.') && IMAGE_EXT.test(name);

/** One image of the list: its path relative to the folder ('cats/a.png' or 'a.png') and its class. */
export interface ListedImage {
  rel: string;
  label?: number;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The images among `paths` (relative to the folder, '/'-separated), with class labels from subfolders.
 *
 * @example
 * imageFileList(['cats/a.png', 'dogs/b.png', 'notes.txt'], 'pets');
 * // { files: [{ rel: 'cats/a.png', label: 0 }, { rel: 'dogs/b.png', label: 1 }], classNames: ['cats', 'dogs'], ignored: ['notes.txt'] }
 */
export function imageFileList(paths: readonly string[], folder: string): { files: ListedImage[]; classNames?: string[]; ignored: string[] } {
  const loose: string[] = [];
  const classes = new Map<string, string[]>();
  const ignored: string[] = [];
  for (const rel of paths) {
    const parts = rel.split('/');
    const hidden = parts.some((p) => p.startsWith('.'));
    if (!hidden && parts.length === 1 && isImageName(parts[0])) loose.push(rel);
    else if (!hidden && parts.length === 2 && isImageName(parts[1])) classes.set(parts[0], [...(classes.get(parts[0]) ?? []), parts[1]]);
    else ignored.push(rel);
  }
  if (loose.length > 0 && classes.size > 0) {
    const first = [...classes.keys()].sort(byName)[0];
    throw new VaekitError(`${folder}: holds both images (${loose.sort(byName)[0]}, …) and class subfolders (${first}/, …); put every image in a class subfolder, or use a flat folder`, 'E_DATA');
  }
  if (classes.size > 0) {
    const classNames = [...classes.keys()].sort(byName);
    const files = classNames.flatMap((c, label) => classes.get(c)!.sort(byName).map((f) => ({ rel: `${c}/${f}`, label })));
    return { files, classNames, ignored };
  }
  if (loose.length === 0) {
    const what = ignored.length ? `; it holds ${ignored.slice(0, 3).join(', ')}${ignored.length > 3 ? ', …' : ''}` : '';
    throw new VaekitError(`${folder}: no .png, .jpg or .jpeg images in the folder or its class subfolders${what}`, 'E_DATA');
  }
  return { files: loose.sort(byName).map((rel) => ({ rel })), ignored };
}
