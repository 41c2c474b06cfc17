import { VaekitError } from '../errors.js';

/**
 * Writes a table as RFC 4180 CSV: a header row, CRLF line ends, and a field quoted (with `"` doubled) when it
 * holds the delimiter, a quote, a line break or leading/trailing spaces. `parseCsv` reads it back exactly.
 *
 * @example
 * formatCsv(['name', 'note'], [['a', 'x, "y"']]) // 'name,note\r\na,"x, ""y"""\r\n'
 */
export function formatCsv(columns: readonly string[], rows: readonly (readonly string[])[], delimiter = ','): string {
  if (delimiter.length !== 1 || /["\r\n]/.test(delimiter)) throw new VaekitError(`formatCsv: delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`, 'E_ARG');
  // a lone empty field would be a blank line, which readers skip: quote it
  const quote = (s: string) => s.includes(delimiter) || /["\r\n]|^\s|\s$/.test(s) || (s === '' && columns.length === 1);
  const field = (s: string) => (quote(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const lines = [columns.map(field).join(delimiter)];
  rows.forEach((r, i) => {
    if (r.length !== columns.length) throw new VaekitError(`formatCsv: row ${i} has ${r.length} fields, the header has ${columns.length}`, 'E_SHAPE');
    lines.push(r.map(field).join(delimiter));
  });
  return lines.join('\r\n') + '\r\n';
}
