/**
 * The one error type vaekit throws for user-facing problems (bad input, bad files, bad shapes).
 * The CLI prints `message` without a stack trace for these; anything else is a bug and keeps its stack.
 *
 * @example
 * throw new VaekitError('IDX file /x/train.gz: truncated at byte 16, expected 47040016 bytes', 'E_DATA');
 */
export class VaekitError extends Error {
  constructor(message: string, readonly code: string = 'E_VAEKIT') {
    super(message);
    this.name = 'VaekitError';
  }
}

/** True for errors the CLI should show as a plain message. */
export function isVaekitError(e: unknown): e is VaekitError {
  return e instanceof VaekitError;
}
