"""glnn: look at random neural networks, evaluated per pixel in GLSL and checked against numpy.

    net = glnn.Network(seed=7, depth=27, width=30)
    glnn.render_image(net, size=(512, 512), extent=2.6)     # a PIL image
    glnn.render(net, size=(256, 256))                       # float32 (H, W, C)
    glnn.show(net)                                          # a live view in a notebook (glnn[notebook])
    glnn.probe_image(net, "regions"); glnn.layer_stats(net)  # inside the network (glnn/probes.py)

docs/contract.md says what a network, a view and a picture are.
"""
from .engine import Engine, default_engine
from .errors import GLUnavailable, GlnnError
from .network import Layer, Network
from .notebook import preview_png, show
from .recipe import Recipe, read_recipe
from . import saved_network
from .render import layer_stats, probe_image, render, render_image, render_view
from .version import __version__
from .view import View

# a notebook shows a Network as a small picture (defined here: glnn.notebook renders, and network.py stays a leaf)
Network._repr_png_ = preview_png
# the saved-network file format (glnn/saved_network.py) as Network's methods: net.save(path, view),
# Network.load(path), Network.from_image(picture) (network.py knows no file format)
Network.save = saved_network.save
Network.load = staticmethod(saved_network.load)
Network.from_image = staticmethod(saved_network.from_image)

__all__ = ["Network", "Layer", "View", "Engine", "default_engine", "render", "render_image", "render_view",
           "Recipe", "read_recipe", "show", "probe_image", "layer_stats", "GlnnError", "GLUnavailable", "__version__"]
