// Runs the PyTorch reference scripts in ../shared/reference with the thread settings their headers give,
// when Debian's torch is there.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

// ../shared/reference beside the checkout (/work/main), or one level further up from a worktree (/work/wt/x)
const REFERENCE_DIR = [path.resolve(import.meta.dirname, '../../shared/reference'), path.resolve(import.meta.dirname, '../../../shared/reference')].find(existsSync) ??
  path.resolve(import.meta.dirname, '../../shared/reference');
export const TORCH_SCRIPT = path.join(REFERENCE_DIR, 'torch_vae.py');
export const TORCH_CONV_SCRIPT = path.join(REFERENCE_DIR, 'torch_conv_vae.py');

/** Thread settings of a fair run: torch's intra-op threads and OpenBLAS's. */
export interface TorchThreads {
  torch: number;
  openblas: number;
}

/** stdout of the reference run, or null (with a printed reason) when torch or the script is missing. */
export async function runTorchReference(args: string[], script = TORCH_SCRIPT, threads: TorchThreads = { torch: 1, openblas: 2 }): Promise<{ stdout: string; command: string } | null> {
  if (!existsSync(script)) {
    console.log(`pytorch: skipped (${script} not found)`);
    return null;
  }
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log('pytorch: skipped (python3-torch not importable; apt-get install python3-torch libopenblas0-pthread)');
    return null;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(threads.openblas) };
  delete env.OPENBLAS_CORETYPE;
  const full = ['--threads', String(threads.torch), ...args];
  const command = `env -u OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS=${threads.openblas} /usr/bin/python3 ${script} ${full.join(' ')}`;
  const stdout = execFileSync('/usr/bin/python3', [script, ...full], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  return { stdout, command };
}

/**
 * CPU time (user + system, all threads) per training step of a reference script, from two runs of
 * different lengths (`--max-steps base` and `base + steps`), so start-up and data loading cancel. On a
 * machine shared with other jobs this measures the work done where wall time measures the contention.
 */
export function torchCpuMsPerStep(script: string, args: string[], threads: TorchThreads, steps: number, base = 12): number | null {
  if (!existsSync(script) || spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' }).status !== 0) return null;
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(threads.openblas), TIMEFORMAT: '%3U %3S' };
  delete env.OPENBLAS_CORETYPE;
  const cpu = (n: number): number => {
    const cmd = ['/usr/bin/python3', script, '--threads', String(threads.torch), ...args, '--max-steps', String(n)].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('/bin/bash', ['-c', `time ${cmd} > /dev/null`], { env, encoding: 'utf8' });
    const m = /([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
    if (r.status !== 0 || !m) throw new Error(`pytorch: ${cmd} failed:\n${r.stderr}`);
    return Number(m[1]) + Number(m[2]);
  };
  return ((cpu(base + steps) - cpu(base)) * 1000) / steps;
}
