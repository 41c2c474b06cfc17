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

/**
 * A numpy script (for {@link numpy}, the folder as sys.argv[1]) writing `n` examples in each `.npy` layout
 * vaekit reads, each beside its truth `<name>_truth.npy`: the float32 [N, C, H, W] (or [N, D]) examples vaekit
 * must produce (uint8 scaled as x / 255.0 in float64, then rounded to float32). Layouts: nhwc (uint8
 * [n, 5, 4, 3], channels last), nchw (float32 [n, 2, 3, 4]), nhw (uint8 [n, 6, 7]), nd (float64 [n, 11]);
 * and y.npy, n integer labels in 0..9.
 *
 * @example
 * numpy(npyLayoutsScript(37, 1), [dir]);
 */
export function npyLayoutsScript(n: number, seed: number): string {
  return `
d = sys.argv[1]
rng = np.random.default_rng(${seed})
nhwc = rng.integers(0, 256, (${n}, 5, 4, 3), dtype=np.uint8)
np.save(f'{d}/nhwc.npy', nhwc)
np.save(f'{d}/nhwc_truth.npy', (nhwc.transpose(0, 3, 1, 2) / 255.0).astype(np.float32))
nchw = rng.standard_normal((${n}, 2, 3, 4)).astype(np.float32)
np.save(f'{d}/nchw.npy', nchw)
np.save(f'{d}/nchw_truth.npy', nchw)
nhw = rng.integers(0, 256, (${n}, 6, 7), dtype=np.uint8)
np.save(f'{d}/nhw.npy', nhw)
np.save(f'{d}/nhw_truth.npy', (nhw[:, None] / 255.0).astype(np.float32))
nd = rng.standard_normal((${n}, 11))
np.save(f'{d}/nd.npy', nd)
np.save(f'{d}/nd_truth.npy', nd.astype(np.float32))
np.save(f'{d}/y.npy', rng.integers(0, 10, ${n}))
`;
}
