// @ts-check
// The playground page's front end (glnn playground OUT.html): the controls, the URL hash, dropping and saving
// pictures. The view itself (pan, zoom, drafts, keys) is glnn_view.js's mount(); the network, its shader and
// its command are playground.js's; recipes in pictures are glnn_recipe.js's.
import {mount} from "./glnn_view.js";
import {readRecipe, withRecipe} from "./glnn_recipe.js";
import {keyAction, keyHint} from "./glnn_keys.js";
import {breeder} from "./playground_breed.js";
import {diagramPlaces, startDiagram} from "./playground_diagram.js";
import {activationText, colourFits, defaultsFor, inputsFit, probeFits, probeKind, commandLine, drawNetwork, fileName,
        fragmentSource, hashToState, networkSpec, numberText, packTexels, plainColourOf, recipeJson, setField, stateFromRecipe,
        stateToHash} from "./playground.js";

const CACHE_LIMIT = 512;   // layer streams' unit draws kept (a scale slider multiplies them again)
const HASH_DELAY_MS = 400; // a change settles this long before it becomes a history entry

function b64(data) {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const sameState = (a, b, tables) => stateToHash(a, tables) === stateToHash(b, tables);

export function startPlayground(root, spec) {
  const tables = spec.tables, I = spec.interaction;
  const first = hashToState(location.hash, spec.state, tables);
  const pageWords = first.pageWords;
  const bare = pageWords.includes("bare");
  const fixed = pageWords.map(w => /^size=(\d+)x(\d+)$/.exec(w)).find(m => m);
  const fixedSize = fixed ? [+fixed[1], +fixed[2]] : null;
  let state = first.state;
  const cache = new Map();
  let view = null, fragment = null, pending = false, playing = false, lastTick = 0, hashTimer = 0;
  let notice = null;   // a word about the state shown (a dropped picture's weights), kept until the state changes
  const panel = bare ? null : buildPanel();
  // ---- the network diagram and the depth strip (glnn/web/playground_diagram.js), beside the picture; not in #bare
  const diagram = bare ? null : startDiagram(diagramPlaces(), tables, {
    cache, size: () => canvasSize(),
    setProbe: probe => change({probe, colour: plainColourOf(Object.assign({}, state, {probe}), tables)}, true),
  });
  // ---- (end of the diagram's hook)
  // breed mode (key b): children of the state's network, drawn over the page (glnn/web/playground_breed.js)
  const breed = breeder(root, spec, cache, {
    state: () => state,
    choose: lineage => change({lineage: lineage && lineage.length ? lineage : null}, true),
    report: e => report(e), save: () => save(),
    command: () => commandLine(state, tables, canvasSize(), "picture.png"),
  });

  function canvasSize() {
    return view && view.canvas ? [view.canvas.width, view.canvas.height] : fixedSize || [innerWidth, innerHeight];
  }

  // ---------------------------------------------------------------- drawing
  function apply() {
    if (cache.size > CACHE_LIMIT) cache.clear();
    let net, frag, tex;
    try {
      net = drawNetwork(state, tables, cache);
      frag = fragmentSource(net, state, spec);
      tex = packTexels(net, spec.texture_width, tables);
    } catch (e) {
      return report(e);
    }
    if (view && !view.gl) return;   // no WebGL2: mount() said so on the page
    if (view && frag === fragment) {
      view.state.center = state.center.slice();
      view.state.extent = state.extent;
      view.state.time = state.time;
      view.setWeights(tex.data);   // same shader: new weights only
    } else {
      remount(frag, tex);
      if (!view || !view.gl) return show();   // remount() said why
    }
    report(notice);   // nothing wrong: the notice about this state, if any
    show();
  }

  function remount(frag, tex) {
    if (view) {
      view.destroy();
      const lose = view.gl && view.gl.getExtension("WEBGL_lose_context");
      if (lose) lose.loseContext();
      if (view.canvas) view.canvas.remove();
    }
    fragment = frag;
    view = null;
    try {
      view = mount(root, {
        vertex: spec.vertex, fragment: frag, weights: b64(tex.data), texture: [tex.width, tex.rows],
        center: state.center.slice(), extent: state.extent, time: state.time, size: canvasSize(),
        period: 2 * Math.PI, animated: false, title: "", command: [[], []], custom_weights: false,
        interaction: I, tables,
      }, {bare: true, fixedSize});
    } catch (e) {
      fragment = null;
      report(e);
    }
    if (view && !view.gl) report(new Error("this browser has no WebGL2, which the playground needs"));
  }

  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; apply(); });
  }

  // a change of the state: drawn at the next frame, a history entry once it settles
  function change(patch, now) {
    const next = Object.assign({}, state, patch);
    // a new network drops the lineage (a fresh draw from the seed), as glnn's replace() does; a new scale, bias
    // scale or gain rescales the same unit draws: the bred network stays, rescaled (docs/lineage.md)
    if (!("lineage" in patch) && state.lineage) {
      const a = networkSpec(state, tables), b = networkSpec(next, tables);
      if (Object.keys(a).some(k => !tables.lineage_keeps.includes(k) && String(a[k]) !== String(b[k]))) {
        next.lineage = null;
      }
    }
    setState(next);
    commit(now);
  }

  // a new state from the controls, a picture or the address: the view takes its centre, extent and time at once
  // (so that following the view cannot take them back before the next frame), drawn at the next frame
  function setState(next) {
    state = next;
    notice = null;
    if (state.bias_scale === undefined) state.bias_scale = null;
    if (!probeFits(state)) state.probe = null;
    if (!colourFits(state, tables)) state.colour = plainColourOf(state, tables);
    if (view && view.state) Object.assign(view.state, {center: state.center.slice(), extent: state.extent, time: state.time});
    schedule();
    show();
  }

  function commit(now) {
    clearTimeout(hashTimer);
    const write = () => {
      const hash = stateToHash(state, tables, pageWords);
      if (hash !== location.hash) history.pushState(null, "", hash);
    };
    if (now) write(); else hashTimer = setTimeout(write, HASH_DELAY_MS);
  }

  // the view moves under mount()'s drag, wheel and keys: follow it into the state, the command and the hash
  let shownSize = "";
  setInterval(() => {
    if (!view || !view.gl || playing) return;
    const v = view.state;
    if (v.center[0] !== state.center[0] || v.center[1] !== state.center[1] || v.extent !== state.extent ||
        v.time !== state.time) {
      state = Object.assign({}, state, {center: v.center.slice(), extent: v.extent, time: v.time});
      show();
      commit(false);
    } else if (canvasSize().join("x") !== shownSize) {
      show();   // the window changed the canvas: the command's --size follows
    }
  }, 150);

  addEventListener("hashchange", () => {
    const next = hashToState(location.hash, state, tables);
    if (!sameState(next.state, state, tables)) setState(next.state);
  });

  // ---------------------------------------------------------------- time
  function tick(now) {
    if (!playing) return;
    const dt = lastTick ? Math.min(0.1, (now - lastTick) / 1000) : 0;
    lastTick = now;
    state = Object.assign({}, state, {time: (state.time + I.time_speed * dt) % (2 * Math.PI)});
    if (view) view.setView({time: state.time});
    show();
    requestAnimationFrame(tick);
  }
  function play(on) {
    playing = on;
    lastTick = 0;
    if (on) requestAnimationFrame(tick); else commit(false);
    show();
  }

  // ---------------------------------------------------------------- pictures in and out
  async function save() {
    if (!view || !view.canvas) return;
    view.draw();
    const size = canvasSize();
    const blob = await new Promise(ok => view.canvas.toBlob(ok, "image/png"));
    const png = await withRecipe(new Uint8Array(await blob.arrayBuffer()), recipeJson(state, tables, size, spec));
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([png], {type: "image/png"}));
    a.download = fileName(state, tables);
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    return png;
  }

  async function open(bytes) {
    let text = null, recipe = null;
    try { text = await readRecipe(bytes); } catch (e) { text = null; }
    if (text !== null) { try { recipe = JSON.parse(text); } catch (e) { recipe = null; } }
    if (recipe && Array.isArray(recipe.cells)) return report(new Error("a grid of pictures: open one cell's picture"));
    const next = stateFromRecipe(recipe, tables);
    if (!next) return report(new Error("no glnn recipe in that file (glnn writes them in PNG, GIF and WebP pictures)"));
    stop();
    setState(next);
    commit(true);
    // glnn embeds a small network's weights in its pictures; the page draws them from the seed, which gives
    // the same weights unless they came from a file or a morph: say so (glnn export shows the picture's own)
    if ((typeof recipe.weights === "string" || recipe.morph_of) && !next.lineage) {
      notice = new Error("this picture carries its weights: shown is the network its seed draws, the same unless " +
                         "they came from a file or a morph (for those: glnn export page.html --from PICTURE)");
      report(notice);
    }
    return next;
  }
  function stop() { if (playing) play(false); }
  addEventListener("dragover", e => e.preventDefault());
  addEventListener("drop", e => {
    e.preventDefault();
    const f = e.dataTransfer && e.dataTransfer.files[0];
    if (f) f.arrayBuffer().then(open);
  });

  // ---------------------------------------------------------------- keys of the playground (mount has its own)
  // the named actions of the window's keys (tables.keys) the playground has beyond mount()'s view
  // (time's only with inputs > 2: the other keys of time do nothing then)
  const TIME = ["toggle_play", "time_forward", "time_back"];
  const actions = {
    new_seed: () => change({seed: stepSeed(state.seed, 1)}),
    prev_seed: () => change({seed: stepSeed(state.seed, -1)}),
    toggle_hud: () => { if (panel) panel.toggle(); },
    toggle_play: () => play(!playing),
    time_forward: () => change({time: state.time + I.time_step}),
    time_back: () => change({time: state.time - I.time_step}),
    breed_child: () => breed.child(),   // the window's b: a child becomes the network (its lineage grows)
    breed_back: () => breed.undo(),     // the window's B: back to its parent
  };
  addEventListener("keydown", e => {
    if (breed.key(e)) { e.preventDefault(); return; }
    const action = keyAction(e, tables.keys);
    if (!action || !Object.prototype.hasOwnProperty.call(actions, action)) return;
    if (TIME.includes(action) && !(state.inputs > 2)) return;
    actions[action]();
    e.preventDefault();
  });

  // ---------------------------------------------------------------- the panel
  function report(e) {
    root.dataset.error = e ? String(e.message || e) : "";
    if (panel) panel.error(e);
    else if (e) console.error(e);
  }
  function show() {
    const size = canvasSize();
    shownSize = size.join("x");
    const cmd = commandLine(state, tables, size, "picture.png");
    root.dataset.command = cmd;                      // tests and copying by hand read these
    root.dataset.state = stateToHash(state, tables);
    document.title = `glnn: ${state.depth} x ${state.width} ${state.activation}, seed ${state.seed}`;
    if (panel) panel.update(cmd);
    if (diagram) diagram.update(state);   // the diagram follows every change (its own pass, in slices)
    breed.refresh();
  }

  function buildPanel() {
    const key = action => keyHint(tables.keys, action);   // the window's key of an action
    const box = document.createElement("div");
    box.className = "glnn-playground";
    document.body.appendChild(box);
    const rows = [];
    const el = (tag, attrs = {}, text) => {
      const x = document.createElement(tag);
      for (const [k, v] of Object.entries(attrs)) x.setAttribute(k, v);
      if (text !== undefined) x.textContent = text;
      return x;
    };
    const row = (label, ...children) => {
      const r = el("div", {class: "row"});
      r.appendChild(el("label", {}, label));
      children.forEach(c => r.appendChild(c));
      box.appendChild(r);
      return r;
    };
    const controls = {};
    // a number: a slider and a box, both setting the field (whole numbers for depth, width, inputs)
    const numberControl = (key, label, min, max, step, whole) => {
      const range = el("input", {type: "range", min, max, step});
      const input = el("input", {type: "number", min: whole ? min : 0, step: whole ? 1 : "any", class: "num"});
      const set = v => {
        if (!Number.isFinite(v)) return;
        change({[key]: whole ? Math.round(v) : v});
      };
      range.oninput = () => set(+range.value);
      input.onchange = () => set(+input.value);
      controls[key] = {row: row(label, range, input), update: v => { range.value = v; input.value = v === null ? "" : v; }};
    };
    const selectControl = (key, label, options, onPick) => {
      const sel = el("select");
      for (const o of options) sel.appendChild(el("option", {value: o}, o));
      sel.onchange = () => (onPick ? onPick(sel.value) : change({[key]: sel.value}));
      controls[key] = {row: row(label, sel), sel, update: v => { sel.value = String(v); }};
    };

    box.appendChild(el("div", {class: "title"}, "glnn playground"));
    const seed = el("input", {type: "text", class: "seed", inputmode: "numeric"});
    const prev = el("button", {title: `previous seed (${key("prev_seed")})`}, "\u2190");
    const next = el("button", {title: `next seed (${key("new_seed")})`}, "\u2192");
    seed.onchange = () => { if (/^\d+$/.test(seed.value) && BigInt(seed.value) < (1n << 63n)) change({seed: BigInt(seed.value).toString()}); };
    prev.onclick = () => change({seed: stepSeed(state.seed, -1)});
    next.onclick = () => change({seed: stepSeed(state.seed, 1)});
    controls.seed = {row: row("seed", prev, seed, next), update: v => { seed.value = v; }};
    numberControl("depth", "depth", 1, tables.limits.depth, 1, true);
    numberControl("width", "width", 1, 128, 1, true);
    // a text field with glnn's words to pick from: a name, a comma list (layer i takes entry i mod its length),
    // mix (one per layer, drawn) or mix-units (one per unit, drawn); checked as glnn's flag checks it
    const textControl = (key, label, options, hint, onText, title = hint) => {
      const listId = "glnn-" + key + "-words";
      const input = el("input", {type: "text", class: "words", list: listId, title, spellcheck: "false"});
      const list = el("datalist", {id: listId});
      for (const o of options) list.appendChild(el("option", {value: o}));
      input.onchange = () => {
        const text = input.value.trim();
        if (!onText(text)) {
          input.setCustomValidity("not understood");
          report(new Error(`${label}: ${JSON.stringify(text)} is not understood (${hint})`));
        } else input.setCustomValidity("");
      };
      controls[key] = {row: row(label, input, list), input, update: v => { if (document.activeElement !== input) input.value = v; }};
    };
    textControl("activation", "activation",
                [...tables.activations, ...(tables.activation_ways || []).filter(w => !tables.activations.includes(w)),
                 "tanh,sin,relu"],
                "a name, a comma list such as tanh,sin (layer i takes entry i mod its length), mix or mix-units", text => {
      const a = activationText(text, tables);
      if (a === null) return false;
      const d = defaultsFor(a, tables);   // a new activation takes its defaults, as glnn's flags do
      if (a !== state.activation) change({activation: a, init: d.init, scale: d.scale, bias_scale: d.bias_scale, gain: d.gain});
      return true;
    });
    selectControl("output_activation", "output", tables.outputs);
    selectControl("init", "init", tables.inits);
    numberControl("scale", "scale", 0, 4, 0.01, false);
    numberControl("bias_scale", "bias scale", 0, 4, 0.01, false);
    const tied = el("input", {type: "checkbox", title: "the bias scale follows the scale (tanh's default)"});
    tied.onchange = () => change({bias_scale: tied.checked ? null : state.scale});
    const tiedLabel = el("span", {class: "small"}, " = scale");
    controls.bias_scale.row.append(tied, tiedLabel);
    numberControl("gain", "gain", 0, 4, 0.01, false);
    selectControl("channels", "channels", ["3", "1"], v => change({channels: +v}));
    numberControl("inputs", "inputs", 2, tables.limits.inputs, 1, true);
    // the input features, in order (tables.features: glnn/model/architecture.py), before the inputs - 2 extra ones
    const featureNames = tables.features.map(f => f.name);
    textControl("features", "features", ["x,y", "x,y,r", "x,y,r,bias", "ax,ay", "r,bias"],
                `a comma list of ${featureNames.join(", ")}, at most ${tables.max_inputs} with the inputs - 2 extra ones`, text => {
      const next = Object.assign({}, state);
      if (!setField(next, "features", text, tables) || !inputsFit(next, tables)) return false;
      if (next.features !== state.features) change({features: next.features});
      return true;
    }, tables.features.map(f => `${f.name}: ${f.description}`).join("\n"));
    numberControl("time", "time", 0, 6.2832, 0.001, false);
    const playBtn = el("button", {title: `play time (${key("toggle_play")})`}, "play");
    playBtn.onclick = () => play(!playing);
    controls.time.row.appendChild(playBtn);
    selectControl("colour", "colour", tables.colours.map(m => m.name));
    const setProbe = probe => change({probe, colour: plainColourOf(Object.assign({}, state, {probe}), tables)});
    const unitText = kind => kind === "units" ? `units:${unitLayer.value || 1}` : `unit:${unitLayer.value || 1}:${unitIndex.value || 1}`;
    selectControl("probe", "probe", ["none", ...Object.keys(tables.probes)], v => {
      // the probe's own colour map (or the network's plain colour); unit: unit J of hidden layer K; units: layer K
      setProbe(v === "none" ? null : v === "unit" || v === "units" ? unitText(v) : v);
    });
    const unitLayer = el("input", {type: "number", min: 1, step: 1, class: "num", title: "hidden layer K"});
    const unitIndex = el("input", {type: "number", min: 1, step: 1, class: "num", title: "unit J"});
    unitLayer.onchange = unitIndex.onchange = () => setProbe(unitText(probeKind(state.probe)));
    const unitRow = row("layer, unit", unitLayer, unitIndex);
    const where = el("div", {class: "small where"});
    box.appendChild(where);
    const reset = el("button", {}, "reset view");
    reset.onclick = () => { stop(); change({center: [0, 0], extent: 1, time: 0}, true); };
    const cmd = el("textarea", {class: "glnn-command", readonly: "", rows: "3"});
    const copy = el("button", {}, "copy command");
    copy.onclick = () => {
      cmd.select();
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(cmd.value).catch(() => {});
      else document.execCommand("copy");
    };
    const saveBtn = el("button", {}, "save PNG");
    saveBtn.onclick = () => save();
    box.appendChild(cmd);
    const buttons = el("div");
    const breedBtn = el("button", {title: "breed: children of this network to choose from (g)"}, "breed");
    breedBtn.onclick = () => breed.toggle(true);
    buttons.append(copy, saveBtn, reset, breedBtn);
    box.appendChild(buttons);
    const error = el("div", {class: "error"});
    box.appendChild(error);
    box.appendChild(el("div", {class: "small"},
      `drag: pan \u00b7 wheel, ${key("zoom_in")} ${key("zoom_out")}: zoom \u00b7 ${key("reset_view")}: reset \u00b7 ` +
      `${key("new_seed")} ${key("prev_seed")}: seed \u00b7 ${key("toggle_play")}: time \u00b7 ${key("toggle_hud")}: hide \u00b7 ${key("breed_child")} ${key("breed_back")}: child, parent \u00b7 g: breed \u00b7 ` +
      "drop a glnn PNG, GIF or WebP to open its recipe \u00b7 the address holds the whole state"));

    return {
      update(command) {
        for (const [k, c] of Object.entries(controls)) c.update(state[k]);
        const s = state;
        const d = defaultsFor(s.activation, tables);
        const tiedNow = s.bias_scale === null || s.bias_scale === undefined;
        tied.checked = tiedNow;
        tied.disabled = d.bias_scale !== null;
        tiedLabel.style.opacity = tied.disabled ? 0.4 : 1;
        controls.bias_scale.update(tiedNow ? s.scale : s.bias_scale);
        const gainUsed = s.init === "he" || s.init === "glorot";
        controls.gain.row.style.opacity = gainUsed ? 1 : 0.45;
        controls.scale.row.style.opacity = gainUsed ? 0.45 : 1;
        controls.time.row.style.opacity = s.inputs > 2 ? 1 : 0.45;
        for (const o of controls.colour.sel.options) {
          o.disabled = !colourFits(Object.assign({}, s, {colour: o.value}), tables);
        }
        controls.probe.update(probeKind(s.probe) || "none");
        controls.probe.sel.disabled = s.depth < 2;
        const kind = probeKind(s.probe);
        unitRow.style.display = kind === "unit" || kind === "units" ? "" : "none";
        unitIndex.style.display = kind === "unit" ? "" : "none";
        if (kind === "unit") [unitLayer.value, unitIndex.value] = s.probe.split(":").slice(1);
        if (kind === "units") unitLayer.value = s.probe.split(":")[1];
        unitLayer.max = s.depth - 1;
        unitIndex.max = s.width;
        playBtn.textContent = playing ? "pause" : "play";
        const size = canvasSize();
        where.textContent = `centre ${numberText(s.center[0])}, ${numberText(s.center[1])} \u00b7 extent ` +
          `${numberText(s.extent)} \u00b7 ${size[0]}x${size[1]}` + (view && view.gl ? ` \u00b7 ${view.state.frameMs.toFixed(1)} ms` : "");
        if (document.activeElement !== cmd) cmd.value = command;
      },
      error(e) { error.textContent = e ? String(e.message || e) : ""; },
      toggle() { box.style.display = box.style.display === "none" ? "" : "none"; },
    };
  }

  apply();
  if (first.bad.length) report(new Error("not understood in the address: " + first.bad.join("&")));
  history.replaceState(null, "", stateToHash(state, tables, pageWords));
  return {get state() { return state; }, get view() { return view; }, change, save, open, apply, breed, diagram};
}

function stepSeed(seed, by) {
  const s = BigInt(seed) + BigInt(by);
  return (s < 0n ? (1n << 63n) - 1n : s >= 1n << 63n ? 0n : s).toString();
}
