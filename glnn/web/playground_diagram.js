// @ts-check
// The playground's network diagram and depth strip (issue 33, items 1 and 2): beside the picture, the layers as
// columns, every hidden unit a live thumbnail of its activation over the current view (the picture
// `glnn render --probe unit:K:J --size TxT` draws), weight lines between consecutive layers; under the picture the
// depth strip, the output picture after each layer (`glnn render --depth d --size TxT`).
//
// How: a CPU forward pass in float64 over a T x T grid of the view (the view's centred square: docs/contract.md,
// "The view", at T x T pixels), every layer at once: each pixel's hidden state gives every thumbnail's value there
// and, through the readout (the same readout at every depth >= 2: a network's layers are drawn from streams keyed
// by layer and shape, so depth d's network is the first d - 1 hidden layers of this one, then this readout), each
// strip tile's colour; depth 1 (whose readout has another shape) from its own draw. The pass runs in slices of at
// most SLICE_MS, yielding to the page between them (a MessageChannel: no timer clamping), its pixels in
// coarse-to-fine order (every 8th pixel first, filling its 8 x 8 block, then 4, 2, 1), so a change shows at once
// and sharpens; a newer state cancels the pass under way; thumbnails are painted at each level's end, in slices
// too. Why not the GPU or a Worker (measured in headless Chromium on the project's 2 cores, SwiftShader,
// tests/system/diagram_timing.py): SwiftShader is no faster than this loop (the page's own 12 x 30 shader ran at
// about 160 M multiply-adds/s, the pass at 60-150 M), and the page's longest tasks are its main view's own frames
// (0.2-1.6 s for 27 x 30 even at 48 x 48), the diagram's slices 10-40 ms: a Worker would not make 2 busy cores
// faster. A pass of 27 x 30 at 40 x 40 (39 M multiply-adds) takes 0.5-0.7 s alone in node.
//
// startDiagram({diagram, strip}, tables, hooks) -> {update(state), ...}: the playground calls update() on every
// state change (playground_ui.js); the pass starts on the next turn of the event loop (after the page's own
// redraw), drawing the state's network itself (playground.js drawNetwork, the page's cache of unit draws). The
// pure parts (gridPass, colourStage, unitRange) take no DOM: tests run them in node too.
import {commandLine, drawNetwork, networkSpec, plainColour} from "./playground.js";

const SLICE_MS = 8;            // longest a slice of the pass holds the page
const THUMB = 40;              // thumbnail and strip tile size, in pixels of the view
const THUMB_WIDE = 24;         // ... for networks of over WIDE_MACS multiply-adds a pixel
const WIDE_MACS = 60000;
const PAGE_UNITS = 32;         // over MAX_SHOWN units a layer, pages of this many
const MAX_SHOWN = 64;
const LINES_PER_UNIT = 4;      // over LINES_ALL inputs a unit, its strongest incoming lines only
const LINES_ALL = 16;
const LEVELS = [8, 4, 2, 1];
// The thumbnails' own keys, a button grid's (WAI-ARIA): not glnn's actions (those come from tables.keys)
const THUMB_KEYS = {Enter: "choose", " ": "choose", ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0],
                    ArrowRight: [1, 0]};   // the pass's coarse-to-fine steps

// ------------------------------------------------------------------ the numbers (no DOM)
// The activations (docs/contract.md, "Activations"), float64: activate(c, x) by the case c of the activation's name
// (one switch, so that the pass's hot loop calls one function); the names come from the tables (a name glnn has and
// this file lacks is an error, said by actIds)
const ACT_CASE = {identity: 0, tanh: 1, sigmoid: 2, relu: 3, leaky_relu: 4, sin: 5, gaussian: 6, softsign: 7};
function activate(id, x) {
  switch (id) {
    case 0: return x;
    case 1: return Math.tanh(x);
    case 2: return 1 / (1 + Math.exp(-x));
    case 3: return x > 0 ? x : 0;
    case 4: return x > 0 ? x : 0.1 * x;
    case 5: return Math.sin(x);
    case 6: return Math.exp(-x * x);
    default: return x / (1 + Math.abs(x));
  }
}
// a layer's activation ids, one per unit
function actIds(layer) {
  const names = Array.isArray(layer.activation) ? layer.activation : new Array(layer.shape[0]).fill(layer.activation);
  return Int8Array.from(names, n => {
    const id = ACT_CASE[n];
    if (id === undefined) throw new Error("diagram: no activation " + n);
    return id;
  });
}

// The input features at plane point (x, y) (docs/contract.md, "Input features"; tables.features' names)
/** @type {Record<string, (x: number, y: number) => number>} */
const DIAGRAM_FEATURES = {x: (x, y) => x, y: (x, y) => y, r: (x, y) => Math.sqrt(x * x + y * y), bias: () => 1,
                          ax: x => Math.abs(x), ay: (x, y) => Math.abs(y)};

// Whether a pre-activation x is in its activation's near-linear part (tables.linear_parts: glnn/web/playground.py,
// the row of the activation's id; the saturation probe's rule: shaders/web_saturation.glsl)
function linearPart(row, x) {
  if (row[0] > 0.5) return x > row[1];
  const v = row[3] > 0 ? ((x + 0.5 * row[3]) % row[3] + row[3]) % row[3] - 0.5 * row[3] : x;
  return Math.abs(v) >= row[1] && Math.abs(v) <= row[2];
}

// The gray scale of unit probes (glnn/rendering/probes.py _bounds): the activation's range, else [0, max] (an
// activation with a floor: relu) or [-max, max] over the picture; max: the largest |value| (1 where all are 0)
export function unitRange(name, peak, tables) {
  const b = tables.bounds[name];
  if (b) return b;
  const m = peak || 1;
  const floor = (tables.floors || {})[name];
  return floor !== null && floor !== undefined ? [floor, m] : [-m, m];
}

// numpy's round (half to even) of 255 v, v clamped to [0, 1]: colour.to_uint8
function level(v) {
  const x = 255 * Math.min(1, Math.max(0, v));
  const r = Math.round(x);
  return Math.abs(x - Math.floor(x) - 0.5) < 1e-12 && r % 2 ? r - 1 : r;
}

// The colour stage (docs/contract.md, "The picture"; glnn/model/colour.py): outputs -> [r, g, b] in [0, 1]
function paletteTable(hex) {
  const t = new Float64Array(768);
  for (let i = 0; i < 768; i++) t[i] = parseInt(hex.substr(2 * i, 2), 16) / 255;
  return t;
}
/** @returns {(v: ArrayLike<number>, out: Float64Array) => void} */
export function colourStage(mode, tables) {
  const u = v => Math.min(1, Math.max(0, v));
  if (mode === "rgb") return (v, o) => { o[0] = v[0]; o[1] = v[1]; o[2] = v[2]; };
  if (mode === "gray") return (v, o) => { o[0] = o[1] = o[2] = v[0]; };
  const keep = ["red", "green", "blue"].indexOf(mode);
  if (keep >= 0) return (v, o) => { o[0] = o[1] = o[2] = 0; o[keep] = v[keep]; };
  if (mode === "hsv") {
    return (v, o) => {
      const h = u(v[0]), s = u(v[1]), val = u(v[2]);
      [5, 3, 1].forEach((n, i) => {
        const k = (n + h * 6) % 6;
        o[i] = val - val * s * u(Math.min(k, 4 - k));
      });
    };
  }
  if (mode === "hsl") {
    return (v, o) => {
      const h = u(v[0]), s = u(v[1]), l = u(v[2]);
      const a = s * Math.min(l, 1 - l);
      [0, 8, 4].forEach((n, i) => {
        const k = (n + h * 12) % 12;
        o[i] = l - a * Math.min(1, Math.max(-1, Math.min(k - 3, 9 - k)));
      });
    };
  }
  if (mode.startsWith("palette:") && tables.palettes && tables.palettes[mode.slice(8)]) {
    const t = paletteTable(tables.palettes[mode.slice(8)]);
    return (v, o) => {
      const x = 255 * u(v[0]), i = Math.floor(x), f = x - i, j = Math.min(i + 1, 255);
      for (let c = 0; c < 3; c++) o[c] = t[3 * i + c] * (1 - f) + t[3 * j + c] * f;
    };
  }
  throw new Error("diagram: no colour mode " + mode);
}

// The coarse-to-fine order of a T x T grid: [pixel index, block step] pairs, every pixel once
function passOrder(T) {
  const order = [];
  const seen = new Uint8Array(T * T);
  for (const s of LEVELS) {
    for (let r = 0; r < T; r += s) {
      for (let c = 0; c < T; c += s) {
        if (seen[r * T + c]) continue;
        seen[r * T + c] = 1;
        order.push(r * T + c, s);
      }
    }
  }
  return order;
}

// The grid size for a network: THUMB, or THUMB_WIDE where a pixel costs over WIDE_MACS multiply-adds
export function gridSize(net) {
  const macs = net.layers.reduce((n, l) => n + l.shape[0] * l.shape[1], 0);
  return macs > WIDE_MACS ? THUMB_WIDE : THUMB;
}

/**
 * The forward pass over a T x T grid of the view, in steps: step(ms) works for about `ms` and says whether it is
 * done. Results (filled progressively, coarse pixels filling their blocks): values[K][i] (Float64Array T*T) of
 * shown unit shown[K][i] of hidden layer K + 1; stats[K][i] {sum, abs, sat, min, max, n}; strip[d - 1]
 * (Float64Array T*T*3, the colours in [0, 1]) of depth d (d = 1 .. depth; depth 1 from `one`, the depth-1
 * network, when given).
 * @param {any} net @param {any} one @param {{center: number[], extent: number, time: number}} view
 * @param {number} T @param {number[][]} shown @param {string} colour @param {any} tables
 */
export function gridPass(net, one, view, T, shown, colour, tables) {
  const L = net.layers, D = L.length, H = D - 1;
  const features = net.features.map(name => DIAGRAM_FEATURES[name]);
  if (features.some(f => !f)) throw new Error("diagram: an input feature it does not know: " + net.features);
  const nf = features.length, nIn = net.nInputs;
  const z = new Float64Array(nIn - nf);
  for (let j = 0; j < z.length; j++) z[j] = Math.fround(net.z.A[j] * Math.sin(net.z.w[j] * view.time + net.z.p[j]));
  const acts = L.map(actIds), oneActs = one ? actIds(one.layers[0]) : null;
  const rows = L.map(l => (Array.isArray(l.activation) ? l.activation : new Array(l.shape[0]).fill(l.activation))
    .map(n => tables.linear_parts[tables.outputs.indexOf(n)]));
  const width = H ? L[0].shape[0] : 0, channels = L[D - 1].shape[0];
  const values = shown.map(units => units.map(() => new Float64Array(T * T)));
  const stats = shown.map(units => units.map(() => ({sum: 0, abs: 0, sat: 0, min: Infinity, max: -Infinity, n: 0})));
  const strip = Array.from({length: D}, () => new Float64Array(T * T * 3));
  const colourOf = colourStage(colour, tables);
  const order = passOrder(T);
  const s = 2 * view.extent / T;
  const y0 = new Float64Array(nIn), a = new Float64Array(Math.max(width, 1)), b = new Float64Array(Math.max(width, 1));
  const out = new Float64Array(Math.max(channels, 3)), rgb = new Float64Array(3);
  const readout = L[D - 1], outActs = acts[D - 1];
  let at = 0;

  // the readout (and output activation, colour stage) on a layer's values y, into strip tile `tile` at (r, c)'s block
  function stripPixel(layer, ids, y, tile, r, c, step) {
    const o = layer.shape[0], n = layer.shape[1], W = layer.W;
    for (let u = 0; u < o; u++) {
      let x = layer.b[u];
      for (let i = 0; i < n; i++) x += W[u * n + i] * y[i];
      out[u] = activate(ids[u], x);
    }
    colourOf(out, rgb);
    const arr = strip[tile];
    for (let rr = r; rr < Math.min(T, r + step); rr++) {
      for (let cc = c; cc < Math.min(T, c + step); cc++) {
        const base = (rr * T + cc) * 3;
        arr[base] = rgb[0]; arr[base + 1] = rgb[1]; arr[base + 2] = rgb[2];
      }
    }
  }
  function fill(arr, r, c, step, v) {
    for (let rr = r; rr < Math.min(T, r + step); rr++) arr.fill(v, rr * T + c, rr * T + Math.min(T, c + step));
  }

  // the pixel under way (order[at]): its row, column, block step and the next layer to compute (a wide layer is
  // milliseconds: a slice may end between two layers of one pixel)
  let pr = 0, pc = 0, pp = 0, pstep = 1, pk = -1, prev = y0;

  function startPixel(p, step) {
    pp = p; pstep = step; pr = Math.floor(p / T); pc = p % T;
    const x = view.center[0] + (pc + 0.5 - T / 2) * s, y = view.center[1] + (T / 2 - pr - 0.5) * s;
    for (let i = 0; i < nf; i++) y0[i] = Math.fround(features[i](x, y));
    y0.set(z, nf);
    if (one) stripPixel(one.layers[0], oneActs, y0, 0, pr, pc, step);
    prev = y0;
    pk = 0;
  }

  // hidden layer pk of the pixel under way: its shown units' values and numbers, its strip tile
  function layerStep() {
    const k = pk, p = pp, step = pstep, r = pr, c = pc;
    const layer = L[k], o = layer.shape[0], n = layer.shape[1], W = layer.W, bias = layer.b, ids = acts[k];
    const cur = k % 2 ? b : a, row = rows[k];
    for (let u = 0; u < o; u++) {
      let v = bias[u];
      const off = u * n;
      for (let i = 0; i < n; i++) v += W[off + i] * prev[i];
      cur[u] = v;
    }
    const units = shown[k], vals = values[k], sts = stats[k];
    for (let i = 0; i < units.length; i++) {
      const u = units[i], xv = cur[u];
      const yv = activate(ids[u], xv);
      if (step === 1) vals[i][p] = yv; else fill(vals[i], r, c, step, yv);
      const st = sts[i];   // each pixel is computed once: its numbers count once
      st.sum += yv; st.abs += Math.abs(yv); st.n++;
      if (yv < st.min) st.min = yv;
      if (yv > st.max) st.max = yv;
      const linear = linearPart(row[u], xv);
      if (row[u][0] > 0.5 ? linear : !linear) st.sat++;
    }
    for (let u = 0; u < o; u++) cur[u] = activate(ids[u], cur[u]);
    stripPixel(readout, outActs, cur, k + 1, r, c, step);
    prev = cur;
    pk++;
  }

  return {
    T, values, stats, strip,
    get fraction() { return at / order.length; },
    get done() { return at >= order.length; },
    /** about `ms` of work (a layer of a pixel at a time), stopping at the end of a level (every 8th pixel, every
     * 4th, ...): true where one ended
     * @param {number} ms @returns {boolean} */
    step(ms) {
      const end = performance.now() + ms;
      while (at < order.length) {
        if (pk < 0) startPixel(order[at], order[at + 1]);
        if (pk < H) layerStep();
        if (pk >= H) {   // the pixel is done
          pk = -1;
          at += 2;
          if (at >= order.length || order[at + 1] !== order[at - 1]) return true;
        }
        if (performance.now() >= end) break;
      }
      return at >= order.length;
    },
  };
}

// Which units of each hidden layer are shown: all up to MAX_SHOWN, else page p (PAGE_UNITS of them)
export function shownUnits(width, hidden, pages) {
  return Array.from({length: hidden}, (_, k) => {
    if (width <= MAX_SHOWN) return Array.from({length: width}, (_, u) => u);
    const p = pages[k] || 0, first = p * PAGE_UNITS;
    return Array.from({length: Math.min(PAGE_UNITS, width - first)}, (_, i) => first + i);
  });
}

// ------------------------------------------------------------------ the page
// The page's #glnn-diagram and #glnn-strip (the layout's sections), made at the body's end where the page has none
export function diagramPlaces() {
  const place = id => {
    let x = document.getElementById(id);
    if (!x) {
      x = document.createElement("section");
      x.id = id;
      document.body.appendChild(x);
    }
    return x;
  };
  return {diagram: place("glnn-diagram"), strip: place("glnn-strip")};
}

const PITCH = 6;     // px between thumbnails
const GAP = 44;      // px between columns (the weight lines)
const HEAD = 32;     // px above the first thumbnail (the column's title) ...
const HEAD_PAGED = 100; // ... and its pager, in a network of wide layers

/**
 * @param {{diagram: HTMLElement, strip: HTMLElement}} where
 * @param {any} tables
 * @param {{setProbe?: (probe: string) => void, size?: () => number[], cache?: Map<string, any>}} hooks
 *   setProbe: show a unit big in the main view; size: the main canvas's size (for the unit's command); cache: the
 *   page's cache of unit draws (playground.js drawNetwork)
 */
export function startDiagram(where, tables, hooks = {}) {
  const {diagram, strip} = where;
  const oneCache = new Map();
  let latest = null;          // {state, netKey}: the newest update()
  let drawn = null, drawnKey = "";   // the network drawn (playground.js drawNetwork) and its key
  let shownKey = "";          // the view, network and pages now computed or being computed
  let layoutKey = "";         // the columns now built
  let pass = null, passId = 0, doneId = -1;
  let cells = [];             // cells[K][i]: {canvas, ctx, image, unit}
  let tiles = [];             // strip tiles: {canvas, ctx, image}
  let pages = [];             // the page shown of each wide layer
  let selected = null;        // {k, u}: the unit clicked (layer k + 1, unit u + 1)
  let busy = false;
  const timing = {slice: 0, paint: 0, build: 0};   // the longest slice, paint and build (ms; timing(): read and reset)
  let linesOf = null;         // the network whose weight lines are drawn
  /** @type {HTMLCanvasElement[]} */
  let gaps = [];              // the lines' canvases, one per gap between columns
  const channel = new MessageChannel();
  channel.port1.onmessage = () => work();

  diagram.classList.add("glnn-diagram");
  strip.classList.add("glnn-strip");
  diagram.innerHTML = "";
  strip.innerHTML = "";
  const note = el("div", {class: "glnn-dg-note"});
  const net = el("div", {class: "glnn-dg-net"});
  const info = el("div", {class: "glnn-dg-info"});
  const hoverLine = el("div", {"aria-live": "polite"},
                       "hover over a unit (or Tab to the units, arrow keys) for its numbers; click it (Enter) to see it big");
  const chosen = el("div");
  info.append(hoverLine, chosen);
  diagram.append(note, info, net);
  const stripTiles = el("div", {class: "glnn-strip-tiles"});
  const stripNote = el("div", {class: "glnn-dg-note"});
  strip.append(stripNote, stripTiles);

  function el(tag, attrs = {}, text) {
    const x = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) x.setAttribute(k, String(v));
    if (text !== undefined) x.textContent = text;
    return x;
  }

  // a new state: the pass starts anew where the network, the view, the colour or a page changed
  function update(state) {
    const nk = JSON.stringify(networkSpec(state, tables)) + JSON.stringify(state.lineage || null);
    const view = [state.center[0], state.center[1], state.extent, state.time].join(",");
    const stripColour = state.probe ? plainColour(state.channels) : state.colour;   // a probe leaves the strip as it is
    const key = [nk, view, stripColour, pages.join(",")].join("|");
    latest = {state, netKey: nk};
    if (key === shownKey) return;
    shownKey = key;
    const id = ++passId;
    // after the page's own work of this turn (its redraw): the next turn
    setTimeout(() => { if (id === passId) begin(); }, 0);
  }

  function begin() {
    if (!latest) return;
    const {state, netKey: nk} = latest;
    try {
      if (nk !== drawnKey) {
        drawn = drawNetwork(state, tables, hooks.cache || oneCache);
        drawnKey = nk;
      }
    } catch (e) {
      pass = null;
      note.textContent = "no diagram: " + String(e.message || e);
      return;
    }
    const network = drawn;
    const L = network.layers, hidden = L.length - 1, width = hidden ? L[0].shape[0] : 0;
    const shown = shownUnits(width, hidden, pages);
    const tb = performance.now();
    build(state, network, shown);
    timing.build = Math.max(timing.build, performance.now() - tb);
    const T = gridSize(network);
    let one = null;
    try {
      one = L.length === 1 ? network : drawNetwork(Object.assign({}, state, {depth: 1}), tables, oneCache);
    } catch (e) {
      one = null;   // the strip then starts at depth 2
    }
    const colour = state.probe ? plainColour(state.channels) : state.colour;
    const p = gridPass(network, one, {center: state.center.slice(), extent: state.extent, time: state.time},
                       T, shown, colour, tables);
    pass = Object.assign(p, {net: network, state, shown, started: performance.now(), key: shownKey, id: passId,
                             painting: null, painted: false});
    diagram.dataset.pass = "running";
    diagram.dataset.passes = String((+(diagram.dataset.passes || 0)) + 1);
    if (!busy) { busy = true; channel.port2.postMessage(0); }
  }

  // one slice: of the paint under way, else of the pass (a level's end starts a paint: thumbnails coarse to fine)
  function work() {
    busy = false;
    if (!pass) return;
    const p = pass;
    const t0 = performance.now();
    if (p.painting) {
      paintSome(p, t0 + SLICE_MS);
      timing.paint = Math.max(timing.paint, performance.now() - t0);
    } else if (!p.done || !p.painted) {
      if (p.step(SLICE_MS)) p.painting = {k: 0, i: 0};
      timing.slice = Math.max(timing.slice, performance.now() - t0);
    }
    if (p.done && p.painted && !p.painting) {
      diagram.dataset.pass = "done";
      diagram.dataset.ms = (performance.now() - p.started).toFixed(1);
      diagram.dataset.key = p.key;
      doneId = p.id;
      showChosen();
      return;
    }
    if (pass === p) { busy = true; channel.port2.postMessage(0); }
  }

  // ---------------------------------------------------------------- the columns
  function build(state, network, shown) {
    const L = network.layers, hidden = L.length - 1;
    const T = gridSize(network);
    const key = [L.map(l => l.shape.join("x")).join(","), network.features.join(","), network.nInputs,
                 shown.map(u => u[0] + "+" + u.length).join(","), T].join("|");
    if (key !== layoutKey) {   // a new shape: new columns (a new activation only retitles them)
      layoutKey = key;
      layout(state, network, shown, T);
      linesOf = null;
    }
    if (linesOf !== network) {
      linesOf = network;
      lines(network, shown);
      titles(network, shown);
    }
  }

  const unitX = col => col * (THUMB + GAP);
  let head = HEAD;
  const unitY = i => head + i * (THUMB + PITCH);

  function layout(state, network, shown, T) {
    const L = network.layers, hidden = L.length - 1;
    net.innerHTML = "";
    cells = [];
    const inputs = [...network.features, ...Array.from({length: network.nInputs - network.features.length}, (_, j) => "z" + (j + 1))];
    const outputs = L[hidden].shape[0] === 3 ? ["out 1", "out 2", "out 3"] : ["out"];
    const tall = Math.max(inputs.length, outputs.length, ...shown.map(u => u.length));
    head = L.some((l, k) => k < hidden && l.shape[0] > MAX_SHOWN) ? HEAD_PAGED : HEAD;
    net.style.width = unitX(hidden + 2) - GAP + "px";
    net.style.height = unitY(tall) + "px";
    // the lines' layer, behind: one canvas per gap between columns (the weights of layer k: gap k)
    gaps = Array.from({length: hidden + 1}, (_, k) => {
      const g = el("canvas", {class: "glnn-dg-lines", width: GAP, height: unitY(tall), "aria-hidden": "true"});
      g.style.left = unitX(k) + THUMB + "px";
      net.appendChild(g);
      return g;
    });
    const column = (col, title, sub) => {
      const h = el("div", {class: "glnn-dg-head"});
      h.style.left = unitX(col) + "px";
      h.appendChild(el("div", {class: "glnn-dg-title", "data-column": col}, title));
      if (sub) h.appendChild(sub);
      net.appendChild(h);
    };
    const box = (col, i, text) => {
      const b = el("div", {class: "glnn-dg-box"}, text);
      b.style.left = unitX(col) + "px";
      b.style.top = unitY(i) + "px";
      net.appendChild(b);
    };
    column(0, "inputs");
    inputs.forEach((name, i) => box(0, i, name));
    for (let k = 0; k < hidden; k++) {
      const layer = L[k], width = layer.shape[0];
      const act = Array.isArray(layer.activation) ? "mix-units" : layer.activation;
      let sub = null;
      if (width > MAX_SHOWN) sub = pager(k, width, shown[k]);
      column(k + 1, `layer ${k + 1}\n${act}`, sub);
      cells.push(shown[k].map((u, i) => {
        // one tab stop for the whole diagram (the first thumbnail); arrow keys move between thumbnails
        const c = el("canvas", {class: "glnn-unit", width: T, height: T, tabindex: k === 0 && i === 0 ? 0 : -1,
                                role: "button", "data-layer": k + 1, "data-unit": u + 1});
        c.style.left = unitX(k + 1) + "px";
        c.style.top = unitY(i) + "px";
        c.addEventListener("mouseenter", () => hover(k, i));
        c.addEventListener("focus", () => hover(k, i));
        c.addEventListener("click", () => choose(k, i));
        c.addEventListener("keydown", e => {
          const move = THUMB_KEYS[e.key];
          if (!move) return;
          if (move === "choose") { e.preventDefault(); choose(k, i); return; }
          const to = [k + move[0], i + move[1]];
          const row = cells[to[0]];
          if (!row) return;
          const next = row[Math.max(0, Math.min(row.length - 1, to[1]))].canvas;
          e.preventDefault();
          e.stopPropagation();   // the page's own arrow keys (the view's) stay with the picture
          c.tabIndex = -1;
          next.tabIndex = 0;
          next.focus();
        });
        net.appendChild(c);
        const ctx = /** @type {CanvasRenderingContext2D} */ (c.getContext("2d", {willReadFrequently: true}));
        return {canvas: c, ctx, image: ctx.createImageData(T, T), unit: u};
      }));
    }
    column(hidden + 1, "output");
    outputs.forEach((name, i) => box(hidden + 1, i, name));
    // the strip: one tile per depth
    stripTiles.innerHTML = "";
    tiles = L.map((_, d) => {
      const fig = el("figure", {class: "glnn-strip-tile"});
      const c = el("canvas", {width: T, height: T, "data-depth": d + 1, role: "img",
                              "aria-label": `the picture of depth ${d + 1}`});
      fig.append(c, el("figcaption", {}, d + 1 === L.length ? `${d + 1} (now)` : String(d + 1)));
      stripTiles.appendChild(fig);
      const ctx = /** @type {CanvasRenderingContext2D} */ (c.getContext("2d", {willReadFrequently: true}));
      return {canvas: c, ctx, image: ctx.createImageData(T, T)};
    });
    stripNote.textContent = "the picture after each layer: depth 1, 2, ... (glnn render --depth d), live";
  }

  // the hidden columns' titles and the thumbnails' labels: their activations (one per unit in a mix-units layer)
  function titles(network, shown) {
    const L = network.layers;
    for (const t of net.querySelectorAll(".glnn-dg-title[data-column]")) {
      const k = +(t.getAttribute("data-column") || 0) - 1;
      if (k < 0 || k >= L.length - 1) continue;
      const act = L[k].activation;
      t.textContent = `layer ${k + 1}\n${Array.isArray(act) ? "mix-units" : act}`;
    }
    cells.forEach((row, k) => row.forEach(cell => {
      const act = L[k].activation;
      cell.canvas.setAttribute("aria-label", `layer ${k + 1}, unit ${cell.unit + 1} ` +
                               `(${Array.isArray(act) ? act[cell.unit] : act}): show it big`);
    }));
  }

  function pager(k, width, units) {
    const box = el("div", {class: "glnn-dg-pager"});
    const first = units[0] + 1, last = units[units.length - 1] + 1;
    const text = el("div", {}, `${units.length} of ${width} shown`);
    const range = el("span", {}, `${first}-${last}`);
    const prev = el("button", {type: "button", "aria-label": `layer ${k + 1}: previous units`}, "\u2039");
    const next = el("button", {type: "button", "aria-label": `layer ${k + 1}: next units`}, "\u203a");
    const count = Math.ceil(width / PAGE_UNITS);
    prev.addEventListener("click", () => turn(k, -1, count));
    next.addEventListener("click", () => turn(k, 1, count));
    box.append(text, prev, range, next);
    return box;
  }
  function turn(k, by, count) {
    pages[k] = (((pages[k] || 0) + by) % count + count) % count;
    if (latest) update(latest.state);
  }

  function lines(network, shown) {
    const L = network.layers, hidden = L.length - 1;
    let pruned = 0;
    const all = (n) => Array.from({length: n}, (_, i) => i);
    for (let k = 0; k <= hidden && k < gaps.length; k++) {
      const layer = L[k], [o, n] = layer.shape;
      const from = k === 0 ? all(n) : shown[k - 1], to = k === hidden ? all(o) : shown[k];
      let peak = 0;
      for (const u of to) for (const i of from) peak = Math.max(peak, Math.abs(layer.W[u * n + i]));
      const g = /** @type {CanvasRenderingContext2D} */ (gaps[k].getContext("2d"));
      g.clearRect(0, 0, GAP, gaps[k].height);
      to.forEach((u, yi) => {
        let ins = from.map((i, xi) => [xi, layer.W[u * n + i]]);
        if (ins.length > LINES_ALL) {
          ins = ins.sort((p, q) => Math.abs(q[1]) - Math.abs(p[1])).slice(0, LINES_PER_UNIT);
          pruned = Math.max(pruned, from.length);
        }
        for (const [xi, w] of ins) {
          const m = peak ? Math.abs(w) / peak : 0;
          g.strokeStyle = w >= 0 ? "#f90" : "#39f";
          g.globalAlpha = 0.1 + 0.7 * m;
          g.lineWidth = 0.3 + 1.7 * m;
          g.beginPath();
          g.moveTo(0, unitY(xi) + THUMB / 2);
          g.lineTo(GAP, unitY(yi) + THUMB / 2);
          g.stroke();
        }
      });
    }
    const wide = shown.some((u, k) => u.length < L[k].shape[0]);
    note.textContent = "lines: weights, orange positive, blue negative, thicker stronger" +
      (pruned ? ` \u00b7 only the ${LINES_PER_UNIT} strongest into each unit (of its ${pruned} shown inputs)` : "") +
      (wide ? ` \u00b7 wide layers: ${PAGE_UNITS} units a page` : "") +
      ` \u00b7 each thumbnail: glnn render --probe unit:K:J at ${gridSize(network)} px; hover for its numbers, click to see it big`;
  }

  // ---------------------------------------------------------------- painting
  // paint the thumbnails from p.painting's cursor on until `end` (ms), then the strip; the last paint of a pass
  // (its every pixel computed) gives each thumbnail its numbers as a tooltip
  function paintSome(p, end) {
    const L = p.net.layers, T = p.T, c = p.painting, last = p.done;
    for (; c.k < p.shown.length; c.k++, c.i = 0) {
      const act = L[c.k].activation, units = p.shown[c.k];
      for (; c.i < units.length; c.i++) {
        if (performance.now() >= end) return;
        const k = c.k, i = c.i, u = units[i], cell = cells[k] && cells[k][i];
        if (!cell) continue;
        const name = Array.isArray(act) ? act[u] : act, st = p.stats[k][i];
        const [lo, hi] = unitRange(name, st.n ? Math.max(Math.abs(st.min), Math.abs(st.max)) : 1, tables);
        const v = p.values[k][i], d = cell.image.data, scale = 1 / (hi - lo);
        for (let q = 0; q < T * T; q++) {
          const g = level((v[q] - lo) * scale);
          d[4 * q] = d[4 * q + 1] = d[4 * q + 2] = g;
          d[4 * q + 3] = 255;
        }
        cell.ctx.putImageData(cell.image, 0, 0);
        if (last) cell.canvas.title = unitText(p, k, i);
      }
    }
    p.strip.forEach((rgb, d) => {
      const tile = tiles[d];
      if (!tile) return;
      const px = tile.image.data;
      for (let q = 0; q < T * T; q++) {
        for (let ch = 0; ch < 3; ch++) px[4 * q + ch] = level(rgb[3 * q + ch]);
        px[4 * q + 3] = 255;
      }
      tile.ctx.putImageData(tile.image, 0, 0);
    });
    p.painting = null;
    p.painted = last;
  }

  function unitText(p, k, i) {
    const st = p.stats[k][i], u = p.shown[k][i], act = p.net.layers[k].activation;
    const name = Array.isArray(act) ? act[u] : act;
    const kink = tables.linear_parts[tables.outputs.indexOf(name)][0] > 0.5;
    const n = st.n || 1;
    return `layer ${k + 1}, unit ${u + 1} (${name}): mean ${(st.sum / n).toFixed(3)}, mean |y| ${(st.abs / n).toFixed(3)}, ` +
      `range ${st.min.toFixed(3)} to ${st.max.toFixed(3)}, ${kink ? "active" : "saturated"} ${(100 * st.sat / n).toFixed(0)}%` +
      ` (over the ${p.T} x ${p.T} thumbnail)`;
  }

  // where shown unit u of layer k is in the pass (its index in p.shown[k]), or -1
  const place = (p, k, u) => (p.shown[k] ? p.shown[k].indexOf(u) : -1);

  // hover (or focus): the unit's numbers
  function hover(k, i) {
    const p = pass;
    if (p && p.stats[k] && p.stats[k][i]) hoverLine.textContent = unitText(p, k, i);
  }

  // the chosen unit: its numbers, its command and, where the main view cannot draw it, the thumbnail big
  function showChosen() {
    const p = pass;
    chosen.textContent = "";
    if (!p || !selected) return;
    const {k, u} = selected, i = place(p, k, u);
    if (i < 0 || !cells[k] || !cells[k][i]) { selected = null; return; }
    cells[k][i].canvas.classList.add("glnn-dg-selected");
    chosen.appendChild(el("div", {}, "chosen: " + unitText(p, k, i)));
    const probe = `unit:${k + 1}:${u + 1}`;
    const size = hooks.size ? hooks.size() : [p.T, p.T];
    const cmd = commandLine(Object.assign({}, p.state, {probe, colour: "gray"}), tables, size, "unit.png");
    const text = el("textarea", {class: "glnn-dg-command", readonly: "", rows: 2, "aria-label": "the unit's command"});
    text.value = cmd;
    chosen.appendChild(text);
    diagram.dataset.command = cmd;
    const act = p.net.layers[k].activation;
    const name = Array.isArray(act) ? act[u] : act;
    if (!tables.bounds[name]) {
      // the page's shader draws unit probes of bounded activations only: the thumbnail big, with a note
      const big = el("canvas", {class: "glnn-dg-big", width: p.T, height: p.T, role: "img",
                                "aria-label": `layer ${k + 1}, unit ${u + 1}, enlarged`});
      /** @type {CanvasRenderingContext2D} */ (big.getContext("2d", {willReadFrequently: true})).putImageData(cells[k][i].image, 0, 0);
      chosen.appendChild(big);
      chosen.appendChild(el("div", {class: "glnn-dg-note"},
        `${name} is unbounded: its gray scale is [${(tables.floors || {})[name] === 0 ? "0" : "-max"}, max] over the picture, ` +
        `which the page's shader cannot know; this is the ${p.T} x ${p.T} thumbnail enlarged (the command draws it exactly)`));
    }
  }

  function choose(k, i) {
    const p = pass;
    if (!p || !p.shown[k] || p.shown[k][i] === undefined) return;
    const u = p.shown[k][i];
    selected = {k, u};
    for (const row of cells) for (const c of row) c.canvas.classList.remove("glnn-dg-selected");
    cells[k][i].canvas.classList.add("glnn-dg-selected");
    const act = p.net.layers[k].activation;
    const name = Array.isArray(act) ? act[u] : act;
    if (tables.bounds[name] && hooks.setProbe) hooks.setProbe(`unit:${k + 1}:${u + 1}`);   // the main view shows it
    showChosen();
  }

  return {
    update,
    get pass() { return pass; },
    /** whether the pass of the last update() is done (its thumbnails and tiles final) */
    get settled() { return doneId === passId; },
    /** the thumbnails' pixels now (tests): {"K:J": [gray levels, row-major]} */
    thumbnails() {
      const out = {};
      for (const row of cells) {
        for (const c of row) {
          const d = c.ctx.getImageData(0, 0, c.canvas.width, c.canvas.height).data;
          out[c.canvas.dataset.layer + ":" + c.canvas.dataset.unit] = Array.from({length: d.length / 4}, (_, q) => d[4 * q]);
        }
      }
      return out;
    },
    /** the strip's tiles now (tests): {d: [r, g, b levels, row-major]} */
    tiles() {
      const out = {};
      tiles.forEach((t, d) => {
        const px = t.ctx.getImageData(0, 0, t.canvas.width, t.canvas.height).data;
        out[d + 1] = Array.from({length: px.length / 4 * 3}, (_, q) => px[4 * Math.floor(q / 3) + q % 3]);
      });
      return out;
    },
    choose,
    timing() { const t = Object.assign({}, timing); timing.slice = timing.paint = timing.build = 0; return t; },
  };
}
