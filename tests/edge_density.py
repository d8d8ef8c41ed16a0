"""Edge density: how sharp and busy a picture is, the measure issue 23 compared the figures with.

The gray level (the mean of R, G and B, in [0, 1]) is differenced between neighbouring pixels; the mean
gradient magnitude times the panel's side (the mean of its width and height) is about how many full
black-to-white transitions a line across the panel meets. A margin is left out (JPEG edges, gutters).
The article's figure 6 panels measure about 0.65 (0.63, 0.49, 0.85), its figure 14 relu row 0.6, 0.75,
1.15, 2.3 (the copies in ../shared/reference/images/). The copies are JPEG (quality ~90), whose noise adds
15-45% to smooth pictures: compare glnn's panels with them through jpeg() (issue 36; tools/figure_edges.py)."""
from __future__ import annotations

import io
import math
import os

import numpy as np
from PIL import Image

REFERENCE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..", "shared", "reference",
                         "images")


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


def runs(mask):
    """[start, end) of each run of True."""
    out, start = [], None
    for i, v in enumerate(list(mask) + [False]):
        if v and start is None:
            start = i
        elif not v and start is not None:
            out.append((start, i))
            start = None
    return out


def jpeg(a, quality=90):
    """`a` (uint8 RGB) saved as JPEG and read back, as the article's reference copies were saved (quality ~90)."""
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, "JPEG", quality=quality)
    return np.asarray(Image.open(buf).convert("RGB"))


def reference_panels(image, white=235, min_side=40):
    """The panels of a reference figure, in reading order, found between its white gutters."""
    a = np.asarray(image.convert("RGB"))
    ink = a.min(axis=2) < white
    rows = [r for r in runs(ink.mean(axis=1) > 0.3) if r[1] - r[0] >= min_side]
    cols = [c for c in runs(ink.mean(axis=0) > 0.3) if c[1] - c[0] >= min_side]
    return [a[r0:r1, c0:c1] for r0, r1 in rows for c0, c1 in cols]


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs))
