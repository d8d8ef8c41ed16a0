"""Rendering, whatever the backend: the Python API's render() and render_image().

Backends: "gl" (GLSL through moderngl), "numpy" (the reference), "auto" (GL
when a context can be made, else numpy with a one-line notice on stderr).
"""
from __future__ import annotations

import sys
from typing import Optional, Sequence, Tuple

import numpy as np

from . import reference
from .context import offscreen_context
from .errors import GLUnavailable, GlnnError
from .network import Network
from .view import View

BACKENDS = ("auto", "gl", "numpy")
_renderer = None
_notified = False


def gl_renderer():
    """The offscreen GLRenderer (created on first use); raises GLUnavailable."""
    global _renderer
    if _renderer is None:
        from .gl_renderer import GLRenderer
        _renderer = GLRenderer(offscreen_context())
    return _renderer


def resolve_backend(backend: str) -> str:
    """'gl' or 'numpy' for a requested backend; 'auto' falls back to numpy with a notice."""
    global _notified
    if backend not in BACKENDS:
        raise GlnnError(f"unknown backend {backend!r} (choose from {', '.join(BACKENDS)})")
    if backend == "numpy":
        return "numpy"
    try:
        gl_renderer()
        return "gl"
    except GLUnavailable as e:
        if backend == "gl":
            raise
        if not _notified:
            print(f"glnn: OpenGL unavailable, using the numpy backend ({e})", file=sys.stderr)
            _notified = True
        return "numpy"


def render_view(net: Network, view: View, backend: str = "auto") -> np.ndarray:
    """The picture of `net` in `view` as float32 (H, W, C), row 0 at the top (raw, unclamped)."""
    if resolve_backend(backend) == "gl":
        return gl_renderer().render(net, view)
    return reference.evaluate(net, view)


def render(net: Network, size: Tuple[int, int] = (512, 512), center: Sequence[float] = (0.0, 0.0),
           extent: float = 1.0, time: float = 0.0, backend: str = "auto") -> np.ndarray:
    """Render `net` at size=(W, H): float32 (H, W, C), row 0 at the top."""
    W, H = size
    return render_view(net, View(W, H, tuple(center), extent, time), backend)


def to_uint8(picture: np.ndarray) -> np.ndarray:
    """SPEC.md section 4: clamp to [0, 1], store round(255 * v)."""
    return np.rint(np.clip(picture, 0.0, 1.0) * 255.0).astype(np.uint8)


def to_image(picture: np.ndarray):
    from PIL import Image

    data = to_uint8(picture)
    if data.shape[2] == 1:
        return Image.fromarray(data[:, :, 0], mode="L")
    return Image.fromarray(data, mode="RGB")


def render_image(net: Network, size: Tuple[int, int] = (512, 512), center: Sequence[float] = (0.0, 0.0),
                 extent: float = 1.0, time: float = 0.0, backend: str = "auto"):
    """As render(), as a PIL.Image (RGB, or L for one channel): a notebook shows it inline."""
    return to_image(render(net, size, center, extent, time, backend))
