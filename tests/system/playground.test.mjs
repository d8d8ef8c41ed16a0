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

test("features: written only when not x, y; a hash without the word means x, y (old URLs keep their meaning)", () => {
  const withFeatures = Object.assign({}, base, {features: "x,y,r,bias", activation: "tanh,sin,relu"});
  const hash = P.stateToHash(withFeatures, T);
  assert.match(hash, /&features=x,y,r,bias&activation=tanh,sin,relu&/);
  assert.doesNotMatch(P.stateToHash(Object.assign({}, base, {features: "x,y"}), T), /features/);
  assert.equal(P.hashToState(hash, base, T).state.features, "x,y,r,bias");
  // an old URL (no features word) opened over a page at other features: x, y
  const old = P.hashToState("#seed=3&depth=4&width=5", withFeatures, T);
  assert.equal(old.state.features, "x,y");
  assert.deepEqual(old.bad, []);
  // the commas may come encoded too, and spaces after them as glnn's flags accept them
  assert.equal(P.hashToState("#features=x%2C%20r&activation=tanh%2C%20sin", base, T).state.features, "x,r");
  assert.equal(P.hashToState("#features=x%2C%20r&activation=tanh%2C%20sin", base, T).state.activation, "tanh,sin");
});

test("features and activations glnn would refuse are reported", () => {
  for (const word of ["features=x,x", "features=z", "features=", "activation=tanh,nope", "activation=mix,tanh"]) {
    const r = P.hashToState("#" + word, base, T);
    assert.deepEqual(r.bad, [word], word);
  }
  // 6 features and 14 extra inputs: 18 slots, over the shaders' 16
  const r = P.hashToState("#inputs=16&features=x,y,r,bias,ax,ay", base, T);
  assert.deepEqual(r.bad, ["features=x,y,r,bias,ax,ay"]);
  assert.equal(r.state.features, "x,y");
  assert.equal(P.hashToState("#activation=mix-units", base, T).state.activation, "mix-units");
});

test("a list of several activations takes mix's defaults, mix-units its own, a list of one name that name's", () => {
  for (const a of ["tanh,sin", "mix"]) assert.deepEqual(P.defaultsFor(a, T), T.defaults.mix, a);
  assert.deepEqual(P.defaultsFor("mix-units", T), T.defaults["mix-units"]);
  assert.notEqual(T.defaults["mix-units"].gain, T.defaults.mix.gain);
  assert.deepEqual(P.defaultsFor("relu,relu", T), T.defaults.relu);
  assert.equal(P.hashToState("#activation=tanh,sin", base, T).state.gain, T.defaults.mix.gain);
});

test("a recipe older than features reads as x, y", () => {
  const recipe = JSON.parse(P.recipeJson(base, T, [8, 8], spec));
  delete recipe.network.features;
  assert.equal(P.stateFromRecipe(recipe, T).features, "x,y");
});
