"""One resolved request: what the user said (flags, or the Python API's arguments) over a base (a --from
picture's recipe, or a saved network and its view), as one Recipe (glnn/io/recipe.py) that everything downstream
takes: the commands, the API, grid cells, figure panels, animation frames, the notebook and the page export.

The rules, the same everywhere:
- `given` holds only what was said; any given value overrides the base's.
- A --from picture gives the network (a changed hyperparameter draws the network from its seed: the embedded
  weights no longer apply), the view, the colour (where it fits the channels), the backend (where it works
  here), the supersampling, the probe and the animation. --cell picks a picture of a grid and needs --from.
- A saved network (--network) gives the network and its view; it cannot be combined with network flags or
  with --from.
"""
from __future__ import annotations

import dataclasses
from typing import Callable, Mapping, Optional, Tuple

from ..model import colour as colours, inits, lineage as lineages
from ..backends.base import check_supersample
from .command import number, sweep_param
from ..errors import GlnnError
from ..model.network import NAMES as NETWORK_NAMES, Network
from ..model.probe import parse_probe
from .recipe import MAX_FPS, MAX_FRAMES, MIN_FPS, Animation, Recipe, read_recipe
from .saved_network import load_with_view
from ..model.view import View

VIEW_NAMES = ("center", "extent", "time", "size")
ANIMATION_NAMES = ("sweeps", "frames", "fps", "ease", "pingpong")
# what `given` may hold: hyperparameters (or a whole "network"), view fields, and the rest
NAMES = NETWORK_NAMES + VIEW_NAMES + ("lineage", "network", "colour", "backend", "supersample", "probe") + ANIMATION_NAMES
DEFAULT_ANIMATION = Animation((), 60, 20.0)


def resolve(given: Mapping, source=None, cell: Optional[int] = None, network_file=None,
            default_size: Tuple[int, int] = (1024, 1024), usable: Optional[Callable[[str], bool]] = None,
            probes: bool = False, animated: bool = False) -> Recipe:
    """The request as one Recipe. `given`: what the user said (None values count as not said); `source`: a glnn
    picture (--from) and `cell`; `network_file`: a saved network (--network); `usable(backend)`: whether a base's
    backend works here (None: keep it unchecked); `probes`: the request may draw a probe (--probe, or the
    picture's); `animated`: the request is an animation (sweeps and timing, over the picture's). The backend
    stays as asked ("auto" included): an engine chooses it."""
    given = {k: v for k, v in given.items() if v is not None}
    unknown = set(given) - set(NAMES)
    if unknown:
        raise TypeError(f"unknown request fields: {', '.join(sorted(unknown))}")
    hyper = {k: given[k] for k in NETWORK_NAMES if k in given}
    base, view_base = None, {}
    if cell is not None and not source:
        raise GlnnError("--cell goes with --from (a grid of pictures)")
    if source:
        if network_file:
            raise GlnnError("--from and --network cannot be combined (each fixes the network)")
        base = read_recipe(source, cell)
        v = base.view
        view_base = {"center": v.center, "extent": v.extent, "time": v.time, "size": v.size}
        # flags override the recipe; a changed network is drawn from its seed (the embedded weights no longer apply)
        # (only scale, bias scale or gain changed: the same draws rescaled, a child stays that child)
        net = base.network.replace(**hyper) if hyper else base.network
    elif network_file:
        if hyper or "lineage" in given:
            flags = ", ".join("--" + k.replace("_", "-") for k in list(hyper) + (["lineage"] if "lineage" in given else []))
            raise GlnnError(f"{flags} cannot be combined with --network (the file fixes the network)")
        net, view_base = load_with_view(network_file)
        fixed = [s for s in (given.get("sweeps") or ()) if sweep_param(s) in NETWORK_NAMES] if animated else []
        if fixed:
            raise GlnnError(f"--sweep {fixed[0]} cannot be combined with --network (the file fixes the network: "
                            "sweep the view, time or extent)")
    elif "network" in given:
        net = given["network"].replace(**hyper) if hyper else given["network"]
    else:
        net = Network(**hyper)
    if "lineage" in given:   # --lineage TEXT: the network's steps from its seed (docs/lineage.md), said anew
        try:
            net = dataclasses.replace(net.replace(), morph_of=None,
                                      lineage=lineages.parse(given["lineage"], "--lineage"))
        except GlnnError as e:
            text = str(e)
            raise GlnnError(text if text.startswith("--lineage") else "--lineage: " + text.replace("lineage: ", "", 1))
    if isinstance(hyper.get("scale"), str) and not isinstance(hyper.get("gain", "critical"), str) \
            and inits.uses_gain(net.init):   # he and glorot: --scale critical sets the gain
        raise GlnnError(f"--scale {hyper['scale']} with init {net.init} sets the gain, and --gain "
                        f"{number(hyper['gain'])} was given too: give one of them")

    def pick(name, default):
        return given[name] if name in given else view_base.get(name, default)

    w, h = pick("size", None) or default_size
    view = View(w, h, tuple(pick("center", (0.0, 0.0))), pick("extent", 1.0), pick("time", 0.0))

    probe = None
    if probes:
        text = given.get("probe", base.probe if base else None)
        probe = parse_probe(text, net) if text and text != "none" else None
    if probe:   # any mode that reads the probe's channels (1, or 3 for regions), else the probe's
        mode = colours.mode_for(3 if probe.colour == "rgb" else 1, given["colour"]).name if "colour" in given \
            else probe.colour
    else:
        mode = colour_for(net, given.get("colour"), base.colour if base else None)
    backend = given.get("backend")
    if backend is None:
        wanted = base.backend if base else "auto"
        backend = wanted if wanted == "auto" or usable is None or usable(wanted) else "auto"
    k = check_supersample(given.get("supersample", base.supersample if base else 1), "--supersample")

    animation = None
    if animated:
        a = (base.animation if base else None) or DEFAULT_ANIMATION
        frames, fps = given.get("frames", a.frames), given.get("fps", a.fps)
        # what a recipe may hold (glnn/io/recipe.py): the file's --from must read it back
        if not (isinstance(frames, int) and not isinstance(frames, bool) and 1 <= frames <= MAX_FRAMES):
            raise GlnnError(f"--frames must be from 1 to {MAX_FRAMES}, not {frames!r}")
        if not (isinstance(fps, (int, float)) and not isinstance(fps, bool) and MIN_FPS <= fps <= MAX_FPS):
            raise GlnnError(f"--fps must be from {MIN_FPS:g} to {MAX_FPS:g}, not {fps!r}")
        animation = Animation(tuple(given.get("sweeps") or a.sweeps), frames, float(fps),
                              given.get("ease") or a.ease, bool(given.get("pingpong")) or a.pingpong)
    return Recipe(net, view, mode, backend, animation=animation, supersample=k,
                  probe=probe.text if probe else None)


def colour_for(net: Network, given: Optional[str] = None, base: Optional[str] = None) -> str:
    """The colour mode: the given one (checked against the channels), else the base's where it fits, else the
    channels' default."""
    if given:
        return colours.mode_for(net.channels, given).name
    if base and colours.BY_NAME[base].inputs == net.channels:
        return base
    return colours.mode_for(net.channels).name
