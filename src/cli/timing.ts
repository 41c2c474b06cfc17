/**
 * Start-up timing on request: with VAEKIT_TIMING=1 each phase of a command prints the milliseconds since
 * the process started (Node's performance clock starts with the process), so the time to the first optimizer
 * step or to the written PNG can be measured and split without a profiler.
 */

/**
 * Prints `vaekit: timing: <phase> at <ms> ms (cpu <ms> ms)` on stderr when VAEKIT_TIMING is set: wall time
 * and CPU time (user + system, all threads) since the process started; on a busy machine the CPU time is the
 * steadier of the two.
 *
 * @example
 * timing('data loaded');
 */
export function timing(phase: string): void {
  if (!process.env.VAEKIT_TIMING) return;
  const { user, system } = process.cpuUsage();
  process.stderr.write(`vaekit: timing: ${phase} at ${performance.now().toFixed(0)} ms (cpu ${((user + system) / 1000).toFixed(0)} ms)\n`);
}
