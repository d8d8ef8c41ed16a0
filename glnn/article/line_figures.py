"""Figures 27 and 28 ("beyond the article", issue 36): along a line of the input plane, measured and predicted.

27, linear regions: relu networks of 810 hidden neurons split five ways (1 x 512, glnn's widest, then 3 x 270,
9 x 90, 27 x 30, 54 x 15; He weights sigma_w^2 = 2, bias scale 0.05), the linear regions the segment y = 0.3,
x in [-1, 1] crosses per unit length, counted exactly after every hidden layer (glnn/explore/line_stats.py,
regions_along: a deeper network extends a shallower one, so one walk gives every layer's count), against N, the
neurons up to that layer: the mean over seeds 0-23 (dots, one standard deviation between seeds as bars) beside
the mean field's prediction (lines: Hanin & Rolnick 2019, glnn/model/theory.py predict_line). Under the chart,
each network's picture (seed 0, on [-1, 1]^2, the segment in white, the square of the zoom outlined) and its
linear regions in that square (glnn render --probe regions).

28, curve length: tanh networks of width 100 (uniform weights, bias = scale) ordered (scale 0.15), on the edge
of chaos (--scale critical) and chaotic (scale 0.45), the length of the segment's image in each hidden layer
(lengths_along: quadrature to 1e-3), the geometric mean over seeds 0-3 (dots, the seeds' range as bars), beside
the mean field's prediction (lines), on a log scale; under it the three networks' pictures (seed 0).

Everything is computed in float64 by numpy (the pictures by the cpu backend): the same figure on every machine,
in about two seconds at any --resolution-scale (the counts and lengths do not depend on it).
"""
from __future__ import annotations

import math
from typing import List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image, ImageDraw

from ..explore.line_stats import lengths_along, line_stats, regions_along
from ..io import plots
from ..io.chart import Series, chart
from ..io.request import resolve
from ..model.network import Network
from ..rendering import pipeline
from ..rendering.engine import Engine
from ..rendering.sheet import Layout, compose, text_strip

P0, P1 = (-1.0, 0.3), (1.0, 0.3)          # the segment: y = 0.3, x in [-1, 1]
SEGMENT = "-1,0.3:1,0.3"
RELU = dict(activation="relu", init="he", gain=1.0, bias_scale=0.05)
SPLITS = ((1, 512), (3, 270), (9, 90), (27, 30), (54, 15))   # hidden layers x width
REGION_SEEDS = range(24)
ZOOM = dict(center=(0.5, 0.3), extent=0.1)   # the regions panels' square, on the segment
TANH = dict(width=100, depth=20, activation="tanh", init="uniform")   # bias scale: the scale (tanh's default)
PHASES = (("ordered: scale 0.15", 0.15), ("edge of chaos: scale critical", "critical"), ("chaotic: scale 0.45", 0.45))
LENGTH_SEEDS = range(4)
PICTURE_SEED = 0
SPLIT_COLOURS = ((38, 110, 210), (40, 160, 60), (230, 140, 20), (220, 50, 47), (120, 70, 170))
PHASE_COLOURS = ((38, 110, 210), (40, 160, 60), (220, 50, 47))
GRAY = (90, 90, 90)


def relu_net(hidden: int, width: int, seed: int = 0, channels: int = 1) -> Network:
    return Network(seed=seed, depth=hidden + 1, width=width, channels=channels, **RELU)


def tanh_net(scale, seed: int = 0, channels: int = 1) -> Network:
    return Network(seed=seed, scale=scale, channels=channels, **TANH)


# ------------------------------------------------------------------ the numbers
def region_curves(hidden: int, width: int, seeds: Sequence[int] = REGION_SEEDS):
    """Per hidden layer K: (N = K width, measured mean regions per unit length, its standard deviation between
    seeds, predicted)."""
    length = math.dist(P0, P1)
    ls = line_stats(relu_net(hidden, width, seeds[0]), P0, P1)   # the prediction needs no seed: the first one's walk
    first = [l.regions for l in ls.layers[:hidden]]
    counts = np.array([first if s == seeds[0] else regions_along(relu_net(hidden, width, s), P0, P1)[:hidden]
                       for s in seeds], float) / length
    predicted = [l.regions_predicted / length for l in ls.layers[:hidden]]
    n = [width * (k + 1) for k in range(hidden)]
    return n, counts.mean(axis=0).tolist(), counts.std(axis=0).tolist(), predicted


def length_curves(scale, seeds: Sequence[int] = LENGTH_SEEDS):
    """Per layer 0 (the segment) to D - 1 (the last hidden layer): (the measured lengths' geometric mean over
    seeds, their smallest and largest, the predicted length), and sqrt(chi_1). A scale given as "critical" is
    resolved for each seed (the same number: pass it to save the bisections)."""
    hidden = TANH["depth"] - 1
    ls = line_stats(tanh_net(scale, seeds[0]), P0, P1)
    first = [l.length for l in ls.layers[:hidden]]
    logs = np.log([[math.dist(P0, P1)] + (first if s == seeds[0] else lengths_along(tanh_net(scale, s), P0, P1)[:hidden])
                   for s in seeds])
    predicted = [ls.input_length] + [l.length_predicted for l in ls.layers[:hidden]]
    return (np.exp(logs.mean(axis=0)).tolist(), np.exp(logs.min(axis=0)).tolist(), np.exp(logs.max(axis=0)).tolist(),
            predicted, ls.growth_rate)


# ------------------------------------------------------------------ the pictures
def panel_spec(net: Network, **view) -> dict:
    return dict(dict(network=net, extent=1.0), **view)


def picture(spec: dict, size: int, engine: Engine, backend: str = "cpu") -> Image.Image:
    """The panel as `glnn render` draws it (the cpu backend unless asked: the same on every machine)."""
    _, recipe = pipeline.choose(resolve(dict(spec, size=(size, size), backend=backend), probes=True), engine)
    return pipeline.image(recipe, engine).convert("RGB")


def marked(img: Image.Image, extent: float, center=(0.0, 0.0), zoom: Optional[dict] = None) -> Image.Image:
    """The segment drawn over a picture in white (and the zoom's square outlined in black), where visible."""
    img = img.copy()
    d = ImageDraw.Draw(img)
    w, h = img.size
    s = 2 * extent / min(w, h)

    def px(x, y):
        return (x - center[0]) / s + w / 2, h / 2 - (y - center[1]) / s

    width = max(1, round(w / 120))
    d.line([px(*P0), px(*P1)], fill=(255, 255, 255), width=width)
    if zoom:
        (cx, cy), e = zoom["center"], zoom["extent"]
        (x0, y0), (x1, y1) = px(cx - e, cy + e), px(cx + e, cy - e)
        d.rectangle([x0, y0, x1, y1], outline=(0, 0, 0), width=width)
    return img


def stats_command(net: Network) -> str:
    """`glnn stats --line` for the network: its counts, lengths and predictions along the segment."""
    words = resolve(dict(network=net)).command_parts()[0]
    return " ".join(["glnn", "stats"] + words[2:] + ["--line", SEGMENT])


def commands(number: int, size: Tuple[int, int]) -> List[str]:
    """The commands behind figure 27 or 28: a comment line, `glnn stats --line` for seed 0 of each network (its
    counts or lengths and the predictions), then each picture's `glnn render` (at the figure's cell size)."""
    cell = layout(number, size).cell[0]
    seeds = REGION_SEEDS if number == 27 else LENGTH_SEEDS
    head = [f"# fig{number}: drawn by glnn.figures.plot_figure({number}), over seeds {seeds[0]}-{seeds[-1]}; seed 0's "
            f"numbers (glnn stats --line) and pictures:"]
    if number == 27:
        lines = [stats_command(relu_net(h, w)) for h, w in SPLITS]
        specs = [panel_spec(relu_net(h, w, PICTURE_SEED, 3)) for h, w in SPLITS] + \
                [panel_spec(relu_net(h, w, PICTURE_SEED, 3), probe="regions", **ZOOM) for h, w in SPLITS]
    else:
        lines = [stats_command(tanh_net(scale)) for _, scale in PHASES]
        specs = [panel_spec(tanh_net(scale, PICTURE_SEED, 3)) for _, scale in PHASES]
    return head + lines + [resolve(dict(spec, size=(cell, cell)), probes=True).command(out=f"fig{number}-{i + 1:02d}.png")
                           for i, spec in enumerate(specs)]


# ------------------------------------------------------------------ the figures
def _shape(number: int) -> Tuple[int, int]:
    """(panels, columns) under the chart."""
    return (2 * len(SPLITS), len(SPLITS)) if number == 27 else (len(PHASES), len(PHASES))


def _gutter(size: Tuple[int, int]) -> int:
    return max(1, round(6 * size[0] / 720))


def _cell(size: Tuple[int, int], cols: int) -> int:
    return max(8, (size[0] - (cols - 1) * _gutter(size)) // cols)


def labels(number: int) -> List[str]:
    """The panels' labels, in reading order."""
    if number == 27:
        return [f"{h} x {w}" for h, w in SPLITS] + [f"{h} x {w}: regions" for h, w in SPLITS]
    return [f"{label.split(':')[0]}, depth {TANH['depth']}" for label, _ in PHASES]


def _label_px(cell: int, texts: Sequence[str]) -> int:
    """The labels' font size under panels of `cell` pixels; 0 where they do not fit (a reduced scale)."""
    px = max(8, min(13, cell // 10))
    return px if max(plots.font(px).getlength(t) for t in texts) <= cell - 2 else 0


def layout(number: int, size: Tuple[int, int]) -> Layout:
    """Where figure 27's or 28's panels go (the chart fills `top`, less a gutter, above them)."""
    count, cols = _shape(number)
    cell, gutter = _cell(size, cols), _gutter(size)
    px = _label_px(cell, labels(number))
    below = px + 5 if px else 0
    rows = math.ceil(count / cols)
    top = max(8 + gutter, size[1] - rows * (cell + below) - rows * gutter)
    return Layout(count, cols, (cell, cell), gutter, top=top, below=below, frame=size)


def page(number: int, size: Tuple[int, int], top: Image.Image, panels: Sequence[Image.Image]) -> Image.Image:
    """The chart over rows of square panels, each with its label under it (none where they do not fit)."""
    lay, texts = layout(number, size), labels(number)
    (cell, _), below = lay.cell, lay.below
    px = _label_px(cell, texts)
    strip = np.full((lay.top, size[0], 3), 255, np.uint8)
    strip[:top.size[1]] = np.asarray(top.convert("RGB"))
    label = (lambda i: text_strip(cell, below + lay.gutter, [((cell / 2, 2), texts[i])], px, (90, 90, 90), "mt")) \
        if px else None
    return Image.fromarray(compose(lay, (np.asarray(p) for p in panels), strips=[strip], cell_label=label))


def _chart_size(number: int, size: Tuple[int, int]) -> Tuple[int, int]:
    lay = layout(number, size)
    return size[0], lay.top - lay.gutter


def regions_figure(size: Tuple[int, int], engine: Engine, backend: str = "cpu") -> Image.Image:
    series, legend = [], []
    for i, ((hidden, width), colour) in enumerate(zip(SPLITS, SPLIT_COLOURS)):
        n, mean, sd, predicted = region_curves(hidden, width)
        dodge = (i - 2) * 4   # side by side where the splits' points share an N
        series.append(Series([0] + n, [1 / math.dist(P0, P1)] + predicted, colour, line=True))
        series.append(Series([x + dodge for x in n], mean, colour, spread=[(m - s, m + s) for m, s in zip(mean, sd)]))
        legend.append((f"{hidden} x {width} (beta {hidden / width:.2g})", colour, "dot"))
    legend += [(f"measured: mean of {len(REGION_SEEDS)} seeds, +- 1 sd", GRAY, "dot"),
               ("predicted (Hanin & Rolnick)", GRAY, "line")]
    top = chart(series, _chart_size(27, size),
                "relu, He weights: linear regions along y = 0.3, x in [-1, 1]",
                "N: hidden neurons up to the layer", "regions per unit length", legend=legend, x_ticks=10)
    cell = layout(27, size).cell[0]
    nets = [relu_net(h, w, PICTURE_SEED, 3) for h, w in SPLITS]
    pictures = [marked(picture(panel_spec(net), cell, engine, backend), 1.0, zoom=ZOOM) for net in nets]
    regions = [marked(picture(panel_spec(net, probe="regions", **ZOOM), cell, engine, backend), ZOOM["extent"],
                      ZOOM["center"]) for net in nets]
    return page(27, size, top, pictures + regions)


def length_figure(size: Tuple[int, int], engine: Engine, backend: str = "cpu") -> Image.Image:
    series, legend, amounts = [], [], []
    for (label, scale), colour in zip(PHASES, PHASE_COLOURS):
        amounts.append(tanh_net(scale).scale)     # "critical" resolved once
        mean, lo, hi, predicted, rate = length_curves(amounts[-1])
        layers = list(range(len(mean)))
        series.append(Series(layers, predicted, colour, line=True))
        series.append(Series(layers, mean, colour, spread=list(zip(lo, hi))))
        shown = "" if scale == amounts[-1] else f" ({amounts[-1]:.3g})"
        legend.append((f"{label}{shown}: sqrt(chi_1) {rate:.2f}", colour, "dot"))
    legend += [(f"measured: geometric mean of {len(LENGTH_SEEDS)} seeds, their range", GRAY, "dot"),
               ("predicted (mean field)", GRAY, "line")]
    top = chart(series, _chart_size(28, size),
                f"tanh, width {TANH['width']}: length of the segment's image in each layer",
                "hidden layer (0: the segment itself)", "length", log_y=True, legend=legend, x_ticks=8,
                legend_at="bottom")
    cell = layout(28, size).cell[0]
    pictures = [marked(picture(panel_spec(tanh_net(a, PICTURE_SEED, 3)), cell, engine, backend), 1.0) for a in amounts]
    return page(28, size, top, pictures)


def figure(number: int, size: Tuple[int, int], engine: Engine, backend: str = "cpu") -> Image.Image:
    return regions_figure(size, engine, backend) if number == 27 else length_figure(size, engine, backend)

