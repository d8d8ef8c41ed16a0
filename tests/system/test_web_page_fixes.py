"""What a real browser and JupyterLab found in the page and the widget (issue 21, item 5), each driven in headless
Chromium: the widget's view reaches Python after drafts, a lost WebGL context is shown and restored, a load
draws one full frame, the wheel zooms in proportion to its delta, keys work with #size=, a new #... is
followed without a reload, the saved PNG is named after the network and view."""
import json

import numpy as np
import pytest

import chromium
import glnn
from glnn import Network, View
from glnn.app import interaction
from glnn.web import webgl
from glnn.web.export import export
from glnn.web.bundle import bundle
from glnn.io.recipe import Recipe

needs_chromium = pytest.mark.needs("chromium")   # tests/conftest.py: skips where missing, fails under CI=true

NET = Network(seed=12, depth=4, width=8, inputs=4)

# glnn_view.js as a module of a test page; SCENARIO (an async module body) puts its findings, as JSON, in
# <body data-result>
MOUNT_PAGE = """<!DOCTYPE html><html><head><style>body{margin:0;background:#000}</style></head><body>
<div id="v"></div>
<script type="text/plain" id="esm">%(esm)s</script>
<script type="module">
const url = URL.createObjectURL(new Blob([document.getElementById("esm").textContent], {type: "text/javascript"}));
const glnnView = await import(url);
const spec = %(spec)s;
const sleep = ms => new Promise(r => setTimeout(r, ms));
%(until)sconst root = document.getElementById("v");
try {
%(scenario)s
} catch (e) { document.body.dataset.result = JSON.stringify({error: String(e.stack || e)}); }
</script></body></html>
"""


def inline(text: str) -> str:
    return text.replace("</", "<\\/")


# a condition, polled (no fixed sleeps: a loaded machine draws late); the deadline, in the launch's virtual
# time, is generous
UNTIL = """const until = async (done, what) => {
  for (let i = 0; i < 2400; i++) { if (done()) return; await sleep(50); }
  throw new Error("waited 120 s for " + what);
};
"""


# every scenario's page below is read in one Chromium launch (the `results` fixture), each in a frame of the
# viewport a 500 x 300 window had when each page had a launch of its own, one after another
FRAME = (500, 300 - chromium.CHROME_BAR)
PAGES = {}   # key: (build(folder) -> path, address words after the path)


def page_result(results, key):
    """The JSON in the page's <body data-result> (the scenario's findings); none, or an error, fails."""
    assert key in results, f"{key}: the page reported nothing"
    result = json.loads(results[key]["result"])
    assert "error" not in result, result["error"]
    return result


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web_page_fixes")
    pages = []
    for i, (key, (build, words)) in enumerate(PAGES.items()):
        path = build(folder, f"p{i}.html")
        if path is not None:
            pages.append((key, path.as_uri() + words, *FRAME))
    return chromium.frames(folder, pages, parallel=1)


def mount_page(folder, name, scenario, spec=None):
    spec = spec or webgl.page_spec(Recipe(NET, View(60, 60, (0.2, 0.1), 1.5, 0.8), "rgb"))
    path = folder / name
    path.write_text((MOUNT_PAGE % dict(esm=inline(bundle("glnn_view.js")), spec=inline(json.dumps(spec)),
                                       scenario=scenario, until=UNTIL))
                    .replace("</body>", chromium.result_reporter() + "</body>"))
    return path


# the exported page mounts itself: each scenario starts once its first full frame is drawn
FIRST_FRAME = ('await until(() => window.glnn && window.glnn.state && window.glnn.state.draws >= 1, '
               '"the first frame");\n')


def exported_page(folder, name, scenario, net=NET, view=View(60, 60)):
    """The exported page with a test module after its own (module scripts run in order)."""
    path = folder / name
    export(Recipe(net, view, "rgb"), str(path))
    text = path.read_text()
    test = ('<script type="module">\nconst sleep = ms => new Promise(r => setTimeout(r, ms));\n' + UNTIL + 'try {\n'
            + FIRST_FRAME + scenario +
            '\n} catch (e) { document.body.dataset.result = JSON.stringify({error: String(e.stack || e)}); }\n'
            '</script>\n' + chromium.result_reporter() + '</body>')
    path.write_text(text.replace("</body>", test, 1))
    return path


# ---------------------------------------------------------------- the wheel


WHEEL = """
const v = glnnView.mount(root, spec, {bare: true, fixedSize: [60, 60]});
const r = v.canvas.getBoundingClientRect();
const wheel = (deltaY, deltaMode = 0) => v.canvas.dispatchEvent(new WheelEvent("wheel", {deltaY, deltaMode,
  clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true}));
const out = [v.state.extent];
wheel(100); out.push(v.state.extent);               // one notch of a mouse wheel (pixels)
wheel(-100); out.push(v.state.extent);              // and back
for (let i = 0; i < 10; i++) wheel(4);              // a trackpad: ten small deltas
out.push(v.state.extent);
v.state.extent = 1.5;
wheel(3, 1); out.push(v.state.extent);              // one notch in lines (Firefox)
v.state.extent = 1.5;
wheel(1, 2); out.push(v.state.extent);              // one page: the canvas's height in pixels
document.body.dataset.result = JSON.stringify({extents: out, center: v.state.center});
"""
PAGES["wheel"] = (lambda folder, name: mount_page(folder, name, WHEEL), "")


@needs_chromium
def test_wheel_zooms_in_proportion_to_its_delta(results):
    result = page_result(results, "wheel")
    s = interaction.SCROLL_STEP
    e = result["extents"]
    assert e[0] == pytest.approx(1.5)
    assert e[1] == pytest.approx(1.5 * s)
    assert e[2] == pytest.approx(1.5)
    assert e[3] == pytest.approx(1.5 * s ** (40 / interaction.WHEEL_NOTCH_PIXELS))   # not s ** 10
    assert e[4] == pytest.approx(1.5 * s)
    assert e[5] == pytest.approx(1.5 * s ** (60 / interaction.WHEEL_NOTCH_PIXELS))
    assert result["center"] == pytest.approx([0.2, 0.1])   # all about the canvas's centre


# ---------------------------------------------------------------- the widget's view after drafts

WIDGET_SCENARIO = """
const data = {spec, view: null};
const saved = [];
const model = {
  get: k => data[k],
  set: (k, v) => { data[k] = v; },
  on: () => {},
  save_changes: () => { saved.push(JSON.parse(JSON.stringify(data.view))); },
};
glnnView.default.render({model, el: root});
const canvas = root.querySelector("canvas");
// conditions, not fixed sleeps (a loaded machine draws late; the deadlines, in the launch's virtual time, are
// generous): the first full frame has reported the starting view (so drags are timed against a drawn frame)...
await until(() => saved.length >= 1, "the first full frame's view");
const r = canvas.getBoundingClientRect();
const at = (type, dx) => canvas.dispatchEvent(new PointerEvent(type, {pointerId: 1, bubbles: true,
  clientX: r.left + r.width / 2 + dx, clientY: r.top + r.height / 2}));
at("pointerdown", 0); at("pointermove", 10); at("pointermove", 20); at("pointerup", 20);
canvas.dispatchEvent(new WheelEvent("wheel", {deltaY: 100, clientX: r.left + r.width / 2,
  clientY: r.top + r.height / 2, bubbles: true, cancelable: true}));
// ... and a reported view reflects the drag and the wheel (the settled full frame's: its extent is the wheel's)
await until(() => saved.length >= 2 && saved[saved.length - 1].extent !== spec.extent
                 && saved[saved.length - 1].center[0] !== spec.center[0], "a view after the drag and the wheel");
// then one more settle period and a second for any other report (none is expected: the test counts them)
await sleep(1000 + 1000 * spec.interaction.settle_s);
document.body.dataset.result = JSON.stringify({saved, frameMs: 0});
"""


def widget_page(folder, name):
    import importlib.util
    if importlib.util.find_spec("anywidget") is None:
        return None   # the test skips
    w = glnn.show(NET, size=(120, 60), center=(0.2, 0.1), extent=1.5, time=0.8, hud=False)
    # every frame "slow": drag and wheel draw drafts, then one full frame after settle_s
    spec = dict(w.spec, interaction=dict(w.spec["interaction"], draft_budget_s=1e-9, settle_s=0.05))
    return mount_page(folder, name, WIDGET_SCENARIO, spec=spec)


PAGES["widget"] = (widget_page, "")


@needs_chromium
def test_widget_view_follows_drag_and_wheel_when_frames_are_slow(results):
    pytest.importorskip("anywidget")
    result = page_result(results, "widget")
    saved = result["saved"]
    assert saved, "the widget reported no view"
    last = saved[-1]
    s = 2 * 1.5 / 60   # the pixel size before the wheel
    assert last["center"] == pytest.approx([0.2 - 20 * s, 0.1])
    assert last["extent"] == pytest.approx(1.5 * interaction.SCROLL_STEP)
    assert last["time"] == pytest.approx(0.8) and last["size"] == [120, 60]
    # the drafts themselves report nothing: the views reported are the first and the settled one
    assert len(saved) == 2 and saved[0]["extent"] == pytest.approx(1.5)


# ---------------------------------------------------------------- a lost context


LOST = """
const v = glnnView.mount(root, spec, {fixedSize: [60, 60]});
const gl = v.gl;
const read = () => { const px = new Uint8Array(4 * 60 * 60); gl.readPixels(0, 0, 60, 60, gl.RGBA, gl.UNSIGNED_BYTE, px);
                     return Array.from(px); };
const before = read();
const note = root.querySelector(".glnn-lost");
const hidden0 = note.style.display === "none";
const ext = gl.getExtension("WEBGL_lose_context");
const lost = new Promise(r => v.canvas.addEventListener("webglcontextlost", r, {once: true}));
ext.loseContext();
await lost;
await sleep(50);
v.setView({extent: 1.5});   // draws nothing while lost (and throws nothing)
const shown = note.style.display !== "none" && note.textContent.includes("lost");
const draws = v.state.draws;
const restored = new Promise(r => v.canvas.addEventListener("webglcontextrestored", r, {once: true}));
ext.restoreContext();
await restored;
await sleep(50);
const after = read();
document.body.dataset.result = JSON.stringify({before, after, hidden0, shown, hidden1: note.style.display === "none",
  lostNow: gl.isContextLost(), drawsLost: draws, drawsAfter: v.state.draws});
"""
PAGES["lost"] = (lambda folder, name: mount_page(folder, name, LOST), "")


@needs_chromium
def test_lost_context_is_shown_and_restored(results):
    r = page_result(results, "lost")
    assert r["hidden0"] and r["shown"] and r["hidden1"] and not r["lostNow"]
    assert r["drawsAfter"] == r["drawsLost"] + 1   # recompiled, re-uploaded, redrawn once
    before, after = (np.array(r[k], np.uint8).reshape(60, 60, 4) for k in ("before", "after"))
    assert before.std() > 5 and np.array_equal(before, after)


LOST_AT_MOUNT = """
const getContext = HTMLCanvasElement.prototype.getContext;
let ext = null;
HTMLCanvasElement.prototype.getContext = function (...args) {
  const gl = getContext.apply(this, args);
  ext = gl.getExtension("WEBGL_lose_context");
  ext.loseContext();
  return gl;
};
const v = glnnView.mount(root, spec, {bare: true, fixedSize: [60, 60]});
HTMLCanvasElement.prototype.getContext = getContext;
const note = root.querySelector(".glnn-lost");
const shown = note.style.display !== "none", draws0 = v.state.draws;
await sleep(50);
const restored = new Promise(r => v.canvas.addEventListener("webglcontextrestored", r, {once: true}));
ext.restoreContext();
await restored;
await sleep(50);
const px = new Uint8Array(4 * 60 * 60);
v.gl.readPixels(0, 0, 60, 60, v.gl.RGBA, v.gl.UNSIGNED_BYTE, px);
document.body.dataset.result = JSON.stringify({shown, draws0, draws: v.state.draws, hidden: note.style.display === "none",
  pixels: Array.from(px)});
"""
PAGES["lost at mount"] = (lambda folder, name: mount_page(folder, name, LOST_AT_MOUNT), "")


@needs_chromium
def test_context_lost_at_mount_is_restored(results):
    # the context is lost before mount makes its GL objects (it happens at load on a busy machine)
    r = page_result(results, "lost at mount")
    assert r["shown"] and r["draws0"] == 0 and r["hidden"] and r["draws"] == 1
    pixels = np.array(r["pixels"], np.uint8).reshape(60, 60, 4)
    assert pixels.std() > 5


# ---------------------------------------------------------------- the exported page


A_LOAD = """
await sleep(500);   // after the first frame (FIRST_FRAME): time for a second one that must not come
document.body.dataset.result = JSON.stringify({draws: window.glnn.state.draws,
  drawn: document.getElementById("glnn").dataset.drawn});
"""
for hash_ in ("#bare&size=60x40", ""):
    PAGES[f"a load {hash_}"] = (lambda folder, name: exported_page(folder, name, A_LOAD), hash_)


@needs_chromium
def test_a_load_draws_one_full_frame(results):
    for hash_ in ("#bare&size=60x40", ""):
        r = page_result(results, f"a load {hash_}")
        assert r["draws"] == 1, (hash_, r)


KEYS = """
const before = window.glnn.state.extent;
document.body.dispatchEvent(new KeyboardEvent("keydown", {key: "+", bubbles: true}));
await until(() => window.glnn.state.extent !== before, "the zoom");
document.body.dataset.result = JSON.stringify({before, after: window.glnn.state.extent});
"""
PAGES["keys"] = (lambda folder, name: exported_page(folder, name, KEYS), "#bare&size=60x40")


@needs_chromium
def test_keys_work_with_a_fixed_size_without_a_click(results):
    r = page_result(results, "keys")
    assert r["after"] == pytest.approx(r["before"] / interaction.ZOOM_STEP)


NEW_HASH = """
const root = document.getElementById("glnn");
const seen = () => ({drawn: root.dataset.drawn, canvases: root.querySelectorAll("canvas").length,
                     hud: !!root.querySelector(".glnn-hud"), extent: window.glnn.state.extent,
                     width: root.style.width});
const out = [seen()];
document.body.dispatchEvent(new KeyboardEvent("keydown", {key: "+", bubbles: true}));
await until(() => window.glnn.state.extent !== out[0].extent, "the zoom");
for (const hash of ["#size=80x50", "#bare&size=40x30", "#bare"]) {
  const changed = new Promise(r => window.addEventListener("hashchange", r, {once: true}));
  const drawn = root.dataset.drawn;
  location.hash = hash;
  await changed;
  await until(() => root.dataset.drawn !== drawn, "a frame at " + hash);   // each hash draws a new size
  out.push(seen());
}
document.body.dataset.result = JSON.stringify(out);
"""
PAGES["new hash"] = (lambda folder, name: exported_page(folder, name, NEW_HASH), "#bare&size=60x40")


@needs_chromium
def test_a_new_hash_is_followed_without_a_reload(results):
    w, h = FRAME   # the page's viewport
    r = page_result(results, "new hash")
    assert [x["drawn"] for x in r] == ["60x40", "80x50", "40x30", f"{w}x{h}"]
    assert [x["hud"] for x in r] == [False, True, False, False]
    assert all(x["canvases"] == 1 for x in r)
    assert r[-1]["width"] == ""   # the fixed size's style is gone with it
    zoomed = 1.0 / interaction.ZOOM_STEP   # the view (zoomed by "+") is kept across the changes
    assert [x["extent"] for x in r[1:]] == pytest.approx([zoomed] * 3)


SAVED_NAMES = """
const names = [];
HTMLAnchorElement.prototype.click = function () { names.push(this.download); };
const saved = n => until(() => names.length >= n, n + " saved pictures");
document.querySelector(".glnn-save").click();
await saved(1);   // toBlob calls back later
window.glnn.setView({center: [0, 0], extent: 1, time: 0});
document.querySelector(".glnn-save").click();
await saved(2);
document.body.dataset.result = JSON.stringify({names});
"""
PAGES["saved names"] = (lambda folder, name: exported_page(
    folder, name, SAVED_NAMES, net=Network(seed=3, depth=5, width=12, activation="tanh", inputs=3),
    view=View(60, 40, (0.25, 0.0), 2.0, 0.5)), "#size=60x40")


@needs_chromium
def test_saved_png_is_named_after_the_network_and_view(results):
    r = page_result(results, "saved names")
    assert r["names"] == ["glnn-seed3-5x12-tanh-c0.25,0-e2-t0.5.png", "glnn-seed3-5x12-tanh.png"]


SAVED_RECIPE = """
HTMLAnchorElement.prototype.click = function () {};
window.glnn.setView({center: [0.125, -0.25], extent: 1.5, time: 0.75});
const png = await window.glnn.save();
let s = ""; for (const b of png) s += String.fromCharCode(b);
document.body.dataset.result = JSON.stringify({png: btoa(s)});
"""
RECIPE_NET = Network(seed=2 ** 63 - 5, depth=5, width=12, activation="sin", inputs=3)
PAGES["saved recipe"] = (lambda folder, name: exported_page(folder, name, SAVED_RECIPE, net=RECIPE_NET, view=View(60, 40)),
                         "#bare&size=60x40")


@needs_chromium
def test_saved_png_carries_its_recipe_and_makes_the_poster(results, tmp_path, run_glnn):
    """The exported page's "save PNG" writes glnn's recipe (zTXt, the view now shown): `glnn info` reads it and
    `glnn render --from` draws the same picture at any size. A big seed keeps every digit."""
    import base64
    from PIL import Image
    net = RECIPE_NET
    r = page_result(results, "saved recipe")
    (tmp_path / "saved.png").write_bytes(base64.b64decode(r["png"]))
    view = View(60, 40, (0.125, -0.25), 1.5, 0.75)
    info = run_glnn("info", "saved.png")
    assert info.returncode == 0 and Recipe(net, view, "rgb").command() in info.stdout, info.stdout + info.stderr
    r = run_glnn("render", "--from", "saved.png", "--size", "120x80", "--backend", "numpy", "--out", "poster.png")
    assert r.returncode == 0, r.stderr
    poster = np.asarray(Image.open(tmp_path / "poster.png").convert("RGB")).astype(int)
    want = np.asarray(glnn.render_image(net, size=(120, 80), center=(0.125, -0.25), extent=1.5, time=0.75,
                                        backend="numpy").convert("RGB")).astype(int)
    assert np.abs(poster - want).max() <= 1
    saved = np.asarray(Image.open(tmp_path / "saved.png").convert("RGB")).astype(int)
    want = np.asarray(glnn.render_image(net, size=(60, 40), center=(0.125, -0.25), extent=1.5, time=0.75,
                                        backend="numpy").convert("RGB")).astype(int)
    assert np.abs(saved - want).max() <= 1


def test_the_pages_recipe_is_the_pictures_without_its_view():
    """webgl.saved_recipe_text: glnn's recipe less the view and the command (the page adds those); weights that
    are not the seed's draws go in while they fit the picture budget, else the page saves the picture alone."""
    recipe = Recipe(Network(seed=2 ** 63 - 5, depth=3, width=4), View(8, 8), "hsv")
    data = json.loads(webgl.saved_recipe_text(recipe))
    assert "view" not in data and "command" not in data
    assert data["network"]["seed"] == 2 ** 63 - 5 and data["colour"] == "hsv"
    morphed = Recipe(Network(seed=1, depth=3, width=4).morph(2, 0.5), View(8, 8), "rgb")
    assert "weights" in json.loads(webgl.saved_recipe_text(morphed))
    assert webgl.saved_recipe_text(Recipe(Network(seed=1, depth=40, width=512).morph(2, 0.5), View(8, 8), "rgb")) is None
