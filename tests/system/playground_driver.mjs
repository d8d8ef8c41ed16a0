// Driver of tests/system/test_playground_js.py: node playground_driver.mjs IN.json OUT.json
// IN: {spec: the playground's spec (glnn/web/playground.py), cases: [{state, size}], pictures: {name: path},
//      recipes: [{png: path, text, out: path}]}.
// OUT: per case the fragment shader, the command (with --out picture.png), the hash and the state read back from
// it, the recipe JSON, the texels (base64 float32) and the file name; per picture the recipe text read by
// glnn_recipe.js; and each PNG written with a recipe (read back by Python).
import fs from "node:fs";
import * as P from "../../glnn/web/playground.js";
import * as R from "../../glnn/web/glnn_recipe.js";

const [inPath, outPath] = process.argv.slice(2);
const input = JSON.parse(fs.readFileSync(inPath, "utf8"));
const {spec} = input;
const tables = spec.tables;
const cache = new Map();
const cases = input.cases.map(({state, size}) => {
  const net = P.drawNetwork(state, tables, cache);
  const tex = P.packTexels(net, spec.texture_width, tables);
  const hash = P.stateToHash(state, tables, ["bare", "size=20x10"]);
  const back = P.hashToState(hash, spec.state, tables);
  return {
    fragment: P.fragmentSource(net, state, spec),
    command: P.commandLine(state, tables, size, "picture.png"),
    hash, back: back.state, pageWords: back.pageWords, bad: back.bad,
    recipe: P.recipeJson(state, tables, size, spec),
    texels: Buffer.from(tex.data.buffer).toString("base64"), rows: tex.rows,
    file: P.fileName(state, tables),
  };
});
const pictures = {};
for (const [name, path] of Object.entries(input.pictures || {})) pictures[name] = await R.readRecipe(fs.readFileSync(path));
for (const r of input.recipes || []) fs.writeFileSync(r.out, await R.withRecipe(fs.readFileSync(r.png), r.text));
// a cached redraw gives the same draws
const again = P.drawNetwork(input.cases[0].state, tables, new Map());
const same = P.drawNetwork(input.cases[0].state, tables, cache);
const equal = again.layers.every((l, i) => Buffer.from(l.W.buffer).equals(Buffer.from(same.layers[i].W.buffer)));
fs.writeFileSync(outPath, JSON.stringify({cases, pictures, cacheEqual: equal, cacheSize: cache.size}));
