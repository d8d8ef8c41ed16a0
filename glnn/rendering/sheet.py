"""The one sheet compositor: cells on a grid with gutters, label and title strips, composed row by row.

Three sheets are made here: the figures' grids of panels (glnn/article/figures.py), `glnn grid`'s contact sheets
(glnn/explore/grid.py, streamed into a PNG so that thousands of cells fit in little memory) and the units probe's
tiles (glnn/rendering/probes.py). A Layout says where everything goes:

    +------------------------------------------+
    | strips above the cells (title, labels)   |  top
    +------+-----------------------------------+
    |      | margin                            |
    | left | cell  gutter  cell  gutter  cell  |  each cell: w x h, then a strip of `below` under it
    | (row |  label        label        label  |  (its label); gutter between rows
    | lab- | gutter                            |
    | els) | cell  ...                         |
    |      | margin                            |
    +------+-----------------------------------+

bands() yields the sheet top to bottom: the strips above as given, the margin, then one band per row of cells,
each from its cells' top edge down to the next row's (its labels and the gutter under them: a label may run
into that gutter). Only one row of cells is held at a time. Everything the caller draws (cells, labels) is an
array; text_strip() draws text on a white strip. No GL here, and no file formats: write_png() streams bands
through glnn/io/png_stream.py.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Optional, Sequence, Tuple

import numpy as np
from PIL import Image, ImageDraw

from ..io.files import atomic_path
from ..io.plots import font
from ..io.png_stream import PNGStream

Patch = Callable[[int], Optional[np.ndarray]]


@dataclass(frozen=True)
class Layout:
    """Where a sheet's cells and strips go (pixels)."""
    count: int                        # cells, in reading order
    cols: int
    cell: Tuple[int, int]             # w, h of every cell
    gutter: int                       # between cells and between rows
    margin: int = 0                   # around the cells
    left: int = 0                     # a strip left of the cells (row labels)
    top: int = 0                      # the strips above the cells (title, column labels)
    below: int = 0                    # a strip under each cell (its label)
    frame: Optional[Tuple[int, int]] = None   # the sheet's size, when larger than the cells need (white beyond)

    @property
    def rows(self) -> int:
        return math.ceil(self.count / self.cols)

    @property
    def size(self) -> Tuple[int, int]:
        if self.frame is not None:
            return self.frame
        w, h = self.cell
        return (self.left + 2 * self.margin + self.cols * w + (self.cols - 1) * self.gutter,
                self.top + 2 * self.margin + self.rows * (h + self.below) + (self.rows - 1) * self.gutter)

    def rect(self, i: int) -> Tuple[int, int, int, int]:
        """Cell i's rectangle (x, y, w, h) in the sheet."""
        r, c = divmod(i, self.cols)
        w, h = self.cell
        return (self.left + self.margin + c * (w + self.gutter),
                self.top + self.margin + r * (h + self.below + self.gutter), w, h)

    def band(self, r: int) -> Tuple[int, int]:
        """Rows y0:y1 of the sheet that row r's band covers: from its cells' top to the next row's (the last row:
        to the sheet's bottom)."""
        y0 = self.rect(r * self.cols)[1]
        return y0, (self.rect((r + 1) * self.cols)[1] if r + 1 < self.rows else self.size[1])


def text_strip(width: int, height: int, texts: Sequence[Tuple[Tuple[float, float], str]], px: int,
               fill: Tuple[int, int, int] = (40, 40, 40), anchor: str = "mm") -> np.ndarray:
    """A white RGB strip (height, width, 3) uint8 with each text drawn at its (x, y) (Pillow's anchor)."""
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    f = font(px)
    for xy, text in texts:
        draw.text(xy, text, fill=fill, font=f, anchor=anchor)
    return np.asarray(img)


def _place(band: np.ndarray, patch: np.ndarray, x: int, y: int) -> None:
    """patch's pixels over band's at (x, y), cut at the band's edges."""
    h, w = min(patch.shape[0], band.shape[0] - y), min(patch.shape[1], band.shape[1] - x)
    if h > 0 and w > 0:
        band[y:y + h, x:x + w] = patch[:h, :w].reshape(h, w, -1)


def bands(layout: Layout, cells: Iterable[np.ndarray], channels: int = 3, dtype=np.uint8, fill=255,
          strips: Sequence[np.ndarray] = (), row_label: Optional[Patch] = None, cell_label: Optional[Patch] = None,
          done: Optional[Callable[[int], None]] = None) -> Iterator[np.ndarray]:
    """The sheet's pixels top to bottom, in bands (n, W, channels) of `dtype` on a background of `fill`.

    strips: full-width arrays stacked above the cells (their heights add up to layout.top). cells: each cell's
    pixels, (h, w), (h, w, 1) or (h, w, channels) (gray spreads to every channel), taken in order, one row at a
    time. row_label(r): a patch at the left edge of row r's cells; cell_label(i): a patch under cell i (a patch
    taller than `below` runs into the gutter under it). done(n): called after each cell, n of them placed."""
    W, H = layout.size
    for strip in strips:
        yield strip
    if layout.margin:
        yield np.full((layout.margin, W, channels), fill, dtype)
    it = iter(cells)
    for r in range(layout.rows):
        y0, y1 = layout.band(r)
        band = np.full((y1 - y0, W, channels), fill, dtype)
        if row_label is not None:
            patch = row_label(r)
            if patch is not None:
                _place(band, patch, 0, 0)
        for i in range(r * layout.cols, min((r + 1) * layout.cols, layout.count)):
            x, y, w, h = layout.rect(i)
            band[y - y0:y - y0 + h, x:x + w] = np.asarray(next(it)).reshape(h, w, -1)
            if cell_label is not None:
                patch = cell_label(i)
                if patch is not None:
                    _place(band, patch, x, y - y0 + h)
            if done is not None:
                done(i + 1)
        yield band


def compose(layout: Layout, cells: Iterable[np.ndarray], **kw) -> np.ndarray:
    """The whole sheet as one array (bands()'s arguments)."""
    return np.concatenate(list(bands(layout, cells, **kw)), axis=0)


def write_png(path, layout: Layout, parts: Iterable[np.ndarray], recipe: Optional[dict] = None,
              channels: int = 3, outputs=None) -> None:
    """Stream bands (bands()) into an 8-bit PNG at `path` (atomically), holding one band at a time; `recipe`
    goes in the file before the pixels (glnn/io/metadata.py); `outputs`: land with other files (glnn/io/files.py)."""
    W, H = layout.size
    with atomic_path(path, outputs) as tmp, open(tmp, "wb") as f:
        png = PNGStream(f, W, H, channels, recipe)
        for part in parts:
            png.write(part)
        png.close()
