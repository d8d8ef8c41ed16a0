"""The figures' gallery, live (issue 21 item 4), in headless Chromium: a network figure's "play it live" opens
the playground beside it at the figure's panel, its slider steps through the panels' own values, and each step is
a playground link whose picture is the panel's (within 1 level of glnn's numpy reference). `glnn export site DIR`
writes the gallery and the playground together; without WebGL2 the pictures stay."""
import html
import json
import re

import numpy as np
import pytest

import chromium
from glnn.model import colour
from glnn.article import figures, live_gallery
from glnn.backends import reference

needs_chromium = pytest.mark.needs("chromium")   # tests/conftest.py: skips where missing, fails under CI=true

CLICK = """<script type="module">
const wait = ms => new Promise(r => setTimeout(r, ms));
const out = {ready: document.body.dataset.liveReady};
const figure = document.getElementById("fig09");
figure.querySelector(".live-on").click();
const slider = figure.querySelector("input[type=range]"), frame = figure.querySelector("iframe");
out.first = frame.getAttribute("src");
slider.value = 3;
slider.dispatchEvent(new Event("input"));
out.label = figure.querySelector(".live label").textContent;
out.src = frame.getAttribute("src");
out.hidden = Array.from(figure.querySelectorAll("img")).every(i => i.hidden);
document.body.dataset.result = JSON.stringify(out);
</script>
</body>"""


@needs_chromium
def test_a_figure_plays_live_with_its_slider_and_the_link_is_the_panel(tmp_path, run_glnn):
    r = run_glnn("export", "site", "site", "--only", "9", "--depth", "5", "-q")
    assert r.returncode == 0, r.stderr
    site = tmp_path / "site"
    assert (site / "playground.html").is_file() and (site / "fig09.png").is_file()
    fig9 = figures.RECIPES[8]
    data = live_gallery.live_data(fig9, figures.panel_recipe)
    assert data["param"] == "depth" and data["labels"] == [str(d) for d in range(1, 11)]
    page = site / "index.html"
    page.write_text(page.read_text().replace("</body>", CLICK, 1))
    dom = chromium.dump_dom(page.as_uri(), 1000, 800, budget_ms=3000)
    m = re.search(r'data-result="([^"]*)"', dom)
    assert m, dom[-2000:]
    out = json.loads(html.unescape(m.group(1)))
    assert out["ready"] == "1" and out["hidden"], out   # WebGL2 here (SwiftShader): the one figure can play
    assert out["first"] == live_gallery.PLAYGROUND + data["hashes"][0]
    assert out["src"] == live_gallery.PLAYGROUND + data["hashes"][3] and out["label"] == "depth 4", out
    # the link at the slider's 4th step draws the panel "seed 1, depth 4" of figure 9
    w, h = data["size"]
    shot = chromium.screenshot((site / "playground.html").as_uri() + data["hashes"][3], w, h).astype(int)
    recipe = figures.panel_recipe(fig9.panel_specs()[3], (w, h))
    assert recipe.network.depth == 4 and recipe.network.seed == 1
    want = colour.to_uint8(reference.evaluate(recipe.network, recipe.view), recipe.colour).astype(int)
    assert np.abs(shot - want).max() <= 1


@needs_chromium
def test_without_webgl2_the_pictures_stay(tmp_path, run_glnn):
    r = run_glnn("figures", "--only", "20", "--out", "figs", "-q", "--resolution-scale", "0.3")
    assert r.returncode == 0, r.stderr
    page = tmp_path / "figs" / "index.html"
    dom = chromium._run(["--disable-webgl", "--dump-dom", page.as_uri()], 120).stdout
    assert 'data-live-ready="no webgl2"' in dom
    assert "<iframe" not in dom and re.search(r'<button class="live-on" hidden', dom)


def test_every_network_figure_can_play_and_the_named_ones_have_their_slider():
    params = {}
    for r in figures.RECIPES:
        data = live_gallery.live_data(r, figures.panel_recipe)
        assert (data is None) == (r.kind == "plot" or any(s.get("probe") for s in r.panel_specs())), r.number
        if data:
            params[r.number] = data["param"]
            assert len(data["hashes"]) == len(data["labels"]) >= 1
    assert {n: params[n] for n in (2, 9, 10, 15, 18, 19, 20)} == {
        2: "time", 9: "depth", 10: "depth", 15: "width", 18: "extent", 19: "scale", 20: "scale"}
