"""The page, the Shadertoy export and the widget in headless Chromium (WebGL2 on SwiftShader), and glnn export
through the real console entry."""
import json
import re

import numpy as np
import pytest

import chromium
import glnn
from glnn import Network, View
from glnn.model import colour
from glnn.app import interaction
from glnn.web import webgl
from glnn.backends import reference
from glnn.web.export import export
from glnn.io.recipe import Recipe

needs_chromium = pytest.mark.needs("chromium")   # tests/conftest.py: skips where missing, fails under CI=true


def write_page(tmp_path, net, view, mode=None, name="p.html"):
    path = tmp_path / name
    export(Recipe(net, view, colour.mode_for(net.channels, mode).name), str(path))
    return path


BROWSER_CASES = [
    ("27x30", Network(seed=3, depth=27, width=30, scale=0.6), View(160, 90, extent=2.6)),
    ("7 inputs at t=1.3", Network(seed=4, depth=6, width=20, inputs=7), View(120, 60, (0.3, -0.2), 1.5, 1.3)),
    ("one channel relu", Network(seed=5, depth=5, width=16, channels=1, activation="relu"), View(120, 60)),
    ("14x400", Network(seed=6, depth=14, width=400, scale=0.5), View(24, 16)),
    ("features x,y,r,bias, tanh,sin,relu, 5 inputs", Network(seed=8, depth=7, width=14, inputs=5, features="x,y,r,bias",
                                                             activation="tanh,sin,relu"), View(120, 60, time=0.6)),
    ("mix-units, 14 units", Network(seed=9, depth=6, width=14, activation="mix-units"), View(120, 60)),
]


WIDGET_HARNESS = """<!DOCTYPE html><html><head><style>body{margin:0;background:#000}</style></head><body>
<div id="w"></div>
<script type="text/plain" id="esm">%(esm)s</script>
<script type="module">
// anywidget's model API, stood in: get / set / on / save_changes
const data = {spec: %(spec)s, view: null};
const handlers = {};
const model = {
  get: k => data[k],
  set: (k, v) => { data[k] = v; (handlers["change:" + k] || []).forEach(f => f()); },
  on: (e, f) => { (handlers[e] = handlers[e] || []).push(f); },
  save_changes: () => { document.body.dataset.saved = JSON.stringify(data.view); },
};
const url = URL.createObjectURL(new Blob([document.getElementById("esm").textContent], {type: "text/javascript"}));
const widget = (await import(url)).default;
const el = document.getElementById("w");
widget.render({model, el});
if (location.hash === "#zoom") {
  const canvas = el.querySelector("canvas");
  canvas.dispatchEvent(new KeyboardEvent("keydown", {key: "+", bubbles: true}));
}
</script></body></html>
"""


def expected(net, view, mode=None):
    """What glnn render writes: the reference through the colour stage, 8-bit, as RGB."""
    out = colour.to_uint8(reference.evaluate(net, view), mode).astype(int)
    return np.repeat(out, 3, axis=2) if out.shape[2] == 1 else out


def test_export_cli_writes_both(run_glnn, tmp_path):
    r = run_glnn("export", "p.html", "--seed", "3", "--depth", "5", "--width", "12", "--extent", "2", "--time", "0.5")
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "p.html").read_text()
    assert text.startswith("<!DOCTYPE html>")
    assert '"command":[["glnn","render","--seed","3","--depth","5","--width","12"]' in text
    r = run_glnn("export", "n.glsl", "--seed", "3", "--depth", "5", "--width", "12", "--inputs", "4")
    assert r.returncode == 0, r.stderr
    assert "mainImage" in (tmp_path / "n.glsl").read_text()


def test_export_from_a_picture_keeps_its_view(run_glnn, tmp_path):
    assert run_glnn("render", "--seed", "6", "--depth", "4", "--width", "8", "--center", "0.5,0.25", "--extent", "3",
                    "--size", "32x24", "--out", "a.png").returncode == 0
    r = run_glnn("export", "a.html", "--from", "a.png")
    assert r.returncode == 0, r.stderr
    spec_text = re.search(r'id="glnn-spec">(.*?)</script>', (tmp_path / "a.html").read_text(), re.S).group(1)
    spec = json.loads(spec_text.replace("<\\/", "</"))
    assert spec["center"] == [0.5, 0.25] and spec["extent"] == 3.0
    assert spec["command"][0][:4] == ["glnn", "render", "--seed", "6"]


@pytest.fixture(scope="module")
def page_canvases(tmp_path_factory):
    """BROWSER_CASES' exported pages (#bare&size=WxH), read in one Chromium launch, each in a frame of its own:
    {label: (h, w, 3) uint8 of its canvas (gl.readPixels), or the page's error text}."""
    folder = tmp_path_factory.mktemp("page_canvases")
    pages = []
    for i, (label, net, view) in enumerate(BROWSER_CASES):
        path = write_page(folder, net, view, name=f"p{i}.html")
        path.write_text(path.read_text().replace(
            "</body>", chromium.canvas_reporter("window.glnn && window.glnn.gl") + "</body>", 1))
        pages.append((label, f"{path.as_uri()}#bare&size={view.width}x{view.height}", view.width, view.height))
    return chromium.frames_pixels(folder, pages)


@needs_chromium
@pytest.mark.parametrize("label,net,view", BROWSER_CASES, ids=[c[0] for c in BROWSER_CASES])
def test_page_in_chromium_matches_glnn_render(page_canvases, label, net, view):
    shot = page_canvases[label]
    assert not isinstance(shot, str), f"{label}: {shot}"
    assert shot.shape == (view.height, view.width, 3), shot.shape
    diff = np.abs(shot.astype(int) - expected(net, view))
    assert diff.max() <= 2, f"{label}: max diff {diff.max()} levels"


@needs_chromium
def test_page_follows_the_window_and_shows_the_command(tmp_path):
    net = Network(seed=7, depth=4, width=8, inputs=3)
    view = View(800, 800, center=(0.25, 0.0), extent=2.0, time=0.5)
    path = write_page(tmp_path, net, view)
    # the window's viewport, measured by the page itself (as chromium.viewport does, in the same launch)
    path.write_text(path.read_text().replace(
        "</body>", '<script>document.body.dataset.viewport = innerWidth + "x" + innerHeight;</script></body>', 1))
    dom = chromium.dump_dom(path.as_uri(), 640, 480)
    w, h = (int(x) for x in re.search(r'data-viewport="(\d+)x(\d+)"', dom).groups())
    assert f'data-drawn="{w}x{h}"' in dom, dom[-2000:]   # the canvas is the window's viewport, drawn at its size
    assert '<textarea class="glnn-command"' in dom
    # the HUD's command is glnn's own, with the canvas's size
    want = Recipe(net, View(w, h, (0.25, 0.0), 2.0, 0.5), "rgb").command(out="picture.png")
    ids = re.search(r'data-command="([^"]*)"', dom)
    assert ids and ids.group(1).replace("&#39;", "'") == want, (ids and ids.group(1), want)


@needs_chromium
def test_shadertoy_in_chromium_matches_glnn_render(tmp_path):
    net = Network(seed=9, depth=5, width=12, inputs=5)
    view = View(100, 50, center=(0.1, 0.1), extent=1.5)
    code = webgl.shadertoy_source(Recipe(net, view, "rgb"))
    page_path = tmp_path / "st.html"
    page_path.write_text(chromium.shadertoy_page(code, 100, 50, time=2.0, mouse=(60, 30, 50, 26)).replace(
        "</body>", chromium.canvas_reporter(
            'document.body.dataset.result !== undefined && document.getElementById("c").getContext("webgl2")')
        + "</body>", 1))
    report = chromium.frames(tmp_path, [("st", page_path.as_uri(), 500, 300 - chromium.CHROME_BAR)])["st"]
    shot = chromium.pixels(report)
    assert shot.shape == (50, 100, 3), shot.shape
    s = 2 * 1.5 / 50
    want = expected(net, View(100, 50, (0.1 - 10 * s, 0.1 - 4 * s), 1.5, 2.0))
    assert np.abs(shot.astype(int) - want).max() <= 2
    assert report["result"].startswith("ok"), report["result"]


@needs_chromium
def test_widget_front_end_with_a_stand_in_model(tmp_path):
    pytest.importorskip("anywidget")
    net = Network(seed=12, depth=6, width=14, inputs=4)
    w = glnn.show(net, size=(120, 60), center=(0.2, 0.1), extent=1.5, time=0.8, hud=False)
    page = WIDGET_HARNESS % dict(esm=w._esm.replace("</", "<\\/"), spec=json.dumps(w.spec))
    # one launch: the widget's canvas, and (#zoom) the view it saves after "+", 2 s after its first save
    (tmp_path / "widget.html").write_text(page.replace("</body>", chromium.canvas_reporter(
        'document.querySelector("#w canvas") && document.querySelector("#w canvas").getContext("webgl2")')
        + "</body>", 1))
    (tmp_path / "zoom.html").write_text(page.replace("</body>", chromium.result_reporter(
        "document.body.dataset.saved", settle_ms=2000) + "</body>", 1))
    frame = (500, 300 - chromium.CHROME_BAR)
    reports = chromium.frames(tmp_path, [("widget", (tmp_path / "widget.html").as_uri(), *frame),
                                         ("zoom", (tmp_path / "zoom.html").as_uri() + "#zoom", *frame)])
    shot = chromium.pixels(reports["widget"])
    assert shot.shape == (60, 120, 3), shot.shape
    assert np.abs(shot.astype(int) - expected(net, View(120, 60, (0.2, 0.1), 1.5, 0.8))).max() <= 2
    view = json.loads(reports["zoom"]["result"])
    assert view["extent"] == pytest.approx(1.5 / interaction.ZOOM_STEP) and view["size"] == [120, 60]
