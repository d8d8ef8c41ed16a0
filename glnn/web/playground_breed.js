// @ts-check
// The playground's breed mode (key b, or the panel's "breed" button): the parent big, a grid of children (each
// the parent mutated toward a small seed with the strength of the slider: docs/lineage.md's ["m", SEED, S]) and a
// strip of ancestors, drawn in one WebGL2 canvas, a tile at a time into a framebuffer of the tile's size (the
// shader's pixel grid is the tile's) and blitted into place, a few tiles a frame so the page never freezes.
// Click a child: it becomes the parent (its lineage is the parent's and its step). Shift-click two children: the
// next parent is the first crossed with the second (["x", MASK, "unit", the second]). Undo/redo (z, Z) walk the
// parents; copy link and save PNG are the page's (the lineage is in the URL hash and the recipe).
import {fragmentSource, networkSpec, packTexels, drawNetwork} from "./playground.js";
import {keyAction} from "./glnn_keys.js";
import {program} from "./glnn_view.js";
import {applyStep, checkLineage, checkLineageWork, replayUnits, unitsNetwork} from "./glnn_lineage.js";

export const BREED_CHILDREN = 8;         // children per generation, 4 x 2
export const BREED_TILES_PER_FRAME = 2;  // at most this many tiles a frame (and only one past BREED_FRAME_MS)
const BREED_FRAME_MS = 30;
const BREED_ANCESTORS = 6;               // ancestors shown, the latest
const BREED_SEEDS = 1000000;             // children's seeds: 0 .. 999999 (short links)
const BREED_GAP = 6;
const BREED_BAR = 120;                   // CSS pixels kept for the bar at the bottom

/** A fresh small seed (links stay short) @returns {string} */
const smallSeed = () => String(Math.floor(Math.random() * BREED_SEEDS));

/**
 * The breeder. hooks: state() (the page's state: the parent), choose(lineage) (the page's state takes it: the
 * hash and its history follow), report(e), save() (the page's save PNG), command() (the parent's command line),
 * onToggle(open).
 * @param {HTMLElement} root @param {any} spec @param {Map<string, any>} cache
 * @param {{state: () => any, choose: (lineage: any[] | null) => void, report: (e: any) => void,
 *          save: () => any, command: () => string, onToggle?: (open: boolean) => void}} hooks
 */
export function breeder(root, spec, cache, hooks) {
  const tables = spec.tables;
  let box = null, canvas = null, gl = null, bar = null, tilesBox = null;
  let programs = new Map(), tex = null, vao = null, fbos = new Map();
  let parentKey = null, parentUnits = null, children = [], queue = [], running = false;
  let crossFirst = -1;
  /** @type {(any[]|null)[]} */ let hist = [];
  let at = -1;
  const stats = {tiles: 0, frames: 0, maxPerFrame: 0, childMs: [], generation: 0, drawn: 0};

  const lineageOf = s => (s.lineage && s.lineage.length ? s.lineage : []);
  // the parent as a key: its network (hyperparameters, lineage) and view, not its colour's name alone
  const keyOf = s => JSON.stringify([networkSpec(s, tables), lineageOf(s), s.center, s.extent, s.time, s.colour, s.probe]);

  function el(tag, attrs = {}, text) {
    const x = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) x.setAttribute(k, v);
    if (text !== undefined) x.textContent = text;
    return x;
  }

  function build() {
    box = el("div", {class: "glnn-breed"});
    box.style.cssText = "position:fixed;inset:0;z-index:10;background:#111;color:#eee;" +
      "font:12px/1.5 ui-monospace,Menlo,Consolas,monospace";
    canvas = el("canvas");
    canvas.style.cssText = "position:absolute;left:0;top:0;width:100%;height:100%";
    tilesBox = el("div");
    tilesBox.style.cssText = "position:absolute;left:0;top:0;width:100%;height:100%";
    bar = el("div", {class: "glnn-breed-bar"});
    bar.style.cssText = `position:absolute;left:${BREED_GAP}px;right:${BREED_GAP}px;bottom:${BREED_GAP}px;` +
      `height:${BREED_BAR - 2 * BREED_GAP}px;overflow:auto`;
    box.append(canvas, tilesBox, bar);
    document.body.appendChild(box);
    gl = canvas.getContext("webgl2", {antialias: false, alpha: false, depth: false, stencil: false,
                                      preserveDrawingBuffer: true, premultipliedAlpha: false});
    if (!gl) throw new Error("breed mode needs WebGL2");
    tex = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_2D, tex);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    vao = gl.createVertexArray();

    const button = (text, title, onclick) => {
      const b = el("button", {title}, text);
      b.style.cssText = "background:#222;color:#eee;border:1px solid #555;border-radius:3px;font:inherit;margin:0 4px 2px 0";
      b.onclick = onclick;
      return b;
    };
    const strength = el("input", {type: "range", min: "0.01", max: "1", step: "0.01", value: "0.3", class: "strength"});
    const value = el("span", {}, "0.3");
    strength.oninput = () => { value.textContent = strength.value; newChildren(); };
    const link = el("input", {type: "text", readonly: "", class: "link"});
    link.style.cssText = "width:40%;background:#222;color:#9cf;border:1px solid #555;font:inherit";
    const cmd = el("div", {class: "command"});
    cmd.style.cssText = "color:#9f9;white-space:nowrap;overflow:hidden;text-overflow:ellipsis";
    const note = el("span", {class: "note"});
    const row1 = el("div");
    row1.append(el("b", {}, "breed "), "strength ", strength, value, " ",
                button("new children", "other seeds", () => newChildren()),
                button("undo", "the previous parent (z)", () => undo()),
                button("redo", "the next parent (Z)", () => redo()),
                button("copy link", "the address: the lineage is in it", () => copyLink(link)),
                button("save PNG", "the parent, its recipe inside (lineage included)", () => hooks.save()),
                button("close", "back to the playground (g)", () => toggle(false)), note);
    const row2 = el("div", {class: "small"},
      "click a child: it becomes the parent \u00b7 shift-click two children: cross them \u00b7 z Z: undo, redo \u00b7 b: close");
    row2.style.opacity = "0.7";
    bar.append(row1, link, cmd, row2);
    barParts = {strength, link, cmd, note};
  }
  /** @type {any} */ let barParts = null;

  function copyLink(link) {
    link.value = location.href;
    link.select();
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(link.value).catch(() => {});
    else document.execCommand("copy");
  }

  // ---------------------------------------------------------------- layout (CSS pixels, top-left origin)
  function layout() {
    const W = innerWidth, H = innerHeight - BREED_BAR, g = BREED_GAP;
    const T = Math.max(8, Math.floor(Math.min((W - 7 * g) / 6, (H - 3 * g) / 2.5)));
    const P = 2 * T + g, a = Math.max(4, Math.floor(T / 2));
    const tiles = {parent: {x: g, y: g, w: P, h: P}, children: [], ancestors: []};
    for (let k = 0; k < BREED_CHILDREN; k++) {
      tiles.children.push({x: g + P + g + (k % 4) * (T + g), y: g + Math.floor(k / 4) * (T + g), w: T, h: T});
    }
    for (let k = 0; k < BREED_ANCESTORS; k++) tiles.ancestors.push({x: g + k * (a + g), y: g + P + g, w: a, h: a});
    return tiles;
  }

  function placeTiles(tiles) {
    tilesBox.textContent = "";
    const div = (t, attrs, title) => {
      const d = el("div", attrs);
      d.title = title;
      d.style.cssText = `position:absolute;left:${t.x - 2}px;top:${t.y - 2}px;width:${t.w}px;height:${t.h}px;` +
        "border:2px solid #333;cursor:pointer";
      tilesBox.appendChild(d);
      return d;
    };
    const p = div(tiles.parent, {"data-parent": ""}, "the parent");
    p.style.cursor = "default";
    tiles.children.forEach((t, k) => {
      const d = div(t, {"data-child": String(k)}, "click: the parent; shift-click two: cross them");
      d.onclick = e => pick(k, e.shiftKey);
    });
    const shown = ancestorsShown();
    shown.forEach((h, k) => {
      const d = div(tiles.ancestors[k], {"data-ancestor": String(h)}, "an ancestor: back to it");
      d.onclick = () => goTo(h);
    });
  }

  // ---------------------------------------------------------------- drawing a tile
  function drawTile(net, state, t) {
    const frag = fragmentSource(net, state, spec);
    let prog = programs.get(frag);
    if (!prog) {
      prog = program(gl, {vertex: spec.vertex, fragment: frag});
      if (programs.size > 32) programs = new Map();
      programs.set(frag, prog);
    }
    const packed = packTexels(net, spec.texture_width, tables);
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(t.w * dpr)), h = Math.max(1, Math.round(t.h * dpr));
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, tex);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA32F, packed.width, packed.rows, 0, gl.RGBA, gl.FLOAT, packed.data);
    let f = fbos.get(w + "x" + h);
    if (!f) {
      const ct = gl.createTexture();
      gl.bindTexture(gl.TEXTURE_2D, ct);
      gl.texStorage2D(gl.TEXTURE_2D, 1, gl.RGBA8, w, h);
      f = gl.createFramebuffer();
      gl.bindFramebuffer(gl.FRAMEBUFFER, f);
      gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, ct, 0);
      gl.bindTexture(gl.TEXTURE_2D, tex);
      fbos.set(w + "x" + h, f);
    }
    gl.useProgram(prog);
    gl.bindVertexArray(vao);
    const u = name => gl.getUniformLocation(prog, name);
    gl.uniform1i(u("u_weights"), 0);
    gl.uniform2f(u("u_view_center"), state.center[0], state.center[1]);
    gl.uniform1f(u("u_view_extent"), state.extent);
    gl.uniform2f(u("u_canvas"), w, h);
    gl.uniform1f(u("u_step"), 1);
    gl.uniform1f(u("u_time"), state.time);
    gl.bindFramebuffer(gl.FRAMEBUFFER, f);
    gl.viewport(0, 0, w, h);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
    const x = Math.round(t.x * dpr), y = canvas.height - Math.round(t.y * dpr) - h;
    gl.bindFramebuffer(gl.READ_FRAMEBUFFER, f);
    gl.bindFramebuffer(gl.DRAW_FRAMEBUFFER, null);
    gl.blitFramebuffer(0, 0, w, h, x, y, x + w, y + h, gl.COLOR_BUFFER_BIT, gl.NEAREST);
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
  }

  // ---------------------------------------------------------------- generations
  const strength = () => (barParts ? Number(barParts.strength.value) : 0.3);

  function childLineage(k) {
    return [...lineageOf(hooks.state()), children[k].step];
  }

  function newChildren(draw = true) {
    const S = strength();
    children = Array.from({length: BREED_CHILDREN}, () => ({seed: "", step: /** @type {any[]} */ ([])}));
    const used = new Set();
    for (const c of children) {
      let s = smallSeed();
      while (used.has(s) || s === String(hooks.state().seed)) s = smallSeed();
      used.add(s);
      c.seed = s;
      c.step = ["m", s, S];
    }
    stats.generation++;
    if (draw) plan(true);
  }

  // what to draw: the parent (when it changed), the children, the ancestors; a few a frame
  function plan(childrenOnly) {
    const state = hooks.state();
    const tiles = layout();
    const dpr = window.devicePixelRatio || 1;
    const cw = Math.round(innerWidth * dpr), ch = Math.round(innerHeight * dpr);
    if (canvas.width !== cw || canvas.height !== ch) { canvas.width = cw; canvas.height = ch; childrenOnly = false; }
    placeTiles(tiles);
    crossFirst = -1;
    const spec1 = networkSpec(state, tables);
    try {
      checkLineageWork([...lineageOf(state), ["m", "0", 1]], spec1);
      parentUnits = replayUnits(spec1, spec1.seed, checkLineage(lineageOf(state)), tables, cache);
    } catch (e) {
      hooks.report(e);
      queue = [];
      return;
    }
    queue = [];
    if (!childrenOnly) queue.push(() => drawTile(drawNetwork(state, tables, cache), state, tiles.parent));
    children.forEach((c, k) => queue.push(() => {
      const t0 = performance.now();
      const net = unitsNetwork(applyStep(parentUnits, c.step, spec1, tables, cache), spec1, tables, cache);
      drawTile(net, state, tiles.children[k]);
      stats.childMs.push(performance.now() - t0);
      stats.drawn++;
    }));
    if (!childrenOnly) {
      ancestorsShown().forEach((h, k) => queue.push(() => {
        drawTile(drawNetwork(Object.assign({}, state, {lineage: hist[h]}), tables, cache), state, tiles.ancestors[k]);
      }));
    }
    box.dataset.drawn = "0";
    box.dataset.pending = String(queue.length);
    if (!running) { running = true; requestAnimationFrame(frame); }
  }

  function frame() {
    if (!box || box.style.display === "none") { running = false; return; }
    const t0 = performance.now();
    let n = 0;
    while (queue.length && n < BREED_TILES_PER_FRAME && (n === 0 || performance.now() - t0 < BREED_FRAME_MS)) {
      const job = queue.shift();
      try { job(); } catch (e) { hooks.report(e); }
      n++;
    }
    stats.frames++;
    stats.tiles += n;
    stats.maxPerFrame = Math.max(stats.maxPerFrame, n);
    box.dataset.pending = String(queue.length);
    if (queue.length) requestAnimationFrame(frame);
    else {
      running = false;
      box.dataset.generation = String(stats.generation);
      box.dataset.children = children.map(c => c.seed).join(",");
    }
  }

  // ---------------------------------------------------------------- choosing
  function pick(k, shift) {
    const divs = tilesBox.querySelectorAll("[data-child]");
    if (!shift) { choose(childLineage(k)); return; }
    if (crossFirst < 0 || crossFirst === k) {
      crossFirst = k;
      /** @type {HTMLElement} */ (divs[k]).style.borderColor = "#fc3";
      barParts.note.textContent = " crossing child " + (k + 1) + " with: shift-click another";
      return;
    }
    const state = hooks.state();
    const mask = smallSeed();
    const other = {seed: String(state.seed), lineage: [...lineageOf(state), children[k].step]};
    choose([...childLineage(crossFirst), ["x", mask, "unit", other]]);
  }

  function choose(lineage) {
    try {
      checkLineageWork(checkLineage(lineage), networkSpec(hooks.state(), tables));
    } catch (e) {
      hooks.report(e);
      return;
    }
    hist = hist.slice(0, at + 1);
    hist.push(lineage);
    at = hist.length - 1;
    hooks.choose(lineage);   // the page's state: its refresh() comes back here
  }

  function goTo(h) {
    if (h < 0 || h >= hist.length || h === at) return;
    at = h;
    hooks.choose(hist[h]);
  }
  const undo = () => goTo(at - 1);
  const redo = () => goTo(at + 1);
  function ancestorsShown() {
    const from = Math.max(0, at - BREED_ANCESTORS);
    return Array.from({length: at - from}, (_, i) => from + i);
  }

  // the page's state changed (show()): a new parent gets new children; its history gains it unless it is there
  function refresh() {
    if (!box || box.style.display === "none") return;
    const state = hooks.state();
    const key = keyOf(state);
    if (barParts) {
      barParts.cmd.textContent = hooks.command();
      barParts.link.value = location.href;
    }
    if (key === parentKey) return;
    parentKey = key;
    const lin = lineageOf(state);
    if (at < 0 || JSON.stringify(hist[at] || []) !== JSON.stringify(lin)) {
      hist = hist.slice(0, at + 1);
      hist.push(lin);
      at = hist.length - 1;
    }
    barParts.note.textContent = "";
    newChildren(false);
    plan(false);
  }

  function toggle(open) {
    const on = open === undefined ? !(box && box.style.display !== "none") : open;
    if (on) {
      if (!box) build();
      box.style.display = "";
      parentKey = null;
      refresh();
    } else if (box) {
      box.style.display = "none";
      queue = [];
    }
    if (hooks.onToggle) hooks.onToggle(on);
  }

  // the window's b (breed_child: tables.keys), in the page: a child of the page's network toward a new small seed,
  // by the slider's strength while breeding, else the window's (tables.breed_strength); it becomes the network
  function child() {
    const S = barParts && isOpen() ? strength() : tables.breed_strength;
    let s = smallSeed();
    while (s === String(hooks.state().seed)) s = smallSeed();
    const lin = lineageOf(hooks.state());
    if (at < 0 || JSON.stringify(hist[at] || []) !== JSON.stringify(lin)) {   // its parent: where B goes back to
      hist = hist.slice(0, at + 1);
      hist.push(lin);
      at = hist.length - 1;
    }
    choose([...lin, ["m", s, S]]);
  }

  // the page's breed keys (tables.breed_keys, glnn/web/playground.py BREED_KEYS): g toggles, z Z undo and redo
  // while breeding; true when the key was one of them
  function key(e) {
    const action = keyAction(e, tables.breed_keys || {});
    if (action === "toggle_breed") toggle();
    else if (action === "breed_undo" && isOpen()) undo();
    else if (action === "breed_redo" && isOpen()) redo();
    else return false;
    return true;
  }
  const isOpen = () => !!box && box.style.display !== "none";

  return {toggle, refresh, key, undo, redo, pick, child, stats,
          get open() { return !!box && box.style.display !== "none"; },
          get children() { return children.map(c => c.step); },
          get history() { return hist.slice(); }, get at() { return at; },
          get canvas() { return canvas; }, layout};
}
