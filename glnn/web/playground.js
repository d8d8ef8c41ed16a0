// @ts-check
// The playground's logic, no DOM (glnn playground: glnn/web/playground.py writes the page). Tested in node by
// tests/system/test_playground_js.py against glnn's Python, string for string:
//   fragmentSource()  the live page's fragment shader for a state: the text glnn/web/webgl.py's page_spec() compiles
//                     (the #define block written here as webgl.py writes it, around the body Python embeds)
//   packTexels()      the weights as the page's RGBA32F texels (glnn/gl/packing.py's pack_weights)
//   commandParts()    the `glnn render` command's words (glnn/io/command.py's parts), commandLine() its shell line
//   stateToHash(), hashToState()  the whole state in the URL hash, numbers written so they read back exactly
//   recipeJson()      the picture's recipe, as glnn/io/recipe.py's to_json writes it (no weights: the seed draws them)
// A state: {seed (decimal string), depth, width, channels, inputs, features ("x,y,r": tables.features' names, in
// order), activation (a name, a comma list, "mix" or "mix-units"), output_activation, init, scale,
// bias_scale (null: tied to the scale), gain, center [x, y], extent, time, colour, probe (null, "saturation",
// "unit:K:J" or "units:K"), lineage (null, or docs/lineage.md's steps: glnn_lineage.js, seeds as decimal strings)}.
// glnn's tables (`tables`: the hyperparameters and their kinds, the names in the hash, activations, inits and their
// defaults, ...) come from Python: glnn/web/playground.py's tables(), which holds glnn/web/tables.py's web_tables().
import {glnnNetwork, parseActivation, parseFeatures} from "./glnn_random.js";
import {checkLineage, lineageJson, lineageNetwork, lineageText, parseLineage} from "./glnn_lineage.js";

/** @typedef {{name: string, kind: string, by_activation: boolean}} Hyperparameter */
/** @typedef {{hyperparameters: Hyperparameter[], hash_names: string[][], [more: string]: any}} Tables */

/** The hyperparameters' names by kind (tables.hyperparameters: glnn/model/network.py's HYPERPARAMETERS), made once a table.
 * @type {WeakMap<object, {hyper: string[], whole: Set<string>, words: Set<string>, byActivation: string[]}>} */
const KINDS = new WeakMap();
/** @param {Tables} tables */
function kinds(tables) {
  let k = KINDS.get(tables);
  if (!k) {
    const h = tables.hyperparameters;
    k = {hyper: h.map(x => x.name), whole: new Set(h.filter(x => x.kind === "int").map(x => x.name)),
         words: new Set(h.filter(x => x.kind === "str").map(x => x.name)),
         byActivation: h.filter(x => x.by_activation).map(x => x.name)};
    KINDS.set(tables, k);
  }
  return k;
}

// ------------------------------------------------------------------ numbers
// A number as glnn's command writer writes it (glnn/io/command.py number()): the shortest text that reads back as
// the same double, ".0" after a whole float.
export function numberText(v) {
  const s = Object.is(v, -0) ? "-0" : String(v);
  return s.includes(".") || s.includes("e") ? s : s + ".0";
}

// A GLSL float literal as glnn/web/webgl.py's _float() writes it: the float32's double in Python's repr (or
// "%.9e" below 1e-4), ".0" after a whole number.
export function glslFloat(v) {
  const f = Math.fround(v);
  if (f === 0) return "0.0";
  let text;
  if (Math.abs(f) < 1e-4) text = f.toExponential(9).replace(/e([+-])(\d)$/, "e$10$2");
  else if (Math.abs(f) >= 1e16) text = f.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  else text = String(f);
  return /[.e]/.test(text) ? text : text + ".0";
}

function vec4Array(values) {
  const v = [];
  for (let i = 0; i < values.length; i += 4) v.push("vec4(" + Array.from(values.slice(i, i + 4), glslFloat).join(",") + ")");
  return `vec4[${v.length}](` + v.join(", ") + ")";
}

// ------------------------------------------------------------------ the network
export const PLAIN_FEATURES = "x,y";   // the input features of a state, a hash or a recipe that names none

// The defaults of a hidden activation (glnn/model/activations.py defaults_for): its own for one name, mix or
// mix-units (its row of tables.defaults), the name's for a list of one name repeated, mix's for a list of several.
export function defaultsFor(activation, tables) {
  if (Object.prototype.hasOwnProperty.call(tables.defaults, activation)) return tables.defaults[activation];
  const names = String(activation).split(",");
  return names && new Set(names).size === 1 && tables.defaults[names[0]] ? tables.defaults[names[0]] : tables.defaults.mix;
}

// The state's hyperparameters resolved as glnn/model/network.py resolves them: an activation's defaults where none is
// given (bias_scale stays null only where the default ties it to the scale).
export function resolved(state, tables) {
  const d = defaultsFor(state.activation, tables);
  const out = Object.assign({features: PLAIN_FEATURES}, state);
  for (const k of kinds(tables).byActivation) if (out[k] === null || out[k] === undefined) out[k] = d[k];
  return out;
}

// The network's layers and time parameters (glnn_random.js: numpy's draws bit for bit); cache: a Map kept by
// the caller (a new scale multiplies the same unit draws)
// the caller (a new scale multiplies the same unit draws); a state with a lineage replays its steps (glnn_lineage.js)
export function drawNetwork(state, tables, cache) {
  const s = resolved(state, tables);
  const spec = networkSpec(state, tables);
  return s.lineage && s.lineage.length ? lineageNetwork(spec, s.lineage, tables, cache) : glnnNetwork(spec, tables, cache);
}

// The glnnNetwork spec of a state (its hyperparameters resolved)
export function networkSpec(state, tables) {
  const s = resolved(state, tables);
  return {seed: s.seed, depth: s.depth, width: s.width, channels: s.channels, inputs: s.inputs, features: s.features,
          activation: s.activation, output_activation: s.output_activation, init: s.init, scale: s.scale,
          bias_scale: s.bias_scale, gain: s.gain};
}

const groups = n => Math.ceil(n / 4);
const perUnit = layer => Array.isArray(layer.activation);

// A layer's texels: its blocks, its bias texels and, for a per-unit layer (mix-units), its activation texels
function layerTexels(layer) {
  const [out, inn] = layer.shape;
  return groups(out) * groups(inn) * 4 + groups(out) + (perUnit(layer) ? groups(out) : 0);
}

// The order a layer's output units are packed in: a per-unit layer's grouped by activation (a stable sort by the
// activation's id, its place in glnn's table: tables.outputs), so a group of 4 mostly shares one; else as drawn.
export function unitOrder(layer, tables) {
  const idx = Array.from({length: layer.shape[0]}, (_, i) => i);
  if (!perUnit(layer)) return idx;
  const id = layer.activation.map(a => tables.outputs.indexOf(a));
  return idx.sort((a, b) => id[a] - id[b] || a - b);
}

// Where the packing put each hidden unit, layer after layer (webgl.unit_slot_defines, packing.unit_slots): slot
// of unit order[i] is i; a layer of one activation keeps its units in place.
/** @param {any} net @param {any} tables @returns {number[]} */
function unitSlots(net, tables) {
  const all = [];
  for (const layer of net.layers.slice(0, -1)) {
    const order = unitOrder(layer, tables);
    const slots = new Array(order.length);
    order.forEach((unit, i) => { slots[unit] = i; });
    all.push(...slots);
  }
  return all;
}

// The weights as RGBA32F texels, `width` a row (pack_weights): per layer, block (o, j) is the 4 columns of the
// mat4 mapping inputs 4j..4j+3 to outputs 4o..4o+3, then one bias texel per output group; a per-unit layer
// (mix-units) then has one activation texel per output group (lane k of texel o: the activation id of unit
// 4o + k as a float, identity's 0 past the units), its units in unitOrder() (its rows and biases, and the next
// layer's columns, permuted alike; the readout's rows never are).
export function packTexels(net, width, tables) {
  const total = net.layers.reduce((n, l) => n + layerTexels(l), 0);
  const rows = Math.max(1, Math.ceil(total / width));
  const data = new Float32Array(rows * width * 4);
  let at = 0, cols = null;   // cols: the previous layer's unit order (the columns of this one)
  for (const layer of net.layers) {
    const {W, b, shape: [out, inn]} = layer;
    const order = perUnit(layer) ? unitOrder(layer, tables) : null;
    const row = r => (order ? order[r] : r), col = c => (cols ? cols[c] : c);
    const o4 = groups(out), i4 = groups(inn);
    for (let o = 0; o < o4; o++) {
      for (let j = 0; j < i4; j++) {
        for (let k = 0; k < 4; k++) {
          const base = 4 * (at + (o * i4 + j) * 4 + k), c = 4 * j + k;
          if (c >= inn) continue;
          for (let r = 0; r < 4; r++) if (4 * o + r < out) data[base + r] = W[row(4 * o + r) * inn + col(c)];
        }
      }
    }
    const bias = at + o4 * i4 * 4;
    for (let i = 0; i < out; i++) data[4 * bias + i] = b[row(i)];
    if (order) {
      const acts = bias + o4;
      for (let i = 0; i < out; i++) data[4 * acts + i] = tables.outputs.indexOf(layer.activation[order[i]]);
    }
    at += layerTexels(layer);
    cols = order;
  }
  return {data, width, rows};
}

// The shaders' PIXEL_INPUTS for the features (glnn/model/architecture.py pixel_inputs_glsl()): statements setting
// the per-pixel slots of input group j (vec4 v) from vec2 xy; null for x, y
export function pixelInputsGlsl(features, tables) {
  if (features.join(",") === PLAIN_FEATURES) return null;
  const byName = Object.fromEntries(tables.features.map(f => [f.name, f]));
  /** @type {Map<number, string[]>} */
  const groupsOf = new Map();
  features.forEach((name, i) => {
    const f = byName[name];
    if (f.constant !== null && f.constant !== undefined) return;
    const g = Math.floor(i / 4);
    if (!groupsOf.has(g)) groupsOf.set(g, []);
    groupsOf.get(g).push(`v.${"xyzw"[i % 4]} = ${f.glsl};`);
  });
  return [...groupsOf.keys()].sort((a, b) => a - b).map(g => `if (j == ${g}) { ${groupsOf.get(g).join(" ")} }`).join(" ");
}

// The define block of web_page.frag for a network (glnn/web/webgl.py network_defines(), then WEIGHT_TEX_WIDTH and
// COLOUR_MODE), as "#define NAME VALUE" lines in spec.define_names' order.
// The features' defines (INPUT_C, PIXEL_INPUTS) are written only for features other than x, y, as webgl.py does.
export function defineLines(net, state, spec) {
  const tables = spec.tables;
  const offsets = [];
  let at = 0;
  for (const l of net.layers) { offsets.push(at); at += layerTexels(l); }
  const features = net.features || PLAIN_FEATURES.split(",");
  const nInputs = features.length + state.inputs - 2;
  const slots = [new Float64Array(16), new Float64Array(16), new Float64Array(16)];
  ["A", "w", "p"].forEach((k, i) => slots[i].set(net.z[k], features.length));
  const plainInputs = features.join(",") === PLAIN_FEATURES;
  const constants = new Float64Array(16);
  const byName = Object.fromEntries(tables.features.map(f => [f.name, f]));
  features.forEach((name, i) => { if (byName[name].constant !== null) constants[i] = byName[name].constant; });
  const values = {
    DEPTH: state.depth, WIDTH: state.width, INPUTS: nInputs, UNROLL: 1,
    LAYER_OFFSETS: offsets.join(", "),
    LAYER_ACTS: net.layers.map(l => (perUnit(l) ? "ACT_UNITS" : "ACT_" + l.activation.toUpperCase())).join(", "),
    VIEW_IN_SHADER: 1, INPUT_A: vec4Array(slots[0]), INPUT_W: vec4Array(slots[1]), INPUT_P: vec4Array(slots[2]),
    INPUT_C: plainInputs ? undefined : vec4Array(constants),
    PIXEL_INPUTS: plainInputs ? undefined : pixelInputsGlsl(features, tables),
    UNIT_ACTS: net.layers.some(perUnit) ? 1 : undefined,
    WEIGHT_TEX_WIDTH: spec.texture_width,
    UNIT_SLOTS: net.layers.some(perUnit) && state.depth > 1 ? unitSlots(net, tables).join(", ") : undefined,
    COLOUR_MODE: "COLOUR_" + state.colour.replace(":", "_").toUpperCase(),
  };
  const optional = new Set(spec.optional_defines || []);
  const lines = spec.define_names.filter(name => !(optional.has(name) && values[name] === undefined)).map(name => {
    if (values[name] === undefined) throw new Error("playground: no value for the define " + name);
    return `#define ${name} ${values[name]}`;
  });
  // a probe's own defines, after the page's (shaders/web_saturation.glsl, web_unit.glsl)
  if (state.probe === "saturation") {
    const parts = spec.tables.linear_parts.map(r => "vec4(" + r.map(glslFloat).join(",") + ")");
    lines.push("#define PROBE_SATURATION 1", `#define LINEAR_PARTS vec4[${parts.length}](${parts.join(", ")})`);
  } else if (state.probe) {
    const [kind, k, j] = state.probe.split(":");
    const acts = net.layers[k - 1].activation;
    // a mix-units layer: unit J's own activation (the shader finds the unit through UNIT_SLOTS)
    const name = Array.isArray(acts) && kind === "unit" ? acts[j - 1] : acts;
    if (Array.isArray(name)) throw new Error("the playground does not draw units:K sheets of mix-units layers yet");
    const bounds = spec.tables.bounds[name];
    if (!bounds) throw new Error(`the playground does not draw unit probes of ${name} layers (unbounded) yet`);
    lines.push(kind === "unit" ? "#define PROBE_UNIT 1" : "#define PROBE_UNITS 1", `#define PROBE_LAYER ${k}`,
               kind === "unit" ? `#define PROBE_INDEX ${j - 1}` : `#define PROBE_GUTTER ${spec.tables.gutter}`,
               `#define PROBE_BOUNDS vec2(${glslFloat(bounds[0])}, ${glslFloat(bounds[1])})`);
  }
  return lines;
}

// The fragment shader glnn/web/webgl.py's page_spec() writes for this network and colour mode.
export function fragmentSource(net, state, spec) {
  const s = spec.shader;
  const colour = s.colours[state.colour];
  if (colour === undefined) throw new Error("playground: unknown colour mode " + state.colour);
  return [s.version, ...defineLines(net, state, spec), s.before, colour, s.after].join("\n") + "\n";
}

// ------------------------------------------------------------------ the command
// The colour mode a network shows without --color (glnn/model/colour.py mode_for)
export const plainColour = channels => (channels === 3 ? "rgb" : "gray");
// The outputs the colour mode reads: a probe's picture has one (glnn/io/recipe.py from_json's `shown`)
const shownChannels = state => (state.probe ? 1 : state.channels);
// The colour mode a state shows without --color: its probe's, else its channels'
export const probeKind = probe => (probe ? probe.split(":")[0] : null);
export const plainColourOf = (state, tables) => (state.probe ? tables.probes[probeKind(state.probe)] : plainColour(state.channels));
// Whether the state's probe fits its network (glnn/rendering/probes.py parse_probe): hidden units to probe
export function probeFits(state) {
  if (!state.probe) return true;
  if (state.depth < 2) return false;
  const m = /^units?:(\d+)(?::(\d+))?$/.exec(state.probe);
  return !m || (+m[1] >= 1 && +m[1] <= state.depth - 1 && (m[2] === undefined || (+m[2] >= 1 && +m[2] <= state.width)));
}
export const colourFits = (state, tables) => tables.colours.some(m => m.name === state.colour && m.inputs === shownChannels(state));

// glnn/io/command.py parts(): the program and network flags (what differs from glnn's defaults: the activation
// against tanh, the rest against the activation's), the view flags, the rest (the colour mode).
export function commandParts(state, tables, size) {
  const s = resolved(state, tables);
  const plain = tables.network;
  const defaults = Object.assign({}, plain, defaultsFor(s.activation, tables));
  const head = ["glnn", "render"];
  const {hyper, whole, words} = kinds(tables);
  for (const name of hyper) {
    const value = s[name];
    const dflt = name === "activation" ? plain.activation : defaults[name];
    const same = name === "seed" ? String(value) === String(dflt) : value === dflt;
    if (same) continue;
    head.push("--" + name.replace(/_/g, "-"),
              words.has(name) ? value : whole.has(name) ? String(value) : numberText(value));
  }
  if (s.lineage && s.lineage.length) head.push("--lineage", lineageText(s.lineage));
  const mid = [];
  if (s.center[0] !== 0 || s.center[1] !== 0) mid.push("--center", numberText(s.center[0]) + "," + numberText(s.center[1]));
  if (s.extent !== 1) mid.push("--extent", numberText(s.extent));
  if (s.time !== 0) mid.push("--time", numberText(s.time));
  mid.push("--size", size[0] + "x" + size[1]);
  const tail = s.probe ? ["--probe", s.probe] : [];
  if (s.colour !== plainColourOf(s, tables)) tail.push("--color", s.colour);
  return [head, mid, tail];
}

// Python's shlex.quote
export function shellQuote(word) {
  if (word === "") return "''";
  if (/^[A-Za-z0-9_@%+=:,.\/-]+$/.test(word)) return word;
  return "'" + word.replace(/'/g, "'\"'\"'") + "'";
}

export function commandLine(state, tables, size, out) {
  const [head, mid, tail] = commandParts(state, tables, size);
  return [...head, ...mid, ...tail, ...(out ? ["--out", out] : [])].map(shellQuote).join(" ");
}

// ------------------------------------------------------------------ the recipe
// The picture's recipe (glnn/io/recipe.py to_json, weights left out: the seed draws them) as JSON text: floats
// written as glnn's command writer writes them (so a whole one stays a float: 1.0), the seed as its digits.
export function recipeJson(state, tables, size, spec) {
  const s = resolved(state, tables);
  const f = numberText;
  const {hyper, whole, words} = kinds(tables);
  const net = hyper.map(k => {
    const v = s[k];
    const text = k === "seed" ? String(v) : words.has(k) ? JSON.stringify(v) : whole.has(k) ? String(v)
      : v === null ? "null" : f(v);
    return JSON.stringify(k) + ":" + text;
  }).join(",");
  return `{"format":${JSON.stringify(spec.recipe_format)},"version":${spec.recipe_version},` +
    `"glnn":${JSON.stringify(spec.glnn)},"network":{${net}},` +
    (s.lineage && s.lineage.length ? `"lineage":${lineageJson(s.lineage)},` : "") +
    `"view":{"size":[${size[0]},${size[1]}],"center":[${f(s.center[0])},${f(s.center[1])}],` +
    `"extent":${f(s.extent)},"time":${f(s.time)}},"colour":${JSON.stringify(s.colour)},"backend":"auto",` +
    `"supersample":1,${s.probe ? `"probe":${JSON.stringify(s.probe)},` : ""}"command":${JSON.stringify(commandLine(state, tables, size))}}`;
}

// A file name that says what the picture is: glnn-tanh-12x30-seed3.png (the scale and view when not default)
export function fileName(state, tables, ext = "png") {
  const s = resolved(state, tables);
  const parts = ["glnn", s.activation, `${s.depth}x${s.width}`, "seed" + s.seed];
  if (s.features !== PLAIN_FEATURES) parts.push(s.features);
  if (s.scale !== defaultsFor(s.activation, tables).scale) parts.push("scale" + numberText(s.scale));
  if (s.inputs > 2) parts.push("t" + Number(s.time.toFixed(3)));
  if (s.probe) parts.push(s.probe);
  return parts.join("-").replace(/[^\w.+-]/g, "_") + "." + ext;
}

// ------------------------------------------------------------------ the state in the URL hash
// Words joined by "&": flags of the page (bare, size=WxH) and the state as NAME=VALUE, the names glnn's
// flags use (output-activation, bias-scale, color): tables.hash_names, [state key, name] in the hash's order.
const PAGE_WORD = /^(bare|size=\d+x\d+)$/;

export function stateToHash(state, tables, pageWords = []) {
  const words = pageWords.slice();
  const {whole} = kinds(tables);
  for (const [k, name] of tables.hash_names) {
    const v = state[k];
    if (v === null || v === undefined || (k === "features" && v === PLAIN_FEATURES)) continue;   // old URLs: x, y
    if (k === "lineage" && !v.length) continue;
    const text = k === "center" ? numberText(v[0]) + "," + numberText(v[1]) : k === "lineage" ? lineageText(v)
      : whole.has(k) ? String(v) : typeof v === "number" ? numberText(v) : encodeURIComponent(v).replace(/%2C/g, ",");
    words.push(name + "=" + text);
  }
  return "#" + words.join("&");
}

function finite(text) {
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return null;
  const v = Number(text);
  return Number.isFinite(v) ? v : null;
}

// The hash read over `base`: {state, pageWords, bad: [words not understood]}. Values out of range are bad (the
// base's value stays); a hash that names no state keeps the base.
export function hashToState(hash, base, tables) {
  const state = Object.assign({}, base, {center: base.center.slice()});
  const pageWords = [], bad = [];
  const byName = Object.fromEntries(tables.hash_names.map(([k, n]) => [n, k]));
  const {byActivation} = kinds(tables);
  let tiedBias = true, activationChanged = false;
  const given = new Set();
  for (const raw of hash.replace(/^#/, "").split("&")) {
    if (!raw) continue;
    if (PAGE_WORD.test(raw)) { pageWords.push(raw); continue; }
    const eq = raw.indexOf("=");
    const k = eq > 0 ? byName[raw.slice(0, eq)] : undefined;
    let text;
    try { text = decodeURIComponent(raw.slice(eq + 1)); } catch (e) { bad.push(raw); continue; }
    if (k === undefined) { bad.push(raw); continue; }
    const ok = setField(state, k, text, tables);
    if (!ok) { bad.push(raw); continue; }
    given.add(k);
    if (k === "bias_scale") tiedBias = false;
    if (k === "activation") activationChanged = true;
  }
  if (given.size && !given.has("bias_scale") && tiedBias && given.has("scale")) state.bias_scale = null;
  // a hash without the features word means x, y (it is written only for others: old URLs keep their meaning)
  if (given.size && !given.has("features")) state.features = PLAIN_FEATURES;
  // nor without the lineage word: the network of the seed (a link from before breeding)
  if (given.size && !given.has("lineage")) state.lineage = null;
  if (activationChanged) {
    // what the hash does not say takes the new activation's defaults (as glnn's flags do)
    for (const k of byActivation) if (!given.has(k)) state[k] = defaultsFor(state.activation, tables)[k];
  }
  if (!inputsFit(state, tables)) {   // the features and the extra inputs fill at most the shaders' slots
    bad.push("features=" + state.features);
    state.features = PLAIN_FEATURES;
  }
  if (!probeFits(state)) {   // a network of depth 1 has no hidden units; a unit must be in its layer
    bad.push("probe=" + state.probe);
    state.probe = null;
  }
  if (given.has("probe") && !given.has("colour")) state.colour = plainColourOf(state, tables);
  if (!colourFits(state, tables)) {
    if (given.has("colour")) bad.push("color=" + state.colour);
    state.colour = plainColourOf(state, tables);
  }
  return {state, pageWords, bad};
}

// The input vector's length fits the shaders (tables.max_inputs: architecture.py MAX_INPUT_VECTOR)
export const inputsFit = (state, tables) =>
  (state.features || PLAIN_FEATURES).split(",").length + state.inputs - 2 <= tables.max_inputs;

// A hidden activation as glnn writes it (activations.py parse_hidden: "tanh, sin" -> "tanh,sin"), or null
export function activationText(text, tables) {
  if (tables.activations.includes(text) || (tables.activation_ways || []).includes(text)) return text;
  if (text === "mix" || text === "mix-units") return null;   // a way this page's tables do not list
  try {
    const names = parseActivation(text, tables);
    return Array.isArray(names) && names.every(n => tables.outputs.includes(n)) ? names.join(",") : null;
  } catch (e) {
    return null;
  }
}

// Set one field from its text; false when the text is not a value glnn accepts for it.
export function setField(state, k, text, tables) {
  const L = tables.limits;
  const whole = (lo, hi) => (/^\d+$/.test(text) && +text >= lo && +text <= hi ? +text : null);
  let v = null;
  if (k === "seed") {
    if (!/^\d+$/.test(text) || BigInt(text) >= 1n << 63n) return false;
    v = BigInt(text).toString();
  } else if (k === "depth") v = whole(1, L.depth);
  else if (k === "width") v = whole(1, L.width);
  else if (k === "inputs") v = whole(2, L.inputs);
  else if (k === "channels") v = text === "1" ? 1 : text === "3" ? 3 : null;
  else if (k === "activation") v = activationText(text, tables);
  else if (k === "features") {
    try { v = parseFeatures(text, tables).join(","); } catch (e) { v = null; }
  }
  else if (k === "lineage") {
    try { v = parseLineage(text); } catch (e) { v = null; }
    if (v !== null && !v.length) { state.lineage = null; return true; }
  }
  else if (k === "output_activation") v = tables.outputs.includes(text) ? text : null;
  else if (k === "init") v = tables.inits.includes(text) ? text : null;
  else if (k === "colour") v = tables.colours.some(m => m.name === text) ? text : null;
  else if (k === "probe") {
    if (text === "none") { state.probe = null; return true; }
    v = text === "saturation" || /^(unit:\d{1,3}:\d{1,3}|units:\d{1,3})$/.test(text) ? text : null;
  }
  else if (k === "scale" || k === "bias_scale" || k === "gain") {
    v = finite(text);
    if (v !== null && !(v >= 0 && v <= 1e6)) v = null;
  } else if (k === "extent") {
    v = finite(text);
    if (v !== null && !(v >= 1e-6 && v <= 1e6)) v = null;
  } else if (k === "time") {
    v = finite(text);
    if (v !== null && !(Math.abs(v) <= 1e6)) v = null;
  } else if (k === "center") {
    const p = text.split(",").map(finite);
    v = p.length === 2 && p.every(x => x !== null && Math.abs(x) <= 1e6) ? p : null;
  }
  if (v === null) return false;
  state[k] = v;
  return true;
}

// The state a glnn recipe (the JSON object a picture holds) describes; null when it is not one this page draws.
export function stateFromRecipe(recipe, tables) {
  if (!recipe || recipe.format !== "glnn-recipe" || typeof recipe.network !== "object" || !recipe.network) return null;
  const n = recipe.network, v = recipe.view || {};
  const state = {};
  const {hyper, byActivation} = kinds(tables);
  for (const k of hyper) {
    const value = k === "features" && n[k] === undefined ? PLAIN_FEATURES : n[k];   // a recipe older than features
    if (k === "bias_scale" && value === null) { state.bias_scale = null; continue; }
    if (value === undefined || value === null) {
      if (!byActivation.includes(k)) return null;
      state[k] = null;
      continue;
    }
    if (!setField(state, k, String(value), tables)) return null;
  }
  for (const k of byActivation) if (state[k] === null && k !== "bias_scale") state[k] = defaultsFor(state.activation, tables)[k];
  if (!inputsFit(state, tables)) return null;
  state.center = Array.isArray(v.center) && v.center.length === 2 && v.center.every(Number.isFinite) ? v.center.slice() : [0, 0];
  state.extent = Number.isFinite(v.extent) && v.extent > 0 ? v.extent : 1;
  state.time = Number.isFinite(v.time) ? v.time : 0;
  // a bred network's lineage (docs/lineage.md: the recipe's "lineage", beside "network")
  state.lineage = null;
  // (a morph's morph_of [B, f] is exactly the lineage [["m", B, f]])
  const steps = Array.isArray(recipe.lineage) ? recipe.lineage
    : Array.isArray(recipe.morph_of) && recipe.morph_of.length === 2 ? [["m", recipe.morph_of[0], recipe.morph_of[1]]] : [];
  if (steps.length) {
    try { state.lineage = checkLineage(steps); } catch (e) { return null; }
  }
  // a probe the playground draws comes along; another is left out (the network opens without it)
  state.probe = null;
  if (typeof recipe.probe === "string" && setField(state, "probe", recipe.probe, tables) && !probeFits(state)) state.probe = null;
  const given = recipe.probe && !state.probe ? null : recipe.colour;
  state.colour = typeof given === "string" ? given : plainColourOf(state, tables);
  if (!colourFits(state, tables)) state.colour = plainColourOf(state, tables);
  return state;
}
