import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors, encodeSafetensors, type SafetensorsTensor } from '../../src/io/safetensors.js';
import { VaekitError } from '../../src/errors.js';

const sample = (): Record<string, SafetensorsTensor> => ({
  'enc.w': { dtype: 'F32', shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 0, 1e-8, -Infinity]) },
  'z.f64': { dtype: 'F64', shape: [], data: Float64Array.from([Math.PI]) },
  step: { dtype: 'I64', shape: [2], data: BigInt64Array.from([-(2n ** 63n), 2n ** 40n + 7n]) },
  'counts.é': { dtype: 'I32', shape: [1, 2], data: Int32Array.from([-5, 2147483647]) },
  mask: { dtype: 'U8', shape: [3], data: Uint8Array.from([0, 1, 255]) },
  empty: { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
});

/** Builds a file from a header object written in the given key order (an independent, unpadded encoder). */
function handMade(header: object | string, data: number[]): Uint8Array {
  const json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, Buffer.from(data)]);
}

function refuses(bytes: Uint8Array, ...patterns: RegExp[]): void {
  assert.throws(
    () => decodeSafetensors(bytes, 'w.safetensors'),
    (e: unknown) => {
      assert.ok(e instanceof VaekitError, `expected VaekitError, got ${String(e)}`);
      assert.match(e.message, /safetensors file w\.safetensors: /);
      for (const p of patterns) assert.match(e.message, p);
      return true;
    },
  );
}

test('round trip of every dtype, scalar and empty shapes, metadata', () => {
  const bytes = encodeSafetensors(sample(), { format: 'vaekit', version: '1' });
  const { tensors, metadata } = decodeSafetensors(bytes, 'mem');
  assert.deepEqual(metadata, { format: 'vaekit', version: '1' });
  assert.deepEqual(Object.keys(tensors).sort(), Object.keys(sample()).sort());
  for (const [name, t] of Object.entries(sample())) {
    assert.deepEqual(tensors[name], t, name);
    assert.equal(tensors[name].data.byteOffset, 0, `${name} is a fresh aligned array`);
  }
});

test('deterministic: same tensors in another insertion order give identical bytes; layout is aligned', () => {
  const s = sample();
  const reversed = Object.fromEntries(Object.entries(s).reverse());
  const a = encodeSafetensors(s, { b: '2', a: '1' });
  assert.deepEqual(encodeSafetensors(reversed, { a: '1', b: '2' }), a);
  const n = Number(Buffer.from(a).readBigUInt64LE(0));
  assert.equal((8 + n) % 8, 0);
  const header = JSON.parse(Buffer.from(a.subarray(8, 8 + n)).toString('utf8'));
  assert.deepEqual(Object.keys(header), ['__metadata__', 'step', 'z.f64', 'counts.é', 'empty', 'enc.w', 'mask']);
  const sizes: Record<string, number> = { F64: 8, I64: 8, F32: 4, I32: 4, U8: 1 };
  for (const [name, e] of Object.entries(header)) {
    if (name !== '__metadata__') assert.equal((8 + n + (e as { data_offsets: number[] }).data_offsets[0]) % sizes[(e as { dtype: string }).dtype], 0);
  }
});

test('header bytes checked by hand', () => {
  const bytes = encodeSafetensors({ a: { dtype: 'U8', shape: [2], data: Uint8Array.from([1, 2]) } }, {}, { digest: false });
  const json = '{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}'; // 53 bytes, padded to 56
  assert.equal(bytes.length, 8 + 56 + 2);
  assert.deepEqual(Array.from(bytes.subarray(0, 8)), [56, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(Buffer.from(bytes.subarray(8, 64)).toString('latin1'), json + '   ');
  assert.deepEqual(Array.from(bytes.subarray(64)), [1, 2]);
  // little-endian payload: F32 1.0 = 00 00 80 3f
  const f = encodeSafetensors({ x: { dtype: 'F32', shape: [1], data: Float32Array.from([1]) } });
  assert.deepEqual(Array.from(f.subarray(f.length - 4)), [0x00, 0x00, 0x80, 0x3f]);
});

test('decodes files from another writer: unsorted, unpadded, metadata last, odd names', () => {
  const header =
    '{"b":{"data_offsets":[2,3],"shape":[1],"dtype":"U8"},"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},' +
    '"__proto__":{"dtype":"U8","shape":[],"data_offsets":[3,4]},"__metadata__":{"k":"v"}}';
  const { tensors, metadata } = decodeSafetensors(handMade(header, [1, 2, 3, 4]), 'hand');
  assert.deepEqual(Array.from(tensors.a.data as Uint8Array), [1, 2]);
  assert.deepEqual(Array.from(tensors.b.data as Uint8Array), [3]);
  assert.ok(Object.hasOwn(tensors, '__proto__'));
  assert.equal(Object.getPrototypeOf(tensors), Object.prototype);
  assert.deepEqual(metadata, { k: 'v' });
  assert.deepEqual(decodeSafetensors(handMade({}, []), 'empty'), { tensors: {}, metadata: {} });
});

test('refuses corrupted inputs with the source and offsets', () => {
  const good = encodeSafetensors({ a: { dtype: 'F32', shape: [2], data: Float32Array.from([1, 2]) } }, {}, { digest: false });
  refuses(good.subarray(0, 5), /truncated: file ends at byte 5/);
  refuses(good.subarray(0, 40), /header length at byte 0 says the header ends at byte 64 but the file has 40 bytes/);
  const huge = good.slice();
  new DataView(huge.buffer).setBigUint64(0, 2n ** 63n, true);
  refuses(huge, /header length 9223372036854776000 at byte 0 exceeds the 100000000-byte limit/);
  refuses(good.subarray(0, good.length - 1), /data_offsets \[0, 8\] .* must satisfy begin <= end <= 7/);
  refuses(Buffer.concat([good, Buffer.from([9])]), /1 bytes from byte 72 belong to no tensor/);
  const bad = (h: object, data: number[], ...p: RegExp[]) => refuses(handMade(h, data), ...p);
  const u8 = (offsets: number[], shape = [offsets[1] - offsets[0]]) => ({ dtype: 'U8', shape, data_offsets: offsets });
  refuses(Buffer.concat([Buffer.from([5, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{"a":')]), /header at bytes 8\.\.13 is not valid UTF-8 JSON/);
  refuses(Buffer.concat([Buffer.from([2, 0, 0, 0, 0, 0, 0, 0]), Buffer.from([0xc3, 0x28])]), /not valid UTF-8 JSON/);
  bad([1, 2], [], /must be a JSON object/);
  bad({ a: { dtype: 'BF16', shape: [1], data_offsets: [0, 2] } }, [0, 0], /header entry 'a' .*dtype "BF16" is not supported, expected one of/);
  bad({ a: u8([0, 1], [-1]) }, [0], /shape \[-1\] must be an array of non-negative integers/);
  bad({ a: u8([0, 1], [1.5]) }, [0], /shape/);
  bad({ a: { dtype: 'U8', shape: [1] } }, [0], /data_offsets undefined must be \[begin, end\]/);
  bad({ a: u8([1, 0], [1]) }, [0], /begin <= end/);
  bad({ a: u8([0, 1], [2]) }, [0], /shape \[2\] of U8 needs 2 bytes but data_offsets \[0, 1\] span 1/);
  bad({ a: { dtype: 'F32', shape: [1e12], data_offsets: [0, 4] } }, [0, 0, 0, 0], /needs 4000000000000 bytes/);
  bad({ a: u8([0, 2]), b: u8([1, 3]) }, [0, 0, 0], /tensor 'b' starts at file byte \d+ and overlaps the previous tensor/);
  bad({ a: u8([0, 1]), b: u8([2, 3]) }, [0, 0, 0], /leaves a gap of 1 bytes/);
  bad({ a: u8([0, 1]) }, [0, 0], /1 bytes from byte \d+ belong to no tensor/);
  bad({ __metadata__: { k: 1 } }, [], /value of 'k' must be a string/);
  bad({ __metadata__: 'x' }, [], /'__metadata__' .* must be an object of strings/);
  bad({ a: 3 }, [], /header entry 'a' .* must be an object with dtype, shape and data_offsets/);
});

test('encode refuses data that does not match dtype or shape', () => {
  const enc = (t: Record<string, SafetensorsTensor>) => () => encodeSafetensors(t);
  const err = (re: RegExp) => (e: unknown) => e instanceof VaekitError && re.test(e.message);
  assert.throws(enc({ a: { dtype: 'F32', shape: [3], data: new Float32Array(2) } }), err(/shape \[3\] has 3 elements but data has 2/));
  assert.throws(enc({ a: { dtype: 'F32', shape: [2], data: new Float64Array(2) } as unknown as SafetensorsTensor }), err(/F32 needs a Float32Array, got Float64Array/));
  assert.throws(enc({ __metadata__: { dtype: 'U8', shape: [0], data: new Uint8Array(0) } }), err(/reserved/));
  assert.throws(() => encodeSafetensors({}, { k: 1 as unknown as string }), err(/metadata 'k' must be a string/));
});

function python(args: string[], input?: string, bytes?: Buffer) {
  return spawnSync('python3', args, { encoding: 'utf8', input: bytes ?? input, timeout: 30_000 });
}

/** Writes our encoding of sample() to a temp file, runs `check(path)`, cleans up. */
function withFile(check: (file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'vaekit-st-'));
  try {
    const file = join(dir, 'w.safetensors');
    writeFileSync(file, encodeSafetensors(sample(), { format: 'vaekit' }));
    check(file);
  } finally {
    rmSync(dir, { recursive: true });
  }
}

// An independent reader written from the spec in Python's stdlib: header JSON, little-endian values via struct.
const STDLIB_READER = `
import json, struct, sys
b = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', b[:8])[0]
h = json.loads(b[8:8 + n])
fmt = {'F32': 'f', 'F64': 'd', 'I64': 'q', 'I32': 'i', 'U8': 'B'}
out = {k: v for k, v in h.items() if k == '__metadata__'}
for k, v in h.items():
    if k == '__metadata__': continue
    s, e = v['data_offsets']
    raw = b[8 + n + s:8 + n + e]
    c = fmt[v['dtype']]
    out[k] = [v['shape'], [str(x) for x in struct.unpack('<%d%s' % (len(raw) // struct.calcsize(c), c), raw)]]
print(json.dumps(out))`;

test('an independent Python (stdlib json + struct) reader reads our file', (t) => {
  if (python(['-c', 'pass']).status !== 0) return t.skip('python3 is not installed');
  withFile((file) => {
    const r = python(['-c', STDLIB_READER, file]);
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(got.__metadata__).sort(), ['format', 'vaekit.dataCrc32']);
    assert.equal(got.__metadata__.format, 'vaekit');
    assert.deepEqual(got.mask, [[3], ['0', '1', '255']]);
    assert.deepEqual(got.step, [[2], ['-9223372036854775808', '1099511627783']]);
    const num = (x: string) => (x === '-inf' ? -Infinity : Number(x));
    assert.deepEqual(got['enc.w'][0], [2, 3]);
    assert.deepEqual(got['enc.w'][1].map(num), [1, -2, 3.5, 0, Math.fround(1e-8), -Infinity]);
    assert.deepEqual(got['z.f64'], [[], [String(Math.PI)]]);
    assert.deepEqual(got.empty, [[0, 4], []]);
  });
});

test("the reference Python package safetensors reads our file", (t) => {
  if (python(['-c', 'import safetensors.numpy']).status !== 0) return t.skip('the Python package safetensors is not installed');
  withFile((file) => {
    const ref = python(['-c', `import sys, json; from safetensors.numpy import load_file
d = load_file(sys.argv[1]); print(json.dumps({k: [list(v.shape), v.ravel().tolist()] for k, v in d.items()}))`, file]);
    assert.equal(ref.status, 0, ref.stderr);
    const st = JSON.parse(ref.stdout);
    assert.deepEqual(st.mask, [[3], [0, 1, 255]]);
    assert.deepEqual(st['counts.é'], [[1, 2], [-5, 2147483647]]);
    assert.deepEqual(st.step, [[2], [-(2 ** 63), 2 ** 40 + 7]]);
    assert.deepEqual(st['z.f64'], [[], [Math.PI]]);
  });
});

// The data checksum against Python's zlib.crc32 (an independent implementation), and what it catches.
test('the recorded CRC-32 of the tensor data equals zlib.crc32; a changed value or a wrong record is refused', (t) => {
  const bytes = encodeSafetensors(sample(), { format: 'vaekit' });
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8'));
  const recorded = header.__metadata__['vaekit.dataCrc32'] as string;
  assert.match(recorded, /^0x[0-9a-f]{8}$/);
  if (python(['-c', 'pass']).status === 0) {
    const r = python(['-c', 'import sys, zlib; print("0x%08x" % zlib.crc32(sys.stdin.buffer.read()))'], undefined, Buffer.from(bytes.subarray(8 + n)));
    assert.equal(r.stdout.trim(), recorded, r.stderr);
  } else t.diagnostic('python3 is not installed: CRC checked only by round trip');
  assert.deepEqual(decodeSafetensors(bytes, 'ok').metadata, { format: 'vaekit' }, 'the checksum key is verified and removed');
  // a float32 NaN over 4 data bytes: structurally valid, caught only by the checksum
  const nan = bytes.slice();
  nan.set([0x00, 0x00, 0xc0, 0x7f], 8 + n + 8);
  refuses(nan, /tensor data \(bytes \d+\.\.\d+\) has CRC-32 0x[0-9a-f]{8} but the header records 0x[0-9a-f]{8}: the file is corrupt/);
  // without the key (another writer's file) the same bytes load unchecked
  const plain = encodeSafetensors(sample(), {}, { digest: false });
  assert.equal(decodeSafetensors(plain, 'plain').tensors['enc.w'].data.length, 6);
  assert.throws(() => encodeSafetensors({}, { 'vaekit.dataCrc32': '0' }), /reserved for the data checksum/);
});
