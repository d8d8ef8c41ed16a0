"""The article's 20 figures as data (one table of recipes), rendered by `glnn figures`.

A recipe says what each panel shows (network and view), how panels are laid
out (columns, panel size, gutter) and the caption. Grids are composed from
panels rendered exactly as `glnn render` would; animations go through
glnn.explore.animate; the explanatory plots (3, 4, 5, 13) come from glnn.io.plots.
Seeds were chosen by looking at the pictures (see the notes in the table).
"""
from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image

from ..io import html_page, plots
from . import live_gallery
from ..rendering import pipeline
from ..explore.animate import animate_recipe, prepared
from ..rendering.engine import Engine, default_engine
from ..errors import GlnnError
from ..io.html_page import escape
from ..io.images import save_picture
from ..model.network import NAMES as NET_KEYS, Layer, Network
from ..web.playground import playground_html
from ..web.playground_words import ARTICLE as ARTICLE_URL
from ..explore.layer_stats import stats, stats_panels
from ..backends.base import check_supersample
from ..io.recipe import Animation, Recipe as PictureRecipe, grid_json
from ..io.request import resolve
from ..rendering.sheet import Layout, compose, text_strip
from ..model.view import View

VIEW_KEYS = ("extent", "center", "time")


@dataclass(frozen=True)
class Recipe:
    number: int
    title: str
    caption: str
    kind: str = "grid"                      # grid | animation | plot
    panels: Tuple[dict, ...] = ()           # network + view fields per panel (base merged in)
    base: dict = field(default_factory=dict)
    cols: int = 1
    panel: Tuple[int, int] = (256, 256)     # panel size in pixels at resolution scale 1
    gutter: int = 6                         # white gap between panels, pixels at scale 1
    sweeps: Tuple[str, ...] = ()            # animation: glnn animate sweeps
    frames: int = 0
    fps: float = 20.0
    label: str = ""                         # grids: each panel's label, formatted with its spec ("layer {depth}")
    arrow: bool = False                     # grids: an arrow in a cell of its own before the last panel (figure 6)

    @property
    def name(self) -> str:
        return f"fig{self.number:02d}"

    def panel_specs(self) -> List[dict]:
        return [dict(self.base, **p) for p in (self.panels or ({},))]

    @property
    def rows(self) -> int:
        return math.ceil(len(self.panel_specs()) / self.cols)


def _depths(seed, n, **kw):
    return tuple(dict(seed=seed, depth=d, **kw) for d in range(1, n + 1))


# The networks behind figures 10, 11, 12, 17, 18, 19 and 20 are one network (seed FAV).
FAV = 12
FAV_NET = dict(seed=FAV, width=30, scale=0.65)

def WIDE_SCALE(width: int) -> float:
    return round(1.1 * (10 / width) ** 0.25, 4)


RECIPES: Tuple[Recipe, ...] = (
    Recipe(1, "A random network", "A deep random tanh network in colour: every pixel's (x, y) goes in, (r, g, b) "
           "comes out.", base=dict(seed=5, depth=16, width=30, scale=0.85, extent=1.3), panel=(1080, 400)),
    Recipe(2, "Seven dimensions, one slice at a time", "A network with inputs x, y and five more z_j that move "
           "with time: each frame is a 2D cross-section of a 7-dimensional graph. The loop closes after 2 pi.",
           kind="animation", base=dict(seed=4, depth=12, width=30, inputs=7, scale=0.8), panel=(320, 320),
           sweeps=("time:0:6.283185307179586",), frames=90, fps=20),
    Recipe(3, "One layer, one output", "Left: the sigmoid. Middle: f(x) = sigmoid(0.4 x1 + x2 - 0.3) as a "
           "heightmap. Right: the same function from above, as gray levels.", kind="plot", cols=3, panel=(300, 300)),
    Recipe(4, "Two layers, one input", "Left: three tanh s-curves, each with its own weight and bias. Middle: a "
           "linear combination of them. Right: tanh of that combination.", kind="plot", cols=3, panel=(300, 220)),
    Recipe(5, "Two layers, two inputs", "Left: three sigmoid surfaces from the first layer. Middle: their linear "
           "combination. Right: the middle surface from above.", kind="plot", cols=3, panel=(300, 300)),
    Recipe(6, "Three outputs as red, green and blue", "One layer with three sigmoid outputs, each shown in its own "
           "colour, then all three added into one image. Steep weights and small biases: each output goes from "
           "black to full colour along a line near the centre, and the sum shows all six mixtures, as in the "
           "article.",
           base=dict(seed=32, depth=1, activation="tanh", init="uniform", scale=12.0, bias_scale=0.5, extent=1.0),
           panels=(dict(colour="red"), dict(colour="green"), dict(colour="blue"), dict()), cols=5, panel=(200, 200),
           gutter=8, arrow=True),
    Recipe(7, "Typical one-layer networks", "Depth 1: each colour channel is one sigmoid ramp, so every picture "
           "is a blend of three straight edges; steep weights and small biases make them sharp and cross near "
           "the centre, as in the article.", base=dict(depth=1, scale=6.0, bias_scale=0.5, extent=1.0),
           panels=tuple(dict(seed=s) for s in (1, 2, 3, 4, 5, 6)), cols=3, panel=(240, 240), gutter=30),
    Recipe(8, "Typical two-layer networks", "Depth 2 with 10 hidden tanh units: the edges bend where the hidden "
           "units switch.", base=dict(depth=2, width=10, scale=4.0, bias_scale=0.5, extent=1.0),
           panels=tuple(dict(seed=s) for s in (1, 2, 3, 4, 5, 6)), cols=3, panel=(240, 240), gutter=30),
    Recipe(9, "Adding layers", "Each row is one network; column k shows its first k layers (the same weights, "
           "one more layer per column).", base=dict(width=30, scale=0.9, extent=1.0),
           panels=tuple(p for s in (1, 2, 3, 4) for p in _depths(s, 10)), cols=10, panel=(120, 120), gutter=4,
           label="{depth}"),
    Recipe(10, "One network, layer by layer", "One network of width 30 at depths 1 to 18, read left to right, top "
           "to bottom, on [-6, 6]^2: from layer 2 on, rays converge at one point with sharp folds (figure 11 is a "
           "close-up).", base=dict(FAV_NET, extent=6.0), panels=_depths(FAV, 18, width=30, scale=0.65), cols=3,
           panel=(240, 240), gutter=4, label="layer {depth}"),
    Recipe(11, "The same network, 27 layers", "The network of figure 10 extended to 27 layers, a close-up.",
           base=dict(FAV_NET, depth=27, extent=2.6), panel=(640, 640)),
    Recipe(12, "The same network, 40 layers", "Extended to 40 layers: complex in places, smooth in others.",
           base=dict(FAV_NET, depth=40, extent=2.6), panel=(640, 640)),
    Recipe(13, "relu", "relu(x) = max(x, 0).", kind="plot", panel=(360, 240)),
    Recipe(14, "tanh and relu", "Top: tanh hidden layers; bottom: relu. Each picture has five more layers than "
           "the one to its left; both end in a sigmoid. The relu pictures are patchworks of linear gradients whose "
           "creases multiply with depth (the relu row on [-2, 2]^2, where more of its regions fall in view).",
           base=dict(width=30, extent=1.0),
           panels=tuple(dict(seed=21, depth=d, activation="tanh", init="uniform", scale=0.8, bias_scale=0.8)
                        for d in (1, 6, 11, 16))
           + tuple(dict(seed=15, depth=d, activation="relu", init="he", scale=0.8, gain=1.25, bias_scale=0.8,
                        extent=2.0)
                   for d in (1, 6, 11, 16)),
           cols=4, panel=(220, 220), gutter=6, label="{activation}, depth {depth}"),
    Recipe(15, "Adding width", "14 layers each, at widths 10, 20, 40, 80, 120 and 400 (uniform weights, the "
           "range shrinking gently with width, s = 1.1 (10 / width)^0.25, so the narrow ones do not fade): wider "
           "layers add detail everywhere, up to static at 400.", base=dict(seed=8, depth=14, extent=1.0),
           panels=tuple(dict(width=w, scale=WIDE_SCALE(w)) for w in (10, 20, 40, 80, 120, 400)), cols=3,
           panel=(240, 240), gutter=6, label="width {width}"),
    Recipe(16, "A 30x zoom of the 400-wide network", "The bottom-right network of figure 15 seen on a square 30 "
           "times smaller: a continuous, if motley, function.",
           base=dict(seed=8, depth=14, width=400, scale=WIDE_SCALE(400), extent=1 / 30),
           panel=(480, 480)),
    Recipe(17, "The favourite network again", "The 27-layer network of figure 11 on [-2.6, 2.6]^2.",
           base=dict(FAV_NET, depth=27, extent=2.6), panel=(480, 480)),
    Recipe(18, "Input scale", "The same network from [-40, 40]^2 (top left) down to [-0.16, 0.16]^2, halving "
           "each step, centred at 0: far out it is radial, close in it is smooth.",
           base=dict(FAV_NET, depth=27),
           panels=tuple(dict(extent=40 / 2 ** k) for k in range(9)), cols=3, panel=(240, 240), gutter=6,
           label="[-{extent:g}, {extent:g}]"),
    Recipe(19, "Weight scale", "The same unit draws with weights in [-s, s] for s from 0.5 (top left) to 1 "
           "(bottom right) in geometric steps: larger weights, more detail.", base=dict(FAV_NET, depth=27, extent=1.0),
           panels=tuple(dict(scale=0.5 * 2 ** (k / 8)) for k in range(9)), cols=3, panel=(240, 240), gutter=6,
           label="s = {scale:.3g}"),
    Recipe(20, "Weight scale, animated", "The figure-19 network with weights scaled from [-0.4, 0.4] to "
           "[-0.8, 0.8].", kind="animation", base=dict(FAV_NET, depth=27, extent=1.0), panel=(320, 320),
           sweeps=("scale:0.4:0.8",), frames=60, fps=15),
    # beyond the article: its explanations made visible (glnn/rendering/probes.py)
    Recipe(21, "Norms per layer", "The article's equation 3 measured: |y_k| / |y_k-1| averaged over a view, for a "
           "10-layer relu network of width 100 under uniform weights in [-0.8, 0.8], He and Glorot initialisation "
           "(top), and the fraction of active units (bottom). He keeps the norm; uniform lets it grow, Glorot "
           "shrink. Layer 1 maps the 2 inputs to 100 units. Without biases a relu network's on/off pattern "
           "ignores the weights' scale, so uniform and Glorot, which share their draws, share the bottom curve.",
           kind="plot", panel=(720, 480)),
    Recipe(22, "Linear regions", "A relu network (left) is linear on each of many convex regions; each region, "
           "coloured by which units are on, is one linear piece of the picture (right: glnn render --probe "
           "regions). The picture's faint creases are the regions' edges.",
           base=dict(seed=7, depth=3, width=16, activation="relu", init="he", scale=0.8, gain=1.5, bias_scale=1.0,
                     extent=2.0),
           panels=(dict(), dict(probe="regions")), cols=2, panel=(320, 320), gutter=6),
    Recipe(23, "Hidden units", "The 30 units of layer 6 of the favourite network (figures 10 and 11), each "
           "over the same square as figure 11: gray from -1 (black) to 1 (white); the picture mixes them "
           "through 21 more layers (glnn render --probe units:6).",
           base=dict(FAV_NET, depth=27, extent=2.6, probe="units:6"), panel=(720, 600)),
    Recipe(24, "Order and chaos, predicted", "Why figure 9 goes from smooth to static: the edge density of 30-unit "
           "tanh pictures at depths 1 to 27 (red, seeds 0-3), ordered (scale 0.3), on the edge of chaos (--scale "
           "critical) and chaotic (the article's 0.8), beside the mean-field prediction (green: depth 2's times "
           "the predicted growth per layer, sqrt(chi_1) once settled; glnn/model/theory.py). Chaotic detail stops "
           "growing where it gets finer than a pixel.", kind="plot", panel=(720, 720)),
    Recipe(25, "The phase diagram of tanh", "The same 12 x 30 tanh network at each cell's weight and bias "
           "variances (sigma_w^2 = 30 x scale^2 / 3 for uniform weights), the edge of chaos (chi_1 = 1) in red: "
           "flat to its left, ever finer to its right; the default (0.8) and figure 11's 0.65 marked (glnn phase "
           "--activation tanh).", kind="plot", panel=(516, 398)),
    Recipe(26, "The phase diagram of relu", "The same for a 12 x 30 relu network with he weights: relu's edge is "
           "sigma_w^2 = 2 at every bias; left of it deep pictures fade, right of it the layers' values grow without "
           "bound and the readout saturates (hatched; the legend says why) (glnn phase --activation relu).",
           kind="plot", panel=(516, 524)),
    # along a line of the input plane: the theory's counts and lengths against measured ones (line_figures.py)
    Recipe(27, "Linear regions along a line", "How many linear pieces does a relu network cut a line into? Hanin "
           "and Rolnick (2019, \"Complexity of linear regions in deep networks\") found: about as many as it has "
           "neurons, whatever their arrangement, not exponentially many with depth. Each unit's kink is crossed "
           "about as often in a deep layer as in the first. Counted exactly here (glnn stats --line) along y = 0.3 "
           "for He weights (sigma_w^2 = 2) and small biases, after each hidden layer of five networks of 810 "
           "neurons (512 in the widest, glnn's limit), against N, the neurons up to that layer: the splits fall on "
           "one line, the prediction's. It breaks for narrow layers: 54 x 15 crosses some 40 % fewer, as whole "
           "layers switch off together. Bars: how much one seed differs from the next, which grows with beta = "
           "the sum of 1 / width over the hidden layers (Hanin 2018). Below, the networks (seed 0) on [-1, 1]^2 "
           "with the line in white, and their regions in the black square (glnn render --probe regions): "
           "equally busy, but for the narrowest.", kind="plot", panel=(720, 760)),
    Recipe(28, "Curve length with depth", "The same line through 19 tanh layers of width 100: the length of "
           "its image in each layer. Ordered (scale 0.15) it shrinks, on the edge of chaos (--scale critical) "
           "it settles, and chaotic (scale 0.45) it grows exponentially, by sqrt(chi_1) a layer (Poole et al. "
           "2016; Raghu et al. 2017, \"On the expressive power of deep neural networks\"), as the mean field "
           "predicts (lines); with 100 units a layer (beta = 0.19) the seeds barely differ. Below, the three "
           "networks (seed 0) on [-1, 1]^2 with the line in white: flat, smooth, and folded ever finer.",
           kind="plot", panel=(720, 700)),
)
ARTICLE = 20   # figures 1 to 20 are the article's; later ones go beyond it

BY_NUMBER: Dict[int, Recipe] = {r.number: r for r in RECIPES}


# ----------------------------------------------------------------- pieces
def panel_recipe(spec: dict, size: Tuple[int, int], backend: str = "auto", supersample: int = 1) -> PictureRecipe:
    """A panel's request, resolved as `glnn render` resolves its flags (glnn/io/request.py); the backend as asked."""
    given = {k: v for k, v in spec.items() if k in NET_KEYS + VIEW_KEYS + ("colour", "probe")}
    # a probe picture is drawn once per pixel (glnn render refuses --supersample with --probe)
    return resolve(dict(given, size=size, backend=backend, supersample=1 if spec.get("probe") else supersample),
                   probes=True)


def panel_image(spec: dict, size: Tuple[int, int], engine: Engine, backend: str = "auto",
                supersample: int = 1) -> Tuple[Image.Image, PictureRecipe]:
    """One panel exactly as `glnn render` makes it, through the colour stage, and its recipe."""
    _, recipe = pipeline.choose(panel_recipe(spec, size, backend, supersample), engine)
    return pipeline.image(recipe, engine), recipe   # a probe: the hidden units, as glnn render --probe draws them


def grid(images: Sequence[Image.Image], cols: int, gutter: int,
         labels: Optional[Sequence[str]] = None) -> Tuple[Image.Image, List[Tuple[int, int, int, int]]]:
    """The images in rows of `cols` with white gutters, and each one's rectangle (x, y, w, h) in it. Labels go in
    a thin strip under each panel (never on its pixels: a cell re-rendered `--from` the grid equals its panel)."""
    w, h = images[0].size
    size = max(8, min(13, h // 12))
    if labels and max(plots.font(size).getlength(t) for t in labels) > w - 2:
        labels = None   # panels too small for their labels (a reduced --resolution-scale): none at all
    layout = Layout(len(images), cols, (w, h), gutter, below=size + 4 if labels else 0)

    def label(i):   # grey text from the strip's top, free to run into the gutter under it
        return text_strip(w, layout.below + gutter, [((w / 2, 2), labels[i])], size, (110, 110, 110), "mt")

    pixels = compose(layout, (np.asarray(im.convert("RGB")) for im in images), cell_label=label if labels else None)
    return Image.fromarray(pixels), [layout.rect(i) for i in range(len(images))]


def _fixed(W, b, act="sigmoid", inputs=2) -> Network:
    W = np.asarray(W, np.float32)
    net = Network(depth=1, channels=W.shape[0] if W.shape[0] in (1, 3) else 1, inputs=inputs,
                  output_activation=act)
    layer = Layer(W, np.asarray(b, np.float32), act)
    return dataclasses.replace(net, loaded_layers=(layer,))


# the functions of figures 3-5, as the article's text gives them (3) or as fixed examples (4, 5)
FIG4_HIDDEN = [(1.6, -1.2), (-2.2, 0.4), (3.0, 2.4)]   # (w, b) of three tanh units of one input
FIG4_OUT = ((1.0, 0.9, -1.1), 0.2)
FIG5_HIDDEN = [((1.5, 0.5), -0.5), ((-0.6, 1.8), 0.8), ((1.0, -1.4), 1.2)]
FIG5_OUT = ((1.0, -1.2, 0.9), 0.1)


def plot_figure(number: int, size: Tuple[int, int], backend: str = "auto", engine: Optional[Engine] = None) -> Image.Image:
    engine = engine or default_engine()
    sig = plots.sigmoid
    if number == 3:
        f = lambda x, y: sig(0.4 * x + y - 0.3)  # noqa: E731
        net = _fixed([[0.4, 1.0]], [-0.3])
        overhead = pipeline.image(resolve({"network": net, "size": size, "extent": 4.0, "backend": backend}), engine)
        return grid([plots.curves([(sig, plots.COLOURS[2])], (-6, 6), (-0.1, 1.1), size, "sigmoid(x)"),
                     plots.surfaces([(f, (200, 200, 200))], (-4, 4), (0, 1), size),
                     overhead], 3, 8)[0]
    if number == 4:
        hs = [lambda x, w=w, b=b: np.tanh(w * x + b) for w, b in FIG4_HIDDEN]
        (a, c) = FIG4_OUT
        combo = lambda x: sum(ai * h(x) for ai, h in zip(a, hs)) + c  # noqa: E731
        return grid([plots.curves(list(zip(hs, plots.COLOURS)), (-3, 3), (-1.2, 1.2), size, "tanh(w x + b)"),
                     plots.curves([(combo, plots.COLOURS[3])], (-3, 3), (-3.5, 3.5), size, "linear combination"),
                     plots.curves([(lambda x: np.tanh(combo(x)), plots.COLOURS[3])], (-3, 3), (-1.2, 1.2), size,
                                  "tanh of it")], 3, 8)[0]
    if number == 5:
        hs = [lambda x, y, w=w, b=b: sig(w[0] * x + w[1] * y + b) for w, b in FIG5_HIDDEN]
        (a, c) = FIG5_OUT
        combo = lambda x, y: sum(ai * h(x, y) for ai, h in zip(a, hs)) + c  # noqa: E731
        g = np.linspace(-3, 3, 121)
        values = combo(*np.meshgrid(g, g))
        lo, hi = float(values.min()), float(values.max())
        net = Network(depth=2, width=3, channels=1, activation="sigmoid", output_activation="identity")
        W1 = np.array([w for w, _ in FIG5_HIDDEN], np.float32)
        b1 = np.array([b for _, b in FIG5_HIDDEN], np.float32)
        net = dataclasses.replace(net, loaded_layers=(
            Layer(W1, b1, "sigmoid"), Layer(np.array([a], np.float32) / (hi - lo),
                                            np.array([(c - lo) / (hi - lo)], np.float32), "identity")))
        # gray: lo -> 0, hi -> 1
        overhead = pipeline.image(resolve({"network": net, "size": size, "extent": 3.0, "backend": backend}), engine)
        return grid([plots.surfaces(list(zip(hs, plots.COLOURS)), (-3, 3), (0, 1), size),
                     plots.surfaces([(combo, (200, 200, 200))], (-3, 3), (lo, hi), size),
                     overhead], 3, 8)[0]
    if number == 13:
        return plots.curves([(lambda x: np.maximum(x, 0), plots.COLOURS[2])], (-3, 3), (-1, 3), size,
                            "relu(x) = max(x, 0)")
    if number == 24:
        from .detail_figure import figure

        return figure(size)
    if number in (27, 28):
        from .line_figures import figure as line_figure

        return line_figure(number, size, engine)
    if number in (25, 26):
        from ..explore import phase_diagram

        thumb = max(16, round(64 * size[0] / 516))   # smaller thumbnails at a reduced --resolution-scale
        img = phase_diagram.draw(phase_diagram.plan("tanh" if number == 25 else "relu"), thumb, "cpu", engine)
        return img if img.size == tuple(size) else img.resize(size, Image.LANCZOS)
    if number == 21:
        view = View(64, 64, center=(2.0, 1.0), extent=1.0)   # off the origin, where |x| is not near 0
        series = []
        for init, label in (("uniform", "uniform [-0.8, 0.8]"), ("he", "He"), ("glorot", "Glorot")):
            net = Network(seed=2, depth=10, width=100, activation="relu", init=init, scale=0.8, gain=1.0,
                          bias_scale=0.0)
            series.append((label, stats(net, view, engine.choose(backend, net))))
        return plots.layer_plot(stats_panels(series, "active units"), size, "10 x 100 relu, no biases")
    raise GlnnError(f"figure {number} is not a plot")


# ------------------------------------------------------------- commands
def animation_recipe(recipe: Recipe, size: Tuple[int, int], backend: str = "auto",
                     supersample: int = 1) -> PictureRecipe:
    """The recipe an animation figure's file carries (glnn.animate writes it; there, the backend chosen)."""
    return prepared(_animation_request(recipe, size, backend, supersample))[0]


def _animation_request(recipe: Recipe, size: Tuple[int, int], backend: str, supersample: int) -> PictureRecipe:
    """The animation figure as asked: its base panel's recipe with the figure's sweeps and timing."""
    return dataclasses.replace(panel_recipe(recipe.base, size, backend, supersample),
                               animation=Animation(tuple(recipe.sweeps), recipe.frames, float(recipe.fps)))


def commands(recipe: Recipe, scale: float = 1.0, supersample: int = 1) -> List[str]:
    """The commands that make the figure's pictures: each one's recipe's own command (glnn/io/command.py), with
    the backend left to auto."""
    size = _scaled(recipe.panel, scale)
    if recipe.kind == "plot":
        if recipe.number in (27, 28):   # its numbers (seed 0) and pictures, by glnn stats --line and glnn render
            from .line_figures import commands as line_commands

            return line_commands(recipe.number, size)
        return [f"# {recipe.name}: drawn by glnn.figures.plot_figure({recipe.number}) (curves and heightmaps)"]
    if recipe.kind == "animation":
        return [animation_recipe(recipe, size, supersample=supersample).command(out=f"{recipe.name}.gif")]
    specs = recipe.panel_specs()
    return [panel_recipe(spec, size, supersample=supersample).command(
                out=f"{recipe.name}.png" if len(specs) == 1 else f"{recipe.name}-{i + 1:02d}.png")
            for i, spec in enumerate(specs)]


def _scaled(size, k):
    return max(8, int(round(size[0] * k))), max(8, int(round(size[1] * k)))


# ---------------------------------------------------------------- render
def render_recipe(recipe: Recipe, out_dir: Path, scale: float = 1.0, backend: str = "auto",
                  engine: Optional[Engine] = None, supersample: int = 1) -> List[Path]:
    """Write the recipe's file(s) into out_dir; returns their paths."""
    engine = engine or default_engine()
    size = _scaled(recipe.panel, scale)
    written = []

    def save(img: Image.Image, name: str, recipe: Optional[dict] = None):
        path = out_dir / name
        save_picture(img, path, recipe=recipe)
        written.append(path)

    if recipe.kind == "plot":
        save(plot_figure(recipe.number, size, backend, engine), f"{recipe.name}.png")
    elif recipe.kind == "animation":
        path = out_dir / f"{recipe.name}.gif"
        animate_recipe(_animation_request(recipe, size, backend, supersample), path, engine=engine)
        written.append(path)
        # the still: the animation's middle frame, a representative one (its first is often nearly flat)
        still = dict(recipe.base)
        for s in recipe.sweeps:
            param, a, b = s.split(":")
            if param != "center":
                still[param] = (float(a) * float(b)) ** 0.5 if param == "extent" else (float(a) + float(b)) / 2
        image, made = panel_image(still, size, engine, backend, supersample)
        save(image, f"{recipe.name}.png", made.to_json())
    else:
        panels = [panel_image(spec, size, engine, backend, supersample) for spec in recipe.panel_specs()]
        if len(panels) == 1:
            save(panels[0][0], f"{recipe.name}.png", panels[0][1].to_json())
        else:   # a grid: one recipe per cell, with its place in the grid
            labels = [recipe.label.format(**spec) for spec in recipe.panel_specs()] if recipe.label else None
            images = [p[0] for p in panels]
            if recipe.arrow:   # a cell of its own, with no recipe: the panels' rectangles skip it
                images.insert(len(images) - 1, plots.arrow(size))
                labels = labels and labels[:-1] + [""] + labels[-1:]
            image, rects = grid(images, recipe.cols, max(1, int(round(recipe.gutter * scale))), labels)
            if recipe.arrow:
                del rects[len(rects) - 2]
            save(image, f"{recipe.name}.png", grid_json([(p[1], rect) for p, rect in zip(panels, rects)]))
    return written


def parse_only(text: Optional[str]) -> List[Recipe]:
    if not text:
        return list(RECIPES)
    out = []
    for part in text.split(","):
        part = part.strip()
        try:
            n = int(part)
        except ValueError:
            raise GlnnError(f"--only {text!r}: {part!r} is not a figure number")
        if n not in BY_NUMBER:
            raise GlnnError(f"--only {text!r}: there is no figure {n} (1 to {len(RECIPES)})")
        out.append(BY_NUMBER[n])
    return out


GALLERY_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; max-width: 1120px; margin: 2em auto; padding: 0 1em; color: #222; }
figure { margin: 0 0 3em; }
img { max-width: 100%; display: inline-block; vertical-align: top; margin: 0.5em 1em 0.5em 0; }
pre { background: #f4f4f4; padding: 0.6em; overflow-x: auto; font-size: 12px; white-space: pre-wrap; }
h2 { font-size: 1.1em; margin: 0; }
"""

GALLERY_SCRIPT = """<script>
// for tests: how many images loaded, as an attribute of the body (nothing is shown)
window.addEventListener("load", function () {
  var imgs = Array.prototype.slice.call(document.images);
  var broken = imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); });
  document.body.setAttribute("data-images", imgs.length + " broken " + broken.length);
});
</script>"""


def gallery(out_dir: Path, recipes: Sequence[Recipe], scale: float = 1.0, supersample: int = 1) -> Path:
    """DIR/index.html: every figure with its caption and the command that reproduces it; self-contained."""
    parts = []
    for r in recipes:
        if r.number > ARTICLE and not any(p.startswith("<h1 id=\"beyond\"") for p in parts):
            parts.append('<h1 id="beyond">Beyond the article</h1><p>What the article explains in words, measured '
                         'and drawn: norms per layer, linear regions, hidden units; then the theory of random '
                         'networks beside measured ones: order and chaos, the phase diagrams, and along a line '
                         'of the plane, the linear regions it crosses and its length through the layers.</p>')
        imgs = [f'<img src="{r.name}.gif" alt="{escape(r.title)} (animation)">'] if r.kind == "animation" else []
        imgs.append(f'<img src="{r.name}.png" alt="{escape(r.title)}">')
        lines = commands(r, scale, supersample)
        block = f"<pre>{escape(chr(10).join(lines))}</pre>"
        if len(lines) > 4:   # long blocks fold
            block = f"<details><summary>the {len(lines)} commands</summary>{block}</details>"
        live = live_gallery.live_block(r, panel_recipe)
        parts.append(f'<figure id="{r.name}"><h2>Figure {r.number}: {escape(r.title)}</h2>{"".join(imgs)}{live}'
                     f'<figcaption>{escape(r.caption)}</figcaption>{block}</figure>')
    body = f"""<h1>A visual exploration of random neural networks, reproduced by glnn</h1>
<p>Every figure of Tyler Neylon's article
<a href="{ARTICLE_URL}">A Visual Exploration of Random Neural Networks</a>,
rendered by <code>glnn figures</code>. Under each: what it shows, and the command line that makes it. Every
picture carries its recipe: <code>glnn info figNN.png</code>, <code>glnn render --from figNN.png</code>.
In a browser with WebGL2, "play it live" opens a network figure in the <a href="{live_gallery.PLAYGROUND}">playground</a>
(the same pictures, drawn in the browser: pan, zoom, and the figure's own parameter as a slider).</p>
{''.join(parts)}
{GALLERY_SCRIPT}
{live_gallery.SCRIPT}"""
    return html_page.write(out_dir / "index.html",
                           html_page.page("glnn: the article's figures", GALLERY_STYLE + live_gallery.STYLE, body))


def figure_task(task, engine: Optional[Engine] = None) -> Tuple[List[str], float]:
    """(number, folder, scale, backend, supersample) -> the files written and the seconds it took."""
    number, out, scale, backend, supersample = task
    t0 = time.perf_counter()
    files = render_recipe(BY_NUMBER[number], Path(out), scale, backend, engine, supersample)
    return [str(p) for p in files], time.perf_counter() - t0


def run(out_dir, only: Optional[str] = None, scale: float = 1.0, backend: str = "auto", log=None,
        engine: Optional[Engine] = None, supersample: int = 1, executor=None) -> List[Path]:
    out = Path(out_dir)
    if not (math.isfinite(scale) and 0.05 <= scale <= 8):
        raise GlnnError(f"--resolution-scale must be from 0.05 to 8, not {scale}")
    check_supersample(supersample, "--supersample")   # before the folder is made
    if out.exists() and not out.is_dir():
        raise GlnnError(f"--out {str(out)!r} exists and is not a folder")
    recipes = parse_only(only)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    start = time.perf_counter()
    if executor is not None and executor.name != "serial":
        # one figure per task on the workers (each its own engine); the files are the same as made here
        results = executor.map(figure_task, [(r.number, str(out), scale, backend, supersample) for r in recipes])
    else:
        results = (figure_task((r.number, str(out), scale, backend, supersample), engine) for r in recipes)
    for r, (paths, seconds) in zip(recipes, results):
        files = [Path(p) for p in paths]
        written += files
        if log:
            log(f"{r.name}  {r.title:<40} {seconds:6.1f} s  {', '.join(p.name for p in files)}")
    # the gallery shows every figure in the folder, made now or before (`--only` adds to it), live beside the
    # playground
    written.append(gallery(out, [r for r in RECIPES if (out / f"{r.name}.png").is_file()], scale, supersample))
    written.append(html_page.write(out / live_gallery.PLAYGROUND, playground_html(resolve({}), gallery="index.html")))
    if log:
        count = f"all {len(recipes)} figures" if len(recipes) == len(RECIPES) else \
            f"{len(recipes)} figure{'s' if len(recipes) != 1 else ''}"
        log(f"{count} in {time.perf_counter() - start:.1f} s; gallery: {out / 'index.html'}")
    return written
