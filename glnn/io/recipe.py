"""A picture's recipe: everything needed to make it again, stored inside the picture file.

Every picture glnn writes carries one (glnn/io/metadata.py says where): the network
hyperparameters and, when their compressed file is under 1 MB, the weights
themselves (so a later version that draws weights differently still re-renders
it identically), the view, the colour mode, the backend that drew it, the glnn
version, the equivalent command, and for animations the sweeps and timing. A
grid of pictures stores one recipe per cell.

read_recipe() trusts nothing: every field is validated as the flag or file it
stands for would be, and anything else is a GlnnError naming the file.
"""
from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from ..model import colour as colours, lineage as lineages
from . import command as commands
from ..backends.base import check_supersample
from ..backends import registry as backend_registry
from ..errors import GlnnError
from .files import path_name
from .metadata import WEIGHTS_BUDGET, read_recipe_json, select_cell
from ..model.network import HYPERPARAMETERS, Network
from .saved_network import from_recipe as network_from_recipe, to_bytes
from ..model.probe import parse_probe
from .sweeps import EASES, MAX_FRAMES, Sweep, check_sweeps, parse_sweep
from ..version import __version__
from ..model.view import MAX_SIZE, View

FORMAT = "glnn-recipe"
MIN_FPS, MAX_FPS = 0.1, 100.0   # an animation's frame rate
VERSION = 1


@dataclass(frozen=True)
class Animation:
    sweeps: Tuple[str, ...]
    frames: int
    fps: float
    ease: str = "linear"
    pingpong: bool = False

    def parsed(self) -> List[Sweep]:
        return [parse_sweep(s) for s in self.sweeps]


@dataclass(frozen=True)
class Recipe:
    network: Network
    view: View
    colour: str = "rgb"
    backend: str = "auto"
    glnn: str = __version__
    animation: Optional[Animation] = None
    supersample: int = 1
    probe: Optional[str] = None       # glnn/rendering/probes.py: the picture shows the hidden units, not the outputs

    # ------------------------------------------------------------- writing
    def to_json(self, weights_budget: int = WEIGHTS_BUDGET) -> dict:
        """The recipe as JSON; the weights go in when their base64 text fits weights_budget characters."""
        out = {"format": FORMAT, "version": VERSION, "glnn": self.glnn,
               "network": {h.name: getattr(self.network, h.name) for h in HYPERPARAMETERS},
               "view": {"size": [self.view.width, self.view.height], "center": list(self.view.center),
                        "extent": self.view.extent, "time": self.view.time},
               "colour": self.colour, "backend": self.backend, "supersample": self.supersample,
               **({"probe": self.probe} if self.probe else {}),
               "command": self.command()}
        out["network"]["seed"] = int(out["network"]["seed"])
        if self.network.morph_of is not None:   # a morph between two seeds' networks: redrawn from both
            out["morph_of"] = [int(self.network.morph_of[0]), float(self.network.morph_of[1])]
        if self.network.lineage:   # the breeder's steps (docs/lineage.md): redrawn from the seeds they name
            out["lineage"] = lineages.to_json(self.network.lineage)
        if weights_budget > 0 and _weights_size(self.network) * 4 // 3 <= weights_budget:
            weights = base64.b64encode(to_bytes(self.network)).decode("ascii")
            if len(weights) <= weights_budget:
                out["weights"] = weights
        if self.animation is not None:
            a = self.animation
            out["animation"] = {"sweeps": list(a.sweeps), "frames": a.frames, "fps": a.fps, "ease": a.ease,
                                "pingpong": a.pingpong}
        return out

    def command(self, out: Optional[str] = None) -> str:
        """The equivalent `glnn render` (or `glnn animate`) command line (glnn/io/command.py writes it)."""
        return commands.command(self, out)

    def command_parts(self) -> Tuple[List[str], List[str], List[str]]:
        """The command's words in three parts: the program and network flags, the view flags (centre, extent,
        time, size: what the live exports rewrite as the view moves), and the rest (colour, backend, ...)."""
        return commands.parts(self)


def _weights_size(net: Network) -> int:
    """A lower bound of the compressed weights' size (random float32 hardly compresses): skips hopeless cases.
    From the layers' shapes: the weights are not drawn for it (a sheet's recipe must not keep every cell's)."""
    return sum(4 * (o * i + o) for o, i in net.layer_shapes()) // 2


def grid_json(cells: Sequence[Tuple[Recipe, Tuple[int, int, int, int]]]) -> dict:
    """The recipe of a grid: each cell's recipe and its rectangle (x, y, w, h) in the grid. The cells share
    the weights budget, in order: later cells past it are stored by their hyperparameters."""
    budget, out = WEIGHTS_BUDGET, []
    for r, rect in cells:
        cell = dict(r.to_json(budget), rect=list(rect))
        budget -= len(cell.get("weights", ""))
        out.append(cell)
    return {"format": FORMAT, "version": VERSION, "glnn": __version__, "cells": out}


# ------------------------------------------------------------------ reading
def read_recipe(path, cell: Optional[int] = None) -> Recipe:
    """The recipe inside a glnn picture (PNG, APNG, GIF, WebP), every field validated; `cell` picks one picture
    of a grid. GlnnError, one line naming the file, when it is missing or damaged."""
    name = path_name(path, "picture")
    data = select_cell(read_recipe_json(name), cell, name)
    return from_json(data, name)


def from_json(data: dict, name: str) -> Recipe:
    def bad(what):
        return GlnnError(f"{name!r}: the glnn recipe is damaged ({what})")

    version = data.get("version")
    if not (isinstance(version, int) and not isinstance(version, bool) and 1 <= version <= VERSION):
        raise bad(f"version {version!r}; this glnn reads recipe versions 1 to {VERSION}")
    net = network_from_recipe(data, name)
    v = data.get("view")
    if not isinstance(v, dict):
        raise bad("no view")
    size, center = v.get("size"), v.get("center")
    if not (isinstance(size, list) and len(size) == 2 and all(_is_int(s) and 1 <= s <= MAX_SIZE for s in size)):
        raise bad(f"size must be two whole numbers from 1 to {MAX_SIZE}, not {size!r}")
    if not (isinstance(center, list) and len(center) == 2 and all(_is_number(c) for c in center)):
        raise bad(f"center must be two numbers, not {center!r}")
    if not all(_is_number(v.get(k)) for k in ("extent", "time")):
        raise bad("extent and time must be numbers")
    try:
        view = View(size[0], size[1], tuple(center), v["extent"], v["time"])
    except GlnnError as e:
        raise bad(str(e))
    mode, probe = data.get("colour"), data.get("probe")
    if not isinstance(mode, str):
        raise bad("no colour mode")
    if probe is not None and not (isinstance(probe, str) and len(probe) < 40):
        raise bad("probe must be a short string")
    try:
        shown = 3 if probe and parse_probe(probe, net).colour == "rgb" else 1 if probe else net.channels
        colours.mode_for(shown, mode)
    except GlnnError as e:
        raise bad(str(e))
    backend = data.get("backend")
    if backend not in backend_registry.CHOICES:
        raise bad(f"unknown backend {str(backend)[:40]!r}")
    glnn = data.get("glnn")
    if not (isinstance(glnn, str) and len(glnn) <= 40 and all(c.isascii() and (c.isalnum() or c in ".+-_")
                                                                   for c in glnn)):
        raise bad("bad glnn version")
    try:
        k = check_supersample(data.get("supersample", 1))
    except GlnnError as e:
        raise bad(str(e))
    return Recipe(net, view, mode, backend, glnn, _animation(data.get("animation"), bad), k, probe)


def _animation(a, bad) -> Optional[Animation]:
    if a is None:
        return None
    if not isinstance(a, dict):
        raise bad("animation is not an object")
    sweeps = a.get("sweeps")
    if not (isinstance(sweeps, list) and sweeps and all(isinstance(s, str) and len(s) < 200 for s in sweeps)):
        raise bad("animation sweeps must be a list of PARAM:FROM:TO strings")
    try:
        check_sweeps([parse_sweep(s) for s in sweeps])
    except GlnnError as e:
        raise bad(str(e))
    frames, fps, ease, pingpong = a.get("frames"), a.get("fps"), a.get("ease"), a.get("pingpong")
    if not (_is_int(frames) and 1 <= frames <= MAX_FRAMES):
        raise bad(f"frames must be a whole number from 1 to {MAX_FRAMES}")
    if not (_is_number(fps) and MIN_FPS <= fps <= MAX_FPS):
        raise bad(f"fps must be a number from {MIN_FPS:g} to {MAX_FPS:g}")
    if ease not in EASES or not isinstance(pingpong, bool):
        raise bad("bad ease or pingpong")
    return Animation(tuple(sweeps), frames, float(fps), ease, pingpong)


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
