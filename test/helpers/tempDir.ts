// Temporary directories that remove themselves: each is deleted when the test process exits (node --test
// runs every test file in its own process), also after a failed assertion, so nothing piles up in the temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const created: string[] = [];
process.on('exit', () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/**
 * A fresh directory under the system temp folder, removed when the process exits.
 *
 * @example
 * const dir = tempDir('vaekit-ckpt-');
 */
export function tempDir(prefix = 'vaekit-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}
