// Driver of tests/system/test_lineage_js.py: node lineage_driver.mjs IN.json OUT.json
// IN: {tables, cases: [{spec, lineage (JSON form), text (the URL form, or absent)}]}.
// OUT: per case the replayed network's layers (W, b as base64 float32, the activations), its z-params (A, w, p),
// the lineage's text form, its JSON text and the text read back; or {error} for a lineage refused.
import fs from "node:fs";
import * as L from "../../glnn/web/glnn_lineage.js";

const [inPath, outPath] = process.argv.slice(2);
const input = JSON.parse(fs.readFileSync(inPath, "utf8"));
const f32 = a => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
const cache = new Map();
const cases = input.cases.map(({spec, lineage, text}) => {
  try {
    const steps = text !== undefined ? L.parseLineage(text) : L.checkLineage(lineage);
    const t0 = performance.now();
    const net = L.lineageNetwork(spec, steps, input.tables, cache);
    const ms = performance.now() - t0;
    return {layers: net.layers.map(l => ({W: f32(l.W), b: f32(l.b), activation: l.activation, shape: l.shape})),
            z: {A: Array.from(net.z.A), w: Array.from(net.z.w), p: Array.from(net.z.p)},
            text: L.lineageText(steps), json: L.lineageJson(steps), back: L.lineageText(L.parseLineage(L.lineageText(steps))),
            ms};
  } catch (e) {
    return {error: String(e.message || e)};
  }
});
fs.writeFileSync(outPath, JSON.stringify({cases}));
