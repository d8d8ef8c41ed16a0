"""glnn playground in headless Chromium (WebGL2 on SwiftShader): its canvas equals glnn render's picture of the
same state within 1 level (networks of every activation and init, colour modes, one channel, extra inputs);
the URL hash opens any state and back steps through changes; 'save PNG' writes the picture with a recipe that
glnn reads; a glnn picture dropped on it opens its recipe. And the command itself: the page does not grow
with the network, and a saved network's weights are refused in one line."""
import base64
import json
import sys
from urllib.parse import quote

import numpy as np
import pytest

import chromium
from glnn import Network, View
from glnn.model import colour
from glnn.web import playground
from glnn.backends import reference
from glnn.io.command import number
from glnn.io.recipe import Recipe
from glnn.web.export import export

needs_chromium = pytest.mark.needs("chromium")   # tests/conftest.py: skips where missing, fails under CI=true


def expected(net, view, mode=None):
    out = colour.to_uint8(reference.evaluate(net, view), mode).astype(int)
    return np.repeat(out, 3, axis=2) if out.shape[2] == 1 else out


def state_hash(net, view, mode):
    """The hash playground.js writes for a state (its names are glnn's flags)."""
    words = [f"seed={net.seed}", f"depth={net.depth}", f"width={net.width}", f"channels={net.channels}",
             f"inputs={net.inputs}", f"activation={net.activation}", f"output-activation={net.output_activation}",
             f"init={net.init}", f"scale={number(float(net.scale))}"]
    if net.bias_scale is not None:
        words.append(f"bias-scale={number(float(net.bias_scale))}")
    words += [f"gain={number(float(net.gain))}", f"center={number(view.center[0])},{number(view.center[1])}",
              f"extent={number(view.extent)}", f"time={number(view.time)}", f"color={quote(mode, safe='')}"]
    return "&".join(words)


CASES = [
    ("tanh uniform 12x30", Network(seed=3, depth=12, width=30), View(48, 32, extent=2.0), None),
    ("relu he, gray", Network(seed=5, depth=5, width=16, channels=1, activation="relu"), View(40, 30), None),
    ("mix, 5 inputs at t=1.3", Network(seed=8, depth=7, width=10, inputs=5, activation="mix"),
     View(40, 30, (0.3, -0.2), 1.5, 1.3), None),
    ("sin normal, hsv", Network(seed=2, depth=4, width=9, activation="sin"), View(40, 30, extent=3.0), "hsv"),
    ("gaussian glorot, palette", Network(seed=4, depth=5, width=12, channels=1, activation="gaussian", init="glorot"),
     View(40, 30), "palette:twilight"),
    ("softsign, big seed, red", Network(seed=2 ** 63 - 2, depth=3, width=7, activation="softsign", scale=1.7,
                                       bias_scale=0.3), View(40, 30), "red"),
    ("leaky_relu, 16 inputs, hsl", Network(seed=1, depth=4, width=20, inputs=16, activation="leaky_relu",
                                          output_activation="tanh"), View(40, 30, time=4.0), "hsl"),
    ("features r,bias,ax,ay, sin,gaussian, 4 inputs", Network(seed=13, depth=5, width=12, inputs=4,
                                                          features="r,bias,ax,ay", activation="sin,gaussian"),
     View(40, 30, (0.2, 0.1), 1.5, 0.9), None),
    ("mix-units, features x,y,r, width 10", Network(seed=17, depth=5, width=10, features="x,y,r",
                                                    activation="mix-units"), View(40, 30, extent=1.5), None),
]


PROBE_PAGES = {}   # filled below: SATURATION's and UNITS's frames for the one launch


@pytest.fixture(scope="module")
def canvases(tmp_path_factory):
    """Every case's canvas below (CASES, SATURATION, UNITS), read in one Chromium launch: each opens, in a frame of
    its own, a page written for another network at the case's state by its address (#bare&size=WxH&...), as a
    launch per case did; {key: (h, w, 3) uint8 of the canvas (gl.readPixels), or the page's error text}."""
    folder = tmp_path_factory.mktemp("playground_canvases")
    path = folder / "play.html"
    path.write_text(playground.playground_html(Recipe(Network(seed=99, depth=2, width=3), View(8, 8), "rgb"))
                    .replace("</body>", chromium.canvas_reporter(
                        "window.glnnPlayground && glnnPlayground.view && glnnPlayground.view.gl") + "</body>", 1))
    frames = []
    for label, net, view, mode in CASES:
        state = state_hash(net, view, colour.mode_for(net.channels, mode).name)
        if net.features != "x,y" or net.activation == "mix-units":   # the playground's own link (glnn/web/playground.py state_hash)
            state = playground.state_hash(Recipe(net, view, colour.mode_for(net.channels, mode).name))[1:]
        frames.append((f"canvas {label}", f"{path.as_uri()}#bare&size={view.width}x{view.height}&{state}",
                       view.width, view.height))
    for key, (view, words) in PROBE_PAGES.items():
        frames.append((key, f"{path.as_uri()}#bare&size={view.width}x{view.height}&{words}", view.width, view.height))
    # the network as data: the playground at the link of glnn render's picture, and the exported page of it
    recipe = Recipe(*NET_AS_DATA, "rgb")
    view = recipe.view
    frames.append(("as data: playground", f"{path.as_uri()}#bare&size={view.width}x{view.height}&"
                   + playground.state_hash(recipe)[1:], view.width, view.height))
    exported = folder / "exported.html"
    export(recipe, str(exported))
    exported.write_text(exported.read_text().replace(
        "</body>", chromium.canvas_reporter("window.glnn && window.glnn.gl") + "</body>", 1))
    frames.append(("as data: page", f"{exported.as_uri()}#bare&size={view.width}x{view.height}", view.width,
                   view.height))
    return chromium.frames_pixels(folder, frames)


def canvas(canvases, key, view):
    shot = canvases[key]
    assert not isinstance(shot, str), f"{key}: {shot}"
    assert shot.shape == (view.height, view.width, 3), (key, shot.shape)
    return shot.astype(int)


@needs_chromium
@pytest.mark.parametrize("label,net,view,mode", CASES, ids=[c[0] for c in CASES])
def test_playground_canvas_equals_glnn_render(canvases, label, net, view, mode):
    mode = colour.mode_for(net.channels, mode).name
    # a page written for another network, opened at this state by its address (see canvases)
    shot = canvas(canvases, f"canvas {label}", view)
    diff = np.abs(shot - expected(net, view, mode))
    assert diff.max() <= 1, f"{label}: max diff {diff.max()} levels"


# glnn render --features x,y,r,bias --activation tanh,sin,relu, the playground at its link and its exported page
NET_AS_DATA = (Network(seed=21, depth=6, width=16, features="x,y,r,bias", activation="tanh,sin,relu"),
               View(48, 32, (0.1, -0.2), 1.5))


@needs_chromium
def test_features_and_activation_lists_render_playground_and_page_agree(canvases, run_glnn, tmp_path):
    net, view = NET_AS_DATA
    r = run_glnn("render", "--seed", "21", "--depth", "6", "--width", "16", "--features", "x,y,r,bias",
                 "--activation", "tanh,sin,relu", "--center", "0.1,-0.2", "--extent", "1.5", "--size", "48x32",
                 "--out", "r.png")
    assert r.returncode == 0, r.stderr
    from PIL import Image
    want = np.asarray(Image.open(tmp_path / "r.png").convert("RGB")).astype(int)
    assert np.abs(want - expected(net, view)).max() <= 1   # the same network as the Python above
    for key in ("as data: playground", "as data: page"):
        diff = np.abs(canvas(canvases, key, view) - want)
        print(f"{key}: max {diff.max()} levels from glnn render", file=sys.stderr)
        assert diff.max() <= 2, f"{key}: max diff {diff.max()} levels"


@needs_chromium
def test_page_opens_at_the_flags_and_shows_the_command(run_glnn, tmp_path):
    r = run_glnn("playground", "p.html", "--seed", "6", "--depth", "5", "--width", "9", "--center", "0.5,0.25",
                 "--extent", "1.5", "--color", "hsv")
    assert r.returncode == 0, r.stderr
    net, view = Network(seed=6, depth=5, width=9), View(40, 30, (0.5, 0.25), 1.5)
    # one launch: the page's canvas (#bare), and its command and error 3 s after it shows one (the page alone)
    page = (tmp_path / "p.html").read_text()
    (tmp_path / "shot.html").write_text(page.replace("</body>", chromium.canvas_reporter(
        "window.glnnPlayground && glnnPlayground.view && glnnPlayground.view.gl") + "</body>", 1))
    (tmp_path / "words.html").write_text(page.replace("</body>", chromium.result_reporter(
        '(r => r && r.dataset.command ? {command: r.dataset.command, error: r.dataset.error} : undefined)'
        '(document.getElementById("glnn"))', settle_ms=3000) + "</body>", 1))
    reports = chromium.frames(tmp_path, [("shot", (tmp_path / "shot.html").as_uri() + "#bare&size=40x30", 40, 30),
                                         ("words", (tmp_path / "words.html").as_uri() + "#size=40x30",
                                          800, 600 - chromium.CHROME_BAR)])
    shot = chromium.pixels(reports["shot"])
    assert shot.shape == (30, 40, 3), shot.shape
    assert np.abs(shot.astype(int) - expected(net, view, "hsv")).max() <= 1
    words = reports["words"]["result"]
    assert words["command"] == Recipe(net, view, "hsv").command(out="picture.png"), words
    assert words["error"] == "", words


HARNESS = """
<script type="module">
const wait = () => new Promise(r => setTimeout(r, 50));
// a condition, polled with a deadline (in the launch's virtual time) instead of a fixed number of waits
const until = async (done, what) => {
  for (let i = 0; i < 400; i++) { if (done()) return; await wait(); }
  throw new Error("waited 20 s for " + what);
};
while (!window.glnnPlayground) await wait();
const g = window.glnnPlayground, out = {};
try {
%s
} catch (e) { out.error = String(e && e.stack || e); }
document.body.dataset.result = JSON.stringify(out);
</script>
"""


def run_page(tmp_path, recipe, script, hash="#size=40x30", budget_ms=8000):
    page = playground.playground_html(recipe).replace("</body>", HARNESS % script + "</body>", 1)
    path = tmp_path / "h.html"
    path.write_text(page)
    # a launch that ran past its timeout or whose page did not report is made again (chromium.page_result)
    return chromium.page_result(path.as_uri() + hash, 800, 600, budget_ms=budget_ms)


@needs_chromium
def test_save_png_carries_the_recipe(tmp_path, run_glnn):
    net, view = Network(seed=12, depth=6, width=11, activation="relu", scale=1.0), View(40, 30, (0.1, 0.2), 1.25)
    out = run_page(tmp_path, Recipe(net, view, "rgb"), """
      const png = await g.save();
      let s = ""; for (const b of png) s += String.fromCharCode(b);
      out.png = btoa(s);
      out.name = document.querySelector("a[download]") ? "" : "removed";
    """)
    assert "png" in out, out
    (tmp_path / "saved.png").write_bytes(base64.b64decode(out["png"]))
    from PIL import Image
    shot = np.asarray(Image.open(tmp_path / "saved.png").convert("RGB")).astype(int)
    assert np.abs(shot - expected(net, view)).max() <= 1
    r = run_glnn("info", "saved.png")
    assert r.returncode == 0 and Recipe(net, view, "rgb").command() in r.stdout, r.stdout + r.stderr
    r = run_glnn("render", "--from", "saved.png", "--size", "80x60", "--out", "poster.png")
    assert r.returncode == 0, r.stderr
    poster = np.asarray(Image.open(tmp_path / "poster.png").convert("RGB")).astype(int)
    assert np.abs(poster - expected(net, View(80, 60, (0.1, 0.2), 1.25))).max() <= 1


@needs_chromium
def test_dropped_pictures_open_their_recipes_and_back_steps(tmp_path, run_glnn):
    files = {}
    assert run_glnn("render", "--seed", "31", "--depth", "4", "--width", "6", "--activation", "sin", "--center", "1,2",
                    "--size", "8x6", "--out", "a.png").returncode == 0
    assert run_glnn("animate", "--seed", "32", "--depth", "3", "--width", "5", "--inputs", "3", "--sweep", "time:0:1",
                    "--frames", "2", "--size", "8x6", "--out", "a.gif").returncode == 0
    assert run_glnn("animate", "--seed", "33", "--depth", "3", "--width", "5", "--inputs", "3", "--sweep", "time:0:1",
                    "--frames", "2", "--size", "8x6", "--out", "a.webp").returncode == 0
    for ext in ("png", "gif", "webp"):
        files[ext] = base64.b64encode((tmp_path / f"a.{ext}").read_bytes()).decode()
    out = run_page(tmp_path, Recipe(Network(seed=1, depth=2, width=3), View(8, 8), "rgb"), """
      const bytes = b => Uint8Array.from(atob(b), c => c.charCodeAt(0));
      const files = %s;
      const root = document.getElementById("glnn");
      for (const ext of ["png", "gif", "webp"]) {   // each file's recipe is another network: the command changes
        const before = root.dataset.command;
        await g.open(bytes(files[ext]));
        await until(() => root.dataset.command !== before, "the command of the " + ext);
        out[ext] = root.dataset.command;
        out[ext + "_note"] = root.dataset.error;
      }
      out.before = location.hash;
      history.back();
      await until(() => location.hash !== out.before && root.dataset.command !== out.webp, "back");
      out.back = root.dataset.command;
    """ % json.dumps(files))
    assert out["png"].startswith("glnn render --seed 31 --depth 4 --width 6 --activation sin --center 1.0,2.0 "), out
    # glnn embedded the small network's weights: the page says it shows the seed's network
    assert "carries its weights" in out["png_note"], out
    assert out["gif"].startswith("glnn render --seed 32 --depth 3 --width 5 --inputs 3 "), out
    assert out["webp"].startswith("glnn render --seed 33 --depth 3 --width 5 --inputs 3 "), out
    assert out["back"].startswith("glnn render --seed 32 "), out   # back: the GIF's state again


def test_page_size_does_not_grow_with_the_network(tmp_path):
    small = playground.playground_html(Recipe(Network(depth=2, width=1), View(8, 8), "rgb"))
    large = playground.playground_html(Recipe(Network(depth=64, width=512, inputs=16), View(8, 8), "rgb"))
    assert abs(len(large) - len(small)) < 64
    assert len(small) < 400_000


def test_refusals_are_one_line(run_glnn, tmp_path):
    r = run_glnn("export", "n.npz", "--seed", "1", "--depth", "3", "--width", "4") if False else None
    r = run_glnn("playground", "p.html", "--network", "slice.npz")
    assert r.returncode == 2 and "glnn export" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not (tmp_path / "p.html").exists()
    r = run_glnn("playground", "p.png")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    r = run_glnn("playground")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr


@needs_chromium
def test_without_webgl2_the_page_says_so(tmp_path):
    path = tmp_path / "p.html"
    path.write_text(playground.playground_html(Recipe(Network(seed=1, depth=3, width=4), View(8, 8), "rgb"))
                    .replace("<script>", "<script>HTMLCanvasElement.prototype.getContext = () => null;\n", 1))
    dom = chromium.dump_dom(path.as_uri(), 800, 600, budget_ms=3000)
    assert "no WebGL2" in dom and 'data-command="glnn render --seed 1 --depth 3 --width 4 ' in dom, dom[-2000:]


def test_open_hands_the_page_to_the_browser(run_glnn, tmp_path):
    # webbrowser honours $BROWSER: a command given the page's file:// address
    log = tmp_path / "opened.txt"
    r = run_glnn("playground", "p.html", "--open", "-q", env={"BROWSER": f"sh -c 'echo %s > {log}'"})
    assert r.returncode == 0, r.stderr
    assert log.read_text().strip() == (tmp_path / "p.html").as_uri()


def test_open_without_a_browser_says_so_and_where_the_page_is(run_glnn, tmp_path):
    # no browser anywhere (no $BROWSER that runs, no display, nothing on PATH): before, exit 0 and not a word
    empty = tmp_path / "bin"
    empty.mkdir()
    r = run_glnn("playground", "p.html", "--open", "-q",
                 env={"BROWSER": "no-such-browser-glnn", "DISPLAY": "", "WAYLAND_DISPLAY": "", "PATH": str(empty)})
    page = (tmp_path / "p.html").as_uri()
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert r.stderr.strip() == f"glnn playground: no web browser found to open it (set $BROWSER); open {page} in one"
    assert (tmp_path / "p.html").stat().st_size > 100_000   # the page itself is written whole


@needs_chromium
def test_keys_and_view_follow_into_the_command_and_the_address(tmp_path):
    from glnn.app import interaction
    net = Network(seed=40, depth=4, width=6)
    out = run_page(tmp_path, Recipe(net, View(40, 30), "rgb"), """
      const root = document.getElementById("glnn");
      // each step waits for the command to change (a loaded machine draws the full frame it follows late)
      const changed = async before => { for (let i = 0; i < 200 && root.dataset.command === before; i++) await wait(); };
      let before = root.dataset.command;
      dispatchEvent(new KeyboardEvent("keydown", {key: "r"}));   // the window's new_seed (glnn/app/controls.py KEYMAP)
      await changed(before);
      for (let i = 0; i < 10; i++) await wait();
      out.next = before = root.dataset.command;
      // mount() zooms (its keys go to the canvas when the canvas has a fixed size); the playground follows
      root.querySelector("canvas").dispatchEvent(new KeyboardEvent("keydown", {key: "+", bubbles: true}));
      await changed(before);
      for (let i = 0; i < 20; i++) await wait();
      out.zoomed = root.dataset.command;
      out.hash = location.hash;
    """, budget_ms=20000)
    assert out["next"].startswith("glnn render --seed 41 --depth 4 --width 6 --size "), out
    extent = number(1 / interaction.ZOOM_STEP)
    assert f"--seed 41 --depth 4 --width 6 --extent {extent} --size " in out["zoomed"], out
    assert f"extent={extent}" in out["hash"] and "seed=41" in out["hash"], out


SATURATION = [
    ("tanh 6x12", Network(seed=3, depth=6, width=12), View(40, 30, extent=2.0)),
    ("relu 5x10", Network(seed=4, depth=5, width=10, activation="relu"), View(40, 30)),
    ("mix 6x9 at t=0.7", Network(seed=9, depth=6, width=9, activation="mix", inputs=4), View(40, 30, time=0.7)),
    ("sin/gaussian", Network(seed=5, depth=4, width=8, activation="sin"), View(40, 30, extent=3.0)),
    ("gaussian 5x8", Network(seed=6, depth=5, width=8, activation="gaussian", channels=1), View(40, 30)),
]
PROBE_PAGES.update({f"saturation {label}": (view, f"{state_hash(net, view, 'palette:magma')}&probe=saturation")
                    for label, net, view in SATURATION})


@needs_chromium
@pytest.mark.parametrize("label,net,view", SATURATION, ids=[c[0] for c in SATURATION])
def test_saturation_probe_equals_glnn_render(canvases, run_glnn, tmp_path, label, net, view):
    hyper = net.hyperparameters()
    flags = [f"--{k.replace('_', '-')}={v}" for k, v in hyper.items() if v is not None]
    size = f"{view.width}x{view.height}"
    r = run_glnn("render", *flags, f"--center={view.center[0]},{view.center[1]}", "--extent", view.extent,
                 "--time", view.time, "--size", size, "--probe", "saturation", "--backend", "numpy", "--out", "s.png")
    assert r.returncode == 0, r.stderr
    from PIL import Image
    want = np.asarray(Image.open(tmp_path / "s.png").convert("RGB")).astype(int)
    shot = canvas(canvases, f"saturation {label}", view)
    diff = np.abs(shot - want).max(axis=2)
    # within 1 level, but for pixels where a unit's pre-activation sits within float32 and the browser's math
    # (SwiftShader's sin, exp) of its linear part's edge (mix 6 x 9 here: 2 of 1,200 pixels, one unit each)
    assert np.mean(diff > 1) <= 0.005, f"{label}: {np.sum(diff > 1)} pixels off by up to {diff.max()} levels"


UNITS = [
    ("tanh unit 3:5", Network(seed=3, depth=6, width=12), View(40, 30, extent=2.0), "unit:3:5"),
    ("sigmoid unit 1:1", Network(seed=4, depth=3, width=6, activation="sigmoid"), View(40, 30), "unit:1:1"),
    ("mix unit 2:4 (softsign) at t=0.7", Network(seed=9, depth=6, width=9, activation="mix", inputs=4),
     View(40, 30, time=0.7), "unit:2:4"),
    ("tanh units 2 (a sheet)", Network(seed=3, depth=4, width=7), View(90, 60, (0.2, 0.1), 2.0), "units:2"),
    ("gaussian units 1", Network(seed=5, depth=3, width=12, activation="gaussian"), View(70, 50), "units:1"),
]
PROBE_PAGES.update({f"unit {label}": (view, f"{state_hash(net, view, 'gray')}&probe={probe}")
                    for label, net, view, probe in UNITS})


@needs_chromium
@pytest.mark.parametrize("label,net,view,probe", UNITS, ids=[c[0] for c in UNITS])
def test_unit_probe_equals_glnn_render(canvases, run_glnn, tmp_path, label, net, view, probe):
    flags = [f"--{k.replace('_', '-')}={v}" for k, v in net.hyperparameters().items() if v is not None]
    size = f"{view.width}x{view.height}"
    r = run_glnn("render", *flags, f"--center={view.center[0]},{view.center[1]}", "--extent", view.extent,
                 "--time", view.time, "--size", size, "--probe", probe, "--backend", "numpy", "--out", "u.png")
    assert r.returncode == 0, r.stderr
    from PIL import Image
    want = np.asarray(Image.open(tmp_path / "u.png").convert("RGB")).astype(int)
    shot = canvas(canvases, f"unit {label}", view)
    assert np.abs(shot - want).max() <= 1, label


def test_probes_the_playground_does_not_draw_are_refused_in_one_line(run_glnn):
    for probe, flags in (("regions", []), ("units:1", ["--activation", "relu"]), ("unit:1:1", ["--activation", "relu"])):
        r = run_glnn("playground", "p.html", "--depth", "3", "--width", "4", "--probe", probe, *flags)
        assert r.returncode == 2 and "glnn render --probe" in r.stderr and len(r.stderr.strip().splitlines()) == 1, \
            r.stderr


def test_from_a_picture_with_its_seed_weights_opens_and_with_a_files_is_refused(run_glnn, tmp_path):
    # a small network's picture embeds its weights: the seed's own, so the page opens at it
    assert run_glnn("render", "--seed", "3", "--depth", "3", "--width", "4", "--size", "8x6", "--out", "a.png",
                    "-q").returncode == 0
    r = run_glnn("playground", "p.html", "--from", "a.png", "-q")
    assert r.returncode == 0, r.stderr
    assert '"seed":"3","depth":3,"width":4' in (tmp_path / "p.html").read_text()
    # a picture of weights from a file: refused in one line, nothing written
    Network(seed=3, depth=3, width=4).save(str(tmp_path / "f.npz"))
    data = dict(np.load(tmp_path / "f.npz"))
    data["W1"] = data["W1"] * 2
    np.savez(tmp_path / "f.npz", **data)
    assert run_glnn("render", "--network", "f.npz", "--size", "8x6", "--out", "b.png", "-q").returncode == 0
    r = run_glnn("playground", "q.html", "--from", "b.png")
    assert r.returncode == 2 and "glnn export" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not (tmp_path / "q.html").exists()


@needs_chromium
def test_keys_do_the_windows_actions(tmp_path):
    # one key table (glnn/app/controls.py KEYMAP): r / R step the seed as the window's new_seed / prev_seed; Tab is
    # the browser's (it moves the keyboard focus: glnn/web/tables.py BROWSER_KEEPS), the panel stays; n (save the
    # network), p (next probe) and h (help) are the window's and do nothing here; a key held with Ctrl is the browser's
    net = Network(seed=40, depth=4, width=6)
    out = run_page(tmp_path, Recipe(net, View(40, 30), "rgb"), """
      const root = document.getElementById("glnn"), panel = document.querySelector(".glnn-playground");
      const press = async (key, more = {}) => { dispatchEvent(new KeyboardEvent("keydown", {key, ...more})); for (let i = 0; i < 4; i++) await wait(); };
      for (const k of ["n", "p", "h"]) await press(k);
      await press("r", {ctrlKey: true});
      out.ignored = [root.dataset.command, panel.style.display];
      await press("r"); await press("r"); await press("R");
      out.stepped = root.dataset.command;
      await press("Tab");
      out.hidden = panel.style.display;
      out.hint = panel.textContent;
    """)
    assert out["ignored"][0].startswith("glnn render --seed 40 --depth 4 --width 6 "), out
    assert out["ignored"][1] == "", out
    assert out["stepped"].startswith("glnn render --seed 41 --depth 4 --width 6 "), out
    assert out["hidden"] == "", out
    assert "r R: seed" in out["hint"] and "Tab" not in out["hint"], out


@needs_chromium
def test_features_and_activation_fields(tmp_path):
    # the panel's text fields: a features list checked against glnn's table, an activation list or mix-units;
    # the command writer and the address follow, and what glnn would refuse is said and changes nothing
    out = run_page(tmp_path, Recipe(Network(seed=40, depth=4, width=6), View(40, 30), "rgb"), """
      const root = document.getElementById("glnn");
      const field = name => [...document.querySelectorAll(".glnn-playground .row")]
        .find(r => r.querySelector("label").textContent === name).querySelector("input");
      const type = async (name, text) => {
        const before = root.dataset.command + root.dataset.error;
        const f = field(name); f.value = text; f.dispatchEvent(new Event("change"));
        await until(() => root.dataset.command + root.dataset.error !== before, name + " " + text);
      };
      await type("features", "x, y, r, bias");
      await type("activation", "tanh, sin, relu");
      await until(() => location.hash.includes("activation=tanh,sin,relu"), "the address");
      out.command = root.dataset.command;
      out.hash = location.hash;
      await type("features", "x,q");
      out.refused = [root.dataset.error, root.dataset.command];
      await type("activation", "mix-units");
      await until(() => root.dataset.error !== out.refused[0], "the drawing of mix-units");
      out.units = [root.dataset.command, root.dataset.error];
    """)
    assert "error" not in out, out
    net = Network(seed=40, depth=4, width=6, features="x,y,r,bias", activation="tanh,sin,relu")   # mix's defaults
    assert out["command"] == Recipe(net, View(40, 30), "rgb").command(out="picture.png"), out
    assert "&features=x,y,r,bias&activation=tanh,sin,relu&" in out["hash"], out
    assert "features" in out["refused"][0] and out["refused"][1] == out["command"], out
    # a new activation takes its own defaults (mix-units: gain 1.6), as the window's activation keys do
    units = net.replace(activation="mix-units", init=None, scale=None, bias_scale=None, gain=None)
    assert out["units"][0] == Recipe(units, View(40, 30), "rgb").command(out="picture.png")
    assert out["units"][1] == "", out   # the page draws mix-units
