// Runs ../shared/reference/torch_vae.py with the thread settings its header gives, when Debian's torch is there.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const TORCH_SCRIPT = path.resolve(import.meta.dirname, '../../shared/reference/torch_vae.py');

/** stdout of the reference run, or null (with a printed reason) when torch or the script is missing. */
export async function runTorchReference(args: string[]): Promise<{ stdout: string; command: string } | null> {
  if (!existsSync(TORCH_SCRIPT)) {
    console.log(`pytorch: skipped (${TORCH_SCRIPT} not found)`);
    return null;
  }
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log('pytorch: skipped (python3-torch not importable; apt-get install python3-torch libopenblas0-pthread)');
    return null;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '2' };
  delete env.OPENBLAS_CORETYPE;
  const full = ['--threads', '1', ...args];
  const command = `OPENBLAS_NUM_THREADS=2 /usr/bin/python3 ${TORCH_SCRIPT} ${full.join(' ')}`;
  const stdout = execFileSync('/usr/bin/python3', [TORCH_SCRIPT, ...full], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  return { stdout, command };
}
