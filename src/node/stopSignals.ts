/**
 * One handler for the signals that ask a program to stop: SIGINT (Ctrl-C), SIGTERM (`kill`, `timeout`,
 * docker stop, systemd, batch schedulers) and SIGHUP (a closed terminal or SSH session). Long commands
 * register a graceful stop (finish the current step, save); a second signal quits at once. The exit code
 * follows the shell's convention, 128 + the signal number (130, 143, 129).
 */

/** The signals treated as "stop, saving what can be saved". */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

const NUMBER: Record<StopSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/**
 * The exit code for a run ended by `signal`: 128 + its number.
 *
 * @example
 * exitCodeOf('SIGTERM'); // 143
 */
export function signalExitCode(signal: StopSignal): number {
  return 128 + NUMBER[signal];
}

/**
 * Calls `onStop(signal)` on the first stop signal; a second one exits at once with that signal's code.
 * Returns a function that removes the handlers; `received()` tells which signal came, if any.
 *
 * @example
 * const stop = onStopSignals((sig) => trainer.stop());
 * try { await trainer.run(); } finally { stop.dispose(); }
 */
export function onStopSignals(onStop: (signal: StopSignal) => void): { dispose(): void; received(): StopSignal | undefined } {
  let first: StopSignal | undefined;
  const handlers = STOP_SIGNALS.map((sig) => {
    const h = () => {
      if (first !== undefined) process.exit(signalExitCode(sig));
      first = sig;
      onStop(sig);
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  return {
    dispose: () => handlers.forEach(([sig, h]) => process.off(sig, h)),
    received: () => first,
  };
}
