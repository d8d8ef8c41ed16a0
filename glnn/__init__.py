"""glnn: look at random neural networks, evaluated per pixel in GLSL and checked against numpy.

    net = glnn.Network(seed=7, depth=27, width=30)
    glnn.render_image(net, size=(512, 512), extent=2.6)     # a PIL image
    glnn.render(net, size=(256, 256))                       # float32 (H, W, C)
    glnn.show(net)                                          # a live view in a notebook (glnn[notebook])
    glnn.probe_image(net, "regions"); glnn.layer_stats(net)  # inside the network (glnn/rendering/probes.py)

docs/contract.md says what a network, a view and a picture are.

The package is laid out in rooms by level (model, backends, io, gl, rendering, explore, app, web, article, then
bench.py and cli: each imports only the rooms before it; tests/rooms.py, tests/unit/test_rooms.py). The model (Network, View), recipes and saved
networks import no GL: the names that render (the engine, render, show, ...) load on first use, so
`import glnn.io.recipe` reads a recipe without moderngl.
"""
from __future__ import annotations

import importlib
from types import MappingProxyType

from .errors import GLUnavailable, GlnnError
from .model.network import Layer, Network
from .model.view import View
from .version import __version__

# the names that render, and where they live (loaded on first use: PEP 562)
LAZY = MappingProxyType({
    "Recipe": "io.recipe", "read_recipe": "io.recipe", "Engine": "rendering.engine", "default_engine": "rendering.engine",
    "render": "rendering.api", "render_image": "rendering.api", "render_view": "rendering.api", "probe_image": "rendering.api",
    "layer_stats": "explore.layer_stats", "show": "web.notebook", "preview_png": "web.notebook"})

# modules the README names as glnn.NAME (glnn.animate.frames(...)), loaded on first use
SUBMODULES = MappingProxyType({"animate": "explore.animate", "figures": "article.figures"})


def __getattr__(name):
    if name in LAZY:
        return getattr(importlib.import_module(f".{LAZY[name]}", __name__), name)
    if name in SUBMODULES:
        return importlib.import_module(f".{SUBMODULES[name]}", __name__)
    raise AttributeError(f"module 'glnn' has no attribute {name!r}")


__all__ = ["Network", "Layer", "View", "Engine", "default_engine", "render", "render_image", "render_view",
           "Recipe", "read_recipe", "show", "probe_image", "layer_stats", "GlnnError", "GLUnavailable", "__version__"]
