// @ts-check
// A network's lineage in the browser (docs/lineage.md, the spec; glnn/model/lineage.py is Python's): the steps
// that breed a child from its seed's network, their URL text and JSON forms, and their replay on the unit draws
// that glnn_random.js draws bit for bit as numpy does. No DOM: tests/system/test_lineage_js.py runs it in node
// against a numpy implementation of the spec (and glnn's Python where it has lineage).
//   A step: ["m", SEED, S] (mutation toward SEED, strength 0 < S <= 1) or ["x", MASK, MODE, {seed, lineage}]
//   (crossover with another parent; MODE "layer" or "unit"). Seeds are kept as decimal strings (up to 2^63 - 1).
import {glnnNetwork, glnnLayerUnits, stream} from "./glnn_random.js";

export const LINEAGE_MAX_STEPS = 1000;      // steps in all, nested ones counted
export const LINEAGE_MAX_DEPTH = 8;         // nesting of crossovers' other parents
export const LINEAGE_MAX_WORK = 2e8;        // steps x weights: the unit draws a replay may combine
const LINEAGE_TAG_MASK = 6;                 // the stream [MASK, 6, i] / [MASK, 6, i, out] of a crossover's take

function lineageNeed(ok, message) {
  if (!ok) throw new Error("lineage: " + message);
}

// A seed of a step: its decimal digits (from a number, BigInt or string), checked to be below 2^63
function lineageSeed(v) {
  const text = typeof v === "bigint" ? v.toString() : typeof v === "number" && Number.isSafeInteger(v) ? String(v)
    : typeof v === "string" && /^\d+$/.test(v) ? v : null;
  lineageNeed(text !== null && BigInt(text) < 1n << 63n, `a seed must be a whole number from 0 to 2^63-1, not ${v}`);
  return BigInt(text).toString();
}

// S as glnn's command writer writes numbers (glnn/io/command.py number(): shortest round trip, ".0" after a whole one)
function lineageNumber(v) {
  const s = String(v);
  return s.includes(".") || s.includes("e") ? s : s + ".0";
}

function lineageStrength(v) {
  lineageNeed(typeof v === "number" && Number.isFinite(v) && v > 0 && v <= 1, `a strength S must be in (0, 1], not ${v}`);
  return v;
}

/** A lineage (JSON form: arrays, seeds as numbers or strings) checked and normalised: seeds as strings; throws
 * on unknown steps, wrong arity, S out of (0, 1], MODE not layer/unit, and past the limits of steps and depth.
 * @param {any} steps @param {number} [depth] @returns {any[]} */
export function checkLineage(steps, depth = 0) {
  lineageNeed(Array.isArray(steps), "a lineage is a list of steps");
  lineageNeed(depth <= LINEAGE_MAX_DEPTH, `nesting deeper than ${LINEAGE_MAX_DEPTH}`);
  const out = steps.map(step => {
    lineageNeed(Array.isArray(step) && step.length > 0, "a step is a list such as [\"m\", SEED, S]");
    if (step[0] === "m") {
      lineageNeed(step.length === 3, "a mutation step is [\"m\", SEED, S]");
      return ["m", lineageSeed(step[1]), lineageStrength(step[2])];
    }
    if (step[0] === "x") {
      lineageNeed(step.length === 4, "a crossover step is [\"x\", MASK, MODE, {seed, lineage}]");
      lineageNeed(step[2] === "layer" || step[2] === "unit", `a crossover's MODE is layer or unit, not ${step[2]}`);
      const other = step[3];
      lineageNeed(other && typeof other === "object" && !Array.isArray(other), "a crossover's other parent is {seed, lineage}");
      return ["x", lineageSeed(step[1]), step[2],
              {seed: lineageSeed(other.seed), lineage: checkLineage(other.lineage || [], depth + 1)}];
    }
    throw new Error(`lineage: unknown step ${JSON.stringify(step[0])} (m or x)`);
  });
  if (depth === 0) lineageNeed(lineageSteps(out) <= LINEAGE_MAX_STEPS, `more than ${LINEAGE_MAX_STEPS} steps`);
  return out;
}

/** The steps in all, nested ones counted @param {any[]} steps @returns {number} */
export function lineageSteps(steps) {
  return steps.reduce((n, s) => n + 1 + (s[0] === "x" ? lineageSteps(s[3].lineage) : 0), 0);
}

/** The URL text form: "m:SEED:S" and "x:MASK:MODE:SEED(nested)" joined by "~" @param {any[]} steps */
export function lineageText(steps) {
  return steps.map(s => s[0] === "m" ? `m:${s[1]}:${lineageNumber(s[2])}`
    : `x:${s[1]}:${s[2]}:${s[3].seed}` + (s[3].lineage.length ? "(" + lineageText(s[3].lineage) + ")" : "")).join("~");
}

/** The text form read back (checked as checkLineage checks); throws with the place it stopped understanding
 * @param {string} text @returns {any[]} */
export function parseLineage(text) {
  let at = 0;
  const fail = () => { throw new Error(`lineage: not understood at ${JSON.stringify(text.slice(at, at + 20))} of ${text}`); };
  const token = re => {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) fail();
    at = re.lastIndex;
    return m[1];
  };
  const steps = () => {
    const out = [];
    for (;;) {
      const kind = token(/([mx]):/y);
      if (kind === "m") out.push(["m", token(/(\d+):/y), Number(token(/([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)/iy))]);
      else {
        const mask = token(/(\d+):/y), mode = token(/(layer|unit):/y), seed = token(/(\d+)/y);
        let nested = [];
        if (text[at] === "(") { at++; nested = steps(); if (text[at] !== ")") fail(); at++; }
        out.push(["x", mask, mode, {seed, lineage: nested}]);
      }
      if (text[at] !== "~") return out;
      at++;
    }
  };
  if (text === "") return [];
  const out = steps();
  if (at !== text.length) fail();
  return checkLineage(out);
}

/** The JSON text of the steps (recipe "lineage"; seeds as JSON integers, S as glnn writes numbers) @param {any[]} steps */
export function lineageJson(steps) {
  return "[" + steps.map(s => s[0] === "m" ? `["m",${s[1]},${lineageNumber(s[2])}]`
    : `["x",${s[1]},${JSON.stringify(s[2])},{"seed":${s[3].seed},"lineage":${lineageJson(s[3].lineage)}}]`).join(",") + "]";
}

// ------------------------------------------------------------------ replay
// Units: what the steps act on, {U: Float64Array[] (row-major [out, in]), B: Float64Array[], acts: layer
// activations (a name, or for mix-units an array of names), A, w, p: Float64Array (the extra inputs' z-params),
// net: the seed's glnnNetwork (shapes, features)}.

const drawn = spec => spec.activation === "mix" || spec.activation === "mix-units";

/** The unit draws of `seed`'s network (the spec's hyperparameters, no lineage). cache: glnn_random.js's. */
export function seedUnits(spec, seed, tables, cache) {
  const s = Object.assign({}, spec, {seed});
  const net = glnnNetwork(s, tables, cache);
  const last = net.layers.length - 1;
  const U = [], B = [];
  net.layers.forEach((l, i) => {
    const d = glnnLayerUnits(s, tables, i, l.shape, i === last, cache);
    U.push(d.uw);   // the cache's arrays: steps make new ones, never write these
    B.push(d.ub);
  });
  return {U, B, acts: net.layers.map(l => l.activation), A: net.z.A, w: net.z.w, p: net.z.p, net};
}

/** One step applied to units (new units; `units` unchanged) */
export function applyStep(units, step, spec, tables, cache, depth = 0) {
  const hiddenLayers = units.U.length - 1;
  if (step[0] === "m") {
    const S = step[2];
    const o = seedUnits(spec, step[1], tables, cache);
    const c = S === 1 ? 0 : Math.cos(S * Math.PI / 2), s = S === 1 ? 1 : Math.sin(S * Math.PI / 2);
    const mix = (a, b) => {
      const r = new Float64Array(a.length);
      for (let j = 0; j < a.length; j++) r[j] = c * a[j] + s * b[j];
      return r;
    };
    const lin = (a, b) => {
      const r = new Float64Array(a.length);
      for (let j = 0; j < a.length; j++) r[j] = (1 - S) * a[j] + S * b[j];
      return r;
    };
    const acts = units.acts.map((a, i) => (drawn(spec) && i < hiddenLayers && S >= 0.5 ? o.acts[i] : a));
    return {U: units.U.map((u, i) => mix(u, o.U[i])), B: units.B.map((b, i) => mix(b, o.B[i])), acts,
            A: lin(units.A, o.A), w: S >= 0.5 ? o.w : units.w, p: lin(units.p, o.p), net: units.net};
  }
  const [, mask, mode, other] = step;
  const o = replayUnits(spec, other.seed, other.lineage, tables, cache, depth + 1);
  const U = [], B = [], acts = [];
  units.U.forEach((u, i) => {
    const [out, inn] = units.net.layers[i].shape;
    const hidden = drawn(spec) && i < hiddenLayers;
    if (mode === "layer") {
      const take = stream([mask, LINEAGE_TAG_MASK, i]).integers(0, 2, null) === 1;
      U.push(take ? o.U[i] : u);
      B.push(take ? o.B[i] : units.B[i]);
      acts.push(take && hidden ? o.acts[i] : units.acts[i]);
      return;
    }
    const take = stream([mask, LINEAGE_TAG_MASK, i, out]).integers(0, 2, out);
    const nu = Float64Array.from(u), nb = Float64Array.from(units.B[i]);
    for (let j = 0; j < out; j++) {
      if (take[j] !== 1) continue;
      nu.set(o.U[i].subarray(j * inn, (j + 1) * inn), j * inn);
      nb[j] = o.B[i][j];
    }
    U.push(nu);
    B.push(nb);
    const a = units.acts[i];
    if (!hidden) acts.push(a);
    else if (Array.isArray(a)) acts.push(a.map((name, j) => (take[j] === 1 ? o.acts[i][j] : name)));
    else acts.push(take[0] === 1 ? o.acts[i] : a);
  });
  return {U, B, acts, A: units.A, w: units.w, p: units.p, net: units.net};
}

/** The units of `seed` with `steps` replayed, in order */
export function replayUnits(spec, seed, steps, tables, cache, depth = 0) {
  let units = seedUnits(spec, seed, tables, cache);
  for (const step of steps) units = applyStep(units, step, spec, tables, cache, depth);
  return units;
}

/** The network of units: weights = multiplier * U, biases = bias_scale * B, float32 once at the end (glnnNetwork's form) */
export function unitsNetwork(units, spec, tables, cache) {
  const last = units.U.length - 1;
  const scale = Number(spec.scale);
  const biasScale = spec.bias_scale === null || spec.bias_scale === undefined ? scale : Number(spec.bias_scale);
  const layers = units.net.layers.map((l, i) => {
    const {multiplier} = glnnLayerUnits(spec, tables, i, l.shape, i === last, cache);
    const W = new Float32Array(units.U[i].length);
    for (let j = 0; j < W.length; j++) W[j] = Math.fround(multiplier * units.U[i][j]);
    const b = new Float32Array(units.B[i].length);
    for (let j = 0; j < b.length; j++) b[j] = Math.fround(biasScale * units.B[i][j]);
    return {W, b, activation: units.acts[i], shape: l.shape};
  });
  return {layers, z: {A: units.A, w: units.w, p: units.p}, features: units.net.features, nInputs: units.net.nInputs};
}

/** The replay work of a lineage on a network (steps in all x weights, biases counted), checked against
 * LINEAGE_MAX_WORK from the spec's shapes alone: before any draw */
export function checkLineageWork(steps, spec) {
  const features = String(spec.features === undefined || spec.features === null ? "x,y" : spec.features).split(",").length;
  const dims = [features + spec.inputs - 2, ...Array(Math.max(0, spec.depth - 1)).fill(spec.width), spec.channels];
  let weights = 0;
  for (let i = 0; i + 1 < dims.length; i++) weights += dims[i + 1] * (dims[i] + 1);
  const work = lineageSteps(steps) * weights;
  lineageNeed(work <= LINEAGE_MAX_WORK, `replaying ${lineageSteps(steps)} steps on ${weights} weights is ` +
              `${work.toExponential(2)} unit draws, over ${LINEAGE_MAX_WORK.toExponential(0)}`);
}

/** glnnNetwork of the spec with a lineage (steps in JSON form, checked here): as glnnNetwork without one */
export function lineageNetwork(spec, steps, tables, cache) {
  const checked = checkLineage(steps || []);
  if (!checked.length) return glnnNetwork(spec, tables, cache);
  checkLineageWork(checked, spec);
  return unitsNetwork(replayUnits(spec, spec.seed, checked, tables, cache), spec, tables, cache);
}
