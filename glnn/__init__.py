"""glnn: look at random neural networks, evaluated per pixel in GLSL and checked against numpy."""
__version__ = "0.1.0"

from .errors import GLUnavailable, GlnnError
from .network import Layer, Network
from .render import render, render_image, render_view
from .view import View

__all__ = ["Network", "Layer", "View", "render", "render_image", "render_view", "GlnnError", "GLUnavailable",
           "__version__"]
