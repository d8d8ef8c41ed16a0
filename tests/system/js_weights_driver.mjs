// Driver of tests/system/test_js_weights.py: node js_weights_driver.mjs CASES.json OUT.bin OUT.json
// Reads glnn's tables (glnn/web/tables.py web_tables(): the mix choices, the inits), the networks' specs and the
// raw streams' operations, draws them with glnn/web/glnn_random.js (an ES module), and
// writes every float's bytes to OUT.bin (per network: each layer's W then b as float32, then A, w, p as
// float64; per stream operation: its float64 values) and the rest to OUT.json (activations and shapes,
// integers as decimal strings, the time taken).
import fs from "node:fs";
import * as glnnRandom from "../../glnn/web/glnn_random.js";

const [casesPath, binPath, jsonPath] = process.argv.slice(2);
const input = JSON.parse(fs.readFileSync(casesPath, "utf8"));
const chunks = [];
const bytes = (typed) => chunks.push(Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength));

const t0 = Date.now();
const networks = [];
for (const spec of input.networks) {
  const net = glnnRandom.glnnNetwork(spec, input.tables);
  for (const layer of net.layers) {
    bytes(layer.W);
    bytes(layer.b);
  }
  bytes(net.z.A);
  bytes(net.z.w);
  bytes(net.z.p);
  networks.push({activations: net.layers.map((l) => l.activation), shapes: net.layers.map((l) => l.shape)});
}
const tNetworks = (Date.now() - t0) / 1000;

const streams = [];
for (const s of input.streams) {
  const rng = glnnRandom.stream(s.keys);
  const results = [];
  for (const [kind, ...args] of s.ops) {
    if (kind === "random") bytes(rng.random(args[0]));
    else if (kind === "uniform") bytes(rng.uniform(args[0], args[1], args[2]));
    else if (kind === "standard_normal") bytes(rng.standardNormal(args[0]));
    else if (kind === "integers") {
      const v = rng.integers(args[0], args[1], args[2], true); // args[2] null: one value (numpy's scalar path)
      results.push(Array.isArray(v) ? v.map(String) : String(v));
    }
    else if (kind === "uint64") {
      const out = [];
      for (let i = 0; i < args[0]; i++) out.push(String(rng.bitGenerator.nextUint64()));
      results.push(out);
    } else throw new Error("unknown operation " + kind);
  }
  streams.push(results);
}
const tTotal = (Date.now() - t0) / 1000;

fs.writeFileSync(binPath, Buffer.concat(chunks));
fs.writeFileSync(jsonPath, JSON.stringify({networks, streams, seconds: {networks: tNetworks, total: tTotal}}));
