"""The figures' gallery, live: each network figure of `glnn figures`' index.html can be played in the playground
(glnn/web/playground.py) beside it, with the figure's own parameter as a slider.

The gallery stays a page of pictures; a "live" button (only where the browser has WebGL2, so the PNG is what
a browser without it shows) swaps a figure's pictures for the playground (DIR/playground.html, in an iframe,
#bare at the panel's size) opened at the figure's first panel. Where the figure's panels step one parameter
(depth in figures 9, 10 and 14, width in 15, extent in 18, scale in 19, seed in 7 and 8; over the sweep of the
animations: time in figure 2, scale in 20), a
slider steps the live view through the panels' values: each value is a playground link (state_hash), so the
pictures are the panels' own. The playground follows a changed #... without a reload.
"""
from __future__ import annotations

import json
import math
from typing import List, Optional, Sequence, Tuple

from ..errors import GlnnError
from ..io.html_page import escape
from ..web.playground import check_probe, state_hash

# the parameters a slider may step, in the order tried (a figure's panels that differ in one of them)
SLIDER_FIELDS = ("depth", "width", "extent", "scale", "time", "seed")
STEPS = 33   # an animation (time in figure 2, scale in 20): the slider's positions over its sweep
PLAYGROUND = "playground.html"


def _varying(specs: Sequence[dict]) -> Tuple[Optional[str], List[dict]]:
    """(the slider's field, the panels it steps through): the first SLIDER_FIELDS field whose value differs among
    panels that agree on everything else with the first panel; (None, [first]) when none does."""
    first = specs[0]
    for name in SLIDER_FIELDS:
        same = [s for s in specs if all(s.get(k) == first.get(k) for k in set(s) | set(first) if k != name)]
        values = {repr(s.get(name)) for s in same}
        if len(values) > 1:
            return name, sorted(same, key=lambda s: s.get(name))
    for name in SLIDER_FIELDS:   # one that every panel sets apart, others moving with it (figure 15's scale)
        values = [s.get(name) for s in specs]
        if None not in values and len(set(map(repr, values))) == len(specs) > 1:
            return name, sorted(specs, key=lambda s: s.get(name))
    return None, [first]


def _sweep(sweeps: Sequence[str]) -> Optional[Tuple[str, float, float]]:
    """An animation's first sweep of a real-valued slider field: (name, from, to)."""
    for sweep in sweeps:
        parts = sweep.split(":")
        if parts[0] in ("time", "extent", "scale") and len(parts) == 3:
            return parts[0], float(parts[1]), float(parts[2])
    return None


def live_data(figure, panel_recipe) -> Optional[dict]:
    """What the gallery's script needs to play one figure live: {"param", "labels", "hashes", "size"}; None for
    a figure the playground cannot show (plots, probes it does not draw). `panel_recipe(spec, size)` resolves a
    panel (glnn/article/figures.py's)."""
    if figure.kind == "plot":
        return None
    specs = figure.panel_specs()
    if any(s.get("probe") for s in specs):
        return None
    param, steps = _varying(specs)
    if figure.kind == "animation":
        sweep = _sweep(figure.sweeps)
        if sweep:
            param, a, b = sweep
            steps = [dict(steps[0], **{param: a + (b - a) * i / (STEPS - 1)}) for i in range(STEPS)]
    w, h = figure.panel
    hashes, labels = [], []
    for spec in steps:
        recipe = panel_recipe(spec, (w, h))
        try:
            if recipe.probe:
                check_probe(recipe.probe, recipe.network)
        except GlnnError:
            return None
        hashes.append(state_hash(recipe, ("bare", f"size={w}x{h}")))
        v = spec.get(param) if param else None
        labels.append("" if v is None else (f"{v:.3g}" if isinstance(v, float) and not math.isnan(v) else str(v)))
    return {"param": param, "labels": labels, "hashes": hashes, "size": [w, h]}


def live_block(figure, panel_recipe) -> str:
    """The figure's live controls (hidden until the script finds WebGL2), or "" where it has none."""
    data = live_data(figure, panel_recipe)
    if data is None:
        return ""
    return (f'<div class="live" data-live="{escape(json.dumps(data))}">'
            '<button class="live-on" hidden>play it live</button></div>')


STYLE = """
.live iframe { border: 0; display: block; margin: 0.5em 0; max-width: 100%; }
.live label { font-size: 13px; margin-right: 0.5em; }
.live input[type=range] { width: 320px; vertical-align: middle; }
"""

# The gallery's script: "play it live" where the browser has WebGL2 (else the pictures stay, and the buttons
# stay hidden). data-live-ready on <body> says how many figures can play (tests).
SCRIPT = """<script>
(function () {
  var gl2 = false;
  try { gl2 = !!document.createElement("canvas").getContext("webgl2"); } catch (e) { gl2 = false; }
  var blocks = Array.prototype.slice.call(document.querySelectorAll(".live"));
  document.body.setAttribute("data-live-ready", gl2 ? String(blocks.length) : "no webgl2");
  if (!gl2) return;
  blocks.forEach(function (block) {
    var data = JSON.parse(block.getAttribute("data-live"));
    var figure = block.parentNode, on = block.querySelector(".live-on");
    on.hidden = false;
    on.onclick = function () {
      var pictures = figure.querySelectorAll("img");
      var frame = document.createElement("iframe");
      frame.width = data.size[0]; frame.height = data.size[1];
      frame.title = "the figure, live: drag to pan, the wheel zooms";
      frame.src = "PLAYGROUND" + data.hashes[0];
      var bar = document.createElement("div");
      if (data.hashes.length > 1) {
        var label = document.createElement("label"), slider = document.createElement("input");
        slider.type = "range"; slider.min = 0; slider.max = data.hashes.length - 1; slider.value = 0;
        label.textContent = data.param + " " + data.labels[0];
        slider.oninput = function () {
          label.textContent = data.param + " " + data.labels[+slider.value];
          frame.src = "PLAYGROUND" + data.hashes[+slider.value];
        };
        bar.appendChild(label); bar.appendChild(slider);
      }
      var off = document.createElement("button");
      off.textContent = "back to the pictures";
      off.onclick = function () {
        frame.remove(); bar.remove(); off.remove();
        Array.prototype.forEach.call(pictures, function (p) { p.hidden = false; });
        on.hidden = false;
      };
      Array.prototype.forEach.call(pictures, function (p) { p.hidden = true; });
      on.hidden = true;
      block.appendChild(bar); block.appendChild(frame); block.appendChild(off);
    };
  });
})();
</script>""".replace("PLAYGROUND", PLAYGROUND)
