"""The backend protocol: what every way of rendering a network implements.

A backend renders a network in a view to raw outputs, float32 (h, w, C), row 0
at the top; optionally only the sub-rectangle rect = (c0, r0, w, h) of the
picture, and optionally into a given array. It has a name, a one-line
description, and says whether it can run here (and if not, why).
"""
from __future__ import annotations

import abc
from typing import Optional, Tuple

import numpy as np

from ..network import Network
from ..view import View

Rect = Tuple[int, int, int, int]   # (c0, r0, w, h): columns c0..c0+w-1 and rows r0..r0+h-1 of the picture


class Backend(abc.ABC):
    name: str = ""
    description: str = ""

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
