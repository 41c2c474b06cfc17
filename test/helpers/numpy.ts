import { spawnSync } from 'node:child_process';

/** Debian's python3 with numpy (a pyenv python3 may shadow it on PATH). */
const PYTHON = '/usr/bin/python3';

/**
 * Why numpy tests must skip, or undefined when `/usr/bin/python3 -c 'import numpy'` works.
 *
 * @example
 * test('…', { skip: numpyMissing() }, () => {});
 */
export function numpyMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : 'numpy not installed: apt-get install python3-numpy';
}

/**
 * Runs a Python script with numpy imported as np and `args` as sys.argv[1:]; returns stdout, throws on failure.
 *
 * @example
 * const out = numpy('np.save(sys.argv[1], np.arange(3))', ['/tmp/a.npy']);
 */
export function numpy(script: string, args: string[] = []): string {
  const r = spawnSync(PYTHON, ['-c', `import sys, json\nimport numpy as np\n${script}`, ...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
