"""Edge density: how sharp and busy a picture is, the measure issue 23 compared the figures with.

The gray level (the mean of R, G and B, in [0, 1]) is differenced between neighbouring pixels; the mean
gradient magnitude times the panel's side (the mean of its width and height) is about how many full
black-to-white transitions a line across the panel meets. A margin is left out (JPEG edges, gutters).
The article's figure 6 panels measure about 0.65 (0.63, 0.49, 0.85), its figure 14 relu row 0.6, 0.75,
1.15, 2.3 (the copies in ../shared/reference/images/)."""
from __future__ import annotations

import numpy as np


def edge_density(rgb, margin: int = 3, gray: str = "mean") -> float:
    """rgb: (H, W, 3) or (H, W), uint8 or floats in [0, 1]. gray: "mean" of the channels (the issue's
    measure), or "max" (a one-channel panel measured on its own channel, whatever colour shows it)."""
    a = np.asarray(rgb)
    a = a / 255.0 if a.dtype.kind in "ui" else a.astype(np.float64)
    if a.ndim == 3:
        a = a[..., :3].mean(axis=2) if gray == "mean" else a[..., :3].max(axis=2)
    if margin:
        a = a[margin:-margin, margin:-margin]
    h, w = a.shape
    gx = np.diff(a, axis=1)[:-1, :]
    gy = np.diff(a, axis=0)[:, :-1]
    return float(np.hypot(gx, gy).mean() * (h + w) / 2)
