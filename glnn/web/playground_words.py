"""The playground's words: what each control does to the picture and why, in glnn's own words, with "try this"
links (each a whole state: glnn/web/playground.py state_hash) and the gallery's figure of the idea.

The numbers in the sentences (the edge of chaos of an activation at a width) are computed here from glnn's
mean-field theory (glnn/model/theory.py critical_amount: chi_1 = 1), never copied by hand; the page receives the
finished sentences and links (playground.py playground_spec's "words"). Figure numbers name the figures of
`glnn figures` (glnn/article/figures.py; tests/unit/test_playground_words.py checks each one's title).
"""
from __future__ import annotations

from typing import Callable, List, Optional, Tuple

from ..io.recipe import Recipe
from ..model import theory
from ..model.network import Network
from ..model.view import View

# where the article lives (Tyler Neylon's): the page's header and the gallery's index.html link it
ARTICLE = "https://github.com/tylerneylon/math/tree/master/randnn"


def _edge(activation: str, init: str = "uniform", width: int = 30, bias_scale: Optional[float] = None) -> float:
    return theory.critical_amount(activation, init, width, bias_scale)


def _link(label: str, net: Network, center=(0.0, 0.0), extent: float = 1.0, time: float = 0.0,
          colour: Optional[str] = None) -> Tuple[str, Recipe]:
    """A "try this" link: its label and the recipe it opens (a link holds no size: the page's canvas is it)."""
    mode = colour or ("rgb" if net.channels == 3 else "gray")
    return label, Recipe(net, View(8, 8, tuple(center), extent, time), mode)


def _g(x: float) -> str:
    return f"{x:.3g}"


def words(state_hash: Callable[[Recipe], str]) -> List[dict]:
    """Per control (the panel's key: depth, width, activation, scale, extent, time): {"control", "text" (one or
    two sentences), "tries" [{"label", "hash"}], "figure" (the gallery's figure number)}; `state_hash`: the
    playground's link of a recipe (glnn/web/playground.py state_hash)."""
    fav = dict(seed=12, width=30, scale=0.65)   # the article's favourite (figure 11), glnn's defaults otherwise
    edge30, edge10, edge120 = _edge("tanh"), _edge("tanh", width=10), _edge("tanh", width=120)
    edges = {a: _edge(a) for a in ("sin", "gaussian", "softsign")}
    relu = dict(seed=2, width=30, activation="relu", channels=1, init="he", gain=1.2, bias_scale=0.05)
    out: List[Tuple[str, str, List[Tuple[str, Recipe]], int]] = [
        ("depth",
         "Each layer bends the last one's picture once more: below the edge of chaos more layers smooth it, above "
         "it they fold it finer until it looks like static (depth k keeps the same first k - 1 layers). For relu, "
         "adding layers at the same number of neurons does not add relu regions (Hanin & Rolnick 2019).",
         [_link("3 layers", Network(depth=3, **fav), extent=2.6),
          _link("27 layers", Network(depth=27, **fav), extent=2.6),
          _link("relu, 20 layers", Network(depth=20, **relu), extent=2.0)], 9),
        ("width",
         "Width is how many random terms each layer adds up, and with uniform weights a wider layer stretches "
         f"more: tanh's edge of chaos falls from scale {_g(edge10)} at width 10 to {_g(edge30)} at 30 and "
         f"{_g(edge120)} at 120. So one scale is calm when narrow and grainy when wide.",
         [_link("width 10", Network(depth=14, seed=3, width=10, scale=0.6), extent=2.0),
          _link("width 120", Network(depth=14, seed=3, width=120, scale=0.6), extent=2.0)], 15),
        ("activation",
         "The function between layers picks the shapes: smooth curves (tanh, softsign), straight edges between "
         "flat pieces (relu), bands and rings (sin, gaussian). Each has its own edge of chaos: at width 30, "
         f"uniform weights and bias = scale, scale {_g(edge30)} for tanh, {_g(edges['sin'])} for sin, "
         f"{_g(edges['gaussian'])} for gaussian, {_g(edges['softsign'])} for softsign.",
         [_link("relu", Network(depth=12, **relu), extent=2.0),
          _link("sin", Network(depth=8, seed=4, width=30, activation="sin")),
          _link("one per unit", Network(depth=8, seed=7, width=30, activation="mix-units", features="x,y,r"),
                extent=2.0)], 14),
        ("scale",
         "The weights' size sets how hard each layer pulls neighbouring pixels apart: below the edge of chaos "
         "(chi_1 < 1 in glnn's mean-field theory) they drift together and the picture is calm, above it they fly "
         f"apart into grain. For tanh at width 30 the edge is at scale {_g(edge30)}.",
         [_link("ordered", Network(depth=20, seed=3, width=30, scale=0.3), extent=2.0),
          _link("on the edge", Network(depth=20, seed=3, width=30, scale=edge30), extent=2.0),
          _link("chaotic", Network(depth=20, seed=3, width=30, scale=1.2), extent=2.0)], 19),
        ("extent",
         "How much of the (x, y) plane the picture spans: far out the units saturate and straight rays run from "
         "the centre; close up every network is smooth. Scroll, pinch, or + and -, zoom too.",
         [_link("far out", Network(depth=27, **fav), extent=40.0),
          _link("close up", Network(depth=27, **fav), extent=0.16)], 18),
        ("time",
         "With more than 2 inputs the extra ones move with time (z = A sin(w t + p)): the picture is a slice "
         "through a higher-dimensional shape, and time slides it, looping every 2 pi.",
         [_link("7 inputs", Network(seed=3, depth=12, width=30, inputs=7), time=1.5)], 2),
    ]
    return [{"control": c, "text": t, "tries": [{"label": label, "hash": state_hash(r)} for label, r in tries],
             "figure": f} for c, t, tries, f in out]


INTRO = ("Every pixel's position (x, y) goes into a random, untrained neural network, and its three outputs "
         "become the pixel's red, green and blue: nothing is learned, the picture is the network. Change the "
         "network with the controls and watch the picture and its layers follow.")
