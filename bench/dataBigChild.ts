// Child process of bench/data.ts: one shuffled epoch (batches of 128) over the .npy at argv[2], read from disk;
// prints peak RSS. A separate file so the measurement starts from a bare process (no ONNX Runtime, no sharp).
import { rowSize } from '../src/data/rowDataset.js';
import { openNpyDataset } from '../src/node/npyFileDataset.js';
import { Prng } from '../src/random/prng.js';

const B = 128;
const ds = openNpyDataset(process.argv[2]);
const baseMiB = process.memoryUsage().rss / 2 ** 20;
const perm = new Prng(9).permutation(ds.n);
const x = new Float32Array(B * rowSize(ds));
let checksum = 0;
const t0 = performance.now();
for (let s = 0; s < ds.n; s += B) {
  const idx = perm.subarray(s, Math.min(ds.n, s + B));
  ds.read(idx, x.subarray(0, idx.length * rowSize(ds)));
  checksum += x[0];
}
const seconds = (performance.now() - t0) / 1000;
ds.close?.();
console.log(JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024, baseMiB, seconds, rows: ds.n, checksum }));
