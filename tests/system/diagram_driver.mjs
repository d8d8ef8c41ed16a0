// Driver of tests/system/test_playground_diagram.py's node tests: node diagram_driver.mjs IN.json OUT.json
// IN: {tables, raw: [[v1, v2, v3], ...] outputs, modes: [colour modes], net: a state, view, size}.
// OUT: per mode the 8-bit colours of the diagram's colour stage (the depth strip's); the grid pass's values of
// every hidden unit and strip tiles of the state's network (playground_diagram.js gridPass, no DOM).
import fs from "node:fs";
import {colourStage, gridPass, shownUnits, unitRange} from "../../glnn/web/playground_diagram.js";
import {drawNetwork} from "../../glnn/web/playground.js";

const [inPath, outPath] = process.argv.slice(2);
const input = JSON.parse(fs.readFileSync(inPath, "utf8"));
const {tables} = input;
const level = v => Math.round(255 * Math.min(1, Math.max(0, v)));
const colours = {};
for (const mode of input.modes) {
  const f = colourStage(mode, tables), o = new Float64Array(3);
  colours[mode] = input.raw.map(v => { f(v, o); return Array.from(o, level); });
}
const net = drawNetwork(input.state, tables, new Map());
const one = drawNetwork(Object.assign({}, input.state, {depth: 1}), tables, new Map());
const hidden = net.layers.length - 1, T = input.size;
const shown = shownUnits(net.layers[0].shape[0], hidden, []);
const p = gridPass(net, one, input.state, T, shown, input.state.colour, tables);
while (!p.done) p.step(1000);
const units = p.values.map((layer, k) => layer.map((v, i) => {
  const act = net.layers[k].activation, u = shown[k][i];
  const st = p.stats[k][i];
  return {values: Array.from(v), range: unitRange(Array.isArray(act) ? act[u] : act, Math.max(-st.min, st.max), tables),
          mean: st.sum / st.n, sat: st.sat / st.n};
}));
fs.writeFileSync(outPath, JSON.stringify({colours, units, strip: p.strip.map(t => Array.from(t))}));
