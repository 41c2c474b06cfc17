import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import { csvDataset } from '../../src/data/csvDataset.js';
import { parseCsv } from '../../src/data/csvParse.js';
import { decodeTable } from '../../src/data/tableCodec.js';
import { parseIdx } from '../../src/data/idx.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { VaekitError } from '../../src/errors.js';
import { Prng } from '../../src/random/prng.js';
import { decodeModel, encodeModel, modelFile } from '../../src/io/modelFiles.js';
import { initVaeParams, vaeParamShapes } from '../../src/models/vae.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/io/checkpointCodec.js';
import { parseTrainConfig } from '../../src/train/trainConfig.js';
import { decodePng, encodePng } from '../../src/viz/png.js';
import { decodeNpy, encodeNpy, type NpyArray } from '../../src/data/npy.js';
import { decodeNpz, encodeNpz } from '../../src/data/npz.js';
import { npyArrayDataset } from '../../src/data/npyRows.js';
import { unzipSync, zipSync } from 'fflate';

/**
 * Seeded, time-bounded fuzzing of the byte parsers. Each target starts from valid files (seeds), applies
 * 1–3 random mutations (generic ones plus its own structure-aware ones) and calls `parse`. A case passes
 * if parse returns a result that `check` accepts or throws a VaekitError; anything else (TypeError,
 * RangeError from a huge allocation, a hang) fails and prints how to replay it.
 *
 * Adding a parser (config.json, PNG, a model dir) = one more entry in TARGETS.
 * Replay: VAEKIT_FUZZ_SEED=<seed> (default 1); longer runs: VAEKIT_FUZZ_MS=<total milliseconds> (default 1150 per
 * target, so adding a target does not shrink the others' share).
 */

type Mutator = (bytes: Uint8Array, rng: Prng) => Uint8Array;

interface Target {
  name: string;
  /** Valid inputs to mutate. */
  seeds(): Uint8Array[];
  /** The parser under test. */
  parse(bytes: Uint8Array): unknown;
  /** Invariants of an accepted result; throw to fail. */
  check(result: unknown): void;
  /** Structure-aware mutations, picked half of the time; the generic ones the other half. */
  mutators: Record<string, Mutator>;
}

const SEED = Number(process.env.VAEKIT_FUZZ_SEED ?? 1);
/** A single case slower than this is a failure (a parser must reject hostile sizes quickly). */
const SLOW_CASE_MS = 2000;

/** Values that break size arithmetic: zero, one, sign bits, all ones, just past common limits. */
const NASTY_U32 = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 1_000_000, 1 << 30];
const NASTY_U64 = [0n, 1n, 7n, 8n, 2n ** 31n, 2n ** 32n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n, 100_000_001n];

const pick = <T>(rng: Prng, xs: readonly T[]): T => xs[rng.int(xs.length)];
/** A plain copy (Buffer#slice would alias, and mutating it would corrupt the seeds). */
const copy = (b: Uint8Array): Uint8Array => new Uint8Array(b);

const GENERIC: Record<string, Mutator> = {
  flipBits(b, rng) {
    const c = copy(b);
    for (let k = 1 + rng.int(8); k > 0 && c.length > 0; k--) c[rng.int(c.length)] ^= 1 << rng.int(8);
    return c;
  },
  setByte(b, rng) {
    const c = copy(b);
    if (c.length > 0) c[rng.int(Math.min(c.length, rng.uniform() < 0.5 ? 32 : c.length))] = pick(rng, [0, 1, 0x7f, 0x80, 0xff]);
    return c;
  },
  truncate: (b, rng) => copy(b.subarray(0, rng.int(b.length + 1))),
  insertBytes(b, rng) {
    const at = rng.int(b.length + 1);
    const ins = Uint8Array.from({ length: 1 + rng.int(16) }, () => rng.int(256));
    return concat(b.subarray(0, at), ins, b.subarray(at));
  },
  deleteRange(b, rng) {
    const at = rng.int(b.length + 1);
    return concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + rng.int(32))));
  },
  appendGarbage: (b, rng) => concat(b, Uint8Array.from({ length: 1 + rng.int(64) }, () => rng.int(256))),
  duplicateChunk(b, rng) {
    const at = rng.int(b.length + 1);
    const chunk = b.subarray(at, at + 1 + rng.int(64));
    return concat(b.subarray(0, at), chunk, b.subarray(at));
  },
  overwriteU32(b, rng) {
    const c = copy(b);
    if (c.length < 4) return c;
    const at = rng.uniform() < 0.7 ? rng.int(Math.min(c.length - 3, 40)) : rng.int(c.length - 3);
    new DataView(c.buffer).setUint32(at, pick(rng, NASTY_U32), rng.uniform() < 0.5);
    return c;
  },
  randomBytes: (_b, rng) => Uint8Array.from({ length: rng.int(300) }, () => rng.int(256)),
};

// ---- IDX -------------------------------------------------------------------------------------------

/** Independent big-endian IDX encoder (header + data), enough for seeds. */
function idx(code: number, dims: number[], elementBytes: number[]): Uint8Array {
  const head = new Uint8Array(4 + 4 * dims.length);
  head[2] = code;
  head[3] = dims.length;
  dims.forEach((d, i) => new DataView(head.buffer).setUint32(4 + 4 * i, d, false));
  return concat(head, Uint8Array.from(elementBytes));
}

const IDX_SEEDS = (): Uint8Array[] => [
  idx(0x08, [3, 4, 4], Array.from({ length: 48 }, (_, i) => (i * 41) % 256)),
  idx(0x08, [5], [0, 1, 2, 3, 9]),
  idx(0x09, [2, 2], [0x80, 0x7f, 0, 0xff]),
  idx(0x0b, [3], [0x12, 0x34, 0x80, 0, 0xff, 0xff]),
  idx(0x0c, [2, 1], [0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe]),
  idx(0x0d, [2], [0x3f, 0x80, 0, 0, 0x7f, 0xc0, 0, 0]),
  idx(0x0e, [1, 1, 1], [0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18]),
];

const IDX_STRUCTURED: Record<string, Mutator> = {
  hugeDim(b, rng) {
    const c = copy(b);
    const ndim = Math.min(c[3] ?? 0, Math.floor((c.length - 4) / 4));
    if (ndim > 0) new DataView(c.buffer).setUint32(4 + 4 * rng.int(ndim), pick(rng, [...NASTY_U32, 1_000_000, 1_000_000_000]), false);
    return c;
  },
  dtypeCode(b, rng) {
    const c = copy(b);
    if (c.length > 2) c[2] = rng.uniform() < 0.7 ? pick(rng, [0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f]) : rng.int(256);
    return c;
  },
  ndim(b, rng) {
    const c = copy(b);
    if (c.length > 3) c[3] = pick(rng, [0, 1, 2, 3, 8, 9, 255]);
    return c;
  },
};

function checkIdx(result: unknown): void {
  const r = result as { dtype: string; dims: number[]; data: ArrayLike<number> };
  assert.equal(r.data.length, r.dims.reduce((a, b) => a * b, 1), 'data length = prod(dims)');
  assert.ok(['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'].includes(r.dtype));
}

// ---- safetensors -----------------------------------------------------------------------------------

const ST_SEEDS = (): Uint8Array[] => [
  encodeSafetensors({
    w: { dtype: 'F32', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
    b: { dtype: 'F64', shape: [2], data: Float64Array.from([0.5, -1]) },
    step: { dtype: 'I64', shape: [], data: BigInt64Array.from([42n]) },
    n: { dtype: 'I32', shape: [1], data: Int32Array.from([-7]) },
    m: { dtype: 'U8', shape: [3], data: Uint8Array.from([1, 0, 1]) },
  }, { format: 'vaekit', version: '1' }),
  encodeSafetensors({ x: { dtype: 'U8', shape: [0], data: new Uint8Array(0) } }),
  encodeSafetensors({}),
];

/** Splits a safetensors file into its header object and byte buffer (undefined if the header is unreadable). */
function splitSt(b: Uint8Array): { header: Record<string, unknown>; data: Uint8Array } | undefined {
  if (b.length < 8) return undefined;
  const n = Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
  if (n > b.length - 8) return undefined;
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(b.subarray(8, 8 + n)));
  } catch {
    return undefined;
  }
  const isObject = typeof header === 'object' && header !== null && !Array.isArray(header);
  return isObject ? { header: header as Record<string, unknown>, data: b.subarray(8 + n) } : undefined;
}

function joinSt(header: unknown, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(json.length), true);
  return concat(len, json, data);
}

const WEIRD_JSON: unknown[] = [null, true, -1, 0, 1.5, 1e12, 2 ** 53, 1e308, 'F32', 'BF16', '', [], [1], [0, 1e15], [2, 1], [-1, 0], {}, [[1]]];

const ST_STRUCTURED: Record<string, Mutator> = {
  headerLength(b, rng) {
    const c = copy(b);
    if (c.length >= 8) new DataView(c.buffer).setBigUint64(0, pick(rng, [...NASTY_U64, BigInt(c.length - 8 + rng.int(5) - 2)]), true);
    return c;
  },
  entryField(b, rng) {
    const st = splitSt(b);
    if (st === undefined) return b;
    const names = Object.keys(st.header);
    if (names.length === 0) return joinSt({ a: { dtype: 'U8', shape: [st.data.length], data_offsets: [0, st.data.length] } }, st.data);
    const entry = st.header[pick(rng, names)] as Record<string, unknown>;
    if (typeof entry === 'object' && entry !== null) {
      const field = pick(rng, ['dtype', 'shape', 'data_offsets', 'extra', 'k']);
      entry[field] = rng.uniform() < 0.2 ? undefined : pick(rng, WEIRD_JSON);
    }
    return joinSt(st.header, st.data);
  },
  swapOffsets(b, rng) {
    const st = splitSt(b);
    const entries = st ? Object.values(st.header).filter((e) => (e as { data_offsets?: unknown } | null)?.data_offsets) : [];
    if (!st || entries.length < 2) return b;
    const [x, y] = [pick(rng, entries), pick(rng, entries)] as { data_offsets: unknown }[];
    [x.data_offsets, y.data_offsets] = [y.data_offsets, x.data_offsets];
    return joinSt(st.header, st.data);
  },
  replaceHeader: (b, rng) => joinSt(pick(rng, WEIRD_JSON), splitSt(b)?.data ?? new Uint8Array(0)),
};

function checkSt(result: unknown): void {
  const { tensors, metadata } = result as ReturnType<typeof decodeSafetensors>;
  for (const t of Object.values(tensors)) assert.equal(t.data.length, t.shape.reduce((a, b) => a * b, 1));
  for (const v of Object.values(metadata)) assert.equal(typeof v, 'string');
}

// ---- model directory (config.json + weights.safetensors), checkpoints, PNG ---------------------------

const TINY = parseVaeConfig({ imageShape: [2, 2], latentDim: 1, hidden: [2] });
const tinyModel = () => {
  const params = initVaeParams(TINY, new Prng(1));
  return encodeModel({ meta: modelFile(TINY, parseTrainConfig({}), { name: 'fuzz', train: 1, test: 1 }, { negElbo: 1 }), params });
};
const MODEL = tinyModel();
const textBytes = (s: string) => new TextEncoder().encode(s);
const SOURCES = { config: 'fuzz/config.json', weights: 'fuzz/weights.safetensors' };

function checkModel(result: unknown): void {
  const { meta, params } = result as ReturnType<typeof decodeModel>;
  for (const [k, shape] of Object.entries(vaeParamShapes(meta.model))) assert.equal(params[k].length, shape.reduce((a, b) => a * b, 1));
}

const checkpointSeed = () =>
  encodeCheckpoint({
    model: TINY,
    training: parseTrainConfig({ epochs: 2 }),
    dataset: { name: 'fuzz' },
    state: {
      train: { params: initVaeParams(TINY, new Prng(2)), opt: { m: initVaeParams(TINY, new Prng(3)), v: initVaeParams(TINY, new Prng(4)) }, step: 3 },
      epoch: 0,
      batch: 3,
      perm: [2, 0, 1, 3],
      dataRng: new Prng(5).getState(),
      noiseRng: new Prng(6).getState(),
      acc: { sums: { loss: 1.5 }, count: 3 },
      history: [],
      best: null,
      earlyStopped: false,
    },
  });

const pngSeeds = () => [
  encodePng({ width: 3, height: 2, data: Uint8Array.from([0, 50, 100, 150, 200, 250]) }),
  encodePng({ width: 2, height: 2, channels: 4, data: Uint8Array.from({ length: 16 }, (_, i) => i * 16) }),
  encodePng({ width: 1, height: 3, channels: 3, data: Uint8Array.from({ length: 9 }, (_, i) => i * 28) }),
];

const JSON_STRUCTURED: Record<string, Mutator> = {
  /** Replaces one JSON value with a hostile one, keeping the document parseable. */
  jsonValue(b, rng) {
    let doc: unknown;
    try {
      doc = JSON.parse(new TextDecoder().decode(b));
    } catch {
      return b;
    }
    const paths: [Record<string, unknown>, string][] = [];
    const walk = (v: unknown) => {
      if (typeof v !== 'object' || v === null) return;
      for (const [k, c] of Object.entries(v)) {
        paths.push([v as Record<string, unknown>, k]);
        walk(c);
      }
    };
    walk(doc);
    if (paths.length === 0) return b;
    const [obj, key] = pick(rng, paths);
    obj[key] = pick(rng, [...WEIRD_JSON, 1e9, -5, 99, 'learned', { type: 'gaussian', sigma: 0 }, [1e6, 1e6]]);
    return textBytes(JSON.stringify(doc));
  },
};


// ---- .npy / .npz -------------------------------------------------------------------------------------

const NPY_ARRAYS = (): NpyArray[] => [
  { dtype: 'uint8', shape: [3, 2, 2], data: Uint8Array.from({ length: 12 }, (_, i) => i * 20) },
  { dtype: 'float32', shape: [2, 3], data: Float32Array.of(0.5, -1, 2, 3e38, -0, 1e-40) },
  { dtype: 'float64', shape: [1, 2, 2, 1], data: Float64Array.of(Math.PI, -1, 0, 1e300) },
  { dtype: 'int64', shape: [3], data: BigInt64Array.of(0n, 7n, -1n) },
  { dtype: 'int32', shape: [], data: Int32Array.of(42) },
];

/** Header texts numpy could have written, or nearly: odd dtypes, orders, shapes and syntax. */
const NPY_HEADER_TEXT = [
  "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
  "{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }",
  "{'descr': '<i2', 'fortran_order': False, 'shape': (3,), }",
  "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }",
  "{'descr': '|u1', 'fortran_order': False, 'shape': (99999999999, 99999999999), }",
  "{'descr': '|u1', 'fortran_order': False, 'shape': (9007199254740993,), }",
  "{'descr': '|u1', 'fortran_order': False, 'shape': (-1,), }",
  "{'descr': '|u1', 'fortran_order': False, 'shape': (3, 2, 2) }",
  "{'descr': '|u1', 'shape': (12,), }",
  "{'descr': '|u1', 'fortran_order': False, 'shape': (12,), 'extra': 'x'}",
  "{'descr': '<f4' 'fortran_order': False}",
  "{'descr': '|u1', 'fortran_order': False, 'shape': (0,), }",
  '{"descr": "|u1", "fortran_order": False, "shape": (12L,), }',
  '',
];

const NPY_STRUCTURED: Record<string, Mutator> = {
  headerText(b, rng) {
    const text = pick(rng, NPY_HEADER_TEXT);
    const head = new Uint8Array(10 + text.length + 1);
    head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    new DataView(head.buffer).setUint16(8, text.length + 1, true);
    for (let i = 0; i < text.length; i++) head[10 + i] = text.charCodeAt(i);
    head[head.length - 1] = 0x0a;
    const dataAt = b.length >= 10 ? 10 + new DataView(b.buffer, b.byteOffset).getUint16(8, true) : b.length;
    return concat(head, b.subarray(Math.min(dataAt, b.length)));
  },
  headerLength(b, rng) {
    const c = copy(b);
    if (c.length >= 12) {
      const v = new DataView(c.buffer);
      if (rng.uniform() < 0.5) v.setUint16(8, pick(rng, [0, 1, 5, 117, 118, 0xffff]), true);
      else (c[6] = pick(rng, [0, 1, 2, 3, 4, 255])), v.setUint32(8, pick(rng, NASTY_U32), true);
    }
    return c;
  },
};

const npzSeeds = () => [
  encodeNpz({ x: NPY_ARRAYS()[0], y: NPY_ARRAYS()[3] }),
  encodeNpz({ a: NPY_ARRAYS()[1], b: NPY_ARRAYS()[2] }, { compress: true }),
];

const NPZ_STRUCTURED: Record<string, Mutator> = {
  /** Mutates one member's .npy bytes and re-zips, so damaged arrays reach the .npy parser through the zip. */
  insideZip(b, rng) {
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(b);
    } catch {
      return b;
    }
    const names = Object.keys(files);
    if (names.length === 0) return b;
    const name = pick(rng, names);
    // a member inflated from a mutated size claim can be hundreds of KB: re-zipping it would dominate the budget
    if (files[name].length > 4096) return b;
    const all = { ...GENERIC, ...NPY_STRUCTURED };
    files[name] = pick(rng, Object.values(all))(copy(files[name]), rng);
    return copy(zipSync(files, { level: 0 })); // stored: deflating here would cost more than the parse
  },
  /** Overwrites a size field of a zip header (local or central) with a hostile value. */
  zipSizes(b, rng) {
    const c = copy(b);
    const sig = rng.uniform() < 0.5 ? [0x50, 0x4b, 0x03, 0x04] : [0x50, 0x4b, 0x01, 0x02];
    for (let i = 0; i + 30 < c.length; i++) {
      if (c[i] === sig[0] && c[i + 1] === sig[1] && c[i + 2] === sig[2] && c[i + 3] === sig[3] && rng.uniform() < 0.5) {
        const off = sig[2] === 3 ? pick(rng, [18, 22]) : pick(rng, [20, 24]);
        new DataView(c.buffer).setUint32(i + off, pick(rng, NASTY_U32), true);
      }
    }
    return c;
  },
};

function checkNpy(result: unknown): void {
  const a = result as NpyArray;
  assert.equal(a.data.length, a.shape.reduce((p, d) => p * d, 1), 'data length = prod(shape)');
  // data arrays must also convert to model rows or be refused cleanly
  if (a.dtype !== 'int32' && a.dtype !== 'int64' && a.shape.length >= 2 && a.data.length > 0) {
    try {
      npyArrayDataset('fuzz', a);
    } catch (e) {
      if (!(e instanceof VaekitError)) throw e;
    }
  }
}

// ---- CSV tables (parser + schema inference + encoding) ------------------------------------------------

const CSV_SEEDS = (): Uint8Array[] => [
  textBytes('mass,island,sex\r\n3750,Torgersen,MALE\r\nNA,"Bis,coe",\r\n3250.5,Dream,FEMALE\r\n'),
  textBytes('a;b;c\n1;"x\n""y""";2e3\n-0.5;z;\n.25;"";7\n'),
  textBytes('id,v\n1,1\n2,NaN\n3,1e-3\n4,1\n'),
];

const CSV_TOKENS = [',', ';', '"', '""', '\n', '\r\n', '\r', 'NA', 'NaN', '', ' ', '1e400', '-1e308', '1e308', '0x10', '.', '-', 'Infinity', '\ufeff', '1'.repeat(40)];

/** The text of a CSV seed with one CSV-shaped edit: a token inserted, a line duplicated or dropped. */
const CSV_STRUCTURED: Record<string, Mutator> = {
  insertToken(b, rng) {
    const t = new TextDecoder().decode(b);
    const at = rng.int(t.length + 1);
    return textBytes(t.slice(0, at) + pick(rng, CSV_TOKENS) + t.slice(at));
  },
  duplicateLine(b, rng) {
    const lines = new TextDecoder().decode(b).split('\n');
    const k = rng.int(lines.length);
    lines.splice(k, 0, ...Array.from({ length: 1 + rng.int(3) }, () => lines[k]));
    return textBytes(lines.join('\n'));
  },
  dropLine(b, rng) {
    const lines = new TextDecoder().decode(b).split('\n');
    lines.splice(rng.int(lines.length), 1);
    return textBytes(lines.join('\n'));
  },
};

// Delimiter from the header's first ';' or ',' (the seeds use both); skip bad rows in half the cases.
function parseCsvTable(b: Uint8Array): unknown {
  const text = new TextDecoder().decode(b);
  const delimiter = /^[^\n]*;/.test(text) ? ';' : ',';
  const onBad = b.length % 2 ? 'skip' : 'fail';
  const raw = parseCsv(text, { source: 'fuzz.csv', delimiter, onBad });
  const r = csvDataset(text, 'fuzz.csv', { delimiter, onBad });
  return { raw, ...r };
}

function checkCsvTable(result: unknown): void {
  const { raw, dataset, schema, table } = result as ReturnType<typeof csvDataset> & { raw: ReturnType<typeof parseCsv> };
  for (const row of raw.rows) assert.equal(row.length, raw.columns.length, 'every row has the header\'s field count');
  for (let i = 1; i < raw.lines.length; i++) assert.ok(raw.lines[i] > raw.lines[i - 1], 'lines increase');
  const d = dataset.shape[0];
  const x = new Float32Array(dataset.n * d), m = new Float32Array(dataset.n * d);
  dataset.read(Array.from({ length: dataset.n }, (_, i) => i), x, m);
  assert.ok(x.every(Number.isFinite), 'x is finite');
  assert.ok(m.every((v) => v === 0 || v === 1), 'mask is 0/1');
  assert.ok(x.every((v, i) => dataset.hasMask !== true || m[i] === 1 || v === 0), 'x is 0 where missing');
  const back = decodeTable(schema, x, dataset.n, dataset.hasMask ? m : undefined);
  assert.equal(back.rows.length, table.rows.length);
}

// ---- the table ---------------------------------------------------------------------------------------

/** Mutates the IDX inside a gzip member, then recompresses, so gzip-wrapped inputs reach the IDX parser. */
const insideGzip: Mutator = (b, rng) => {
  let raw: Uint8Array;
  try {
    raw = copy(gunzipSync(b));
  } catch {
    return b;
  }
  const all = { ...GENERIC, ...IDX_STRUCTURED };
  return copy(gzipSync(pick(rng, Object.values(all))(raw, rng)));
};

const TARGETS: Target[] = [
  { name: 'idx (raw)', seeds: IDX_SEEDS, parse: (b) => parseIdx(b, 'fuzz.idx'), check: checkIdx, mutators: IDX_STRUCTURED },
  {
    name: 'idx (gzip)',
    seeds: () => IDX_SEEDS().map((s) => copy(gzipSync(s))),
    parse: (b) => parseIdx(b, 'fuzz.idx.gz'),
    check: checkIdx,
    mutators: {
      insideGzip,
      isize(b, rng) {
        const c = copy(b);
        if (c.length >= 4) new DataView(c.buffer).setUint32(c.length - 4, pick(rng, NASTY_U32), true);
        return c;
      },
    },
  },
  { name: 'safetensors', seeds: ST_SEEDS, parse: (b) => decodeSafetensors(b, 'fuzz.safetensors'), check: checkSt, mutators: ST_STRUCTURED },
  {
    name: 'config.json',
    seeds: () => [textBytes(MODEL.configJson)],
    parse: (b) => decodeModel(new TextDecoder().decode(b), MODEL.weights, SOURCES),
    check: checkModel,
    mutators: JSON_STRUCTURED,
  },
  {
    name: 'model dir weights',
    seeds: () => [copy(MODEL.weights)],
    parse: (b) => decodeModel(MODEL.configJson, b, SOURCES),
    check: checkModel,
    mutators: ST_STRUCTURED,
  },
  {
    name: 'checkpoint',
    seeds: () => [checkpointSeed()],
    parse: (b) => decodeCheckpoint(b, 'fuzz/checkpoint.safetensors'),
    check: (r) => checkModel({ meta: { model: (r as ReturnType<typeof decodeCheckpoint>).model }, params: (r as ReturnType<typeof decodeCheckpoint>).state.train.params }),
    mutators: ST_STRUCTURED,
  },
  { name: 'npy', seeds: () => NPY_ARRAYS().map(encodeNpy), parse: (b) => decodeNpy(b, 'fuzz.npy'), check: checkNpy, mutators: NPY_STRUCTURED },
  {
    name: 'npz',
    seeds: npzSeeds,
    parse: (b) => decodeNpz(b, 'fuzz.npz'),
    check: (r) => Object.values(r as Record<string, NpyArray>).forEach(checkNpy),
    mutators: NPZ_STRUCTURED,
  },
  {
    name: 'png',
    seeds: pngSeeds,
    parse: (b) => decodePng(b, 'fuzz.png'),
    check: (r) => {
      const img = r as ReturnType<typeof decodePng>;
      assert.equal(img.data.length, img.width * img.height);
    },
    mutators: {},
  },
  { name: 'csv table', seeds: CSV_SEEDS, parse: parseCsvTable, check: checkCsvTable, mutators: CSV_STRUCTURED },
];

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Independent stream per (seed, target, case), so any case replays alone. */
function caseRng(target: number, index: number): Prng {
  return new Prng((Math.imul(SEED, 0x9e3779b1) ^ Math.imul(target + 1, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0);
}

function hexPreview(b: Uint8Array): string {
  const head = Array.from(b.subarray(0, 96), (x) => x.toString(16).padStart(2, '0')).join('');
  return b.length > 96 ? `${head}… (${b.length} bytes)` : head;
}

/** Cases every target runs at the least, however slow the machine (then more until its share of TOTAL_MS). */
const MIN_CASES = 500;
const TOTAL_MS = Number(process.env.VAEKIT_FUZZ_MS ?? 1150 * TARGETS.length);

test('parsers return a valid result or throw VaekitError on mutated and random input', { timeout: TOTAL_MS + 30_000 }, (t) => {
  let total = 0;
  TARGETS.forEach((target, ti) => {
    const seeds = target.seeds();
    for (const s of seeds) target.check(target.parse(s)); // seeds themselves must parse
    const generic = Object.entries(GENERIC);
    const structured = Object.entries(target.mutators);
    const refusals = new Set<string>();
    const deadline = Date.now() + TOTAL_MS / TARGETS.length;
    let cases = 0;
    let accepted = 0;
    // the budget is a floor of cases, not a clock: a loaded machine runs longer, never fewer cases
    while (Date.now() < deadline || cases < MIN_CASES) {
      const rng = caseRng(ti, cases);
      let input = pick(rng, seeds);
      const applied: string[] = [];
      for (let k = 1 + rng.int(3); k > 0; k--) {
        const [name, mutate] = pick(rng, structured.length > 0 && rng.uniform() < 0.5 ? structured : generic);
        applied.push(name);
        input = mutate(input, rng);
      }
      const replay = `target '${target.name}' case ${cases} (VAEKIT_FUZZ_SEED=${SEED}), mutations ${applied.join('+')}, input ${hexPreview(input)}`;
      const started = Date.now();
      try {
        target.check(target.parse(input));
        accepted++;
      } catch (e) {
        if (!(e instanceof VaekitError)) assert.fail(`${replay}\nthrew ${e instanceof Error ? e.stack : String(e)}`);
        // message "kind": numbers, names, hex bytes, lists and parenthesized details blanked out
        refusals.add(e.message.replace(/(found|code) \w\w( \w\w)?|0x[0-9a-f]+|\d+|'[^']*'|"[^"]*"|\[[^\]]*\]|\([^)]*\)/g, '#'));
        if (process.env.VAEKIT_FUZZ_DUMP) console.error(e.message);
      }
      const ms = Date.now() - started;
      if (ms > SLOW_CASE_MS) assert.fail(`${replay}\ntook ${ms} ms`);
      cases++;
    }
    for (const s of seeds) target.check(target.parse(s)); // mutators must not have changed the seeds
    t.diagnostic(`${target.name}: ${cases} cases, ${accepted} accepted, ${cases - accepted} refused with VaekitError (${refusals.size} kinds of message)`);
    total += cases;
  });
  t.diagnostic(`fuzz total: ${total} cases, seed ${SEED}, budget ${TOTAL_MS} ms`);
});
