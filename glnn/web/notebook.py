"""Networks in Jupyter: a Network shows itself as a small picture, and glnn.show() gives a live view.

glnn.show() is the exported page's WebGL2 view (glnn/web/glnn_view.js, the shader from glnn/web/webgl.py) as an
anywidget: drag pans, the wheel zooms, t plays time, and the widget's `view` follows. anywidget is the
optional extra glnn[notebook]; without it show() returns the still picture and says how to get the live one.
"""
from __future__ import annotations

import functools
import io
import sys
from typing import Optional, Sequence, Tuple

from .bundle import bundle
from ..model.network import Network
from ..io.request import resolve
from ..rendering.api import render_image
from ..model.view import as_center, as_size
from .webgl import page_spec

PREVIEW_SIZE = (256, 256)
INSTALL = "pip install 'glnn[notebook]'"


def preview_png(net: Network, size: Tuple[int, int] = PREVIEW_SIZE) -> bytes:
    """A small PNG of the network (what a notebook shows for a Network: its _repr_png_)."""
    buf = io.BytesIO()
    render_image(net, size=size).save(buf, format="PNG")
    return buf.getvalue()


@functools.lru_cache(maxsize=None)
def widget_class():
    """The anywidget class (made once; ImportError without the extra)."""
    import anywidget
    import traitlets

    class NetworkView(anywidget.AnyWidget):
        """A live WebGL2 view of one network: `spec` (from Python) and `view` (centre, extent, time, size:
        follows the user's pans and zooms)."""
        _esm = bundle("glnn_view.js")
        spec = traitlets.Dict().tag(sync=True)
        view = traitlets.Dict().tag(sync=True)

    return NetworkView


def show(net: Network, size: Sequence[int] = (640, 400), center: Sequence[float] = (0.0, 0.0), extent: float = 1.0,
         time: float = 0.0, colour: Optional[str] = None, hud: bool = True):
    """A live view of `net` in a notebook (anywidget), or the still picture without glnn[notebook].
    hud=False: the picture alone (no overlay with the recipe, the command and the buttons)."""
    recipe = resolve({"network": net, "size": as_size(size), "center": as_center(center), "extent": extent,
                      "time": time, "colour": colour})
    view, mode = recipe.view, recipe.colour
    w, h = view.size
    try:
        cls = widget_class()
    except ImportError:
        print(f"glnn.show: a still picture; for the live view (pan, zoom, time): {INSTALL}", file=sys.stderr)
        return render_image(net, size=(w, h), center=view.center, extent=extent, time=time, colour=mode)
    spec = dict(page_spec(recipe), hud=bool(hud))
    return cls(spec=spec, view={"center": list(view.center), "extent": extent, "time": time, "size": [w, h]})
