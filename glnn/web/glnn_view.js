// @ts-check
// glnn's live view of one network in WebGL2: the exported page (glnn export page.html) and the notebook
// widget (glnn.show) both run this module. The spec comes from glnn/web/webgl.py's page_spec(): the
// shaders (glnn's network, activations and colour stage inside), the weights as base64 float32 texels, the
// view, and the interaction constants (spec.interaction, from glnn/app/interaction.py: the window's zoom and
// time steps, time speed and draft thresholds; this file has none of its own) and glnn's tables
// (spec.tables, from glnn/web/tables.py web_tables(): the keys, the window's own).
// Plain ES module, works from file://; its imports (glnn_recipe.js: the recipe into a saved PNG; glnn_keys.js)
// are inlined into the page and the widget by glnn/web/bundle.py's bundle().
// mount() joins the parts below: the canvas (viewCanvas), the GL objects and drawing (renderer), the view's
// geometry (pixels, zoomAbout), the command (viewCommand), the input (bindInput) and the overlay (overlay).

import {withRecipe} from "./glnn_recipe.js";
import {keyAction, keyHint} from "./glnn_keys.js";

/** @param {WebGL2RenderingContext} gl @param {number} type @param {string} source */
function compile(gl, type, source) {
  const s = gl.createShader(type);
  gl.shaderSource(s, source);
  gl.compileShader(s);
  if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error("shader: " + gl.getShaderInfoLog(s));
  return s;
}

/** A linked program of spec.vertex and spec.fragment (the page's and the breeder's tiles')
 * @param {WebGL2RenderingContext} gl @param {{vertex: string, fragment: string}} spec */
export function program(gl, spec) {
  const p = gl.createProgram();
  gl.attachShader(p, compile(gl, gl.VERTEX_SHADER, spec.vertex));
  gl.attachShader(p, compile(gl, gl.FRAGMENT_SHADER, spec.fragment));
  gl.linkProgram(p);
  if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error("link: " + gl.getProgramInfoLog(p));
  return p;
}

function decodeFloats(b64) {
  const text = atob(b64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

function fmt(v) {
  // a number for the overlay's view line: 12 significant digits at most
  const s = String(Number(v.toPrecision(12)));
  return s.includes(".") || s.includes("e") ? s : s + ".0";
}

function number(v) {
  // a number in glnn's command lines (glnn/io/command.py number()): the shortest text that reads back as the
  // same double, ".0" after a whole number
  const s = Object.is(v, -0) ? "-0" : String(v);
  return s.includes(".") || s.includes("e") ? s : s + ".0";
}

// How many notches of a mouse wheel a wheel event is: its deltaY in pixels (deltaMode 0), lines (1) or pages
// (2, a page being the canvas's height in CSS pixels) over one notch's (spec.interaction: wheel_notch_pixels,
// wheel_notch_lines). A trackpad's small deltas are small fractions of a notch.
function wheelNotches(e, I, pageHeight) {
  if (e.deltaMode === 1) return e.deltaY / I.wheel_notch_lines;
  if (e.deltaMode === 2) return e.deltaY * pageHeight / I.wheel_notch_pixels;
  return e.deltaY / I.wheel_notch_pixels;
}

// The file name "save PNG" gives the picture: the network and, where they are not the defaults, the view's
// centre, extent and time (glnn-seed3-5x12-tanh-c0.25,0-e2-t0.5.png).
export function pictureName(spec, view) {
  const n = (spec.recipe || {}).network || {};
  const words = ["glnn"];
  if (n.seed !== undefined) words.push("seed" + n.seed, n.depth + "x" + n.width, n.activation);
  if (view.center[0] !== 0 || view.center[1] !== 0) words.push("c" + fmt(view.center[0]) + "," + fmt(view.center[1]));
  if (view.extent !== 1) words.push("e" + fmt(view.extent));
  if (view.time !== 0) words.push("t" + fmt(view.time));
  return words.join("-").replace(/\.0(?=[-,]|$)/g, "").replace(/[^\w.,+-]/g, "_") + ".png";
}

// The recipe "save PNG" writes into the picture (glnn's zTXt chunk, as glnn render writes it): the page's recipe
// (spec.recipe_text: JSON without the view and the command, from glnn/web/webgl.py) with the view now shown.
// null when the page has none (a saved network's weights too large to carry).
export function savedRecipe(spec, view, commandLine) {
  if (!spec.recipe_text) return null;
  const c = view.center;
  return spec.recipe_text.replace(/\}\s*$/, "") +
    `,"view":{"size":[${view.size[0]},${view.size[1]}],"center":[${number(c[0])},${number(c[1])}],` +
    `"extent":${number(view.extent)},"time":${number(view.time)}},"command":${JSON.stringify(commandLine)}}`;
}

// ------------------------------------------------------------------ the canvas
// The canvas and the note shown while the browser has taken the WebGL context away (webglcontextlost), in
// `root`; restore() gives root back its style.
/** @param {HTMLElement} root @param {{fixedSize?: number[] | null}} options */
function viewCanvas(root, options) {
  const canvas = document.createElement("canvas");
  canvas.className = "glnn-canvas";
  canvas.tabIndex = 0;
  canvas.style.cssText = "display:block;width:100%;height:100%;touch-action:none;cursor:grab;outline:none";
  const rootStyle = [root.style.width, root.style.height, root.style.position];
  if (options.fixedSize) {
    root.style.width = options.fixedSize[0] + "px";
    root.style.height = options.fixedSize[1] + "px";
  }
  if (getComputedStyle(root).position === "static") root.style.position = "relative";   // the overlay's anchor
  root.appendChild(canvas);
  // shown while the browser has taken the WebGL context away (webglcontextlost), until it is restored
  const lostNote = document.createElement("p");
  lostNote.className = "glnn-lost";
  lostNote.style.cssText = "display:none;position:absolute;right:0;bottom:0;margin:8px;padding:4px 8px;" +
    "background:rgba(20,20,20,0.78);color:#fc6;font:12px sans-serif;border-radius:4px";
  lostNote.textContent = "WebGL context lost: the picture returns when the browser restores it";
  root.appendChild(lostNote);
  const restore = () => { [root.style.width, root.style.height, root.style.position] = rootStyle; };
  return {canvas, lostNote, restore};
}

// ------------------------------------------------------------------ the view's geometry
// The canvas's size in device pixels
/** @param {HTMLCanvasElement} canvas @returns {number[]} */
function pixels(canvas) {
  const dpr = window.devicePixelRatio || 1;
  return [Math.max(1, Math.round(canvas.clientWidth * dpr)), Math.max(1, Math.round(canvas.clientHeight * dpr))];
}

// s: the input-plane distance between neighbouring pixel centres (docs/contract.md, the view)
/** @typedef {{center: number[], extent: number, time: number, playing: boolean, frameMs: number, draws: number}} ViewState */
/** @param {HTMLCanvasElement} canvas @param {ViewState} state */
function pixelSize(canvas, state) {
  const [w, h] = pixels(canvas);
  return 2 * state.extent / Math.min(w, h);
}

// zoom by `factor` about canvas point (px, py) in CSS pixels (the point under it stays put)
/** @param {HTMLCanvasElement} canvas @param {ViewState} state @param {number} factor @param {number} px @param {number} py */
function zoomAbout(canvas, state, factor, px, py) {
  const [w, h] = pixels(canvas);
  const dpr = window.devicePixelRatio || 1;
  const s = pixelSize(canvas, state);
  const dx = (px * dpr - w / 2) * s, dy = (h / 2 - py * dpr) * s;
  state.center[0] += dx * (1 - factor);
  state.center[1] += dy * (1 - factor);
  state.extent *= factor;
}

// The `glnn render` command of the view now shown on a canvas of `size` (spec.command: the words before the view
// flags and after them)
/** @param {ViewState} state @param {number[]} size */
function viewCommand(spec, state, size) {
  const [w, h] = size;
  const words = spec.command[0].slice();
  if (state.center[0] !== 0 || state.center[1] !== 0) words.push("--center", number(state.center[0]) + "," + number(state.center[1]));
  if (state.extent !== 1) words.push("--extent", number(state.extent));
  if (state.time !== 0) words.push("--time", number(state.time));
  words.push("--size", w + "x" + h, ...spec.command[1], "--out", "picture.png");
  return words.map(x => /^[-\w.,:=+/@%]+$/.test(x) ? x : "'" + x.replace(/'/g, "'\\''") + "'").join(" ");
}

// ------------------------------------------------------------------ drawing
// The GL objects of a view and its drawing: upload() makes them (at mount, and again when a lost context is
// restored: the old ones are gone), render(step, state) draws the view in full (step 1) or as a draft of
// step x step pixels, setWeights(data) replaces the weights' texels.
/** @param {WebGL2RenderingContext} gl @param {HTMLCanvasElement} canvas */
function renderer(gl, canvas, spec) {
  let prog, u, tex, vao;
  let draft = null;   // {fbo, tex, w, h}: the low-resolution target of drafts
  let weights = null;   // the texels now shown (setWeights replaces them; a restored context uploads these)
  function upload() {
    prog = program(gl, spec);
    u = {};
    for (const name of ["u_weights", "u_view_center", "u_view_extent", "u_canvas", "u_step", "u_time"])
      u[name] = gl.getUniformLocation(prog, name);
    tex = gl.createTexture();
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, tex);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    if (!weights) weights = decodeFloats(spec.weights);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA32F, spec.texture[0], spec.texture[1], 0, gl.RGBA, gl.FLOAT, weights);
    vao = gl.createVertexArray();
    draft = null;
  }

  function render(step, state) {
    const [w, h] = pixels(canvas);
    if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
    const dw = Math.ceil(w / step), dh = Math.ceil(h / step);
    gl.useProgram(prog);
    gl.bindVertexArray(vao);
    gl.uniform1i(u.u_weights, 0);
    gl.uniform2f(u.u_view_center, state.center[0], state.center[1]);
    gl.uniform1f(u.u_view_extent, state.extent);
    gl.uniform2f(u.u_canvas, w, h);
    gl.uniform1f(u.u_step, step);
    gl.uniform1f(u.u_time, state.time);
    if (step === 1) {
      gl.bindFramebuffer(gl.FRAMEBUFFER, null);
      gl.viewport(0, 0, w, h);
      gl.drawArrays(gl.TRIANGLES, 0, 3);
      return;
    }
    if (!draft || draft.w !== dw || draft.h !== dh) {
      if (draft) { gl.deleteFramebuffer(draft.fbo); gl.deleteTexture(draft.tex); }
      const t = gl.createTexture();
      gl.bindTexture(gl.TEXTURE_2D, t);
      gl.texStorage2D(gl.TEXTURE_2D, 1, gl.RGBA8, dw, dh);
      const fbo = gl.createFramebuffer();
      gl.bindFramebuffer(gl.FRAMEBUFFER, fbo);
      gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, t, 0);
      gl.bindTexture(gl.TEXTURE_2D, tex);
      draft = {fbo, tex: t, w: dw, h: dh};
    }
    gl.bindFramebuffer(gl.FRAMEBUFFER, draft.fbo);
    gl.viewport(0, 0, dw, dh);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
    gl.bindFramebuffer(gl.READ_FRAMEBUFFER, draft.fbo);
    gl.bindFramebuffer(gl.DRAW_FRAMEBUFFER, null);
    gl.blitFramebuffer(0, 0, dw, dh, 0, 0, dw * step, dh * step, gl.COLOR_BUFFER_BIT, gl.NEAREST);
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
  }

  // new texels of the same shape; `upload`: into the texture now (false while the context is lost: the next
  // upload() takes them)
  function setWeights(data, now) {
    weights = data;
    if (!now) return;
    gl.bindTexture(gl.TEXTURE_2D, tex);
    gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, spec.texture[0], spec.texture[1], gl.RGBA, gl.FLOAT, data);
  }
  return {upload, render, setWeights};
}

// ------------------------------------------------------------------ input
// Drag to pan, the wheel zooms about the cursor (calling changed() after each), and keys do the named actions
// of `actions` that spec.tables.keys binds them to (the window's keys; calling changed() after each). Returns
// the function that removes the key listener.
/**
 * @param {HTMLCanvasElement} canvas @param {Window | HTMLCanvasElement} keyTarget @param {ViewState} state
 * @param {Record<string, string>} keys @param {string[]} buttonKeys @param {Record<string, () => void>} actions
 * @param {(interactive: boolean) => void} changed
 */
function bindInput(canvas, keyTarget, state, I, keys, buttonKeys, actions, changed) {
  // the pointers down on the canvas (a mouse, a pen, fingers): one pans, two pinch (zoom about their middle, and
  // pan as the middle moves)
  const down = new Map();
  const middle = () => {
    const p = [...down.values()];
    const r = canvas.getBoundingClientRect();
    return {x: (p[0].x + p[1].x) / 2 - r.left, y: (p[0].y + p[1].y) / 2 - r.top,
            d: Math.max(1, Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y))};
  };
  let pinch = null;
  canvas.addEventListener("pointerdown", e => {
    down.set(e.pointerId, {x: e.clientX, y: e.clientY});
    canvas.setPointerCapture(e.pointerId);
    canvas.style.cursor = "grabbing";
    canvas.focus();
    pinch = down.size === 2 ? middle() : null;
  });
  canvas.addEventListener("pointermove", e => {
    const was = down.get(e.pointerId);
    if (!was) return;
    const dpr = window.devicePixelRatio || 1;
    if (down.size === 1) {
      const s = pixelSize(canvas, state);
      state.center[0] -= (e.clientX - was.x) * dpr * s;
      state.center[1] += (e.clientY - was.y) * dpr * s;
    }
    down.set(e.pointerId, {x: e.clientX, y: e.clientY});
    if (down.size === 2 && pinch) {
      const now = middle();
      const s = pixelSize(canvas, state);
      state.center[0] -= (now.x - pinch.x) * dpr * s;
      state.center[1] += (now.y - pinch.y) * dpr * s;
      zoomAbout(canvas, state, pinch.d / now.d, now.x, now.y);
      pinch = now;
    }
    changed(true);
  });
  const release = e => {
    down.delete(e.pointerId);
    pinch = down.size === 2 ? middle() : null;
    if (!down.size) canvas.style.cursor = "grab";
  };
  canvas.addEventListener("pointerup", release);
  canvas.addEventListener("pointercancel", release);
  canvas.addEventListener("wheel", e => {
    e.preventDefault();
    const r = canvas.getBoundingClientRect();
    // one notch of a mouse wheel zooms by scroll_step; other deltas (trackpads) in proportion
    zoomAbout(canvas, state, Math.pow(I.scroll_step, wheelNotches(e, I, r.height)), e.clientX - r.left, e.clientY - r.top);
    changed(true);
  }, {passive: false});
  /** @param {Event} e */
  function onKey(e) {
    const action = keyAction(/** @type {KeyboardEvent} */ (e), keys, buttonKeys);
    if (!action || !Object.prototype.hasOwnProperty.call(actions, action)) return;
    e.preventDefault();
    actions[action]();
    changed(false);
  }
  keyTarget.addEventListener("keydown", onKey);
  return () => keyTarget.removeEventListener("keydown", onKey);
}

// ------------------------------------------------------------------ mount
// Mount a live view into `root`. options: bare (no overlay), fixedSize [w, h] (the widget), onView(view) (called
// with each view drawn in full that differs from the last one reported), windowKeys (keys from the whole
// window, not only the focused canvas; default: without fixedSize).
export function mount(root, spec, options = {}) {
  const bare = !!options.bare;
  const {canvas, lostNote, restore} = viewCanvas(root, options);
  const gl = canvas.getContext("webgl2", {antialias: false, alpha: false, depth: false, stencil: false,
                                          preserveDrawingBuffer: true, premultipliedAlpha: false});
  const state = {center: spec.center.slice(), extent: spec.extent, time: spec.time, playing: false,
                 frameMs: 0, draws: 0};
  if (!gl) {
    root.insertAdjacentHTML("beforeend", '<p style="position:absolute;top:0;margin:1em;font:14px sans-serif">' +
      "This browser has no WebGL2 (or has it turned off), which glnn's live view needs: try a current Firefox, " +
      "Chrome or Safari with hardware acceleration on. <code>glnn render</code> draws the same pictures.</p>");
    return {state, draw() {}, destroy() {}};
  }
  const I = spec.interaction;
  const gpu = renderer(gl, canvas, spec);
  let lost = false, destroyed = false;
  try {
    gpu.upload();
  } catch (err) {
    if (!gl.isContextLost()) throw err;
  }
  if (gl.isContextLost()) {   // lost before or while the GL objects were made: they are made on restore
    lost = true;
    lostNote.style.display = "";
  }
  canvas.addEventListener("webglcontextlost", e => {
    e.preventDefault();   // asks the browser to restore it
    lost = true;
    clearTimeout(settle);
    if (!destroyed) lostNote.style.display = "";
  });
  canvas.addEventListener("webglcontextrestored", () => {
    if (destroyed) return;
    try {
      gpu.upload();
    } catch (err) {
      lostNote.textContent = "WebGL context restored, but: " + (err.message || err);
      return;
    }
    lost = false;
    lostNote.style.display = "none";
    drawFull();
  });

  // A full frame, timed; the time decides whether drags draw drafts. Reading one pixel back waits for the
  // frame (a browser's finish() need not).
  const probe = new Uint8Array(4);
  let reported = null;
  function drawFull() {
    if (lost || destroyed) { hud.update(); return; }
    const t0 = performance.now();
    gpu.render(1, state);
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, probe);
    state.frameMs = performance.now() - t0;
    state.draws += 1;
    root.dataset.drawn = canvas.width + "x" + canvas.height;   // what was drawn last (tests read it)
    hud.update();
    // every view drawn in full reaches onView (the widget's model), whichever path drew it: a frame, the full
    // frame after drafts, a resize
    const v = view(), text = JSON.stringify(v);
    if (options.onView && text !== reported) { reported = text; options.onView(v); }
  }

  let settle = 0, pending = false, last = 0;
  function draw(interactive) {
    const budgetMs = 1000 * I.draft_budget_s;
    if (interactive && state.frameMs > budgetMs) {
      const step = Math.min(I.draft_max_factor, Math.max(2, Math.ceil(Math.sqrt(state.frameMs / budgetMs))));
      if (!lost) gpu.render(step, state);
      hud.update();
      clearTimeout(settle);
      settle = setTimeout(drawFull, 1000 * I.settle_s);
    } else {
      schedule();
    }
  }
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(tick);
  }
  function tick(now) {
    pending = false;
    if (state.playing) {
      const dt = last ? Math.min(0.1, (now - last) / 1000) : 0;
      state.time = (state.time + I.time_speed * dt) % spec.period;
      last = now;
    } else {
      last = 0;
    }
    drawFull();
    if (state.playing) schedule();
  }

  function view() {
    const [w, h] = pixels(canvas);
    return {center: state.center.slice(), extent: state.extent, time: state.time, size: [w, h]};
  }
  const command = () => viewCommand(spec, state, pixels(canvas));

  // the named actions of the window's keys this view has (the keys: spec.tables.keys)
  const zoomCentre = factor => {
    const [w, h] = pixels(canvas);
    const dpr = window.devicePixelRatio || 1;
    zoomAbout(canvas, state, factor, w / 2 / dpr, h / 2 / dpr);
  };
  const actions = {
    zoom_in: () => zoomCentre(1 / I.zoom_step),
    zoom_out: () => zoomCentre(I.zoom_step),
    reset_view: () => { state.center = spec.center.slice(); state.extent = spec.extent; state.time = spec.time; },
    toggle_hud: () => hud.toggle(),
    ...(spec.animated ? {
      toggle_play: () => { state.playing = !state.playing; },
      time_forward: () => { state.time += I.time_step; },
      time_back: () => { state.time -= I.time_step; },
    } : {}),
  };
  const windowKeys = options.windowKeys !== undefined ? options.windowKeys : !options.fixedSize;
  const unbindKeys = bindInput(canvas, windowKeys ? window : canvas, state, I, spec.tables.keys,
                               spec.tables.button_keys || [], actions, draw);
  // a new size is drawn at once, inside the frame that shows it (never a frame of the old picture stretched)
  // (and only a new size: observing calls back once at the start, when mount has drawn the frame already)
  const resize = new ResizeObserver(() => {
    const [w, h] = pixels(canvas);
    if (w !== canvas.width || h !== canvas.height) drawFull();
  });
  resize.observe(canvas);

  // "save PNG": the picture now shown, with its recipe (so `glnn render --from` makes its poster), downloaded
  // under a name that says what it is; resolves to the file's bytes
  async function save() {
    drawFull();
    const blob = await new Promise(done => canvas.toBlob(done, "image/png"));
    let bytes = new Uint8Array(await blob.arrayBuffer());
    const text = savedRecipe(spec, view(), command());
    if (text) {
      try { bytes = await withRecipe(bytes, text); } catch (e) { /* no CompressionStream here: the picture alone */ }
    }
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([bytes], {type: "image/png"}));
    a.download = pictureName(spec, view());
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    return bytes;
  }

  // ------------------------------------------------------------------ the overlay
  const hud = bare ? {update() {}, toggle() {}} : overlay(root, spec, {
    command, view, state,
    save,
    fullscreen() { (root.requestFullscreen ? root : document.documentElement).requestFullscreen(); },
    play() { state.playing = !state.playing; draw(false); },
  });

  drawFull();
  return {
    state, view, command, canvas, gl, save,
    draw: () => drawFull(),
    // the playground (glnn/web/playground_ui.js): new weights of the same shape (data: spec.texture's texels),
    // then a redraw that refines as a drag does (a draft first when full frames are slow)
    setWeights(data) {
      gpu.setWeights(data, !lost);
      if (lost) return;   // drawn when the context is restored
      draw(true);
    },
    setView(v) {
      if (v.center) state.center = v.center.slice();
      if (v.extent !== undefined) state.extent = v.extent;
      if (v.time !== undefined) state.time = v.time;
      drawFull();
    },
    // stop, free the GL context and take the view's elements out of root (a page mounts anew on a new #...)
    destroy() {
      destroyed = true;
      resize.disconnect();
      unbindKeys();
      clearTimeout(settle);
      state.playing = false;
      const ext = gl.getExtension("WEBGL_lose_context");
      if (ext && !lost) ext.loseContext();
      for (const el of [canvas, lostNote, root.querySelector(".glnn-hud")]) if (el && el.parentNode === root) root.removeChild(el);
      restore();
    },
  };
}

function overlay(root, spec, api) {
  const box = document.createElement("div");
  box.className = "glnn-hud";
  box.style.cssText = "position:absolute;left:8px;top:8px;max-width:min(640px,calc(100% - 16px));padding:8px 10px;" +
    "background:rgba(20,20,20,0.78);color:#eee;font:12px/1.45 ui-monospace,Menlo,Consolas,monospace;" +
    "border-radius:6px;user-select:text";
  const k = action => keyHint(spec.tables.keys, action);   // the window's key of an action
  const btn = "background:#333;color:#eee;border:1px solid #666;border-radius:4px;padding:2px 8px;margin:4px 6px 0 0;" +
    "font:inherit;cursor:pointer";
  box.innerHTML = `<div><b class="glnn-title"></b></div><div class="glnn-view"></div>` +
    `<textarea class="glnn-command" readonly rows="2" style="width:100%;box-sizing:border-box;margin-top:4px;` +
    `background:#111;color:#9f9;border:1px solid #444;font:inherit;resize:none"></textarea>` +
    `<div><button class="glnn-copy" style="${btn}">copy command</button>` +
    `<button class="glnn-save" style="${btn}">save PNG</button>` +
    `<button class="glnn-full" style="${btn}">fullscreen</button>` +
    (spec.animated ? `<button class="glnn-play" style="${btn}">play time (${k("toggle_play")})</button>` : "") + `</div>` +
    `<div style="opacity:0.7;margin-top:4px">drag: pan · wheel, ${k("zoom_in")} ${k("zoom_out")}: zoom · ${k("reset_view")}: reset` +
    (spec.animated ? ` · ${k("toggle_play")}: time · ${k("time_forward")} ${k("time_back")}: step time` : "") +
    (k("toggle_hud") ? ` · ${k("toggle_hud")}: hide` : "") + `</div>` +
    (spec.custom_weights ? `<div style="color:#fc6">weights from a file: the command draws the seed's network</div>` : "");
  root.appendChild(box);
  const $ = sel => box.querySelector(sel);
  $(".glnn-title").textContent = spec.title;
  $(".glnn-copy").onclick = () => {
    const text = api.command();
    const done = () => { $(".glnn-copy").textContent = "copied"; setTimeout(() => { $(".glnn-copy").textContent = "copy command"; }, 1200); };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, () => {});
    else { $(".glnn-command").select(); document.execCommand("copy"); done(); }
  };
  $(".glnn-save").onclick = api.save;
  $(".glnn-full").onclick = api.fullscreen;
  if (spec.animated) $(".glnn-play").onclick = api.play;
  return {
    update() {
      const v = api.view();
      $(".glnn-view").textContent = `centre ${fmt(v.center[0])}, ${fmt(v.center[1])} · extent ${fmt(v.extent)}` +
        (spec.animated ? ` · t ${v.time.toFixed(3)}` : "") + ` · ${v.size[0]}x${v.size[1]} · ${api.state.frameMs.toFixed(1)} ms`;
      const cmd = api.command();
      $(".glnn-command").value = cmd;
      box.dataset.command = cmd;   // the command as text in the DOM too (tests, copy by hand)
      if (spec.animated) $(".glnn-play").textContent = (api.state.playing ? "pause" : "play") + ` time (${k("toggle_play")})`;
    },
    toggle() { box.style.display = box.style.display === "none" ? "" : "none"; },
  };
}

// anywidget's entry point (glnn.show): the same view, its state mirrored in the model's "view".
export default {
  render({model, el}) {
    const spec = model.get("spec");
    const v = mount(el, spec, {
      fixedSize: spec.size,
      bare: spec.hud === false,
      onView(view) { model.set("view", view); model.save_changes(); },
    });
    return () => v.destroy();
  },
};
