// CSV reading and writing against Python's csv module (an independent RFC 4180 implementation) and
// hand-written edge cases; bad rows named by file line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { formatCsv } from '../../src/data/csvFormat.js';
import { parseCsv } from '../../src/data/csvParse.js';
import { VaekitError } from '../../src/errors.js';
import { Prng } from '../../src/random/prng.js';

const python = (code: string, input: string) => spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8', input, timeout: 30_000 });
const hasPython = python('import csv', '').status === 0;

// Random tables with the characters that need quoting: delimiters, quotes, CR, LF, CRLF, spaces, unicode.
function randomTable(rng: Prng, delimiter: string): { columns: string[]; rows: string[][] } {
  const alphabet = ['a', 'Z', '0', '7', '.', '-', ' ', '"', delimiter, '\n', '\r\n', '\r', 'é', '🐧', 'NA', ''];
  const cell = () => Array.from({ length: rng.int(6) }, () => alphabet[rng.int(alphabet.length)]).join('');
  const ncol = 1 + rng.int(5);
  const columns = Array.from({ length: ncol }, (_, j) => `c${j}_${'xy'[rng.int(2)]}`);
  // a one-column row that is all empty is written '""' and read back; the random cells cover it
  const rows = Array.from({ length: rng.int(8) }, () => Array.from({ length: ncol }, cell));
  return { columns, rows };
}

test('formatCsv output reads back identically in parseCsv and in Python csv', { skip: !hasPython && 'install python3 for the cross-check' }, () => {
  const rng = new Prng(3);
  for (let k = 0; k < 40; k++) {
    const delimiter = k % 2 ? ',' : ';';
    const t = randomTable(rng, delimiter);
    const text = formatCsv(t.columns, t.rows, delimiter);
    const back = parseCsv(text, { delimiter, source: 'mem.csv' });
    assert.deepEqual(back.columns, t.columns);
    assert.deepEqual(back.rows, t.rows, `case ${k}: ${JSON.stringify(text)}`);
    const py = python(`import csv,sys,json; print(json.dumps(list(csv.reader(sys.stdin, delimiter=${JSON.stringify(delimiter)}))))`, text);
    assert.equal(py.status, 0, py.stderr);
    const pyRows = (JSON.parse(py.stdout) as string[][]).filter((r) => r.length > 0); // Python yields [] for blank lines
    assert.deepEqual(pyRows, [t.columns, ...t.rows], `case ${k}`);
  }
});

test('parseCsv reads what Python csv.writer writes (minimal and full quoting, LF and CRLF)', { skip: !hasPython && 'install python3 for the cross-check' }, () => {
  const rng = new Prng(5);
  for (let k = 0; k < 24; k++) {
    const delimiter = [',', ';', '\t'][k % 3];
    const t = randomTable(rng, delimiter);
    const quoting = k % 2 ? 'csv.QUOTE_ALL' : 'csv.QUOTE_MINIMAL';
    const eol = k % 4 < 2 ? '\\r\\n' : '\\n';
    const code = `import csv,sys,json; w=csv.writer(sys.stdout, delimiter=${JSON.stringify(delimiter)}, quoting=${quoting}, lineterminator='${eol}'); [w.writerow(r) for r in json.load(sys.stdin)]`;
    const py = python(code, JSON.stringify([t.columns, ...t.rows]));
    assert.equal(py.status, 0, py.stderr);
    // Python writes a one-column empty row as '""' and other empty rows as delimiters only: no blank lines
    const back = parseCsv(py.stdout, { delimiter, source: 'py.csv' });
    assert.deepEqual(back.rows, t.rows, `case ${k}: ${JSON.stringify(py.stdout)}`);
  }
});

test('RFC 4180 edge cases: embedded quotes and newlines, CRLF, BOM, blank lines, line numbers', () => {
  const t = parseCsv('\ufeffa,b\r\n1,"x\r\ny"\r\n\r\n"3","q""z,"\r\n', { source: 'e.csv' });
  assert.deepEqual(t.columns, ['a', 'b']);
  assert.deepEqual(t.rows, [['1', 'x\r\ny'], ['3', 'q"z,']]);
  assert.deepEqual(t.lines, [2, 5]); // the quoted newline moves the next row to line 4, the blank line to 5
  const cr = parseCsv('a;b\r1;2\r3;4', { delimiter: ';' });
  assert.deepEqual([cr.rows, cr.lines], [[['1', '2'], ['3', '4']], [2, 3]]);
  // the non-standard first line of sklearn's breast_cancer.csv, skipped and replaced by given names
  const sk = parseCsv('569,30,malignant,benign\n1.5,2,0\n', { skipLines: 1, columns: ['f0', 'f1', 'target'] });
  assert.deepEqual([sk.columns, sk.rows, sk.lines], [['f0', 'f1', 'target'], [['1.5', '2', '0']], [2]]);
});

test('a row with the wrong field count names file and line; skip counts and lists them', () => {
  const text = 'a,b\n1,2\n3\n"4\n4",5,6\n7,8\n';
  assert.throws(() => parseCsv(text, { source: 'bad.csv' }), (e: Error) => e instanceof VaekitError && /^bad\.csv: line 3: 1 fields, the header has 2/.test(e.message));
  const t = parseCsv(text, { source: 'bad.csv', onBad: 'skip' });
  assert.deepEqual(t.rows, [['1', '2'], ['7', '8']]);
  assert.deepEqual(t.lines, [2, 6]);
  assert.deepEqual(t.skipped, { count: 2, first: [{ line: 3, reason: '1 fields, the header has 2' }, { line: 4, reason: '3 fields, the header has 2' }] });
  const many = parseCsv(`a,b\n${'1\n'.repeat(9)}`, { onBad: 'skip' });
  assert.equal(many.skipped.count, 9);
  assert.equal(many.skipped.first.length, 5);
});

test('malformed input fails with a VaekitError naming the line', () => {
  const cases: [string, RegExp][] = [
    ['a,b\n1,"2\n3,4\n', /line 2: quoted field is never closed/],
    ['', /no header row/],
    ['a,a\n1,2', /line 1: column name "a" appears twice/],
  ];
  for (const [text, re] of cases) assert.throws(() => parseCsv(text, { source: 'm.csv' }), (e: Error) => e instanceof VaekitError && re.test(e.message), text);
  assert.throws(() => parseCsv('a\n1', { delimiter: '"' }), /delimiter must be one character/);
  assert.throws(() => parseCsv('a\n1\n2\n3', { maxCells: 2 }), /more than 2 cells \(at line 4\)/);
});
