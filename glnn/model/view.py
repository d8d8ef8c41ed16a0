"""The view: which rectangle of the input plane a W x H picture shows (docs/contract.md, the view).

This module holds the project's one pixel convention. Pixel (row r, column c),
row 0 at the top, is sampled at its centre:

    s = 2 * extent / min(W, H)
    x = cx + (c + 0.5 - W / 2) * s
    y = cy + (H / 2 - r - 0.5) * s        # y grows upward
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Tuple

import numpy as np

from ..errors import GlnnError

MAX_SIZE = 16384


def _finite(v) -> bool:
    """A finite number (a 400-digit integer is not: it has no float)."""
    if not isinstance(v, (int, float, np.floating, np.integer)) or isinstance(v, bool):
        return False
    try:
        return math.isfinite(v)
    except OverflowError:
        return False


@dataclass(frozen=True)
class View:
    width: int = 512
    height: int = 512
    center: Tuple[float, float] = (0.0, 0.0)
    extent: float = 1.0
    time: float = 0.0

    def __post_init__(self):
        for name in ("width", "height"):
            v = getattr(self, name)
            if not (isinstance(v, (int, np.integer)) and not isinstance(v, bool) and 1 <= v <= MAX_SIZE):
                raise GlnnError(f"picture {name} must be an integer from 1 to {MAX_SIZE}, not {v!r}")
        try:
            cx, cy = (float(c) for c in self.center)
        except (TypeError, ValueError, OverflowError):
            raise GlnnError(f"center must be two numbers X,Y, not {self.center!r}")
        if not (math.isfinite(cx) and math.isfinite(cy) and abs(cx) <= 1e6 and abs(cy) <= 1e6):
            raise GlnnError(f"center must be two finite numbers within 1e6, not {self.center!r}")
        object.__setattr__(self, "center", (cx, cy))
        if not (_finite(self.extent) and 1e-6 <= self.extent <= 1e6):
            raise GlnnError(f"extent must be a number from 1e-6 to 1e6, not {self.extent!r}")
        object.__setattr__(self, "extent", float(self.extent))
        if not (_finite(self.time) and abs(self.time) <= 1e6):
            raise GlnnError(f"time must be a finite number within 1e6, not {self.time!r}")
        object.__setattr__(self, "time", float(self.time))

    @property
    def size(self) -> Tuple[int, int]:
        return (self.width, self.height)

    @property
    def pixel_size(self) -> float:
        """s: the distance between neighbouring pixel centres in the input plane."""
        return 2.0 * self.extent / min(self.width, self.height)

    def replace(self, **changes) -> "View":
        return dataclasses.replace(self, **changes)

    def coords(self, rows: np.ndarray, cols: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Float64 input-plane (x, y) of pixel centres (rows, cols broadcast together)."""
        s = self.pixel_size
        x = self.center[0] + (np.asarray(cols, np.float64) + 0.5 - self.width / 2.0) * s
        y = self.center[1] + (self.height / 2.0 - np.asarray(rows, np.float64) - 0.5) * s
        return x, y

    def spec_dict(self) -> dict:
        return {"center": list(self.center), "extent": self.extent, "time": self.time}


def as_size(value) -> Tuple[int, int]:
    """A picture size from the forms people write: (W, H), W for a square, or "WxH"; GlnnError otherwise."""
    if isinstance(value, str):
        parts = value.lower().split("x")
        if len(parts) == 2 and all(p.strip().isdigit() for p in parts):
            return int(parts[0]), int(parts[1])
    elif isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value), int(value)
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value):
        return int(value[0]), int(value[1])
    raise GlnnError(f"size must be (width, height), a whole number for a square, or 'WxH', not {value!r}")


def as_center(value) -> Tuple[float, float]:
    """A centre from the forms people write: (x, y) or "x,y"; GlnnError otherwise."""
    parts = value.split(",") if isinstance(value, str) else value
    try:
        if isinstance(parts, (tuple, list, np.ndarray)) and len(parts) == 2:
            x, y = (float(p) for p in parts)
            return x, y
    except (TypeError, ValueError):
        pass
    raise GlnnError(f"center must be (x, y) or 'x,y', not {value!r}")
