// Child process of bench/data.ts: one shuffled epoch (batches of 128) over the .npy at argv[2], read from disk;
// prints peak RSS. A separate file so the measurement starts from a bare process (no ONNX Runtime, no sharp).
// Peak RSS is VmHWM from /proc/self/status (this process image's high-water mark): getrusage's maxRSS would
// report the parent's peak, because Linux keeps it across fork and exec. Elsewhere, the largest sampled RSS.
import { existsSync, readFileSync } from 'node:fs';
import { rowSize } from '../src/data/rowDataset.js';
import { openNpyDataset } from '../src/node/npyFileDataset.js';
import { Prng } from '../src/random/prng.js';

const B = 128;
const ds = openNpyDataset(process.argv[2]);
const baseMiB = process.memoryUsage().rss / 2 ** 20;
const perm = new Prng(9).permutation(ds.n);
const x = new Float32Array(B * rowSize(ds));
let checksum = 0;
let sampledMiB = 0;
const t0 = performance.now();
for (let s = 0; s < ds.n; s += B) {
  const idx = perm.subarray(s, Math.min(ds.n, s + B));
  ds.read(idx, x.subarray(0, idx.length * rowSize(ds)));
  checksum += x[0];
  if ((s / B) % 64 === 0) sampledMiB = Math.max(sampledMiB, process.memoryUsage().rss / 2 ** 20);
}
const seconds = (performance.now() - t0) / 1000;
ds.close?.();
const hwm = existsSync('/proc/self/status') ? /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8')) : null;
const maxRssMiB = hwm ? Number(hwm[1]) / 1024 : sampledMiB;
console.log(JSON.stringify({ maxRssMiB, baseMiB, seconds, rows: ds.n, checksum }));
