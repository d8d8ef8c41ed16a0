"""The Python API's rendering functions, on the process's default engine (glnn/rendering/engine.py).

Backends: the registry's (glnn/backends/registry.py: "gl", GLSL through
moderngl; "cpu", numpy float32 on every core; "numpy", the float64 reference),
or "auto" (whichever of the backends that race in auto measured faster on this
machine; without GL the others, with a one-line notice). Pass
engine=... to render on another engine (a window's context, say).

Each call's arguments are resolved into one Recipe (glnn/io/request.py), as the command line's flags are.
"""
from __future__ import annotations

from typing import Optional, Sequence, Tuple

import numpy as np

from .engine import Engine
from . import pipeline
from ..model.network import Network
from ..model.probe import parse_probe
from ..io.recipe import Recipe
from ..io.request import resolve
from ..model.view import View, as_center, as_size


def request(net: Network, size=(512, 512), center=(0.0, 0.0), extent: float = 1.0, time: float = 0.0,
            backend: str = "auto", colour: Optional[str] = None, probe: Optional[str] = None) -> Recipe:
    """The API's arguments as one resolved Recipe (the backend as asked)."""
    return resolve({"network": net, "size": as_size(size), "center": as_center(center), "extent": extent,
                    "time": time, "backend": backend, "colour": colour, "probe": probe}, probes=probe is not None)


def render_view(net: Network, view: View, backend: str = "auto", engine: Optional[Engine] = None) -> np.ndarray:
    """The picture of `net` in `view` as raw outputs, float32 (H, W, C), row 0 at the top (unclamped)."""
    return pipeline.raw(Recipe(net, view, backend=backend), engine)


def render(net: Network, size: Tuple[int, int] = (512, 512), center: Sequence[float] = (0.0, 0.0),
           extent: float = 1.0, time: float = 0.0, backend: str = "auto", engine: Optional[Engine] = None) -> np.ndarray:
    """Render `net` at size=(W, H) (or W for a square, or "WxH"): raw outputs, float32 (H, W, C), row 0 at the
    top. center is (x, y) or "x,y"."""
    return pipeline.raw(request(net, size, center, extent, time, backend), engine)


def render_image(net: Network, size: Tuple[int, int] = (512, 512), center: Sequence[float] = (0.0, 0.0),
                 extent: float = 1.0, time: float = 0.0, backend: str = "auto", colour: Optional[str] = None,
                 engine: Optional[Engine] = None):
    """As render(), through the colour stage, as a PIL.Image (RGB, or L for gray): a notebook shows it inline."""
    return pipeline.image(request(net, size, center, extent, time, backend, colour), engine)


def probe_image(net: Network, probe: str, size: Tuple[int, int] = (512, 512), center: Sequence[float] = (0.0, 0.0),
                extent: float = 1.0, time: float = 0.0, backend: str = "auto", engine: Optional[Engine] = None):
    """What `glnn render --probe` draws (units:K, unit:K:J, regions, saturation), as a PIL.Image."""
    r = request(net, size, center, extent, time, backend, probe=probe)
    if not r.probe:
        parse_probe(probe, r.network)   # "none" is not a probe to draw: its one-line message
    return pipeline.image(r, engine)

