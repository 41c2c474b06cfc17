import Papa from 'papaparse';
import { VaekitError } from '../errors.js';

/** What to do with a bad row (wrong field count, malformed quotes, a bad value): stop, or leave it out and count it. */
export type OnBad = 'skip' | 'fail';

/** A row left out with `onBad: 'skip'`: its 1-based line in the file and why. */
export interface BadRow {
  line: number;
  reason: string;
}

/** Rows left out: how many, and the first few (at most {@link BAD_LISTED}). */
export interface Skipped {
  count: number;
  first: BadRow[];
}

/** Bad rows listed by name in {@link Skipped.first}. */
export const BAD_LISTED = 5;

/** A parsed table: header names and rows of raw strings, each row with the 1-based file line it starts on. */
export interface CsvTable {
  /** File name (or another label) used in messages. */
  source: string;
  columns: string[];
  /** [n][columns.length] raw field strings. */
  rows: string[][];
  /** [n] 1-based line where each row starts (rows may span lines through quoted newlines). */
  lines: number[];
  skipped: Skipped;
}

export interface CsvParseOptions {
  /** Name for messages, e.g. the file path. */
  source?: string;
  /** One character, default ','. */
  delimiter?: string;
  /** Default 'fail'. */
  onBad?: OnBad;
  /**
   * Physical lines to drop before the header. sklearn's breast_cancer.csv starts with `569,30,malignant,benign`
   * (row count, feature count, class names), not a header: read it with `skipLines: 1` and `columns`.
   */
  skipLines?: number;
  /** Column names when the file has no header row: every row read is then data. */
  columns?: string[];
  /** Refuse tables with more cells than this (memory bound; default 50 million ≈ a few GB of strings). */
  maxCells?: number;
}

/**
 * Collects bad rows under the skip policy, or throws at the first under 'fail'.
 *
 * @example
 * const bad = new BadRows('p.csv', 'skip');
 * bad.add(7, '3 fields, the header has 4'); // bad.skipped = { count: 1, first: [{ line: 7, … }] }
 */
export class BadRows {
  readonly skipped: Skipped = { count: 0, first: [] };
  constructor(private readonly source: string, private readonly onBad: OnBad) {
    if (onBad !== 'skip' && onBad !== 'fail') throw new VaekitError(`onBad must be 'skip' or 'fail', got ${JSON.stringify(onBad)}`, 'E_ARG');
  }
  /** Records a bad row; throws `source: line N: reason` when failing. */
  add(line: number, reason: string): void {
    if (this.onBad === 'fail') throw new VaekitError(`${this.source}: line ${line}: ${reason} (use onBad 'skip' / --on-bad skip to leave such rows out)`, 'E_DATA');
    this.skipped.count++;
    if (this.skipped.first.length < BAD_LISTED) this.skipped.first.push({ line, reason });
  }
}

/**
 * Parses CSV text (RFC 4180: quoted fields with embedded delimiters, `""` quotes and newlines; CRLF, LF or
 * CR line ends) with a header row into strings. Blank lines are skipped; a leading byte-order mark is dropped.
 * A row whose field count differs from the header's, or with malformed quotes, is bad: an error naming the
 * source and line, or with `onBad: 'skip'` left out and counted. An unterminated quote always fails (it
 * swallows the rest of the file).
 *
 * @example
 * const t = parseCsv('a,b\n1,"x, y"\n', { source: 'tiny.csv' }); // t.columns = ['a','b'], t.rows = [['1','x, y']]
 */
export function parseCsv(text: string, opts: CsvParseOptions = {}): CsvTable {
  const source = opts.source ?? 'CSV';
  const delimiter = opts.delimiter ?? ',';
  if (delimiter.length !== 1 || /["\r\n]/.test(delimiter)) {
    throw new VaekitError(`${source}: delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`, 'E_ARG');
  }
  const maxCells = opts.maxCells ?? 50_000_000;
  const bad = new BadRows(source, opts.onBad ?? 'fail');
  const body = stripLines(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, opts.skipLines ?? 0, source);
  // one line ending for the whole file, the first one found (as papaparse decides): rows and the line numbers
  // of messages then split at the same places even when a file mixes CRLF, LF and lone CRs
  const newline = firstNewline(body.text);
  const lineOf = lineCounter(body.text, body.firstLine, newline);

  let columns = opts.columns ? checkNames(opts.columns, source, 0) : undefined;
  const rows: string[][] = [];
  const lines: number[] = [];
  let start = 0; // offset where the current row starts
  let cells = 0;
  let fatal: VaekitError | undefined;
  Papa.parse<string[]>(body.text, {
    delimiter,
    quoteChar: '"',
    escapeChar: '"',
    newline,
    step(res, parser) {
      const line = lineOf(start);
      const fields = res.data;
      // a blank line (a one-column row holding '' is written '""', which is not blank)
      const blank = fields.length === 1 && fields[0] === '' && /^[\r\n]*$/.test(body.text.slice(start, res.meta.cursor));
      start = res.meta.cursor;
      if (blank) return;
      try {
        const unterminated = res.errors.find((e) => e.code === 'MissingQuotes');
        if (unterminated) throw new VaekitError(`${source}: line ${line}: quoted field is never closed (a missing '"')`, 'E_DATA');
        if (columns === undefined) {
          if (res.errors.length > 0) throw new VaekitError(`${source}: line ${line}: malformed header (${res.errors[0].message})`, 'E_DATA');
          columns = checkNames(fields, source, line);
          return;
        }
        if (res.errors.length > 0) return bad.add(line, `malformed quotes (${res.errors[0].message})`);
        if (fields.length !== columns.length) return bad.add(line, `${fields.length} fields, the header has ${columns.length}`);
        cells += fields.length;
        if (cells > maxCells) throw new VaekitError(`${source}: more than ${maxCells} cells (at line ${line}); raise maxCells if memory allows`, 'E_DATA');
        rows.push(fields);
        lines.push(line);
      } catch (e) {
        fatal = e as VaekitError;
        parser.abort();
      }
    },
  });
  if (fatal) throw fatal;
  if (columns === undefined) throw new VaekitError(`${source}: no header row (the file is empty)`, 'E_DATA');
  return { source, columns, rows, lines, skipped: bad.skipped };
}

// Names must be unique; an empty name (pandas writes one for the index) becomes `column_<i>`.
function checkNames(names: readonly string[], source: string, line: number): string[] {
  const out = names.map((n, i) => (n.trim() === '' ? `column_${i + 1}` : n.trim()));
  const seen = new Set<string>();
  for (const n of out) {
    if (seen.has(n)) throw new VaekitError(`${source}: ${line ? `line ${line}: ` : ''}column name ${JSON.stringify(n)} appears twice`, 'E_DATA');
    seen.add(n);
  }
  return out;
}

// Drops `k` physical lines; returns the rest and the 1-based line number it starts on.
function stripLines(text: string, k: number, source: string): { text: string; firstLine: number } {
  if (!Number.isInteger(k) || k < 0) throw new VaekitError(`${source}: skipLines must be a non-negative integer, got ${k}`, 'E_ARG');
  let at = 0;
  for (let i = 0; i < k; i++) {
    const nl = nextBreak(text, at);
    if (nl < 0) return { text: '', firstLine: k + 1 };
    at = nl + (text[nl] === '\r' && text[nl + 1] === '\n' ? 2 : 1);
  }
  return { text: text.slice(at), firstLine: k + 1 };
}

function nextBreak(text: string, from: number): number {
  const n = text.indexOf('\n', from);
  const r = text.indexOf('\r', from);
  return n < 0 ? r : r < 0 ? n : Math.min(n, r);
}

// The file's line ending: the first CRLF, LF or lone CR (LF for a file of one line).
function firstNewline(text: string): '\r\n' | '\n' | '\r' {
  const i = text.search(/[\r\n]/);
  if (i < 0 || text[i] === '\n') return '\n';
  return text[i + 1] === '\n' ? '\r\n' : '\r';
}

// 1-based line of an offset, for offsets asked in increasing order (one pass over the text in total).
// A line ends at the file's `newline`.
function lineCounter(text: string, firstLine: number, newline: string): (offset: number) => number {
  let at = 0;
  let line = firstLine;
  return (offset) => {
    while (at < offset) {
      const next = text.indexOf(newline, at);
      if (next < 0 || next >= offset) {
        at = offset;
        break;
      }
      line++;
      at = next + newline.length;
    }
    return line;
  };
}
