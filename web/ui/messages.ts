// The page's visible messages: errors in a banner (never only in the console) and a status line.

/**
 * Shows an error in the page's alert banner; `context` says what was being done (e.g. the file name).
 *
 * @example
 * showError(e, 'loading model/');
 */
export function showError(e: unknown, context: string): void {
  const box = document.getElementById('error')!;
  const msg = e instanceof Error ? e.message : String(e);
  box.textContent = `${context}: ${msg}`;
  box.hidden = false;
}

/** Hides the error banner. */
export function clearError(): void {
  document.getElementById('error')!.hidden = true;
}

/** Sets the status line. */
export function setStatus(text: string): void {
  document.getElementById('status')!.textContent = text;
}
