// Driver of tests/system/test_js_streams.py: node js_streams_driver.mjs CASES.json OUT.bin OUT.json
// Each case: a stream's keys and its operations, drawn with glnn/web/glnn_random.js in order. OUT.bin: each
// operation's values, little-endian: uint64 draws as 8 bytes each, everything else as float64 (integers too: they
// are small). OUT.json: per case, how often standard_normal left the ziggurat's fast path (tails, wedge tests,
// wedge rejections).
import fs from "node:fs";
import * as glnnRandom from "../../glnn/web/glnn_random.js";

const [casesPath, binPath, jsonPath] = process.argv.slice(2);
const cases = JSON.parse(fs.readFileSync(casesPath, "utf8"));
const chunks = [];
const bytes = (typed) => chunks.push(Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength));
const paths = [];
for (const c of cases) {
  const rng = glnnRandom.stream(c.keys);
  const bg = rng.bitGenerator;
  for (const [kind, n, ...args] of c.ops) {
    if (kind === "uint64") bytes(bg.fillUint64(new Uint32Array(2 * n)));
    else if (kind === "uint64_each") {           // one next_uint64 at a time, as BigInts
      const out = new BigUint64Array(n);
      for (let i = 0; i < n; i++) out[i] = bg.nextUint64();
      bytes(out);
    } else if (kind === "uint32_each") {         // next_uint32: the halves of one uint64, low first
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = bg.nextUint32();
      bytes(out);
    } else if (kind === "random") bytes(rng.random(n));
    else if (kind === "double_each") {           // next_double one at a time
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = bg.nextDouble();
      bytes(out);
    } else if (kind === "uniform") bytes(rng.uniform(args[0], args[1], n));
    else if (kind === "standard_normal") bytes(rng.standardNormal(n));
    else if (kind === "normal_each") {           // standard_normal one draw at a time
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = rng.standardNormalOne();
      bytes(out);
    } else if (kind === "integers") bytes(Float64Array.from(rng.integers(args[0], args[1], n)));
    else throw new Error("unknown operation " + kind);
  }
  paths.push({tails: rng.zigguratTails, wedges: rng.zigguratWedges, rejections: rng.zigguratRejections});
}
fs.writeFileSync(binPath, Buffer.concat(chunks));
fs.writeFileSync(jsonPath, JSON.stringify(paths));
