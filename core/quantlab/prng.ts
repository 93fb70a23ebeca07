/**
 * The seeded pseudo-random generator behind every synthetic tensor: xoshiro128** 1.1
 * (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2018; reference code
 * prng.di.unimi.it/xoshiro128starstar.c), seeded through SplitMix64 as the authors recommend
 * (prng.di.unimi.it/splitmix64.c). 32-bit state words, so every step is exact in JavaScript.
 * Same seed, same numbers, on every platform and face.
 */

const UINT64_MASK = (1n << 64n) - 1n;
/** SplitMix64 increment: the golden-ratio constant 0x9E3779B97F4A7C15 (splitmix64.c). */
const SPLITMIX64_GAMMA = 0x9e3779b97f4a7c15n;
/** SplitMix64 output mixing multipliers (splitmix64.c, Stafford's Mix13 variant). */
const SPLITMIX64_MIX1 = 0xbf58476d1ce4e5b9n;
const SPLITMIX64_MIX2 = 0x94d049bb133111ebn;
/** 2^-32: turns a uint32 into a float in [0, 1). */
const UINT32_TO_UNIT = 2 ** -32;

/**
 * SplitMix64 from a 64-bit seed: returns the generator's next() as a closure over its state.
 * @example splitMix64(1234567n)() // 6457827717110365317n (Rosetta Code, Splitmix64)
 */
export function splitMix64(seed: bigint): () => bigint {
  let state = BigInt.asUintN(64, seed);
  return () => {
    state = (state + SPLITMIX64_GAMMA) & UINT64_MASK;
    let z = state;
    z = ((z ^ (z >> 30n)) * SPLITMIX64_MIX1) & UINT64_MASK;
    z = ((z ^ (z >> 27n)) * SPLITMIX64_MIX2) & UINT64_MASK;
    return z ^ (z >> 31n);
  };
}

/** The 128-bit state of xoshiro128**, four uint32 words; it must not be all zero. */
type Xoshiro128State = readonly [number, number, number, number];

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** xoshiro128**: a fast, small-state generator of uint32s and of the distributions built on them. */
export class Xoshiro128StarStar {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Starts from an explicit state (the reference code's `s[4]`). */
  constructor(state: Xoshiro128State) {
    [this.s0, this.s1, this.s2, this.s3] = state.map((word) => word >>> 0) as [
      number,
      number,
      number,
      number,
    ];
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) {
      throw new RangeError('xoshiro128** state must not be all zero');
    }
  }

  /** Seeds the state from two SplitMix64 outputs, as the xoshiro authors recommend. */
  static fromSeed(seed: number | bigint): Xoshiro128StarStar {
    const next = splitMix64(BigInt(seed));
    const a = next();
    const b = next();
    const words: Xoshiro128State = [
      Number(a & 0xffffffffn),
      Number(a >> 32n),
      Number(b & 0xffffffffn),
      Number(b >> 32n),
    ];
    return new Xoshiro128StarStar(words);
  }

  /** The next uint32 (xoshiro128starstar.c `next()`). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform float in [0, 1) with 53 random bits (two draws). */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** A uniform float in (0, 1): never 0, so logarithms of it are finite. */
  nextOpenFloat(): number {
    return (this.nextUint32() + 0.5) * UINT32_TO_UNIT;
  }

  /** A uniform integer in [0, bound), 1 ≤ bound ≤ 2^32: rejection of the top partial range, unbiased. */
  nextBelow(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > 2 ** 32) {
      throw new RangeError(`bound ${bound} out of range`);
    }
    const limit = Math.floor(2 ** 32 / bound) * bound;
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % bound;
    }
  }
}
