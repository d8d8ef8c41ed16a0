"""The playground's network diagram and depth strip (glnn/web/playground_diagram.js) in headless Chromium, one launch
for every page: for a default tanh network, a relu network, a mix-units network of features x, y, r and a wide
one, the page has one thumbnail per shown unit (data-layer, data-unit), 5 sampled thumbnails equal
`glnn render --probe unit:K:J` at the thumbnail's size within 3 levels, depth-strip tiles equal
`glnn render --depth d`; changing the depth, the activation and the zoom (a wheel on the picture) updates them
(and they equal the new pictures); hover shows a unit's numbers, click probes it (or, unbounded, shows it big
with its command); a wide layer shows "32 of N shown" and pages."""
import json

import numpy as np
import pytest
from PIL import Image

import chromium
from glnn import Network, View
from glnn.backends import reference
from glnn.io.recipe import Recipe
from glnn.model import activations, colour
from glnn.rendering.api import probe_image
from glnn.web import playground

needs_chromium = pytest.mark.needs("chromium")

# The page's driver: the steps below, each reported once the diagram's pass for it is done: the state then, the
# number of thumbnails, 5 sampled thumbnails (gray levels) and a few strip tiles (RGB levels).
DRIVER = """
<script type="module">
const wait = ms => new Promise(r => setTimeout(r, ms));
while (!(window.glnnPlayground && glnnPlayground.diagram && glnnPlayground.view)) await wait(50);
const G = glnnPlayground, D = G.diagram, box = document.getElementById("glnn-diagram");
async function settled() {
  for (let i = 0; i < 4; i++) await new Promise(r => requestAnimationFrame(r));
  await wait(400);   // the page follows the view every 150 ms
  while (!D.settled) await wait(20);
}
function snapshot(label) {
  const units = [...document.querySelectorAll("#glnn-diagram [data-layer][data-unit]")];
  const all = D.thumbnails(), tiles = D.tiles(), s = G.state;
  const pick = [0, 0.25, 0.5, 0.75, 1].map(f => units[Math.round(f * (units.length - 1))]);
  const thumbs = {};
  for (const u of pick) thumbs[u.dataset.layer + ":" + u.dataset.unit] = all[u.dataset.layer + ":" + u.dataset.unit];
  const depths = Object.keys(tiles).map(Number);
  const strip = {};
  for (const d of new Set([1, 2, depths.length])) if (tiles[d]) strip[d] = tiles[d];
  return {label, count: units.length, size: units[0].width, tiles: depths.length,
          state: {depth: s.depth, width: s.width, activation: s.activation, center: s.center, extent: s.extent,
                  time: s.time, probe: s.probe},
          layers: [...new Set(units.map(u => +u.dataset.layer))].length, thumbs, strip,
          pager: [...document.querySelectorAll(".glnn-dg-pager")].map(p => p.textContent)};
}
const out = [];
try {
  await settled();
  out.push(snapshot("first"));
  for (const step of STEPS) {
    if (step.change) G.change(step.change);
    if (step.wheel) {
      const c = G.view.canvas, r = c.getBoundingClientRect();
      c.dispatchEvent(new WheelEvent("wheel", {deltaY: step.wheel, deltaMode: 0, clientX: r.left + r.width / 4,
                                               clientY: r.top + r.height / 3, bubbles: true, cancelable: true}));
    }
    if (step.keys) {   // the keyboard: one tab stop, arrow keys between thumbnails, Enter chooses
      const stops = document.querySelectorAll('#glnn-diagram .glnn-unit[tabindex="0"]');
      stops[0].focus();
      for (const key of step.keys) {
        document.activeElement.dispatchEvent(new KeyboardEvent("keydown", {key, bubbles: true, cancelable: true}));
      }
      await settled();
      const f = document.activeElement;
      out.push({label: step.label, stops: stops.length, focused: f.dataset.layer + ":" + f.dataset.unit,
                probe: G.state.probe});
      continue;
    }
    if (step.next) document.querySelector(".glnn-dg-pager button[aria-label$='next units']").click();
    if (step.hover || step.click) {
      const el = document.querySelector(`#glnn-diagram [data-layer="${step.layer}"][data-unit="${step.unit}"]`);
      el.dispatchEvent(new MouseEvent(step.hover ? "mouseenter" : "click", {bubbles: true}));
      await settled();
      let canvas = null;
      if (step.canvas) {   // the main view, drawn anew with the probe
        await wait(300);
        while (!(G.view && G.view.gl)) await wait(50);
        for (let i = 0; i < 4; i++) await new Promise(r => requestAnimationFrame(r));
        const gl = G.view.gl, w = gl.drawingBufferWidth, h = gl.drawingBufferHeight, px = new Uint8Array(w * h * 4);
        gl.bindFramebuffer(gl.FRAMEBUFFER, null);
        gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
        canvas = {w, h, px: Array.from(px)};
      }
      out.push({label: step.label, canvas, info: document.querySelector(".glnn-dg-info").textContent,
                big: !!document.querySelector(".glnn-dg-big"), command: box.dataset.command || null,
                probe: G.state.probe, thumb: D.thumbnails()[step.layer + ":" + step.unit], size: el.width});
      continue;
    }
    await settled();
    out.push(snapshot(step.label));
  }
  document.body.dataset.result = JSON.stringify(out);
} catch (e) {
  document.body.dataset.result = JSON.stringify({error: String(e && e.stack || e)});
}
</script>
"""

SIZE = 48   # the page's main canvas (#size=48x48): small, the diagram is what is tested

DEFAULT = Network()   # 12 x 30 tanh
MIXED = Network(seed=17, depth=5, width=10, features="x,y,r", activation="mix-units")
# a unit of MIXED's layer 2 whose own activation is bounded, and one unbounded
BOUNDED = next(j for j, a in enumerate(MIXED.layers[1].activation) if activations.BY_NAME[a].bounds)
PAGES = {
    "tanh": (DEFAULT, [
        {"label": "depth", "change": {"depth": 6}},
        {"label": "activation", "change": {"activation": "sin", "init": "uniform", "scale": 1.5, "bias_scale": None}},
        {"label": "zoom", "wheel": -240},
        {"label": "hover", "hover": True, "layer": 2, "unit": 7},
        {"label": "click", "click": True, "layer": 2, "unit": 7},
        {"label": "keys", "keys": ["ArrowDown", "ArrowDown", "ArrowRight", "Enter"]},
    ]),
    "relu": (Network(seed=5, depth=5, width=16, inputs=3, activation="relu"), [
        {"label": "time", "change": {"time": 1.3}},
        {"label": "click", "click": True, "layer": 3, "unit": 4},
    ]),
    "mix-units x,y,r": (MIXED, [{"label": "click", "click": True, "layer": 2, "unit": BOUNDED + 1, "canvas": True}]),
    "wide": (Network(seed=3, depth=3, width=100), [{"label": "next page", "next": True}]),
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("diagram")
    frames = []
    for key, (net, steps) in PAGES.items():
        page = folder / f"{key.replace(' ', '_').replace(',', '')}.html"
        html = playground.playground_html(Recipe(net, View(SIZE, SIZE), colour.mode_for(net.channels).name))
        driver = DRIVER.replace("STEPS", json.dumps(steps))
        page.write_text(html.replace("</body>", driver + chromium.result_reporter() + "</body>", 1))
        frames.append((key, f"{page.as_uri()}#size={SIZE}x{SIZE}", 1000, 700))
    # #bare: the picture alone, no diagram and no strip (the page's sections are there, hidden; tests and exports rely on it)
    bare = folder / "bare.html"
    bare.write_text(playground.playground_html(Recipe(DEFAULT, View(SIZE, SIZE), "rgb")).replace("</body>", chromium.result_reporter(
        '(window.glnnPlayground && glnnPlayground.view && glnnPlayground.view.gl) ? JSON.stringify({diagram: '
        '!!document.querySelector(".glnn-unit, .glnn-strip-tile") || [...document.querySelectorAll("#glnn-diagram, #glnn-strip")]'
        '.some(e => e.offsetParent !== null), api: !!glnnPlayground.diagram}) : undefined',
        settle_ms=500) + "</body>", 1))
    frames.append(("bare", f"{bare.as_uri()}#bare&size={SIZE}x{SIZE}", SIZE, SIZE))
    out = {}
    for key, d in chromium.frames(folder, frames, parallel=2).items():
        result = json.loads(d["result"])
        assert "error" not in result, f"{key}: {result}"
        out[key] = result
    return out


def network_of(net, state):
    """The page's network at a reported state (depth and activation changed by the steps)."""
    changes = {"depth": state["depth"]}
    if state["activation"] != net.activation:
        changes.update(activation=state["activation"], init="uniform", scale=1.5, bias_scale=None)
    return net.replace(**changes)


def view_of(state, size):
    return View(size, size, tuple(state["center"]), state["extent"], state["time"])


def check_thumbnails(net, snap):
    """Each sampled thumbnail equals glnn's unit probe picture at its size (the Python API of glnn render --probe)."""
    view = view_of(snap["state"], snap["size"])
    worst = 0
    for key, levels in snap["thumbs"].items():
        k, j = key.split(":")
        want = np.asarray(probe_image(net, f"unit:{k}:{j}", view.size, view.center, view.extent, view.time)
                          .convert("L")).astype(int)
        got = np.array(levels).reshape(view.height, view.width)
        worst = max(worst, int(np.abs(got - want).max()))
    assert worst <= 3, f"{snap['label']}: a thumbnail is {worst} levels from glnn render --probe"
    return worst


def check_strip(net, snap):
    """Strip tile d equals glnn render --depth d at the tile's size."""
    view = view_of(snap["state"], snap["size"])
    for d, levels in snap["strip"].items():
        want = colour.to_uint8(reference.evaluate(net.replace(depth=int(d)), view)).astype(int)
        got = np.array(levels).reshape(view.height, view.width, 3)
        diff = int(np.abs(got - want).max())
        assert diff <= 3, f"{snap['label']}: strip tile {d} is {diff} levels from glnn render --depth {d}"


def shown(net):
    return (net.depth - 1) * (net.width if net.width <= 64 else 32)


@needs_chromium
@pytest.mark.parametrize("key", ["tanh", "relu", "mix-units x,y,r", "wide"])
def test_thumbnails_and_strip_equal_glnn_render(pages, key):
    net = PAGES[key][0]
    first = pages[key][0]
    assert first["count"] == shown(net) and first["layers"] == net.depth - 1, first["count"]
    assert first["tiles"] == net.depth
    assert len(first["thumbs"]) == 5
    check_thumbnails(net, first)
    check_strip(net, first)


@needs_chromium
def test_depth_activation_and_zoom_update_the_diagram(pages):
    net = PAGES["tanh"][0]
    snaps = {s["label"]: s for s in pages["tanh"]}
    first, depth, act, zoom = snaps["first"], snaps["depth"], snaps["activation"], snaps["zoom"]
    # depth: fewer columns, fewer tiles; the layers kept are the same network's
    assert first["count"] == 11 * net.width and first["tiles"] == 12
    assert depth["state"]["depth"] == 6 and depth["count"] == 5 * net.width and depth["tiles"] == 6
    check_thumbnails(network_of(net, depth["state"]), depth)
    check_strip(network_of(net, depth["state"]), depth)
    # activation: every sampled thumbnail changes, and equals the new network's
    assert act["state"]["activation"] == "sin"
    common = set(act["thumbs"]) & set(depth["thumbs"])
    assert common and all(act["thumbs"][k] != depth["thumbs"][k] for k in common)
    check_thumbnails(network_of(net, act["state"]), act)
    # zoom: the wheel on the picture moved the view; the thumbnails follow it
    assert zoom["state"]["extent"] < act["state"]["extent"] and zoom["state"]["center"] != [0, 0]
    assert any(zoom["thumbs"][k] != act["thumbs"][k] for k in set(zoom["thumbs"]) & set(act["thumbs"]))
    check_thumbnails(network_of(net, zoom["state"]), zoom)
    check_strip(network_of(net, zoom["state"]), zoom)


@needs_chromium
def test_time_updates_the_diagram(pages):
    net = PAGES["relu"][0]
    first, later = pages["relu"][0], {s["label"]: s for s in pages["relu"]}["time"]
    assert later["state"]["time"] == 1.3
    assert any(later["thumbs"][k] != first["thumbs"][k] for k in later["thumbs"])
    check_thumbnails(net, later)
    check_strip(net, later)


@needs_chromium
def test_keyboard(pages):
    keys = {s["label"]: s for s in pages["tanh"]}["keys"]
    assert keys["stops"] == 1 and keys["focused"] == "2:3" and keys["probe"] == "unit:2:3"


@needs_chromium
def test_hover_and_click(pages, run_glnn, tmp_path):
    snaps = {s["label"]: s for s in pages["tanh"]}
    hover, click = snaps["hover"], snaps["click"]
    assert "layer 2, unit 7 (sin)" in hover["info"] and "mean" in hover["info"] and "saturated" in hover["info"]
    # a bounded unit: the main view probes it, and the diagram gives its command
    assert click["probe"] == "unit:2:7" and not click["big"]
    assert "glnn render" in click["command"] and "--probe unit:2:7" in click["command"]
    # relu is unbounded: the page shows the thumbnail big, with a note and the command; the probe stays
    relu = {s["label"]: s for s in pages["relu"]}["click"]
    assert relu["big"] and relu["probe"] is None and "unbounded" in relu["info"]
    assert "--probe unit:3:4" in relu["command"] and "--activation relu" in relu["command"]
    # that command, at the thumbnail's size, draws the thumbnail (glnn render itself, once)
    words = relu["command"].split()
    size = relu["size"]
    words = words[2:words.index("--size")] + ["--probe", "unit:3:4", "--size", f"{size}x{size}"]
    r = run_glnn("render", *words, "--out", "u.png")
    assert r.returncode == 0, r.stderr
    want = np.asarray(Image.open(tmp_path / "u.png").convert("L")).astype(int)
    assert np.abs(np.array(relu["thumb"]).reshape(want.shape) - want).max() <= 3


@needs_chromium
def test_click_on_a_mix_units_unit_shows_it_in_the_main_view(pages):
    click = {s["label"]: s for s in pages["mix-units x,y,r"]}["click"]
    probe = f"unit:2:{BOUNDED + 1}"
    assert click["probe"] == probe and not click["big"] and f"--probe {probe}" in click["command"]
    c = click["canvas"]
    assert c and (c["w"], c["h"]) == (SIZE, SIZE)
    got = np.array(c["px"]).reshape(SIZE, SIZE, 4)[::-1, :, 0]
    want = np.asarray(probe_image(MIXED, probe, (SIZE, SIZE)).convert("L")).astype(int)
    assert np.abs(got - want).max() <= 2


@needs_chromium
def test_bare_page_has_no_diagram(pages):
    assert pages["bare"] == {"diagram": False, "api": False}


@needs_chromium
def test_wide_layers_page(pages):
    first, nxt = pages["wide"]
    assert first["pager"] and all("32 of 100 shown" in p for p in first["pager"])
    units = sorted(int(k.split(":")[1]) for k in nxt["thumbs"])
    assert nxt["count"] == 64 and any(u > 32 for u in units)
    check_thumbnails(PAGES["wide"][0], nxt)


# ---------------------------------------------------------------- the pass and the colour stage, in node
NODE_DRIVER = __import__("pathlib").Path(__file__).with_name("diagram_driver.mjs")
NODE_NET = Network(seed=9, depth=6, width=12, inputs=3, features="x,y,r,bias", activation="mix-units")
NODE_VIEW = View(16, 16, (0.3, -0.2), 1.7, 0.7)


@pytest.mark.needs("node")
def test_pass_and_colour_stage_equal_glnn_in_node(tmp_path):
    """The diagram's float64 pass (every hidden unit's values, numbers and gray range; the strip's tiles) equals
    glnn's numpy reference on the same grid, and its colour stage (the strip's) equals glnn's for every mode."""
    import subprocess

    from glnn.backends.reference import inputs_for, layer_states
    from glnn.explore.layer_stats import _linear_and_saturated

    rng = np.random.default_rng(1)
    raw = np.concatenate([rng.uniform(-0.2, 1.2, (500, 3)), [[0, 0, 0], [1, 1, 1], [0.5, 0.5, 0.5], [1, 0, 1]]])
    modes = [m.name for m in colour.TABLE]
    tables = playground.tables()
    state = dict(seed="9", depth=6, width=12, channels=3, inputs=3, features="x,y,r,bias", activation="mix-units",
                 output_activation="sigmoid", init=NODE_NET.init, scale=NODE_NET.scale, bias_scale=NODE_NET.bias_scale,
                 gain=NODE_NET.gain, center=list(NODE_VIEW.center), extent=NODE_VIEW.extent, time=NODE_VIEW.time,
                 colour="hsv", probe=None, lineage=None)
    (tmp_path / "in.json").write_text(json.dumps(dict(tables=tables, raw=raw.tolist(), modes=modes, state=state,
                                                      size=NODE_VIEW.width)))
    r = subprocess.run(["node", str(NODE_DRIVER), str(tmp_path / "in.json"), str(tmp_path / "out.json")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads((tmp_path / "out.json").read_text())
    for mode in modes:
        shown_raw = raw[:, :colour.BY_NAME[mode].inputs]
        want = colour.to_uint8(shown_raw[None].astype(np.float32), mode).reshape(len(raw), -1).astype(int)
        if want.shape[1] == 1:
            want = np.repeat(want, 3, axis=1)
        diff = np.abs(np.array(out["colours"][mode]) - want).max()
        assert diff <= 1, f"{mode}: {diff} levels"
    rows, cols = np.arange(16)[:, None], np.arange(16)[None, :]
    states = list(layer_states(NODE_NET, inputs_for(NODE_NET, NODE_VIEW, rows, cols)))
    for k, layer in enumerate(out["units"]):
        pre, y = states[k]
        for u, unit in enumerate(layer):
            assert np.abs(np.array(unit["values"]) - y[:, u]).max() < 1e-5, (k, u)
            assert abs(unit["mean"] - y[:, u].mean()) < 1e-6
            name = NODE_NET.layers[k].activation[u]
            _, sat = _linear_and_saturated(name, pre[:, u:u + 1])
            assert abs(unit["sat"] - sat.mean()) <= 1 / 256, (k, u, name)
            bounds = activations.BY_NAME[name].bounds
            peak = np.abs(y[:, u]).max()
            want = bounds or ((0.0, peak) if activations.BY_NAME[name].floor == 0 else (-peak, peak))
            assert np.allclose(unit["range"], want, atol=1e-6), (name, unit["range"], want)
    for d, tile in enumerate(out["strip"], 1):
        want = colour.apply(reference.evaluate(NODE_NET.replace(depth=d), NODE_VIEW), "hsv")
        assert np.abs(np.array(tile).reshape(16, 16, 3) - want).max() < 1e-4, d
