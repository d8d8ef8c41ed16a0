"""The page's front end (glnn/web/glnn_view.js) in headless Chromium takes its interaction constants from the
spec (webgl.page_spec()'s `interaction`, glnn/interaction.py's values): a spec with other values zooms, steps
time and draws drafts by those values, so the front end has none of its own."""
import json
import os
import re

import numpy as np
import pytest

import chromium
from glnn import Network, View, interaction, webgl
from glnn.export import web_asset
from glnn.recipe import Recipe

needs_chromium = pytest.mark.skipif(chromium.binary() is None and bool(os.environ.get("CI_ALLOW_NO_CHROMIUM")),
                                    reason="no chromium and CI_ALLOW_NO_CHROMIUM is set")

SIDE = 60
HARNESS = """<!DOCTYPE html><html><head><style>body{margin:0;background:#000}
.v{position:absolute;top:0;width:%(side)dpx;height:%(side)dpx}</style></head><body>
<div class="v" id="a" style="left:0"></div><div class="v" id="b" style="left:%(side)dpx"></div>
<script type="text/plain" id="esm">%(esm)s</script>
<script type="module">
const url = URL.createObjectURL(new Blob([document.getElementById("esm").textContent], {type: "text/javascript"}));
const {mount} = await import(url);
const specs = %(specs)s;
const views = specs.map((s, i) => mount(document.getElementById("ab"[i]), s, {bare: true, fixedSize: [%(side)d, %(side)d]}));
// the first full frames (mount's, the resize observer's) are done before any input
await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 200))));
const key = (v, k) => v.canvas.dispatchEvent(new KeyboardEvent("keydown", {key: k, bubbles: true}));
for (const v of views) {
  // #keys: keys, then the wheel (their full frames may come later); #draft: the wheel alone, as if a full
  // frame took 1 s, so it draws a draft, kept (settle_s is long)
  if (location.hash === "#keys") { key(v, "+"); key(v, "."); key(v, "."); key(v, ","); }
  v.state.frameMs = 1000;
  const r = v.canvas.getBoundingClientRect();
  v.canvas.dispatchEvent(new WheelEvent("wheel", {deltaY: 1, clientX: r.left + r.width / 2,
                                                  clientY: r.top + r.height / 2, bubbles: true, cancelable: true}));
}
document.body.dataset.views = JSON.stringify(views.map(v => v.view()));
</script></body></html>
"""


def block_size(img: np.ndarray) -> int:
    """The largest k <= 16 for which the picture is constant on k x k blocks from its bottom-left corner."""
    flipped = img[::-1].astype(int)
    best = 1
    for k in range(2, 17):
        h, w = (flipped.shape[0] // k) * k, (flipped.shape[1] // k) * k
        blocks = flipped[:h, :w].reshape(h // k, k, w // k, k, 3)
        if (blocks == blocks[:, :1, :, :1]).all():
            best = k
    return best


@needs_chromium
def test_front_end_zooms_steps_time_and_drafts_by_the_spec(tmp_path):
    net = Network(seed=12, depth=3, width=8, inputs=4)
    spec = webgl.page_spec(Recipe(net, View(SIDE, SIDE, (0.2, 0.1), 1.5, 0.8), "rgb"))
    assert spec["interaction"] == interaction.page_constants()
    mine = dict(zoom_step=3.0, scroll_step=5.0, time_step=0.25, time_speed=7.0, draft_budget_s=0.1, settle_s=1e4)
    # a 1 s frame against a 0.1 s budget: drafts of ceil(sqrt(10)) = 4 pixels a side, or draft_max_factor if less
    specs = [dict(spec, interaction=dict(spec["interaction"], **mine, draft_max_factor=16)),
             dict(spec, interaction=dict(spec["interaction"], **mine, draft_max_factor=3))]
    path = tmp_path / "interaction.html"
    path.write_text(HARNESS % dict(side=SIDE, esm=web_asset("glnn_view.js").replace("</", "<\\/"),
                                   specs=json.dumps(specs).replace("</", "<\\/")))
    dom = chromium.dump_dom(path.as_uri() + "#keys", 500, 300, budget_ms=3000)
    found = re.search(r'data-views="([^"]*)"', dom)
    assert found, dom[-1500:]
    for view in json.loads(found.group(1).replace("&quot;", '"')):
        assert view["extent"] == pytest.approx(1.5 / 3.0 * 5.0)   # "+" by zoom_step, one wheel notch by scroll_step
        assert view["time"] == pytest.approx(0.8 + 0.25)           # ". . ," by time_step
        assert view["center"] == pytest.approx([0.2, 0.1])         # both about the canvas's centre
    shot = chromium.screenshot(path.as_uri() + "#draft", 2 * SIDE, SIDE)
    assert shot.std() > 5
    assert block_size(shot[:, :SIDE]) == 4
    assert block_size(shot[:, SIDE:]) == 3
