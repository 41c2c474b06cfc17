/**
 * Seeded PRNG (xoshiro128**, seeded through splitmix32) that feeds all noise into vaekit graphs,
 * so a run with a seed is reproducible bit for bit. Its state is four uint32 words and can be
 * saved in a checkpoint and restored exactly.
 *
 * @example
 * const rng = new Prng(42);
 * const eps = rng.normals(new Float32Array(128 * 20)); // ε ~ N(0, I) for the reparameterization
 */
export class Prng {
  private s: Uint32Array;
  /** A second normal from the last Box–Muller pair, kept so no draw is wasted. NaN when empty. */
  private spare = NaN;

  constructor(seed: number) {
    this.s = new Uint32Array(4);
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      // splitmix32: spreads a small integer seed over the whole state
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if (this.s.every((w) => w === 0)) this.s[0] = 1;
  }

  /** Next uint32. */
  nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 random bits. */
  uniform(): number {
    return this.nextU32() / 4294967296;
  }

  /** Standard normal draw (Box–Muller). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    // u1 in (0, 1] so log(u1) is finite
    const u1 = (this.nextU32() + 1) / 4294967296;
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** Fills `out` with standard normals and returns it. */
  normals<T extends Float32Array | Float64Array>(out: T): T {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }

  /** Fills `out` with uniforms in [0, 1) and returns it. */
  uniforms<T extends Float32Array | Float64Array>(out: T): T {
    for (let i = 0; i < out.length; i++) out[i] = this.uniform();
    return out;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** Serializable state: four words plus the pending spare normal. */
  getState(): { words: number[]; spare: number | null } {
    return { words: Array.from(this.s), spare: Number.isNaN(this.spare) ? null : this.spare };
  }

  /** Restores a state captured by getState(). */
  setState(state: { words: number[]; spare: number | null }): void {
    if (state.words.length !== 4) throw new Error('Prng state needs 4 words');
    this.s = Uint32Array.from(state.words);
    this.spare = state.spare ?? NaN;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
