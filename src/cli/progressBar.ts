/**
 * A progress bar on stderr for long loops (training epochs, importance sampling) — only when stderr is a
 * terminal, so logs and tests get plain lines instead of cursor codes.
 */
import cliProgress from 'cli-progress';

/** A bar that can be updated and stopped; a no-op when stderr is not a terminal. */
export interface Bar {
  update(value: number, payload?: Record<string, string>): void;
  stop(): void;
}

/** True when stderr is an interactive terminal. */
export const stderrIsTty = (): boolean => process.stderr.isTTY === true;

/**
 * Starts a bar of `total` units at `start`. `format` may use cli-progress tokens ({bar}, {percentage},
 * {value}, {total}, {eta_formatted}) and payload keys.
 *
 * @example
 * const bar = startBar(n * k, 0, 'IS-NLL {bar} {percentage}% | ETA {eta_formatted}');
 */
export function startBar(total: number, start: number, format: string, payload: Record<string, string> = {}): Bar {
  if (!stderrIsTty()) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format, stream: process.stderr, hideCursor: true, barsize: 24, etaBuffer: 50, fps: 10 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, start, payload);
  return { update: (v, p) => bar.update(v, p), stop: () => bar.stop() };
}
