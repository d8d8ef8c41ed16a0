"""The page's front end (glnn/web/glnn_view.js) in headless Chromium takes its interaction constants from the
spec (webgl.page_spec()'s `interaction`, glnn/app/interaction.py's values): a spec with other values zooms, steps
time and draws drafts by those values, so the front end has none of its own."""
import json
import re

import numpy as np
import pytest

import chromium
from glnn import Network, View
from glnn.app import interaction
from glnn.web import webgl
from glnn.web.bundle import bundle
from glnn.io.recipe import Recipe

needs_chromium = pytest.mark.needs("chromium")   # tests/conftest.py: skips where missing, fails under CI=true

SIDE = 60
HARNESS = """<!DOCTYPE html><html><head><style>body{margin:0;background:#000}
.v{position:absolute;top:0;width:%(side)dpx;height:%(side)dpx}</style></head><body>
<div class="v" id="a" style="left:0"></div><div class="v" id="b" style="left:%(side)dpx"></div>
<script type="text/plain" id="esm">%(esm)s</script>
<script type="module">
const url = URL.createObjectURL(new Blob([document.getElementById("esm").textContent], {type: "text/javascript"}));
const {mount} = await import(url);
const specs = %(specs)s;
const views = specs.map((s, i) => mount(document.getElementById("ab"[i]), s,
                                        {bare: true, fixedSize: [%(side)d, %(side)d]}));
const key = (v, k) => v.canvas.dispatchEvent(new KeyboardEvent("keydown", {key: k, bubbles: true}));
const out = [];
for (const v of views) {
  // all synchronous (mount drew a full frame; the frames keys ask for come later): keys, then, as if a full
  // frame took 1 s, one wheel notch, which draws a draft at once, read back before anything else is drawn
  key(v, "+"); key(v, "."); key(v, "."); key(v, ",");
  v.state.frameMs = 1000;
  const r = v.canvas.getBoundingClientRect();
  v.canvas.dispatchEvent(new WheelEvent("wheel", {deltaY: 100, clientX: r.left + r.width / 2,
                                                  clientY: r.top + r.height / 2, bubbles: true, cancelable: true}));
  const px = new Uint8Array(4 * %(side)d * %(side)d);
  v.gl.readPixels(0, 0, %(side)d, %(side)d, v.gl.RGBA, v.gl.UNSIGNED_BYTE, px);
  out.push({view: v.view(), pixels: Array.from(px)});
}
document.body.dataset.result = JSON.stringify(out);
</script></body></html>
"""


def block_size(img: np.ndarray) -> int:
    """The largest k <= 16 for which the picture (rows from the bottom, as GL reads them) is constant on
    k x k blocks from its bottom-left corner."""
    img = img.astype(int)
    best = 1
    for k in range(2, 17):
        h, w = (img.shape[0] // k) * k, (img.shape[1] // k) * k
        blocks = img[:h, :w].reshape(h // k, k, w // k, k, -1)
        if (blocks == blocks[:, :1, :, :1]).all():
            best = k
    return best


@needs_chromium
def test_front_end_zooms_steps_time_and_drafts_by_the_spec(tmp_path):
    net = Network(seed=12, depth=3, width=8, inputs=4)
    spec = webgl.page_spec(Recipe(net, View(SIDE, SIDE, (0.2, 0.1), 1.5, 0.8), "rgb"))
    assert spec["interaction"] == interaction.page_constants()
    mine = dict(zoom_step=3.0, scroll_step=5.0, wheel_notch_pixels=100, time_step=0.25, time_speed=7.0, draft_budget_s=0.1, settle_s=1e4)
    # a 1 s frame against a 0.1 s budget: drafts of ceil(sqrt(10)) = 4 pixels a side, or draft_max_factor if less
    # (the old built-in 30 ms would give 6)
    specs = [dict(spec, interaction=dict(spec["interaction"], **mine, draft_max_factor=16)),
             dict(spec, interaction=dict(spec["interaction"], **mine, draft_max_factor=3))]
    path = tmp_path / "interaction.html"
    path.write_text(HARNESS % dict(side=SIDE, esm=bundle("glnn_view.js").replace("</", "<\\/"),
                                   specs=json.dumps(specs).replace("</", "<\\/")))
    dom = chromium.dump_dom(path.as_uri(), 500, 300, budget_ms=3000)
    found = re.search(r'data-result="([^"]*)"', dom)
    assert found, dom[-1500:]
    results = json.loads(found.group(1).replace("&quot;", '"'))
    for result, draft in zip(results, (4, 3)):
        view = result["view"]
        assert view["extent"] == pytest.approx(1.5 / 3.0 * 5.0)   # "+" by zoom_step, one wheel notch by scroll_step
        assert view["time"] == pytest.approx(0.8 + 0.25)           # ". . ," by time_step
        assert view["center"] == pytest.approx([0.2, 0.1])         # both about the canvas's centre
        pixels = np.array(result["pixels"], np.uint8).reshape(SIDE, SIDE, 4)
        assert pixels.std() > 5
        assert block_size(pixels) == draft
