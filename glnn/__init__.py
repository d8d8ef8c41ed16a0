"""glnn: look at random neural networks, evaluated per pixel in GLSL and checked against numpy.

    net = glnn.Network(seed=7, depth=27, width=30)
    glnn.render_image(net, size=(512, 512), extent=2.6)     # a PIL image
    glnn.render(net, size=(256, 256))                       # float32 (H, W, C)
    glnn.show(net)                                          # a live view in a notebook (glnn[notebook])
    glnn.probe_image(net, "regions"); glnn.layer_stats(net)  # inside the network (glnn/probes.py)

docs/contract.md says what a network, a view and a picture are.

The model (Network, View), recipes and saved networks import no GL: the names that render (the engine, render,
show, ...) load on first use, so `import glnn.recipe` reads a recipe without moderngl.
"""
from __future__ import annotations

import importlib
from types import MappingProxyType

from . import saved_network
from .errors import GLUnavailable, GlnnError
from .network import Layer, Network
from .version import __version__
from .view import View

# the names that render, and where they live (loaded on first use: PEP 562)
LAZY = MappingProxyType({
    "Recipe": "recipe", "read_recipe": "recipe", "Engine": "engine", "default_engine": "engine",
    "render": "render_api", "render_image": "render_api", "render_view": "render_api", "probe_image": "render_api",
    "layer_stats": "render_api", "show": "notebook", "preview_png": "notebook"})

# modules the README names as glnn.NAME (glnn.animate.frames(...)), loaded on first use
SUBMODULES = ("animate", "figures")


def __getattr__(name):
    if name in LAZY:
        return getattr(importlib.import_module(f".{LAZY[name]}", __name__), name)
    if name in SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'glnn' has no attribute {name!r}")


def _repr_png_(net: Network) -> bytes:
    """A notebook shows a Network as a small picture (glnn/notebook.py renders; network.py stays a leaf)."""
    from .notebook import preview_png

    return preview_png(net)


Network._repr_png_ = _repr_png_
# the saved-network file format (glnn/saved_network.py) as Network's methods: net.save(path, view),
# Network.load(path), Network.from_image(picture) (network.py knows no file format)
# (API sugar only: glnn's own code calls glnn.saved_network's functions)
Network.save = saved_network.save
Network.load = classmethod(saved_network.load_as)
Network.from_image = classmethod(saved_network.from_image_as)

__all__ = ["Network", "Layer", "View", "Engine", "default_engine", "render", "render_image", "render_view",
           "Recipe", "read_recipe", "show", "probe_image", "layer_stats", "GlnnError", "GLUnavailable", "__version__"]
