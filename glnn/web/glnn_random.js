// @ts-check
// glnn's weights in JavaScript, bit for bit the float32 values numpy draws (docs/contract.md, "The weights"
// and "The view"). A stream [k1, k2, ...] is numpy's
//     np.random.Generator(np.random.PCG64(np.random.SeedSequence([k1, k2, ...])))
// and this file replays exactly what numpy's C code does for the draws glnn makes:
//   SeedSequence    numpy/random/bit_generator.pyx (the hash mixing, pool of 4 uint32 words, generate_state)
//   PCG64           numpy/random/src/pcg64/pcg64.{h,c}: 128-bit LCG, XSL-RR output, seeded by
//                   pcg_setseq_128_srandom_r; next_uint32 hands out the low then the high half of one uint64
//   random()        (next_uint64 >> 11) * 2^-53
//   uniform         low + (high - low) * random()          (random_uniform in distributions.c)
//   standard_normal the ziggurat of random_standard_normal (distributions.c), tables from ziggurat_constants.h
//   integers        Generator.integers, int64: [low, high - 1] by random_bounded_uint64_fill: ranges below 2^32
//                   by 32-bit Lemire on next_uint32, larger ones by 64-bit Lemire on next_uint64
// glnnNetwork(spec, tables) then builds the layers as glnn/model/network.py does: W = m * u and b = bias_scale * u in
// float64, rounded to float32 once (Math.fround).
// Speed: the draws are number arithmetic on 32-bit words (PCG64 below: two interleaved LCG chains, 256 outputs
// drawn ahead into an Int32Array; uniform and standard_normal fill Float64Arrays straight from it), nothing
// allocated per draw; BigInt only seeds a stream (SeedSequence, PCG64's constructor) and draws integer ranges of
// 2^32 or more (never glnn's). `glnn bench --weights` times it against numpy.
//
// An ES module without imports (node imports it as it is; the pages inline it: glnn/web/bundle.py bundle()).
// glnn's tables (the mix choices, the inits) come from Python in `tables` (glnn/web/tables.py web_tables()), never
// copied here. Seeds above 2^53 must come as BigInt or decimal strings.
// Tested against numpy by tests/system/test_js_weights.py (networks) and tests/system/test_js_streams.py (raw streams).

const MASK32 = 0xffffffffn;
const MASK64 = 0xffffffffffffffffn;
const MASK128 = (1n << 128n) - 1n;

// ---------------------------------------------------------------- SeedSequence (bit_generator.pyx)
const POOL_SIZE = 4;
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const XSHIFT = 16;

// uint32 products: Math.imul gives the low 32 bits, exactly as C's uint32_t arithmetic.
function mul32(a, b) {
  return Math.imul(a, b) >>> 0;
}

function toBigInt(k) {
  if (typeof k === "bigint") return k;
  if (typeof k === "number") {
    if (!Number.isSafeInteger(k)) throw new Error("glnnRandom: " + k + " is not an exact integer (pass a BigInt or a string)");
    return BigInt(k);
  }
  if (typeof k === "string" && /^[0-9]+$/.test(k)) return BigInt(k);
  throw new Error("glnnRandom: not a non-negative integer: " + k);
}

// numpy's _int_to_uint32_array: lowest 32 bits first; 0 is one word.
function intToUint32Words(k) {
  let n = toBigInt(k);
  if (n < 0n) throw new Error("glnnRandom: expected a non-negative integer, not " + n);
  if (n === 0n) return [0];
  const words = [];
  while (n > 0n) {
    words.push(Number(n & MASK32));
    n >>= 32n;
  }
  return words;
}

// The entropy of SeedSequence([k1, k2, ...]): each key's words, concatenated (no spawn key).
function entropyWords(keys) {
  const words = [];
  for (const k of keys) words.push(...intToUint32Words(k));
  return words;
}

// SeedSequence.mix_entropy: the pool of POOL_SIZE uint32 words.
function seedSequencePool(keys) {
  const entropy = entropyWords(keys);
  const pool = new Array(POOL_SIZE);
  let hashConst = INIT_A;
  function hashmix(value) {
    value = (value ^ hashConst) >>> 0;
    hashConst = mul32(hashConst, MULT_A);
    value = mul32(value, hashConst);
    return (value ^ (value >>> XSHIFT)) >>> 0;
  }
  function mix(x, y) {
    const result = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
    return (result ^ (result >>> XSHIFT)) >>> 0;
  }
  for (let i = 0; i < POOL_SIZE; i++) pool[i] = hashmix(i < entropy.length ? entropy[i] : 0);
  for (let src = 0; src < POOL_SIZE; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) {
      if (src !== dst) pool[dst] = mix(pool[dst], hashmix(pool[src]));
    }
  }
  for (let src = POOL_SIZE; src < entropy.length; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) pool[dst] = mix(pool[dst], hashmix(entropy[src]));
  }
  return pool;
}

// SeedSequence.generate_state(nWords, np.uint64): 2 nWords uint32 words cycling over the pool, paired
// little-endian into uint64 (BigInt).
function generateState64(pool, nWords) {
  const words = [];
  let hashConst = INIT_B;
  for (let i = 0; i < 2 * nWords; i++) {
    let v = (pool[i % POOL_SIZE] ^ hashConst) >>> 0;
    hashConst = mul32(hashConst, MULT_B);
    v = mul32(v, hashConst);
    words.push((v ^ (v >>> XSHIFT)) >>> 0);
  }
  const out = [];
  for (let i = 0; i < nWords; i++) out.push(BigInt(words[2 * i]) | (BigInt(words[2 * i + 1]) << 32n));
  return out;
}

// ---------------------------------------------------------------- PCG64 (pcg64.h, pcg64.c)
// Every draw is number arithmetic on 32-bit words: no BigInt, nothing allocated. The LCG runs as two interleaved
// chains: state n + 2 = A * state n + C with A = MULTIPLIER^2 and C = (MULTIPLIER + 1) * inc (mod 2^128), the same
// states in the same order, two at a time (the two products are independent, so the CPU overlaps them). refill()
// writes the next BUFFER_DRAWS outputs into a buffer, which next64() hands out in order; only the draws show, so
// drawing ahead changes nothing.
//
// The product A * s (mod 2^128), s and A in 32-bit words s0..s3 and a0..a3 (lowest first): P_k, the sum of
// s_i * a_j over i + j = k, is a whole number below 3 * 2^64, and A * s = sum of P_k * 2^32k. Math.imul gives P_k's
// low 32 bits L_k exactly; the same sum in doubles is within 2^15 of P_k, so Q_k = (P_k - L_k) / 2^32 is the
// nearest whole number to (that sum - L_k) / 2^32 (off by under 2^-17): P_k = L_k + Q_k * 2^32, exactly. Word 0 of
// the new state is L_0 + c0 (C's words c0..c3), word 1 L_1 + Q_0 + c1, word 2 L_2 + Q_1 + c2, each plus the carry
// of the one before (sums below 2^35, exact); word 3 needs only low 32 bits: P_3's (Math.imul), Q_2's, c3's, and
// the carry. Doubles hold whole numbers exactly below 2^53; x | 0 and x >>> 0 take any whole double modulo 2^32.
const PCG_MULTIPLIER = 0x2360ed051fc65da44385df649fccf645n;
// = PCG_DEFAULT_MULTIPLIER_HIGH (2549297995355413924) << 64 | PCG_DEFAULT_MULTIPLIER_LOW (4865540595714422341)
// A = PCG_MULTIPLIER^2 mod 2^128 in 32-bit words (uint32 for the doubles, int32 for Math.imul; checked below)
const A0 = 0x20e0ae99, A1 = 0x529ed9eb, A2 = 0xdf69743c, A3 = 0x17bce35b;
const A0I = A0 | 0, A1I = A1 | 0, A2I = A2 | 0, A3I = A3 | 0;
if (((BigInt(A3) << 96n) | (BigInt(A2) << 64n) | (BigInt(A1) << 32n) | BigInt(A0)) !==
    ((PCG_MULTIPLIER * PCG_MULTIPLIER) & MASK128)) {
  throw new Error("glnnRandom: the PCG64 constants are wrong");
}
const INV_2_16 = 1 / 65536;
const INV_2_32 = 1 / 4294967296;
const INV_2_53 = 1 / 9007199254740992;
const BUFFER_DRAWS = 256; // outputs per refill (even)

/** @param {bigint} x @returns {Int32Array} x mod 2^128 as four 32-bit words, lowest first */
function words128(x) {
  const w = new Int32Array(4);
  for (let i = 0; i < 4; i++) w[i] = Number((x >> BigInt(32 * i)) & MASK32) | 0;
  return w;
}

export class PCG64 {
  // initState, initSeq: 128-bit BigInts (pcg64_set_seed: seed[0] << 64 | seed[1], inc[0] << 64 | inc[1]).
  /** @param {bigint} initState @param {bigint} initSeq */
  constructor(initState, initSeq) {
    // pcg_setseq_128_srandom_r: state = 0; inc = initSeq << 1 | 1; step; state += initState; step. Once per
    // stream, in BigInt, up to the first two outputs' states (the chains' starts) and the chains' increment.
    const inc = ((initSeq << 1n) | 1n) & MASK128;
    const step = (/** @type {bigint} */ s) => (s * PCG_MULTIPLIER + inc) & MASK128;
    const s1 = step(step((inc + initState) & MASK128));
    /** the two chains' next states, 4 words each (int32) */
    this.chains = new Int32Array(8);
    this.chains.set(words128(s1), 0);
    this.chains.set(words128(step(s1)), 4);
    /** C = (PCG_MULTIPLIER + 1) * inc, each chain's increment */
    this.inc2 = words128((PCG_MULTIPLIER + 1n) * inc);
    /** the outputs drawn ahead: low word, high word (int32) */
    this.buffer = new Int32Array(2 * BUFFER_DRAWS);
    this.pos = this.buffer.length; // the next output's low word; at the end: refill
    /** the high 32 bits of the last next64() (int32) */
    this.hi = 0;
    // pcg64_state's has_uint32 / uinteger: the buffered high half for next_uint32
    this.hasUint32 = false;
    this.uinteger = 0;
  }

  // The next BUFFER_DRAWS outputs of pcg_setseq_128_xsl_rr_64_random_r, two chains at a time: an output is its
  // state's (high 64 ^ low 64) rotated right by the state's top 6 bits; then the state steps.
  refill() {
    const q = this.chains, c = this.inc2, buf = this.buffer;
    const c0 = c[0] >>> 0, c1 = c[1] >>> 0, c2 = c[2] >>> 0, c3 = c[3];
    let p0 = q[0], p1 = q[1], p2 = q[2], p3 = q[3], r0 = q[4], r1 = q[5], r2 = q[6], r3 = q[7];
    for (let j = 0; j < buf.length; j += 4) {
      {
        // XSL-RR: x = high64 ^ low64 in words (xl, xh); a rotation by 32 or more (the state's top bit set) swaps
        // them, then (w << 1) << (31 - r) is w << (32 - r), and 0 when r = 0 (shift counts are taken mod 32)
        const ul = p0 ^ p2, uh = p1 ^ p3, sw = (ul ^ uh) & (p3 >> 31), xl = ul ^ sw, xh = uh ^ sw, r = (p3 >>> 26) & 31;
        buf[j] = (xl >>> r) | ((xh << 1) << (31 - r));
        buf[j + 1] = (xh >>> r) | ((xl << 1) << (31 - r));
        // the step
        const s0 = p0 >>> 0, s1 = p1 >>> 0, s2 = p2 >>> 0;
        const l0 = Math.imul(p0, A0I) >>> 0;
        const l1 = ((Math.imul(p0, A1I) + Math.imul(p1, A0I)) | 0) >>> 0;
        const l2 = ((((Math.imul(p0, A2I) + Math.imul(p1, A1I)) | 0) + Math.imul(p2, A0I)) | 0) >>> 0;
        const q0 = Math.floor((s0 * A0 - l0) * INV_2_32 + 0.5);
        const q1 = Math.floor(((s0 * A1 + s1 * A0) - l1) * INV_2_32 + 0.5);
        const q2 = Math.floor((((s0 * A2 + s1 * A1) + s2 * A0) - l2) * INV_2_32 + 0.5);
        const t0 = l0 + c0;
        const t1 = (l1 + q0) + (c1 + Math.floor(t0 * INV_2_32));
        const t2 = (l2 + q1) + (c2 + Math.floor(t1 * INV_2_32));
        p3 = ((((Math.imul(p0, A3I) + Math.imul(p1, A2I)) | 0) + ((Math.imul(p2, A1I) + Math.imul(p3, A0I)) | 0)) | 0) +
          ((((q2 | 0) + c3) | 0) + (Math.floor(t2 * INV_2_32) | 0) | 0) | 0;
        p0 = t0 | 0;
        p1 = t1 | 0;
        p2 = t2 | 0;
      }
      {
        // the other chain: the same
        const ul = r0 ^ r2, uh = r1 ^ r3, sw = (ul ^ uh) & (r3 >> 31), xl = ul ^ sw, xh = uh ^ sw, r = (r3 >>> 26) & 31;
        buf[j + 2] = (xl >>> r) | ((xh << 1) << (31 - r));
        buf[j + 3] = (xh >>> r) | ((xl << 1) << (31 - r));
        const s0 = r0 >>> 0, s1 = r1 >>> 0, s2 = r2 >>> 0;
        const l0 = Math.imul(r0, A0I) >>> 0;
        const l1 = ((Math.imul(r0, A1I) + Math.imul(r1, A0I)) | 0) >>> 0;
        const l2 = ((((Math.imul(r0, A2I) + Math.imul(r1, A1I)) | 0) + Math.imul(r2, A0I)) | 0) >>> 0;
        const q0 = Math.floor((s0 * A0 - l0) * INV_2_32 + 0.5);
        const q1 = Math.floor(((s0 * A1 + s1 * A0) - l1) * INV_2_32 + 0.5);
        const q2 = Math.floor((((s0 * A2 + s1 * A1) + s2 * A0) - l2) * INV_2_32 + 0.5);
        const t0 = l0 + c0;
        const t1 = (l1 + q0) + (c1 + Math.floor(t0 * INV_2_32));
        const t2 = (l2 + q1) + (c2 + Math.floor(t1 * INV_2_32));
        r3 = ((((Math.imul(r0, A3I) + Math.imul(r1, A2I)) | 0) + ((Math.imul(r2, A1I) + Math.imul(r3, A0I)) | 0)) | 0) +
          ((((q2 | 0) + c3) | 0) + (Math.floor(t2 * INV_2_32) | 0) | 0) | 0;
        r0 = t0 | 0;
        r1 = t1 | 0;
        r2 = t2 | 0;
      }
    }
    q[0] = p0; q[1] = p1; q[2] = p2; q[3] = p3; q[4] = r0; q[5] = r1; q[6] = r2; q[7] = r3;
    this.pos = 0;
  }

  // next_uint64: returns its low 32 bits (int32) and leaves its high 32 bits in this.hi.
  next64() {
    if (this.pos === this.buffer.length) this.refill();
    const p = this.pos;
    this.pos = p + 2;
    this.hi = this.buffer[p + 1];
    return this.buffer[p];
  }

  // next_uint64 as a BigInt (tests; glnn's draws use next64 and nextDouble).
  nextUint64() {
    const lo = this.next64();
    return (BigInt(this.hi >>> 0) << 32n) | BigInt(lo >>> 0);
  }

  // pcg64_next32: the low half of a fresh uint64, the next call its high half (a number from 0 to 2^32 - 1).
  nextUint32() {
    if (this.hasUint32) {
      this.hasUint32 = false;
      return this.uinteger;
    }
    const lo = this.next64();
    this.hasUint32 = true;
    this.uinteger = this.hi >>> 0;
    return lo >>> 0;
  }

  // pcg64_double: (next_uint64 >> 11) * 2^-53, 53 random bits in [0, 1): the high word's 32 and the low word's top 21
  nextDouble() {
    const lo = this.next64();
    return ((this.hi >>> 0) * 2097152 + (lo >>> 11)) * INV_2_53;
  }

  // next_uint64 n times into out, a Uint32Array of 2 n (low word, high word: a little-endian uint64 array's bytes)
  /** @param {Uint32Array} out */
  fillUint64(out) {
    for (let i = 0; i < out.length; i += 2) {
      out[i] = this.next64();
      out[i + 1] = this.hi;
    }
    return out;
  }
}

// ---------------------------------------------------------------- ziggurat_constants.h
// The three double tables, copied as text from numpy/random/src/distributions/ziggurat_constants.h (the same
// decimal and hexadecimal literals, which JavaScript, like the C compiler, rounds to the nearest double; the
// ki values are below 2^53, so exact as numbers).
const KI_DOUBLE = [
  0x000EF33D8025EF6A, 0x0000000000000000, 0x000C08BE98FBC6A8,
  0x000DA354FABD8142, 0x000E51F67EC1EEEA, 0x000EB255E9D3F77E,
  0x000EEF4B817ECAB9, 0x000F19470AFA44AA, 0x000F37ED61FFCB18,
  0x000F4F469561255C, 0x000F61A5E41BA396, 0x000F707A755396A4,
  0x000F7CB2EC28449A, 0x000F86F10C6357D3, 0x000F8FA6578325DE,
  0x000F9724C74DD0DA, 0x000F9DA907DBF509, 0x000FA360F581FA74,
  0x000FA86FDE5B4BF8, 0x000FACF160D354DC, 0x000FB0FB6718B90F,
  0x000FB49F8D5374C6, 0x000FB7EC2366FE77, 0x000FBAECE9A1E50E,
  0x000FBDAB9D040BED, 0x000FC03060FF6C57, 0x000FC2821037A248,
  0x000FC4A67AE25BD1, 0x000FC6A2977AEE31, 0x000FC87AA92896A4,
  0x000FCA325E4BDE85, 0x000FCBCCE902231A, 0x000FCD4D12F839C4,
  0x000FCEB54D8FEC99, 0x000FD007BF1DC930, 0x000FD1464DD6C4E6,
  0x000FD272A8E2F450, 0x000FD38E4FF0C91E, 0x000FD49A9990B478,
  0x000FD598B8920F53, 0x000FD689C08E99EC, 0x000FD76EA9C8E832,
  0x000FD848547B08E8, 0x000FD9178BAD2C8C, 0x000FD9DD07A7ADD2,
  0x000FDA9970105E8C, 0x000FDB4D5DC02E20, 0x000FDBF95C5BFCD0,
  0x000FDC9DEBB99A7D, 0x000FDD3B8118729D, 0x000FDDD288342F90,
  0x000FDE6364369F64, 0x000FDEEE708D514E, 0x000FDF7401A6B42E,
  0x000FDFF46599ED40, 0x000FE06FE4BC24F2, 0x000FE0E6C225A258,
  0x000FE1593C28B84C, 0x000FE1C78CBC3F99, 0x000FE231E9DB1CAA,
  0x000FE29885DA1B91, 0x000FE2FB8FB54186, 0x000FE35B33558D4A,
  0x000FE3B799D0002A, 0x000FE410E99EAD7F, 0x000FE46746D47734,
  0x000FE4BAD34C095C, 0x000FE50BAED29524, 0x000FE559F74EBC78,
  0x000FE5A5C8E41212, 0x000FE5EF3E138689, 0x000FE6366FD91078,
  0x000FE67B75C6D578, 0x000FE6BE661E11AA, 0x000FE6FF55E5F4F2,
  0x000FE73E5900A702, 0x000FE77B823E9E39, 0x000FE7B6E37070A2,
  0x000FE7F08D774243, 0x000FE8289053F08C, 0x000FE85EFB35173A,
  0x000FE893DC840864, 0x000FE8C741F0CEBC, 0x000FE8F9387D4EF6,
  0x000FE929CC879B1D, 0x000FE95909D388EA, 0x000FE986FB939AA2,
  0x000FE9B3AC714866, 0x000FE9DF2694B6D5, 0x000FEA0973ABE67C,
  0x000FEA329CF166A4, 0x000FEA5AAB32952C, 0x000FEA81A6D5741A,
  0x000FEAA797DE1CF0, 0x000FEACC85F3D920, 0x000FEAF07865E63C,
  0x000FEB13762FEC13, 0x000FEB3585FE2A4A, 0x000FEB56AE3162B4,
  0x000FEB76F4E284FA, 0x000FEB965FE62014, 0x000FEBB4F4CF9D7C,
  0x000FEBD2B8F449D0, 0x000FEBEFB16E2E3E, 0x000FEC0BE31EBDE8,
  0x000FEC2752B15A15, 0x000FEC42049DAFD3, 0x000FEC5BFD29F196,
  0x000FEC75406CEEF4, 0x000FEC8DD2500CB4, 0x000FECA5B6911F12,
  0x000FECBCF0C427FE, 0x000FECD38454FB15, 0x000FECE97488C8B3,
  0x000FECFEC47F91B7, 0x000FED1377358528, 0x000FED278F844903,
  0x000FED3B10242F4C, 0x000FED4DFBAD586E, 0x000FED605498C3DD,
  0x000FED721D414FE8, 0x000FED8357E4A982, 0x000FED9406A42CC8,
  0x000FEDA42B85B704, 0x000FEDB3C8746AB4, 0x000FEDC2DF416652,
  0x000FEDD171A46E52, 0x000FEDDF813C8AD3, 0x000FEDED0F909980,
  0x000FEDFA1E0FD414, 0x000FEE06AE124BC4, 0x000FEE12C0D95A06,
  0x000FEE1E579006E0, 0x000FEE29734B6524, 0x000FEE34150AE4BC,
  0x000FEE3E3DB89B3C, 0x000FEE47EE2982F4, 0x000FEE51271DB086,
  0x000FEE59E9407F41, 0x000FEE623528B42E, 0x000FEE6A0B5897F1,
  0x000FEE716C3E077A, 0x000FEE7858327B82, 0x000FEE7ECF7B06BA,
  0x000FEE84D2484AB2, 0x000FEE8A60B66343, 0x000FEE8F7ACCC851,
  0x000FEE94207E25DA, 0x000FEE9851A829EA, 0x000FEE9C0E13485C,
  0x000FEE9F557273F4, 0x000FEEA22762CCAE, 0x000FEEA4836B42AC,
  0x000FEEA668FC2D71, 0x000FEEA7D76ED6FA, 0x000FEEA8CE04FA0A,
  0x000FEEA94BE8333B, 0x000FEEA950296410, 0x000FEEA8D9C0075E,
  0x000FEEA7E7897654, 0x000FEEA678481D24, 0x000FEEA48AA29E83,
  0x000FEEA21D22E4DA, 0x000FEE9F2E352024, 0x000FEE9BBC26AF2E,
  0x000FEE97C524F2E4, 0x000FEE93473C0A3A, 0x000FEE8E40557516,
  0x000FEE88AE369C7A, 0x000FEE828E7F3DFD, 0x000FEE7BDEA7B888,
  0x000FEE749BFF37FF, 0x000FEE6CC3A9BD5E, 0x000FEE64529E007E,
  0x000FEE5B45A32888, 0x000FEE51994E57B6, 0x000FEE474A0006CF,
  0x000FEE3C53E12C50, 0x000FEE30B2E02AD8, 0x000FEE2462AD8205,
  0x000FEE175EB83C5A, 0x000FEE09A22A1447, 0x000FEDFB27E349CC,
  0x000FEDEBEA76216C, 0x000FEDDBE422047E, 0x000FEDCB0ECE39D3,
  0x000FEDB964042CF4, 0x000FEDA6DCE938C9, 0x000FED937237E98D,
  0x000FED7F1C38A836, 0x000FED69D2B9C02B, 0x000FED538D06AE00,
  0x000FED3C41DEA422, 0x000FED23E76A2FD8, 0x000FED0A732FE644,
  0x000FECEFDA07FE34, 0x000FECD4100EB7B8, 0x000FECB708956EB4,
  0x000FEC98B61230C1, 0x000FEC790A0DA978, 0x000FEC57F50F31FE,
  0x000FEC356686C962, 0x000FEC114CB4B335, 0x000FEBEB948E6FD0,
  0x000FEBC429A0B692, 0x000FEB9AF5EE0CDC, 0x000FEB6FE1C98542,
  0x000FEB42D3AD1F9E, 0x000FEB13B00B2D4B, 0x000FEAE2591A02E9,
  0x000FEAAEAE992257, 0x000FEA788D8EE326, 0x000FEA3FCFFD73E5,
  0x000FEA044C8DD9F6, 0x000FE9C5D62F563B, 0x000FE9843BA947A4,
  0x000FE93F471D4728, 0x000FE8F6BD76C5D6, 0x000FE8AA5DC4E8E6,
  0x000FE859E07AB1EA, 0x000FE804F690A940, 0x000FE7AB488233C0,
  0x000FE74C751F6AA5, 0x000FE6E8102AA202, 0x000FE67DA0B6ABD8,
  0x000FE60C9F38307E, 0x000FE5947338F742, 0x000FE51470977280,
  0x000FE48BD436F458, 0x000FE3F9BFFD1E37, 0x000FE35D35EEB19C,
  0x000FE2B5122FE4FE, 0x000FE20003995557, 0x000FE13C82788314,
  0x000FE068C4EE67B0, 0x000FDF82B02B71AA, 0x000FDE87C57EFEAA,
  0x000FDD7509C63BFD, 0x000FDC46E529BF13, 0x000FDAF8F82E0282,
  0x000FD985E1B2BA75, 0x000FD7E6EF48CF04, 0x000FD613ADBD650B,
  0x000FD40149E2F012, 0x000FD1A1A7B4C7AC, 0x000FCEE204761F9E,
  0x000FCBA8D85E11B2, 0x000FC7D26ECD2D22, 0x000FC32B2F1E22ED,
  0x000FBD6581C0B83A, 0x000FB606C4005434, 0x000FAC40582A2874,
  0x000F9E971E014598, 0x000F89FA48A41DFC, 0x000F66C5F7F0302C,
  0x000F1A5A4B331C4A,
];
const WI_DOUBLE = [
  8.68362706080130616677e-16, 4.77933017572773682428e-17, 6.35435241740526230246e-17,
  7.45487048124769627714e-17, 8.32936681579309972857e-17, 9.06806040505948228243e-17,
  9.71486007656776183958e-17, 1.02947503142410192108e-16, 1.08234302884476839838e-16,
  1.13114701961090307945e-16, 1.17663594570229211411e-16, 1.21936172787143633280e-16,
  1.25974399146370927864e-16, 1.29810998862640315416e-16, 1.33472037368241227547e-16,
  1.36978648425712032797e-16, 1.40348230012423820659e-16, 1.43595294520569430270e-16,
  1.46732087423644219083e-16, 1.49769046683910367425e-16, 1.52715150035961979750e-16,
  1.55578181694607639484e-16, 1.58364940092908853989e-16, 1.61081401752749279325e-16,
  1.63732852039698532012e-16, 1.66323990584208352778e-16, 1.68859017086765964015e-16,
  1.71341701765596607184e-16, 1.73775443658648593310e-16, 1.76163319230009959832e-16,
  1.78508123169767272927e-16, 1.80812402857991522674e-16, 1.83078487648267501776e-16,
  1.85308513886180189386e-16, 1.87504446393738816849e-16, 1.89668097007747596212e-16,
  1.91801140648386198029e-16, 1.93905129306251037069e-16, 1.95981504266288244037e-16,
  1.98031606831281739736e-16, 2.00056687762733300198e-16, 2.02057915620716538808e-16,
  2.04036384154802118313e-16, 2.05993118874037063144e-16, 2.07929082904140197311e-16,
  2.09845182223703516690e-16, 2.11742270357603418769e-16, 2.13621152594498681022e-16,
  2.15482589785814580926e-16, 2.17327301775643674990e-16, 2.19155970504272708519e-16,
  2.20969242822353175995e-16, 2.22767733047895534948e-16, 2.24552025294143552381e-16,
  2.26322675592856786566e-16, 2.28080213834501706782e-16, 2.29825145544246839061e-16,
  2.31557953510408037008e-16, 2.33279099280043561128e-16, 2.34989024534709550938e-16,
  2.36688152357916037468e-16, 2.38376888404542434981e-16, 2.40055621981350627349e-16,
  2.41724727046750252175e-16, 2.43384563137110286400e-16, 2.45035476226149539878e-16,
  2.46677799523270498158e-16, 2.48311854216108767769e-16, 2.49937950162045242375e-16,
  2.51556386532965786439e-16, 2.53167452417135826983e-16, 2.54771427381694417303e-16,
  2.56368581998939683749e-16, 2.57959178339286723500e-16, 2.59543470433517070146e-16,
  2.61121704706701939097e-16, 2.62694120385972564623e-16, 2.64260949884118951286e-16,
  2.65822419160830680292e-16, 2.67378748063236329361e-16, 2.68930150647261591777e-16,
  2.70476835481199518794e-16, 2.72019005932773206655e-16, 2.73556860440867908686e-16,
  2.75090592773016664571e-16, 2.76620392269639032183e-16, 2.78146444075954410103e-16,
  2.79668929362423005309e-16, 2.81188025534502074329e-16, 2.82703906432447923059e-16,
  2.84216742521840606520e-16, 2.85726701075460149289e-16, 2.87233946347097994381e-16,
  2.88738639737848191815e-16, 2.90240939955384233230e-16, 2.91741003166694553259e-16,
  2.93238983144718163965e-16, 2.94735031409293489611e-16, 2.96229297362806647792e-16,
  2.97721928420902891115e-16, 2.99213070138601307081e-16, 3.00702866332133102993e-16,
  3.02191459196806151971e-16, 3.03678989421180184427e-16, 3.05165596297821922381e-16,
  3.06651417830895451744e-16, 3.08136590840829717032e-16, 3.09621251066292253306e-16,
  3.11105533263689296831e-16, 3.12589571304399892784e-16, 3.14073498269944617203e-16,
  3.15557446545280064031e-16, 3.17041547910402852545e-16, 3.18525933630440648871e-16,
  3.20010734544401137886e-16, 3.21496081152744704901e-16, 3.22982103703941557538e-16,
  3.24468932280169778077e-16, 3.25956696882307838340e-16, 3.27445527514370671802e-16,
  3.28935554267536967851e-16, 3.30426907403912838589e-16, 3.31919717440175233652e-16,
  3.33414115231237245918e-16, 3.34910232054077845412e-16, 3.36408199691876507948e-16,
  3.37908150518594979994e-16, 3.39410217584148914282e-16, 3.40914534700312603713e-16,
  3.42421236527501816058e-16, 3.43930458662583133920e-16, 3.45442337727858401604e-16,
  3.46957011461378353333e-16, 3.48474618808741370700e-16, 3.49995300016538099813e-16,
  3.51519196727607440975e-16, 3.53046452078274009054e-16, 3.54577210797743572160e-16,
  3.56111619309838843415e-16, 3.57649825837265051035e-16, 3.59191980508602994994e-16,
  3.60738235468235137839e-16, 3.62288744989419151904e-16, 3.63843665590734438546e-16,
  3.65403156156136995766e-16, 3.66967378058870090021e-16, 3.68536495289491401456e-16,
  3.70110674588289834952e-16, 3.71690085582382297792e-16, 3.73274900927794352614e-16,
  3.74865296456848868882e-16, 3.76461451331202869131e-16, 3.78063548200896037651e-16,
  3.79671773369794425924e-16, 3.81286316967837738238e-16, 3.82907373130524317507e-16,
  3.84535140186095955858e-16, 3.86169820850914927119e-16, 3.87811622433558721164e-16,
  3.89460757048192620674e-16, 3.91117441837820542060e-16, 3.92781899208054153270e-16,
  3.94454357072087711446e-16, 3.96135049107613542983e-16, 3.97824215026468259474e-16,
  3.99522100857856502444e-16, 4.01228959246062907451e-16, 4.02945049763632792393e-16,
  4.04670639241074995115e-16, 4.06406002114225038723e-16, 4.08151420790493873480e-16,
  4.09907186035326643447e-16, 4.11673597380302570170e-16, 4.13450963554423599878e-16,
  4.15239602940268833891e-16, 4.17039844056831587498e-16, 4.18852026071011229572e-16,
  4.20676499339901510978e-16, 4.22513625986204937320e-16, 4.24363780509307796137e-16,
  4.26227350434779809917e-16, 4.28104737005311666397e-16, 4.29996355916383230161e-16,
  4.31902638100262944617e-16, 4.33824030562279080411e-16, 4.35760997273684900553e-16,
  4.37714020125858747008e-16, 4.39683599951052137423e-16, 4.41670257615420348435e-16,
  4.43674535190656726604e-16, 4.45696997211204306674e-16, 4.47738232024753387312e-16,
  4.49798853244554968009e-16, 4.51879501313005876278e-16, 4.53980845187003400947e-16,
  4.56103584156742206384e-16, 4.58248449810956667052e-16, 4.60416208163115281428e-16,
  4.62607661954784567754e-16, 4.64823653154320737780e-16, 4.67065065671263059081e-16,
  4.69332828309332890697e-16, 4.71627917983835129766e-16, 4.73951363232586715165e-16,
  4.76304248053313737663e-16, 4.78687716104872284247e-16, 4.81102975314741720538e-16,
  4.83551302941152515162e-16, 4.86034051145081195402e-16, 4.88552653135360343280e-16,
  4.91108629959526955862e-16, 4.93703598024033454728e-16, 4.96339277440398725619e-16,
  4.99017501309182245754e-16, 5.01740226071808946011e-16, 5.04509543081872748637e-16,
  5.07327691573354207058e-16, 5.10197073234156184149e-16, 5.13120268630678373200e-16,
  5.16100055774322824569e-16, 5.19139431175769859873e-16, 5.22241633800023428760e-16,
  5.25410172417759732697e-16, 5.28648856950494511482e-16, 5.31961834533840037535e-16,
  5.35353631181649688145e-16, 5.38829200133405320160e-16, 5.42393978220171234073e-16,
  5.46053951907478041166e-16, 5.49815735089281410703e-16, 5.53686661246787600374e-16,
  5.57674893292657647836e-16, 5.61789555355541665830e-16, 5.66040892008242216739e-16,
  5.70440462129138908417e-16, 5.75001376891989523684e-16, 5.79738594572459365014e-16,
  5.84669289345547900201e-16, 5.89813317647789942685e-16, 5.95193814964144415532e-16,
  6.00837969627190832234e-16, 6.06778040933344851394e-16, 6.13052720872528159123e-16,
  6.19708989458162555387e-16, 6.26804696330128439415e-16, 6.34412240712750598627e-16,
  6.42623965954805540945e-16, 6.51560331734499356881e-16, 6.61382788509766415145e-16,
  6.72315046250558662913e-16, 6.84680341756425875856e-16, 6.98971833638761995415e-16,
  7.15999493483066421560e-16, 7.37242430179879890722e-16, 7.65893637080557275482e-16,
  8.11384933765648418565e-16,
];
const FI_DOUBLE = [
  1.00000000000000000000e+00, 9.77101701267671596263e-01, 9.59879091800106665211e-01,
  9.45198953442299649730e-01, 9.32060075959230460718e-01, 9.19991505039347012840e-01,
  9.08726440052130879366e-01, 8.98095921898343418910e-01, 8.87984660755833377088e-01,
  8.78309655808917399966e-01, 8.69008688036857046555e-01, 8.60033621196331532488e-01,
  8.51346258458677951353e-01, 8.42915653112204177333e-01, 8.34716292986883434679e-01,
  8.26726833946221373317e-01, 8.18929191603702366642e-01, 8.11307874312656274185e-01,
  8.03849483170964274059e-01, 7.96542330422958966274e-01, 7.89376143566024590648e-01,
  7.82341832654802504798e-01, 7.75431304981187174974e-01, 7.68637315798486264740e-01,
  7.61953346836795386565e-01, 7.55373506507096115214e-01, 7.48892447219156820459e-01,
  7.42505296340151055290e-01, 7.36207598126862650112e-01, 7.29995264561476231435e-01,
  7.23864533468630222401e-01, 7.17811932630721960535e-01, 7.11834248878248421200e-01,
  7.05928501332754310127e-01, 7.00091918136511615067e-01, 6.94321916126116711609e-01,
  6.88616083004671808432e-01, 6.82972161644994857355e-01, 6.77388036218773526009e-01,
  6.71861719897082099173e-01, 6.66391343908750100056e-01, 6.60975147776663107813e-01,
  6.55611470579697264149e-01, 6.50298743110816701574e-01, 6.45035480820822293424e-01,
  6.39820277453056585060e-01, 6.34651799287623608059e-01, 6.29528779924836690007e-01,
  6.24450015547026504592e-01, 6.19414360605834324325e-01, 6.14420723888913888899e-01,
  6.09468064925773433949e-01, 6.04555390697467776029e-01, 5.99681752619125263415e-01,
  5.94846243767987448159e-01, 5.90047996332826008015e-01, 5.85286179263371453274e-01,
  5.80559996100790898232e-01, 5.75868682972353718164e-01, 5.71211506735253227163e-01,
  5.66587763256164445025e-01, 5.61996775814524340831e-01, 5.57437893618765945014e-01,
  5.52910490425832290562e-01, 5.48413963255265812791e-01, 5.43947731190026262382e-01,
  5.39511234256952132426e-01, 5.35103932380457614215e-01, 5.30725304403662057062e-01,
  5.26374847171684479008e-01, 5.22052074672321841931e-01, 5.17756517229756352272e-01,
  5.13487720747326958914e-01, 5.09245245995747941592e-01, 5.05028667943468123624e-01,
  5.00837575126148681903e-01, 4.96671569052489714213e-01, 4.92530263643868537748e-01,
  4.88413284705458028423e-01, 4.84320269426683325253e-01, 4.80250865909046753544e-01,
  4.76204732719505863248e-01, 4.72181538467730199660e-01, 4.68180961405693596422e-01,
  4.64202689048174355069e-01, 4.60246417812842867345e-01, 4.56311852678716434184e-01,
  4.52398706861848520777e-01, 4.48506701507203064949e-01, 4.44635565395739396077e-01,
  4.40785034665803987508e-01, 4.36954852547985550526e-01, 4.33144769112652261445e-01,
  4.29354541029441427735e-01, 4.25583931338021970170e-01, 4.21832709229495894654e-01,
  4.18100649837848226120e-01, 4.14387534040891125642e-01, 4.10693148270188157500e-01,
  4.07017284329473372217e-01, 4.03359739221114510510e-01, 3.99720314980197222177e-01,
  3.96098818515832451492e-01, 3.92495061459315619512e-01, 3.88908860018788715696e-01,
  3.85340034840077283462e-01, 3.81788410873393657674e-01, 3.78253817245619183840e-01,
  3.74736087137891138443e-01, 3.71235057668239498696e-01, 3.67750569779032587814e-01,
  3.64282468129004055601e-01, 3.60830600989648031529e-01, 3.57394820145780500731e-01,
  3.53974980800076777232e-01, 3.50570941481406106455e-01, 3.47182563956793643900e-01,
  3.43809713146850715049e-01, 3.40452257044521866547e-01, 3.37110066637006045021e-01,
  3.33783015830718454708e-01, 3.30470981379163586400e-01, 3.27173842813601400970e-01,
  3.23891482376391093290e-01, 3.20623784956905355514e-01, 3.17370638029913609834e-01,
  3.14131931596337177215e-01, 3.10907558126286509559e-01, 3.07697412504292056035e-01,
  3.04501391976649993243e-01, 3.01319396100803049698e-01, 2.98151326696685481377e-01,
  2.94997087799961810184e-01, 2.91856585617095209972e-01, 2.88729728482182923521e-01,
  2.85616426815501756042e-01, 2.82516593083707578948e-01, 2.79430141761637940157e-01,
  2.76356989295668320494e-01, 2.73297054068577072172e-01, 2.70250256365875463072e-01,
  2.67216518343561471038e-01, 2.64195763997261190426e-01, 2.61187919132721213522e-01,
  2.58192911337619235290e-01, 2.55210669954661961700e-01, 2.52241126055942177508e-01,
  2.49284212418528522415e-01, 2.46339863501263828249e-01, 2.43408015422750312329e-01,
  2.40488605940500588254e-01, 2.37581574431238090606e-01, 2.34686861872330010392e-01,
  2.31804410824338724684e-01, 2.28934165414680340644e-01, 2.26076071322380278694e-01,
  2.23230075763917484855e-01, 2.20396127480151998723e-01, 2.17574176724331130872e-01,
  2.14764175251173583536e-01, 2.11966076307030182324e-01, 2.09179834621125076977e-01,
  2.06405406397880797353e-01, 2.03642749310334908452e-01, 2.00891822494656591136e-01,
  1.98152586545775138971e-01, 1.95425003514134304483e-01, 1.92709036903589175926e-01,
  1.90004651670464985713e-01, 1.87311814223800304768e-01, 1.84630492426799269756e-01,
  1.81960655599522513892e-01, 1.79302274522847582272e-01, 1.76655321443734858455e-01,
  1.74019770081838553999e-01, 1.71395595637505754327e-01, 1.68782774801211288285e-01,
  1.66181285764481906364e-01, 1.63591108232365584074e-01, 1.61012223437511009516e-01,
  1.58444614155924284882e-01, 1.55888264724479197465e-01, 1.53343161060262855866e-01,
  1.50809290681845675763e-01, 1.48286642732574552861e-01, 1.45775208005994028060e-01,
  1.43274978973513461566e-01, 1.40785949814444699690e-01, 1.38308116448550733057e-01,
  1.35841476571253755301e-01, 1.33386029691669155683e-01, 1.30941777173644358090e-01,
  1.28508722279999570981e-01, 1.26086870220185887081e-01, 1.23676228201596571932e-01,
  1.21276805484790306533e-01, 1.18888613442910059947e-01, 1.16511665625610869035e-01,
  1.14145977827838487895e-01, 1.11791568163838089811e-01, 1.09448457146811797824e-01,
  1.07116667774683801961e-01, 1.04796225622487068629e-01, 1.02487158941935246892e-01,
  1.00189498768810017482e-01, 9.79032790388624646338e-02, 9.56285367130089991594e-02,
  9.33653119126910124859e-02, 9.11136480663737591268e-02, 8.88735920682758862021e-02,
  8.66451944505580717859e-02, 8.44285095703534715916e-02, 8.22235958132029043366e-02,
  8.00305158146630696292e-02, 7.78493367020961224423e-02, 7.56801303589271778804e-02,
  7.35229737139813238622e-02, 7.13779490588904025339e-02, 6.92451443970067553879e-02,
  6.71246538277884968737e-02, 6.50165779712428976156e-02, 6.29210244377581412456e-02,
  6.08381083495398780614e-02, 5.87679529209337372930e-02, 5.67106901062029017391e-02,
  5.46664613248889208474e-02, 5.26354182767921896513e-02, 5.06177238609477817000e-02,
  4.86135532158685421122e-02, 4.66230949019303814174e-02, 4.46465522512944634759e-02,
  4.26841449164744590750e-02, 4.07361106559409394401e-02, 3.88027074045261474722e-02,
  3.68842156885673053135e-02, 3.49809414617161251737e-02, 3.30932194585785779961e-02,
  3.12214171919203004046e-02, 2.93659397581333588001e-02, 2.75272356696031131329e-02,
  2.57058040085489103443e-02, 2.39022033057958785407e-02, 2.21170627073088502113e-02,
  2.03510962300445102935e-02, 1.86051212757246224594e-02, 1.68800831525431419000e-02,
  1.51770883079353092332e-02, 1.34974506017398673818e-02, 1.18427578579078790488e-02,
  1.02149714397014590439e-02, 8.61658276939872638800e-03, 7.05087547137322242369e-03,
  5.52240329925099155545e-03, 4.03797259336302356153e-03, 2.60907274610215926189e-03,
  1.26028593049859797236e-03,
];
const ZIGGURAT_NOR_R = 3.6541528853610087963519472518;
const ZIGGURAT_NOR_INV_R = 0.27366123732975827203338247596; // 1.0 / ziggurat_nor_r

// ---------------------------------------------------------------- Generator (_generator.pyx, distributions.c)
// The tables as typed arrays for the hot loop (the same doubles).
const KI = Float64Array.from(KI_DOUBLE);
const WI = Float64Array.from(WI_DOUBLE);
const FI = Float64Array.from(FI_DOUBLE);

export class Generator {
  /** @param {PCG64} bitGenerator */
  constructor(bitGenerator) {
    this.bitGenerator = bitGenerator;
    // how often standard_normal left the ziggurat's fast path, for tests: tail draws (idx 0, log1p), wedge tests
    // (the exp comparison) and wedge rejections (another round)
    this.zigguratTails = 0;
    this.zigguratWedges = 0;
    this.zigguratRejections = 0;
  }

  // random(n): Float64Array of next_double
  /** @param {number} n */
  random(n) {
    return this.fillUniform(new Float64Array(n), 0.0, 1.0, true);
  }

  // uniform(low, high, n): random_uniform(lower, range) = lower + range * next_double, range = high - low
  /** @param {number} low @param {number} high @param {number} n */
  uniform(low, high, n) {
    return this.fillUniform(new Float64Array(n), low, high, false);
  }

  // out filled with uniform(low, high) draws in place (random() when plain: next_double as it is), straight from
  // the bit generator's buffer
  /** @param {Float64Array} out @param {number} low @param {number} high @param {boolean} [plain] */
  fillUniform(out, low, high, plain) {
    const bg = this.bitGenerator;
    const buf = bg.buffer;
    const n = out.length;
    const range = plain ? 1.0 : high - low;
    if (!Number.isFinite(range)) throw new Error("glnnRandom: high - low range exceeds valid bounds");
    let i = 0;
    while (i < n) {
      if (bg.pos === buf.length) bg.refill();
      let p = bg.pos;
      const stop = i + Math.min(n - i, (buf.length - p) >> 1);
      if (plain) {
        for (; i < stop; i++, p += 2) out[i] = ((buf[p + 1] >>> 0) * 2097152 + (buf[p] >>> 11)) * INV_2_53;
      } else {
        for (; i < stop; i++, p += 2) out[i] = low + range * (((buf[p + 1] >>> 0) * 2097152 + (buf[p] >>> 11)) * INV_2_53);
      }
      bg.pos = p;
    }
    return out;
  }

  // One random_standard_normal draw.
  standardNormalOne() {
    const bg = this.bitGenerator;
    for (;;) {
      const lo = bg.next64();
      const idx = lo & 0xff;
      const rabs = (bg.hi & 0x1fffffff) * 8388608 + (lo >>> 9);
      const x = rabs * WI[idx] * (1 - ((lo >> 7) & 2));
      if (rabs < KI[idx]) return x;
      const y = this.standardNormalSlow(idx, rabs, x);
      if (y === y) return y; // NaN: rejected, draw again
    }
  }

  // The ziggurat's rare paths (numpy's, in its order of draws): the tail beyond R (idx 0) or a wedge test; NaN
  // when the wedge rejects.
  /** @param {number} idx @param {number} rabs @param {number} x */
  standardNormalSlow(idx, rabs, x) {
    const bg = this.bitGenerator;
    if (idx === 0) {
      this.zigguratTails++;
      for (;;) {
        // 1.0 - U to avoid log(0.0), as numpy (GH 13361)
        const xx = -ZIGGURAT_NOR_INV_R * Math.log1p(-bg.nextDouble());
        const yy = -Math.log1p(-bg.nextDouble());
        if (yy + yy > xx * xx) {
          // (rabs >> 8) & 1: bit 8 of rabs
          return Math.floor(rabs / 256) % 2 === 1 ? -(ZIGGURAT_NOR_R + xx) : ZIGGURAT_NOR_R + xx;
        }
      }
    }
    this.zigguratWedges++;
    if ((FI[idx - 1] - FI[idx]) * bg.nextDouble() + FI[idx] < Math.exp(-0.5 * x * x)) return x;
    this.zigguratRejections++;
    return NaN;
  }

  // standard_normal(n): Float64Array
  /** @param {number} n */
  standardNormal(n) {
    return this.fillStandardNormal(new Float64Array(n));
  }

  // out filled with standard_normal draws in place: random_standard_normal's ziggurat on the bit generator's buffer.
  // A draw r = next_uint64 gives idx = r & 0xff, sign = (r >> 8) & 1 and rabs = (r >> 9) & (2^52 - 1), i.e. the
  // low word's top 23 bits and the high word's low 29; x = rabs * wi[idx], negated by the sign (times -1: exact).
  /** @param {Float64Array} out */
  fillStandardNormal(out) {
    const bg = this.bitGenerator;
    const buf = bg.buffer;
    const n = out.length;
    let i = 0;
    while (i < n) {
      if (bg.pos === buf.length) bg.refill();
      let p = bg.pos;
      while (p < buf.length && i < n) {
        const lo = buf[p];
        const rabs = (buf[p + 1] & 0x1fffffff) * 8388608 + (lo >>> 9);
        const idx = lo & 0xff;
        const x = rabs * WI[idx] * (1 - ((lo >> 7) & 2));
        p += 2;
        if (rabs < KI[idx]) {
          out[i++] = x; // 99.3% of the time
        } else {
          bg.pos = p;
          const y = this.standardNormalSlow(idx, rabs, x); // draws doubles: may refill
          p = bg.pos;
          if (y === y) out[i++] = y;
        }
      }
      bg.pos = p;
    }
    return out;
  }

  // integers(low, high, n) with numpy's default dtype int64 and endpoint=False: n draws from [low, high), as
  // BigInts when asked (bigint = true), else as numbers (exact while below 2^53 in size). n = null: one value
  // (numpy's scalar path draws the same way).
  integers(low, high, n, bigint) {
    const lo = toSignedBigInt(low);
    const hi = toSignedBigInt(high) - 1n; // the internal generator draws from the closed [low, high - 1]
    if (lo < -(1n << 63n)) throw new Error("glnnRandom: low is out of bounds for int64");
    if (hi > (1n << 63n) - 1n) throw new Error("glnnRandom: high is out of bounds for int64");
    if (lo > hi) throw new Error("glnnRandom: low >= high");
    const count = n === null || n === undefined ? 1 : n;
    let out;
    const rng = hi - lo;
    if (!bigint && rng < 0xffffffffn && lo >= -(1n << 53n) && lo <= 1n << 53n) {
      // numbers all the way: off + a 32-bit Lemire draw (rounded to the nearest double as Number(BigInt) rounds)
      out = new Array(count);
      const off = Number(lo);
      const r = Number(rng);
      const bg = this.bitGenerator;
      if (r === 0) out.fill(off);
      else for (let i = 0; i < count; i++) out[i] = off + boundedLemireUint32(bg, r);
    } else {
      const values = boundedUint64Fill(this.bitGenerator, lo, rng, count);
      out = bigint ? values : values.map(Number);
    }
    return n === null || n === undefined ? out[0] : out;
  }
}

function toSignedBigInt(k) {
  if (typeof k === "bigint") return k;
  if (typeof k === "number" && Number.isSafeInteger(k)) return BigInt(k);
  if (typeof k === "string" && /^-?[0-9]+$/.test(k)) return BigInt(k);
  throw new Error("glnnRandom: not an exact integer: " + k);
}

// random_bounded_uint64_fill(state, off, rng, cnt, use_masked = false): off + values in [0, rng], rng < 2^64, as
// BigInts. Generator.integers never asks for the masked method. (Ranges of 2^32 and more, never glnn's, draw
// through BigInt.)
/** @param {PCG64} bg @param {bigint} off @param {bigint} rng @param {number} cnt @returns {bigint[]} */
function boundedUint64Fill(bg, off, rng, cnt) {
  const out = new Array(cnt);
  if (rng === 0n) {
    out.fill(off);
  } else if (rng <= 0xffffffffn) {
    if (rng === 0xffffffffn) {
      for (let i = 0; i < cnt; i++) out[i] = off + BigInt(bg.nextUint32());
    } else {
      const r = Number(rng);
      for (let i = 0; i < cnt; i++) out[i] = off + BigInt(boundedLemireUint32(bg, r));
    }
  } else if (rng === MASK64) {
    for (let i = 0; i < cnt; i++) out[i] = off + bg.nextUint64();
  } else {
    for (let i = 0; i < cnt; i++) out[i] = off + boundedLemireUint64(bg, rng);
  }
  return out;
}

// buffered_bounded_lemire_uint32 (its buffer arguments are unused: the halves are PCG64's next_uint32's), in
// numbers: m = x * rngExcl is 64 bits, its low word Math.imul's, its high word from x's 16-bit halves (each
// product below 2^48, exact).
/** @param {PCG64} bg @param {number} rng below 2^32 - 1 @returns {number} */
function boundedLemireUint32(bg, rng) {
  const rngExcl = rng + 1;
  let x = bg.nextUint32();
  let leftover = Math.imul(x, rngExcl) >>> 0;
  if (leftover < rngExcl) {
    const threshold = (0xffffffff - rng) % rngExcl;
    while (leftover < threshold) {
      x = bg.nextUint32();
      leftover = Math.imul(x, rngExcl) >>> 0;
    }
  }
  return Math.floor(((x >>> 16) * rngExcl + Math.floor(((x & 0xffff) * rngExcl) * INV_2_16)) * INV_2_16);
}

// bounded_lemire_uint64 (the __uint128_t form)
/** @param {PCG64} bg @param {bigint} rng @returns {bigint} */
function boundedLemireUint64(bg, rng) {
  const rngExcl = rng + 1n;
  let m = bg.nextUint64() * rngExcl;
  let leftover = m & MASK64;
  if (leftover < rngExcl) {
    const threshold = (MASK64 - rng) % rngExcl;
    while (leftover < threshold) {
      m = bg.nextUint64() * rngExcl;
      leftover = m & MASK64;
    }
  }
  return m >> 64n;
}

// ---------------------------------------------------------------- streams
// The stream [k1, k2, ...]: Generator(PCG64(SeedSequence([k1, k2, ...]))). Keys: numbers, BigInts or strings.
export function stream(keys) {
  const v = generateState64(seedSequencePool(keys), 4);
  return new Generator(new PCG64((v[0] << 64n) | v[1], (v[2] << 64n) | v[3]));
}

// ---------------------------------------------------------------- the network (glnn/model/network.py, glnn/model/inits.py)
// Stream tags: fixed forever (network.py).
const TAG_HIDDEN = 1;
const TAG_READOUT = 2;
const TAG_TIME = 3;
const TAG_MIX = 4;
const TAG_MIX_UNITS = 5;

// The multiplier of an init's unit draws, by the name glnn/web/tables.py's web_tables() gives each init (the
// formulas of glnn/model/inits.py; Python checks that each init's is the one named): (amount, fanOut, fanIn) -> float64
/** @type {Record<string, (amount: number, fanOut: number, fanIn: number) => number>} */
const MULTIPLIERS = {
  amount: (amount, fanOut, fanIn) => amount,
  he: (gain, fanOut, fanIn) => gain * Math.sqrt(2.0 / fanIn),
  glorot: (gain, fanOut, fanIn) => gain * Math.sqrt(6.0 / (fanIn + fanOut)),
};

function unitDraws(rng, distribution, n) {
  return distribution === "uniform" ? rng.uniform(-1.0, 1.0, n) : rng.standardNormal(n);
}

function need(ok, message) {
  if (!ok) throw new Error("glnnNetwork: " + message);
}

// spec: {seed, depth, width, channels, inputs, features, activation, output_activation, init, scale, bias_scale,
// gain}, with init, scale and gain resolved; features (absent: "x,y") a comma list of tables.features' names, the
// input vector's first entries (the first layer's fan-in is their count + inputs - 2); activation a name, a comma
// list (hidden layer i takes entry i mod its length), "mix" or "mix-units" (a layer's activation is then an array,
// one name per unit) (Python resolves the activation's defaults); bias_scale null or absent
// means the scale. seed: a number up to 2^53, or a BigInt or decimal string up to 2^63 - 1.
// Returns {layers: [{W, b, activation, shape: [out, in]}], z: {A, w, p}, features, nInputs}: W a Float32Array of out * in
// (row-major, shape [out, in]), b a Float32Array of out, as Network(...).layers; A, w, p Float64Arrays of
// inputs - 2, as Network.time_params().
// cache (optional, a Map the caller keeps): each layer stream's unit draws by their key, so that a new scale,
// bias scale or gain (or depth + 1, which keeps the earlier layers' streams) multiplies the same draws again
// without drawing them (glnn/web/playground.js keeps one). The values are the same with or without it.
// tables: glnn's, from Python (glnn/web/tables.py web_tables()): mix_choices (what "mix" draws from, in order) and
// init_table (each init's distribution, whether its amount is the gain, and its multiplier's name).
/**
 * @param {{seed: number|bigint|string, depth: number, width: number, channels: number, inputs: number,
 *          features?: string, activation: string, output_activation: string, init: string, scale: number|null,
 *          bias_scale?: number|null, gain: number|null}} spec
 * @param {{mix_choices: string[], init_table: {name: string, distribution: string, uses_gain: boolean,
 *          multiplier: string}[], features?: {name: string}[], outputs?: string[], max_inputs: number}} tables
 * @param {Map<string, {uw: Float64Array, ub: Float64Array}>} [cache]
 * @returns {{layers: {W: Float32Array, b: Float32Array, activation: string|string[], shape: number[]}[],
 *            z: {A: Float64Array, w: Float64Array, p: Float64Array}, features: string[], nInputs: number}}
 */
export function glnnNetwork(spec, tables, cache) {
  const MIX_CHOICES = tables.mix_choices;
  const seed = toBigInt(spec.seed);
  need(seed < 1n << 63n, "seed must be an integer from 0 to 2^63-1");
  const {depth, width, channels, inputs, activation} = spec;
  const outputActivation = spec.output_activation;
  const init = tables.init_table.find(i => i.name === spec.init);
  need(Number.isInteger(depth) && depth >= 1, "depth must be a whole number >= 1");
  need(Number.isInteger(width) && width >= 1, "width must be a whole number >= 1");
  need(Number.isInteger(channels) && channels >= 1, "channels must be a whole number >= 1");
  need(Number.isInteger(inputs) && inputs >= 2, "inputs must be a whole number >= 2");
  need(init !== undefined, "unknown init " + spec.init + " (give the resolved init)");
  const multiplier = MULTIPLIERS[init.multiplier];
  need(multiplier !== undefined, "init " + spec.init + ": no multiplier " + init.multiplier + " here");
  need(typeof activation === "string" && typeof outputActivation === "string", "activation and output_activation");
  // the input vector: the features (tables.features, glnn/model/architecture.py), then inputs - 2 extra ones
  const features = parseFeatures(spec.features === undefined || spec.features === null ? "x,y" : spec.features, tables);
  const nInputs = features.length + inputs - 2;
  need(nInputs <= tables.max_inputs, `${features.length} features and ${inputs - 2} extra inputs make ${nInputs} ` +
       `inputs, over the shaders' ${tables.max_inputs}`);
  const hidden = parseActivation(activation, tables);
  const scale = Number(spec.scale);
  const gain = Number(spec.gain);
  const biasScale = spec.bias_scale === null || spec.bias_scale === undefined ? scale : Number(spec.bias_scale);
  need(Number.isFinite(init.uses_gain ? gain : scale) && Number.isFinite(biasScale), "scale, bias_scale and gain");

  // layer_shapes: (out, in), the readout last
  const dims = [nInputs];
  for (let i = 0; i < depth - 1; i++) dims.push(width);
  dims.push(channels);

  // layer_activations: "mix" draws each hidden layer's from the stream [seed, 4, i]; "mix-units" each hidden
  // unit's, layer i from the stream [seed, 5, i, width] (integers(0, 7, size=width)); a list: entry i mod its length
  /** @type {(string|string[])[]} */
  const acts = [];
  for (let i = 0; i < depth - 1; i++) {
    if (hidden === "mix") acts.push(MIX_CHOICES[stream([seed, TAG_MIX, i]).integers(0, MIX_CHOICES.length, null)]);
    else if (hidden === "mix-units") {
      acts.push(stream([seed, TAG_MIX_UNITS, i, width]).integers(0, MIX_CHOICES.length, width).map(k => MIX_CHOICES[k]));
    } else acts.push(hidden[i % hidden.length]);
  }
  acts.push(outputActivation);

  const layers = [];
  for (let i = 0; i < depth; i++) {
    const out = dims[i + 1];
    const inn = dims[i];
    const readout = i === depth - 1;
    const keys = [seed, readout ? TAG_READOUT : TAG_HIDDEN, readout ? 0 : i, out, inn];
    const key = keys.join(",") + "," + init.distribution;
    let draws = cache ? cache.get(key) : undefined;
    if (draws === undefined) {
      const rng = stream(keys);
      draws = {uw: unitDraws(rng, init.distribution, out * inn), ub: unitDraws(rng, init.distribution, out)};
      if (cache) cache.set(key, draws);
    }
    const {uw, ub} = draws;
    const m = multiplier(init.uses_gain ? gain : scale, out, inn);
    const W = new Float32Array(out * inn);
    for (let j = 0; j < W.length; j++) W[j] = Math.fround(m * uw[j]);
    const b = new Float32Array(out);
    for (let j = 0; j < out; j++) b[j] = Math.fround(biasScale * ub[j]);
    layers.push({W, b, activation: acts[i], shape: [out, inn]});
  }

  // time_params: A, w, p of z_j(t) = A_j sin(w_j t + p_j) from the stream [seed, 3, k]
  const k = inputs - 2;
  const rng = stream([seed, TAG_TIME, k]);
  const A = rng.uniform(0.5, 1.0, k);
  const w = Float64Array.from(rng.integers(1, 3, k));
  const p = rng.uniform(0.0, 2.0 * Math.PI, k);
  return {layers, z: {A, w, p}, features, nInputs};
}


// "x,y,r" -> the feature names, checked against tables.features (glnn/model/architecture.py parse_features)
/** @param {string} text @param {{features?: {name: string}[]}} tables @returns {string[]} */
export function parseFeatures(text, tables) {
  const known = (tables.features || []).map(f => f.name);
  const names = String(text).split(",").map(p => p.trim());
  need(names.length > 0 && names.every(n => n), "features must be a comma list of " + known.join(", ") + ", not " + text);
  for (const n of names) need(known.includes(n), "unknown feature " + n + " (choose from " + known.join(", ") + ")");
  need(new Set(names).size === names.length, "features " + text + " names one twice");
  return names;
}

// The hidden activation: "mix", "mix-units", or a name or comma list of names (the list) (activations.py
// parse_hidden); the names are tables.outputs (every activation)
/** @param {string} text @param {{outputs?: string[], activation_ways?: string[]}} tables @returns {"mix"|"mix-units"|string[]} */
export function parseActivation(text, tables) {
  if (text === "mix" || text === "mix-units") return text;
  const names = String(text).split(",").map(p => p.trim());
  const known = tables.outputs;
  if (known) for (const n of names) need(known.includes(n), "unknown activation " + n + " in " + text);
  return names;
}

// The float64 unit draws of one layer (docs/lineage.md: what a lineage's steps combine) and the multiplier of its
// weights: layer i of shape [out, in] (readout: the last layer, its own stream), drawn as glnnNetwork draws them
// (the same cache key: a cache glnnNetwork filled serves these, and the other way round). The arrays are the
// cache's: read them, never write them. glnn/web/glnn_lineage.js replays lineages with it.
/**
 * @param {{seed: number|bigint|string, init: string, scale: number|null, gain: number|null}} spec
 * @param {{init_table: {name: string, distribution: string, uses_gain: boolean, multiplier: string}[]}} tables
 * @param {number} i @param {number[]} shape @param {boolean} readout
 * @param {Map<string, {uw: Float64Array, ub: Float64Array}>} [cache]
 * @returns {{uw: Float64Array, ub: Float64Array, multiplier: number}}
 */
export function glnnLayerUnits(spec, tables, i, shape, readout, cache) {
  const seed = toBigInt(spec.seed);
  const init = tables.init_table.find(x => x.name === spec.init);
  need(init !== undefined, "unknown init " + spec.init + " (give the resolved init)");
  const [out, inn] = shape;
  const keys = [seed, readout ? TAG_READOUT : TAG_HIDDEN, readout ? 0 : i, out, inn];
  const key = keys.join(",") + "," + init.distribution;
  let draws = cache ? cache.get(key) : undefined;
  if (draws === undefined) {
    const rng = stream(keys);
    draws = {uw: unitDraws(rng, init.distribution, out * inn), ub: unitDraws(rng, init.distribution, out)};
    if (cache) cache.set(key, draws);
  }
  const multiplier = MULTIPLIERS[init.multiplier](init.uses_gain ? Number(spec.gain) : Number(spec.scale), out, inn);
  return {uw: draws.uw, ub: draws.ub, multiplier};
}
