"""The playground's breed mode in headless Chromium (glnn/web/playground_breed.js, docs/lineage.md), driven as a user
drives it: b opens it, a click on a child makes it the parent (the address gains its step), z undoes, a shift-click
on two children crosses them, save PNG writes the parent with its lineage in the recipe, and the link reopens the
same picture. And fidelity: the page's picture of a lineage equals glnn's numpy reference of the network the spec
gives (tests/lineage_spec.py: the weights built from the spec in numpy, loaded into a Network) within 2 levels."""
import base64
import dataclasses
import re
import shlex
import sys

import numpy as np
import pytest
from PIL import Image

import chromium
from glnn import Network, View
from glnn.backends import reference
from glnn.io import metadata
from glnn.io.recipe import Recipe
from glnn.model import colour
from glnn.web import playground
from lineage_spec import bred_network

needs_chromium = pytest.mark.needs("chromium")   # tests/conftest.py: skips where missing, fails under CI=true

HARNESS = """
<script type="module">
const wait = () => new Promise(r => setTimeout(r, 50));
// waits frame by frame: virtual time (--virtual-time-budget) runs ahead of SwiftShader's drawing, frames do not
const frame = () => new Promise(r => requestAnimationFrame(() => r()));
const until = async (done, what) => {
  for (let i = 0; i < 20000; i++) { if (done()) return; await frame(); }
  throw new Error("waited 20000 frames for " + what);
};
while (!window.glnnPlayground) await wait();
const g = window.glnnPlayground, out = {};
try {
%s
} catch (e) {
  out.error = String(e && e.stack || e);
  const b = document.querySelector(".glnn-breed");
  out.error += " | page: " + document.getElementById("glnn").dataset.error + " | breed: " + (b ? JSON.stringify(b.dataset) : "none");
}
document.body.dataset.result = JSON.stringify(out);
</script>
"""


def run_page(tmp_path, recipe, script, hash, budget_ms=100_000_000):
    page = playground.playground_html(recipe).replace("</body>", HARNESS % script + "</body>", 1)
    path = tmp_path / "h.html"
    path.write_text(page)
    return chromium.page_result(path.as_uri() + hash, 520, 420, budget_ms=budget_ms, timeout=300), path


def expected(net, view, mode=None):
    out = colour.to_uint8(reference.evaluate(net, view), mode).astype(int)
    return np.repeat(out, 3, axis=2) if out.shape[2] == 1 else out


def steps_of(text):
    """docs/lineage.md's URL form read in Python (the test's own reader: m and x steps, nested parents)."""
    at = 0

    def steps():
        nonlocal at
        out = []
        while True:
            m = re.compile(r"m:(\d+):([^~()]+)|x:(\d+):(layer|unit):(\d+)").match(text, at)
            assert m, text[at:]
            at = m.end()
            if m.group(1):
                out.append(["m", int(m.group(1)), float(m.group(2))])
            else:
                nested = []
                if text[at:at + 1] == "(":
                    at += 1
                    nested = steps()
                    assert text[at] == ")"
                    at += 1
                out.append(["x", int(m.group(3)), m.group(4), {"seed": int(m.group(5)), "lineage": nested}])
            if text[at:at + 1] != "~":
                return out
            at += 1
    return steps()


NET = Network(seed=3, depth=12, width=30)   # glnn's default network: 12 x 30 tanh
VIEW = View(80, 60)


def bred_python(net, steps):
    """glnn's own Network of `net` with the lineage `steps` (JSON form)."""
    from glnn.model import lineage
    return net.replace(lineage=lineage.parse(steps))


@needs_chromium
def test_breed_mode_as_a_user(tmp_path):
    out, path = run_page(tmp_path, Recipe(NET, VIEW, "rgb"), """
      const root = document.getElementById("glnn");
      const press = key => dispatchEvent(new KeyboardEvent("keydown", {key}));
      const box = () => document.querySelector(".glnn-breed");
      const settled = () => box() && box().dataset.pending === "0" && box().dataset.children;
      // the window's b and B (tables.keys: breed_child, breed_back) do the same here, breed mode closed
      const start = location.hash;
      press("b");
      await until(() => location.hash.includes("lineage=m:"), "b: a child");
      out.windowChild = location.hash;
      press("B");
      await until(() => location.hash === start, "B: back to its parent");
      const t0 = performance.now();
      press("g");
      await until(settled, "the first generation");
      out.firstMs = performance.now() - t0;
      out.stats = {frames: g.breed.stats.frames, tiles: g.breed.stats.tiles, maxPerFrame: g.breed.stats.maxPerFrame,
                   childMs: g.breed.stats.childMs.slice()};
      out.children = box().dataset.children.split(",");
      out.before = location.hash;
      document.querySelector('[data-child="2"]').click();
      await until(() => location.hash.includes("lineage="), "the lineage in the address");
      out.picked = location.hash;
      await until(settled, "the second generation");
      press("z");
      await until(() => !location.hash.includes("lineage="), "undo");
      out.undone = location.hash;
      press("Z");
      await until(() => location.hash === out.picked, "redo");
      await until(settled, "the generation after redo");
      out.children2 = box().dataset.children.split(",");
      const shift = k => document.querySelector(`[data-child="${k}"]`)
        .dispatchEvent(new MouseEvent("click", {shiftKey: true, bubbles: true}));
      shift(0); shift(5);
      await until(() => location.hash.includes("~x:"), "the crossover in the address");
      out.crossed = location.hash;
      out.command = root.dataset.command;
      await until(() => g.view && g.view.gl, "the view");
      await until(settled, "the crossed parent's children");
      for (let i = 0; i < 10; i++) await wait();
      const png = await g.save();
      let s = ""; for (const b of png) s += String.fromCharCode(b);
      out.png = btoa(s);
      out.ancestors = document.querySelectorAll("[data-ancestor]").length;
      out.error = root.dataset.error || undefined;
    """, "#size=80x60")
    assert "error" not in out or not out["error"], out["error"]
    stats = out["stats"]
    # (times under --virtual-time-budget are virtual: the frames and tiles are what this launch can say)
    print(f"breed: first generation over {stats['frames']} frames, at most {stats['maxPerFrame']} tiles a frame",
          file=sys.stderr)
    assert stats["maxPerFrame"] <= 2 and stats["frames"] >= 5, stats   # drawn progressively: 1 parent + 8 children
    assert len(set(out["children"])) == 8 and all(0 <= int(c) <= 999999 for c in out["children"]), out["children"]
    assert "lineage=" not in out["before"], out
    assert re.search(r"&lineage=m:\d+:0\.3$", out["windowChild"]), out["windowChild"]   # the window's strength
    seed2 = out["children"][2]
    assert out["picked"].endswith(f"&lineage=m:{seed2}:0.3"), out["picked"]
    assert "lineage=" not in out["undone"] and "seed=3&" in out["undone"], out
    crossed = steps_of(re.search(r"lineage=([^&]*)", out["crossed"]).group(1))
    c = out["children2"]
    assert crossed[:2] == [["m", int(seed2), 0.3], ["m", int(c[0]), 0.3]], crossed
    assert crossed[2][0] == "x" and crossed[2][2] == "unit" and 0 <= crossed[2][1] <= 999999, crossed
    assert crossed[2][3] == {"seed": 3, "lineage": [["m", int(seed2), 0.3], ["m", int(c[5]), 0.3]]}, crossed
    text = re.search(r"lineage=([^&]*)", out["crossed"]).group(1)
    assert out["command"] == f"glnn render --seed 3 --lineage {shlex.quote(text)} --size 80x60 --out picture.png", \
        out["command"]
    assert out["ancestors"] >= 2, out
    # the saved PNG: the parent, its recipe's lineage the address's
    (tmp_path / "saved.png").write_bytes(base64.b64decode(out["png"]))
    recipe = metadata.read_recipe_json(str(tmp_path / "saved.png"))
    assert recipe["lineage"] == crossed, recipe
    saved = np.asarray(Image.open(tmp_path / "saved.png").convert("RGB")).astype(int)
    want = expected(bred_network(NET, crossed), VIEW)
    # glnn render --from the page's PNG: the same child (glnn's own reading of its recipe, lineage and all)
    from glnn.io.recipe import read_recipe
    from glnn.rendering.pipeline import raw
    again = read_recipe(tmp_path / "saved.png")
    assert again.network.lineage and again.network == bred_python(NET, crossed), again.network
    from glnn.model.colour import to_uint8
    redrawn = to_uint8(raw(dataclasses.replace(again, backend="numpy")), "rgb").astype(int)
    assert np.abs(redrawn - saved).max() <= 2, np.abs(redrawn - saved).max()
    assert np.abs(saved - want).max() <= 2, np.abs(saved - want).max()
    # the link reopened (a fresh page at the address): the same parent picture
    hash = out["crossed"].replace("#size=80x60&", "#bare&size=80x60&")
    # read once the page has its lineage and has drawn a full frame of it (a frame before it would be the seed's)
    ready = ('window.glnnPlayground && glnnPlayground.view && document.getElementById("glnn").dataset.command'
             ' && document.getElementById("glnn").dataset.command.includes("--lineage")'
             ' && document.getElementById("glnn").dataset.drawn && glnnPlayground.view.gl')
    # a fresh page (not the one above, whose script would breed again), opened at the address
    (tmp_path / "shot.html").write_text(playground.playground_html(Recipe(NET, VIEW, "rgb")).replace(
        "</body>", chromium.canvas_reporter(ready) + "</body>", 1))
    shot = chromium.frames_pixels(tmp_path, [("link", (tmp_path / "shot.html").as_uri() + hash, 80, 60)])["link"]
    assert not isinstance(shot, str), shot
    diff = np.abs(shot.astype(int) - saved)
    print(f"breed: the link reopened: max {diff.max()} levels from the saved PNG; saved PNG vs numpy spec: "
          f"{np.abs(saved - want).max()}", file=sys.stderr)
    assert diff.max() <= 1, diff.max()


FIDELITY = [
    ("tanh 12x30, docs' example", Network(seed=3, depth=12, width=30), View(64, 48, extent=1.5),
     "m:31:0.3~m:907:0.3~x:4:unit:12(m:5:0.3)"),
    ("mix 7x10, 4 inputs, t=1.1", Network(seed=8, depth=7, width=10, inputs=4, activation="mix"),
     View(64, 48, (0.2, -0.1), 1.5, 1.1), "m:2:0.6~x:77:layer:41(m:9:0.2)~m:999999:0.25"),
    ("relu 6x16 gray, S = 1", Network(seed=5, depth=6, width=16, channels=1, activation="relu"), View(64, 48),
     "m:11:1.0~m:12:0.5"),
]


@needs_chromium
def test_page_draws_a_lineage_as_the_spec_says(tmp_path):
    path = tmp_path / "play.html"
    path.write_text(playground.playground_html(Recipe(Network(seed=99, depth=2, width=3), View(8, 8), "rgb"))
                    .replace("</body>", chromium.canvas_reporter(
                        "window.glnnPlayground && glnnPlayground.view && glnnPlayground.view.gl") + "</body>", 1))
    frames = []
    for label, net, view, text in FIDELITY:
        mode = colour.mode_for(net.channels, None).name
        words = playground.state_hash(Recipe(net, view, mode))[1:]
        frames.append((label, f"{path.as_uri()}#bare&size={view.width}x{view.height}&{words}&lineage={text}",
                       view.width, view.height))
    shots = chromium.frames_pixels(tmp_path, frames)
    for label, net, view, text in FIDELITY:
        shot = shots[label]
        assert not isinstance(shot, str), (label, shot)
        want = expected(bred_network(net, steps_of(text)), view)
        plain = expected(net, view)
        diff = np.abs(shot.astype(int) - want)
        print(f"{label}: max {diff.max()} levels from the spec's network (the seed's own differs by "
              f"{np.abs(plain - want).max()})", file=sys.stderr)
        assert diff.max() <= 2, (label, diff.max())
        assert np.abs(plain - want).max() > 10, label   # the lineage changed the picture
