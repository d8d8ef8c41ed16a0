"""The backend protocol: what every way of rendering a network implements.

A backend renders a network in a view to raw outputs, float32 (h, w, C), row 0
at the top; optionally only the sub-rectangle rect = (c0, r0, w, h) of the
picture, and optionally into a given array. It has a name (its row in
glnn/backends/registry.py gives its description and capabilities:
registry.entry(backend.name)) and says whether it can run here (and if not, why).
"""
from __future__ import annotations

import abc
from typing import Optional, Tuple

import numpy as np

from ..errors import GlnnError
from ..model.network import Network
from ..model.view import MAX_SIZE, View

Rect = Tuple[int, int, int, int]   # (c0, r0, w, h): columns c0..c0+w-1 and rows r0..r0+h-1 of the picture


class Backend(abc.ABC):
    name: str = ""   # its row in glnn/backends/registry.py

    def label(self, net: Network) -> str:
        """What the window's heads-up display calls this backend drawing `net`."""
        return self.name

    @classmethod
    def create(cls, engine) -> "Backend":
        """A new instance for `engine` (backends that need its GL context or settings take them here)."""
        return cls()

    def unavailable(self) -> Optional[str]:
        """Why this backend cannot run here, or None when it can."""
        return None

    @property
    def compiles(self) -> int:
        """Programs compiled so far (0 for backends that compile nothing)."""
        return 0

    @abc.abstractmethod
    def render(self, net: Network, view: View, rect: Optional[Rect] = None,
               out: Optional[np.ndarray] = None) -> np.ndarray:
        """Raw outputs of the picture's pixels in `rect` (default: all), float32 (h, w, C); into `out` if given."""

    def close(self) -> None:
        """Release what the backend holds (threads, GL objects)."""


MAX_SUPERSAMPLE = 8
SUPERSAMPLE_BAND_PIXELS = 1 << 22    # samples rendered at once (a band of output rows)


def check_supersample(k, what: str = "supersample") -> int:
    """k, when it is a whole number of samples per pixel side from 1 to MAX_SUPERSAMPLE; GlnnError if not."""
    if not (isinstance(k, int) and not isinstance(k, bool) and 1 <= k <= MAX_SUPERSAMPLE):
        raise GlnnError(f"{what} must be a whole number from 1 to {MAX_SUPERSAMPLE}, not {k!r}")
    return k


def supersampled(backend: Backend, net: Network, view: View, k: int) -> np.ndarray:
    """The picture with k x k samples per pixel, averaged (raw outputs, float32 (H, W, C)): the view at k times
    the size (same centre and extent: its pixels are the sub-pixels, centred on a k x k grid), rendered in
    bands of rows and averaged in blocks."""
    if check_supersample(k) == 1:
        return backend.render(net, view)
    out = np.empty((view.height, view.width, net.channels), np.float32)
    rows = max(1, SUPERSAMPLE_BAND_PIXELS // (view.width * k * k))
    for r0 in range(0, view.height, rows):
        n = min(rows, view.height - r0)
        out[r0:r0 + n] = supersampled_rows(backend, net, view, k, r0, n)
    return out


def supersampled_rows(backend: Backend, net: Network, view: View, k: int, r0: int, n: int) -> np.ndarray:
    """Rows r0 .. r0 + n - 1 of the picture with k x k samples per pixel (k = 1: plain), float32 (n, W, C)."""
    if check_supersample(k) == 1:
        return backend.render(net, view, (0, r0, view.width, n))
    if max(view.width, view.height) * k > MAX_SIZE:
        raise GlnnError(f"supersample {k} x {view.width}x{view.height} passes {MAX_SIZE} samples a side")
    fine = view.replace(width=view.width * k, height=view.height * k)
    band = backend.render(net, fine, (0, r0 * k, fine.width, n * k))
    with np.errstate(over="ignore", invalid="ignore"):   # inf and NaN samples stay so (the pipeline says so)
        return band.reshape(n, k, view.width, k, net.channels).mean(axis=(1, 3), dtype=np.float64).astype(np.float32)


def bands(backend: Backend, net: Network, view: View, k: int = 1, band_pixels: int = 1 << 22,
          progress=None):
    """The picture as bands of rows, top to bottom (bounded memory for huge pictures); progress(rows done)."""
    rows = max(1, band_pixels // (view.width * k * k))
    for r0 in range(0, view.height, rows):
        n = min(rows, view.height - r0)
        yield supersampled_rows(backend, net, view, k, r0, n)
        if progress:
            progress(r0 + n)


def full_rect(view: View) -> Rect:
    return (0, 0, view.width, view.height)


def checked_rect(view: View, rect: Optional[Rect]) -> Rect:
    """`rect` (default: the whole picture), checked to lie inside the view."""
    if rect is None:
        return full_rect(view)
    c0, r0, w, h = (int(v) for v in rect)
    if not (w >= 1 and h >= 1 and c0 >= 0 and r0 >= 0 and c0 + w <= view.width and r0 + h <= view.height):
        raise ValueError(f"rect {rect} is not inside the {view.width}x{view.height} picture")
    return c0, r0, w, h


def output_array(net: Network, rect: Rect, out: Optional[np.ndarray]) -> np.ndarray:
    """`out`, checked to be float32 (h, w, C) and writable, or a new such array."""
    shape = (rect[3], rect[2], net.channels)
    if out is None:
        return np.empty(shape, np.float32)
    if out.shape != shape or out.dtype != np.float32 or not out.flags.writeable:
        raise ValueError(f"out must be a writable float32 array of shape {shape}, not {out.dtype} {out.shape}")
    return out
