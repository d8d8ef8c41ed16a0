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

// The shortest decimal within `tol` of v (v itself where none is shorter): what the panel shows of a view's
// numbers, which a wheel or a drag leaves with 17 digits. The address and the recipe keep the exact ones.
export function shortNumber(v, tol) {
  for (let p = 1; p < 17; p++) {
    const r = Number(v.toPrecision(p));
    if (Math.abs(r - v) <= tol) return r;
  }
  return v;
}

// The state as the panel shows it on a canvas of `size`: the centre within a hundredth of a pixel, the extent
// and the time within a millionth (the same picture to the eye), short
export function shownState(state, size) {
  const s = 2 * state.extent / Math.max(1, Math.min(size[0], size[1]));
  return Object.assign({}, state, {
    center: state.center.map(c => shortNumber(c, 0.01 * s)),
    extent: shortNumber(state.extent, 1e-6 * state.extent),
    time: shortNumber(state.time, 1e-6),
  });
}

export function startPlayground(root, spec) {
  const tables = spec.tables, I = spec.interaction;
  const first = hashToState(location.hash, spec.state, tables);
  const pageWords = first.pageWords;
  const bare = pageWords.includes("bare");
  document.body.classList.toggle("bare", bare);   // playground.html's layout: the picture alone
  const fixed = pageWords.map(w => /^size=(\d+)x(\d+)$/.exec(w)).find(m => m);
  const fixedSize = fixed ? [+fixed[1], +fixed[2]] : null;
  let state = first.state;
  const cache = new Map();
  let view = null, fragment = null, pending = false, playing = false, lastTick = 0, hashTimer = 0;
  let notice = null;   // a word about the state shown (a dropped picture's weights), kept until the state changes
  let colourBeforeProbe = null;   // the network's colour mode while a probe shows its own
  const panel = bare ? null : buildPanel();
  // ---- the network diagram and the depth strip (glnn/web/playground_diagram.js), beside the picture; not in #bare
  const diagram = bare ? null : startDiagram(diagramPlaces(), tables, {
    cache, size: () => canvasSize(),
    setProbe: probe => setProbe(probe, true),
  });
  // ---- (end of the diagram's hook)
  // breed mode (key b): children of the state's network, drawn over the page (glnn/web/playground_breed.js)
  const breed = breeder(root, spec, cache, {
    state: () => state,
    choose: lineage => change({lineage: lineage && lineage.length ? lineage : null}, true),
    report: e => report(e), save: () => save(),
    command: () => commandLine(state, tables, canvasSize(), "picture.png"),
  });

  // a probe on or off, from the panel or the diagram: the probe's own colour map (or the network's plain colour),
  // and the network's colour back when the probe goes
  function setProbe(probe, now) {
    if (probe && !state.probe) colourBeforeProbe = state.colour;
    const withProbe = Object.assign({}, state, {probe});
    let colour = plainColourOf(withProbe, tables);
    if (!probe && colourBeforeProbe && colourFits(Object.assign({}, withProbe, {colour: colourBeforeProbe}), tables)) colour = colourBeforeProbe;
    if (!probe) colourBeforeProbe = null;
    change({probe, colour}, now);
  }

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
      if (!state.probe) { report(e); return show(); }
      // a probe this page does not draw (a unit probe of a relu layer ...): the picture instead, and why
      const probe = state.probe;
      state = Object.assign({}, state, {probe: null});
      state.colour = colourBeforeProbe && colourFits(state, tables) ? colourBeforeProbe : plainColourOf(state, tables);
      colourBeforeProbe = null;
      notice = new Error(`probe=${probe}: ${String(e.message || e)}; showing the picture instead`);
      apply();
      history.replaceState(null, "", stateToHash(state, tables, pageWords));
      return;
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

  // a link means one state, whatever tab opens it: a new #... is read over the state the page opens at (as a
  // fresh load reads it), never merged into the state this tab has come to
  addEventListener("hashchange", () => {
    const next = hashToState(location.hash, spec.state, tables);
    if (!sameState(next.state, state, tables)) setState(next.state);
    if (next.bad.length) report(notice = new Error("not understood in the address: " + next.bad.join("&")));
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
    toggle_play: () => play(!playing),
    time_forward: () => change({time: state.time + I.time_step}),
    time_back: () => change({time: state.time - I.time_step}),
    breed_child: () => breed.child(),   // the window's b: a child becomes the network (its lineage grows)
    breed_back: () => breed.undo(),     // the window's B: back to its parent
  };
  addEventListener("keydown", e => {
    if (breed.key(e)) { e.preventDefault(); return; }
    const action = keyAction(e, tables.keys, tables.button_keys);
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
    // the panel shows the view's numbers short (shownState); the address, the recipe and data-command keep them exact
    if (panel) panel.update(commandLine(shownState(state, size), tables, size, "picture.png"));
    if (diagram) diagram.update(state);   // the diagram follows every change (its own pass, in slices)
    breed.refresh();
  }

  function buildPanel() {
    const key = action => keyHint(tables.keys, action);   // the window's key of an action
    const keyed = (text, action) => (key(action) ? `${text} (${key(action)})` : text);
    const breedKey = keyHint(tables.breed_keys || {}, "toggle_breed");   // breed mode's own key (playground.py BREED_KEYS)
    const words = spec.words || {controls: []};
    const el = (tag, attrs = {}, text) => {
      const x = document.createElement(tag);
      for (const [k, v] of Object.entries(attrs)) x.setAttribute(k, v);
      if (text !== undefined) x.textContent = text;
      return x;
    };
    // the page's header: what the picture is, the article and the gallery (playground_words.py)
    const head = document.querySelector(".glnn-head");
    if (head) {
      if (words.intro) head.appendChild(el("p", {}, words.intro));
      const nav = el("nav", {"aria-label": "more"});
      if (words.article) nav.appendChild(el("a", {href: words.article, target: "_blank", rel: "noopener"}, "the article"));
      if (words.gallery) nav.appendChild(el("a", {href: words.gallery}, "the figures' gallery"));
      head.appendChild(nav);
    }
    let box = document.querySelector(".glnn-playground");
    if (!box) {
      box = el("aside", {class: "glnn-playground", "aria-label": "the network's controls"});
      document.body.appendChild(box);
    }
    const heading = text => box.appendChild(el("h2", {}, text));
    const controls = {};
    const ids = new Set();
    const idFor = name => {
      let id = "glnn-" + name.replace(/\W+/g, "-");
      while (ids.has(id)) id += "-";
      ids.add(id);
      return id;
    };
    // a row: its label names the first control (label for=), the others carry their own names (aria-label)
    const row = (label, first, ...more) => {
      const r = el("div", {class: "row"});
      const id = idFor(label);
      first.id = id;
      r.appendChild(el("label", {for: id}, label));
      r.appendChild(first);
      more.forEach(c => r.appendChild(c));
      box.appendChild(r);
      return r;
    };
    // a control's words (playground_words.py): one or two sentences, "try this" links (each a whole state) and
    // the gallery's figure of the idea
    const about = (control, input) => {
      const w = (words.controls || []).find(x => x.control === control);
      if (!w) return;
      const p = el("p", {class: "about", id: idFor("about " + control)});
      p.appendChild(document.createTextNode(w.text + " "));
      const tries = el("span", {class: "tries"}, "try: ");
      for (const t of w.tries) tries.appendChild(el("a", {href: t.hash, title: "open this network (the address is the whole state)"}, t.label));
      if (words.gallery) tries.appendChild(el("a", {href: `${words.gallery}#fig${String(w.figure).padStart(2, "0")}`}, `figure ${w.figure}`));
      else tries.appendChild(el("span", {title: "glnn figures writes the gallery"}, `figure ${w.figure} (glnn figures --only ${w.figure})`));
      p.appendChild(tries);
      box.appendChild(p);
      for (const x of input) x.setAttribute("aria-describedby", p.id);
    };
    // a number: a slider and a box, both setting the field (whole numbers for depth, width, inputs)
    const numberControl = (key, label, min, max, step, whole) => {
      const range = el("input", {type: "range", min, max, step, "aria-label": label + " (slider)"});
      const input = el("input", {type: "number", min: whole ? min : 0, step: whole ? 1 : "any", class: "num"});
      const set = v => {
        if (!Number.isFinite(v)) return;
        change({[key]: whole ? Math.round(v) : v});
      };
      range.oninput = () => set(+range.value);
      input.onchange = () => set(+input.value);
      const r = row(label, input, range);
      r.insertBefore(range, input);   // slider first, the box after it (the label names the box)
      controls[key] = {row: r, inputs: [range, input], update: v => { range.value = v; input.value = v === null ? "" : v; }};
    };
    const selectControl = (key, label, options, onPick) => {
      const sel = el("select");
      for (const o of options) sel.appendChild(el("option", {value: o}, o));
      sel.onchange = () => (onPick ? onPick(sel.value) : change({[key]: sel.value}));
      controls[key] = {row: row(label, sel), sel, inputs: [sel], update: v => { sel.value = String(v); }};
    };
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
      controls[key] = {row: row(label, input, list), input, inputs: [input], update: v => { if (document.activeElement !== input) input.value = v; }};
    };

    heading("network");
    const seed = el("input", {type: "text", class: "seed", inputmode: "numeric", autocomplete: "off"});
    const prev = el("button", {type: "button", "aria-label": keyed("previous seed", "prev_seed"), title: keyed("previous seed", "prev_seed")}, "\u2190");
    const next = el("button", {type: "button", "aria-label": keyed("next seed", "new_seed"), title: keyed("next seed", "new_seed")}, "\u2192");
    const dice = el("button", {type: "button", title: "a random seed: another network of the same kind"}, "random");
    seed.onchange = () => { if (/^\d+$/.test(seed.value) && BigInt(seed.value) < (1n << 63n)) change({seed: BigInt(seed.value).toString()}); };
    prev.onclick = () => change({seed: stepSeed(state.seed, -1)});
    next.onclick = () => change({seed: stepSeed(state.seed, 1)});
    dice.onclick = () => change({seed: String(randomSeed())}, true);
    const seedRow = row("seed", seed, next, dice);
    seedRow.insertBefore(prev, seed);
    controls.seed = {row: seedRow, inputs: [seed], update: v => { seed.value = v; }};
    numberControl("depth", "depth", 1, tables.limits.depth, 1, true);
    about("depth", controls.depth.inputs);
    numberControl("width", "width", 1, 128, 1, true);
    about("width", controls.width.inputs);
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
    about("activation", controls.activation.inputs);
    selectControl("output_activation", "output", tables.outputs);
    selectControl("init", "init", tables.inits);
    numberControl("scale", "scale", 0, 4, 0.01, false);
    about("scale", controls.scale.inputs);
    numberControl("bias_scale", "bias scale", 0, 4, 0.01, false);
    const tied = el("input", {type: "checkbox", title: "the bias scale follows the scale (tanh's default)",
                              "aria-label": "bias scale = scale"});
    tied.onchange = () => change({bias_scale: tied.checked ? null : state.scale});
    const tiedLabel = el("span", {class: "small", "aria-hidden": "true"}, "= scale");
    controls.bias_scale.row.append(tied, tiedLabel);
    numberControl("gain", "gain", 0, 4, 0.01, false);
    selectControl("channels", "channels", ["3", "1"], v => change({channels: +v}));
    heading("inputs and view");
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
    const playBtn = el("button", {type: "button", title: keyed("play time", "toggle_play")}, "play");
    playBtn.onclick = () => play(!playing);
    controls.time.row.appendChild(playBtn);
    about("time", controls.time.inputs);
    // the input scale: the view's extent (the wheel, pinch, + and - change it too)
    numberControl("extent", "input scale", 0, 64, 0.01, false);
    {   // its slider is logarithmic: log2 of the extent, 1/256 to 256
      const [range, box] = controls.extent.inputs;
      Object.assign(range, {min: "-8", max: "8", step: "0.01"});
      box.min = "0.000001";
      range.oninput = () => change({extent: shortNumber(Math.pow(2, +range.value), 1e-4 * Math.pow(2, +range.value))});
      controls.extent.update = v => { range.value = String(Math.log2(v)); box.value = v; };
    }
    about("extent", controls.extent.inputs);
    heading("colour and probes");
    selectControl("colour", "colour", tables.colours.map(m => m.name), v => {
      colourBeforeProbe = null;
      change({colour: v});
    });
    const colourNote = el("p", {class: "note", role: "status"});
    box.appendChild(colourNote);
    const unitText = kind => kind === "units" ? `units:${unitLayer.value || 1}` : `unit:${unitLayer.value || 1}:${unitIndex.value || 1}`;
    selectControl("probe", "probe", ["none", ...Object.keys(tables.probes)], v => {
      // the probe's own colour map (or the network's plain colour); unit: unit J of hidden layer K; units: layer K
      setProbe(v === "none" ? null : v === "unit" || v === "units" ? unitText(v) : v);
    });
    const unitLayer = el("input", {type: "number", min: 1, step: 1, class: "num", title: "hidden layer K"});
    const unitIndex = el("input", {type: "number", min: 1, step: 1, class: "num", title: "unit J", "aria-label": "unit J"});
    unitLayer.onchange = unitIndex.onchange = () => setProbe(unitText(probeKind(state.probe)));
    const unitRow = row("layer, unit", unitLayer, unitIndex);

    heading("the picture");
    const where = el("div", {class: "where", role: "status", "aria-live": "off"});
    box.appendChild(where);
    const cmdId = idFor("command");
    box.appendChild(el("label", {for: cmdId, class: "small"}, "the glnn command that renders this picture"));
    const cmd = el("textarea", {class: "glnn-command", readonly: "", rows: "3", id: cmdId});
    box.appendChild(cmd);
    const button = (text, title, onclick) => {
      const b = el("button", {type: "button", title}, text);
      b.onclick = onclick;
      return b;
    };
    const copy = button("copy command", "copy the command above", () => {
      cmd.select();
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(cmd.value).catch(() => {});
      else document.execCommand("copy");
    });
    const buttons = el("div", {class: "buttons"});
    buttons.append(copy,
      button("save PNG", "the picture, with its recipe inside (glnn render --from it)", () => save()),
      button("reset view", keyed("reset the view", "reset_view"), () => { stop(); change({center: [0, 0], extent: 1, time: 0}, true); }),
      button("breed", `breed: children of this network to choose from (${breedKey})`, () => breed.toggle(true)));
    box.appendChild(buttons);
    const error = el("div", {class: "error", role: "alert"});
    box.appendChild(error);
    box.appendChild(el("p", {class: "small"},
      `drag or one finger: pan \u00b7 wheel, pinch, ${key("zoom_in")} ${key("zoom_out")}: zoom \u00b7 ${key("reset_view")}: reset \u00b7 ` +
      `${key("new_seed")} ${key("prev_seed")}: seed \u00b7 ${key("toggle_play")}: time \u00b7 ${key("breed_child")} ${key("breed_back")}: child, parent \u00b7 ${breedKey}: breed \u00b7 ` +
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
        // a probe shows one value a pixel: the colour control says why it changed, and what comes back
        colourNote.textContent = s.probe ? `the ${probeKind(s.probe)} probe shows one value a pixel, in ${s.colour}` +
          (colourBeforeProbe ? `; ${colourBeforeProbe} returns when the probe is off` : "") : "";
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
        const shown = shownState(s, size);
        controls.extent.update(shown.extent);
        controls.time.update(shown.time);
        where.textContent = `centre ${numberText(shown.center[0])}, ${numberText(shown.center[1])} \u00b7 extent ` +
          `${numberText(shown.extent)} \u00b7 ${size[0]}x${size[1]}` + (view && view.gl ? ` \u00b7 ${view.state.frameMs.toFixed(1)} ms` : "");
        if (document.activeElement !== cmd) cmd.value = command;
      },
      error(e) { error.textContent = e ? String(e.message || e) : ""; },
    };
  }

  if (first.bad.length) notice = new Error("not understood in the address: " + first.bad.join("&"));
  apply();
  history.replaceState(null, "", stateToHash(state, tables, pageWords));
  return {get state() { return state; }, get view() { return view; }, change, save, open, apply, breed, diagram};
}

// a seed for the "random" button: short enough to read and share (the network of any seed is as random)
function randomSeed() {
  const a = new Uint32Array(1);
  crypto.getRandomValues(a);
  return a[0] % 1000000;
}

function stepSeed(seed, by) {
  const s = BigInt(seed) + BigInt(by);
  return (s < 0n ? (1n << 63n) - 1n : s >= 1n << 63n ? 0n : s).toString();
}
