// node --test tests/system/playground.test.mjs (run by tests/system/test_playground_js.py with the tables in
// GLNN_PLAYGROUND_SPEC): the playground's state rules that need no Python to compare with.
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import * as P from "../../glnn/web/playground.js";
import * as R from "../../glnn/web/glnn_recipe.js";
const spec = JSON.parse(fs.readFileSync(process.env.GLNN_PLAYGROUND_SPEC, "utf8"));
const T = spec.tables, base = spec.state;

test("a hash without state keeps the base; page words are kept apart", () => {
  const r = P.hashToState("#bare&size=640x360", base, T);
  assert.deepEqual(r.state, base);
  assert.deepEqual(r.pageWords, ["bare", "size=640x360"]);
  assert.deepEqual(r.bad, []);
});

test("words glnn would refuse are reported and leave the base's value", () => {
  const r = P.hashToState("#depth=0&width=513&seed=9223372036854775808&scale=-1&extent=0&color=nope&foo=1&time=1e7", base, T);
  assert.equal(r.state.depth, base.depth);
  assert.equal(r.state.width, base.width);
  assert.equal(r.state.seed, base.seed);
  assert.equal(r.bad.length, 8);
});

test("a new activation without its amounts takes its defaults, as glnn's flags do", () => {
  const r = P.hashToState("#activation=relu", base, T);
  assert.equal(r.state.init, "he");
  assert.equal(r.state.gain, T.defaults.relu.gain);
  assert.equal(r.state.bias_scale, T.defaults.relu.bias_scale);
});

test("a colour mode that does not fit the channels falls back to the plain one", () => {
  const r = P.hashToState("#channels=1&color=hsv", base, T);
  assert.equal(r.state.colour, "gray");
  assert.deepEqual(r.bad, ["color=hsv"]);
});

test("seeds past 2^53 survive the hash exactly", () => {
  const s = Object.assign({}, base, {seed: "9223372036854775807"});
  assert.equal(P.hashToState(P.stateToHash(s, T), base, T).state.seed, "9223372036854775807");
});

test("depth + 1 keeps the earlier layers; a new scale rescales the same draws", () => {
  const cache = new Map();
  const a = P.drawNetwork(Object.assign({}, base, {depth: 5}), T, cache);
  const b = P.drawNetwork(Object.assign({}, base, {depth: 6}), T, cache);
  for (let i = 0; i < 4; i++) assert.deepEqual(a.layers[i].W, b.layers[i].W);
  const n = cache.size;
  const c = P.drawNetwork(Object.assign({}, base, {depth: 6, scale: 2 * base.scale, bias_scale: 0.1}), T, cache);
  assert.equal(cache.size, n);   // nothing drawn again
  assert.ok(c.layers[1].W.every((w, i) => Math.abs(w - 2 * b.layers[1].W[i]) <= 1e-6 * Math.abs(w)));
});

test("a PNG without a recipe, and bytes that are no picture, hold none", async () => {
  assert.equal(await R.readRecipe(new Uint8Array([1, 2, 3])), null);
  await assert.rejects(R.withRecipe(new Uint8Array(10), "{}"));
});

test("file names say what the picture is and are safe", () => {
  assert.equal(P.fileName(Object.assign({}, base, {activation: "tanh", depth: 12, width: 30, seed: "3", scale: 0.8}), T),
               "glnn-tanh-12x30-seed3.png");
  assert.match(P.fileName(Object.assign({}, base, {scale: 0.5}), T), /^[\w.+-]+\.png$/);
});
