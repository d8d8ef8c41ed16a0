"""The one command writer: the words of the `glnn render` (or `glnn animate`) command that makes a recipe's picture.

A picture's recipe (glnn/io/recipe.py), `glnn info`, the figures gallery and `glnn figures --commands`, the grid's
page, the web page's overlay and the Shadertoy header all write their commands here, so the same picture is
always described by the same words.

Numbers are written by number(): the shortest digits that read back as the same float (Python's repr and
JavaScript's String(number) find the same digits), laid out as JavaScript lays them out (positional from 1e-6
up to below 1e21, else like 1.5e-7 or 1e+21), a whole float ending in ".0". The web page's front end
(glnn/web/glnn_view.js), which rewrites the view flags as the view moves, writes its numbers the same way:
String(v), with ".0" after a whole number. Reading a printed number back (float(), the CLI's parsers) gives the
float it was written from, exactly.

The command says what differs from glnn's defaults: the network's hyperparameters (against the defaults of
its activation), the view (centre, extent, time; the size always), the colour mode when it is not the one the
network's channels or probe imply, the backend when it is not auto, supersampling, and an animation's sweeps
and timing. An animation's swept parameters are left out: the sweep sets them on every frame.
"""
from __future__ import annotations

import shlex
from typing import List, Optional, Sequence, Tuple

from ..model import colour as colours, lineage as lineages
from ..model.network import HYPERPARAMETERS, Network
from ..model.numbers import number  # noqa: F401 (re-exported: commands write numbers here)
from ..model.probe import parse_probe

Words = List[str]


def pair(v: Sequence[float]) -> str:
    """X,Y (a centre) as --center takes it."""
    return f"{number(v[0])},{number(v[1])}"


def sweep_param(text: str) -> str:
    """The parameter a sweep's text (PARAM:FROM:TO) names, as a hyperparameter's name (bias-scale: bias_scale)."""
    return text.split(":", 1)[0].strip().replace("-", "_")


def swept(sweeps: Sequence[str]) -> Tuple[str, ...]:
    """The parameters an animation's sweeps (PARAM:FROM:TO texts) set."""
    return tuple(sweep_param(s) for s in sweeps)


def parts(recipe) -> Tuple[Words, Words, Words]:
    """The command's words in three parts: the program and the network flags; the view flags (centre, extent,
    time, size: what the live exports rewrite as the view moves); the rest (probe, colour, backend, ...).
    `recipe` is a glnn.io.recipe.Recipe (read by its fields: this module does not import recipe.py)."""
    net, view, anim = recipe.network, recipe.view, recipe.animation
    skip = swept(anim.sweeps) if anim else ()
    # what the command's flags need not say: glnn's default activation, and that activation's defaults
    plain, defaults = Network(), Network(activation=net.activation)
    head = ["glnn", "animate" if anim else "render"]
    for h in HYPERPARAMETERS:
        value = getattr(net, h.name)
        if h.name in skip:
            continue
        # a bias scale tied to the scale (None) is tanh's default: said by saying nothing; a set one is said even
        # when it equals the scale (relu's default is 0.05; a swept scale moves a tied bias scale, not a set one)
        if value != getattr(plain if h.name == "activation" else defaults, h.name):
            head += [h.flag, number(value) if not isinstance(value, str) else value]
    if net.lineage:   # docs/lineage.md: the same text as the playground's URL word
        head += ["--lineage", lineages.to_text(net.lineage)]
    mid = []
    if view.center != (0.0, 0.0) and "center" not in skip:
        mid += ["--center", pair(view.center)]
    if view.extent != 1.0 and "extent" not in skip:
        mid += ["--extent", number(view.extent)]
    if view.time != 0.0 and "time" not in skip:
        mid += ["--time", number(view.time)]
    mid += ["--size", f"{view.width}x{view.height}"]
    tail = []
    if recipe.probe:
        tail += ["--probe", recipe.probe]
        if recipe.colour != parse_probe(recipe.probe, net).colour:
            tail += ["--color", recipe.colour]
    elif recipe.colour != colours.mode_for(net.channels).name:
        tail += ["--color", recipe.colour]
    if recipe.backend != "auto":
        tail += ["--backend", recipe.backend]
    if recipe.supersample != 1:
        tail += ["--supersample", number(recipe.supersample)]
    if anim:
        for s in anim.sweeps:
            tail += ["--sweep", s]
        tail += ["--frames", number(anim.frames), "--fps", number(anim.fps)]
        if anim.ease != "linear":
            tail += ["--ease", anim.ease]
        if anim.pingpong:
            tail.append("--pingpong")
    return head, mid, tail


def line(words: Sequence[str]) -> str:
    """Words as one shell line (each quoted where the shell needs it)."""
    return " ".join(shlex.quote(w) for w in words)


def command(recipe, out: Optional[str] = None) -> str:
    """The recipe's command line, with --out OUT when given."""
    head, mid, tail = parts(recipe)
    return line(head + mid + tail + (["--out", out] if out else []))
