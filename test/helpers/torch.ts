import { spawnSync } from 'node:child_process';

/** Debian's python with PyTorch, or null (tests then skip, saying what to install). */
export function torchAvailable(): boolean {
  return spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
}

/** Why a PyTorch comparison is skipped. */
export const NO_TORCH = 'PyTorch not installed: apt-get install python3-torch (CI installs it)';

/**
 * Runs a Python script with PyTorch on JSON input (stdin) and returns its JSON output (the last stdout line).
 *
 * @example
 * const out = runTorch('import json,sys; print(json.dumps(json.load(sys.stdin)))', { a: 1 });
 */
export function runTorch<T>(script: string, input: unknown): T {
  const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8', input: JSON.stringify(input), maxBuffer: 1 << 28, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as T;
}
