"""The window's heads-up display and help: text panels rasterised by Pillow, laid out over the picture.

No GL here: a panel is an RGBA image, and the display (glnn/gl/display.py)
draws it; the display keeps one texture per place a panel is drawn (a slot:
the HUD, each column of the help) and replaces it only when its lines change,
so a HUD that changes every frame never piles up GPU memory.
"""
from __future__ import annotations

from typing import List, Optional, Sequence, Tuple, Union

from PIL import Image, ImageDraw, ImageFont

from ..io.plots import wrap_text

Line = Union[str, Tuple[str, str]]   # a line, or (key, description) shown in two aligned columns
LINE_HEIGHT = 18                     # at the largest font; smaller fonts keep its proportion
FONT_SIZES = (14, 12, 10, 8)         # the help shrinks through these until its columns fit the window
MIN_COLUMN = 80                      # ... then wraps into columns no narrower than this


def _font(size: int = 14):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1
        return ImageFont.load_default()


def line_height(size: int = 14) -> int:
    return max(8, round(LINE_HEIGHT * size / 14))


def wrapped(lines: Sequence[Line], width: Optional[float], size: int = 14) -> List[Line]:
    """The lines wrapped to fit a panel `width` pixels wide (None: as they are); a key's description continues
    under itself."""
    if width is None:
        return list(lines)
    font = _font(size)
    keys = [l[0] for l in lines if isinstance(l, tuple)]
    indent = int(max((font.getlength(k) for k in keys), default=0)) + 14 if keys else 0
    room = max(8.0, width - 16)
    out: List[Line] = []
    for l in lines:
        if isinstance(l, tuple):
            parts = wrap_text(l[1], font, max(8.0, room - indent))
            out += [(l[0], parts[0])] + [("", p) for p in parts[1:]]
        else:
            out += wrap_text(l, font, room)
    return out


def rasterise(lines: Sequence[Line], size: int = 14) -> Image.Image:
    """A panel of lines as an RGBA image: white text (keys in amber) on translucent black."""
    font, lh = _font(size), line_height(size)
    keys = [l[0] for l in lines if isinstance(l, tuple)]
    indent = int(max((font.getlength(k) for k in keys), default=0)) + 14 if keys else 0
    w = int(max(font.getlength(l[1]) + indent if isinstance(l, tuple) else font.getlength(l) for l in lines)) + 16
    img = Image.new("RGBA", (w, lh * len(lines) + 10), (0, 0, 0, 170))
    d = ImageDraw.Draw(img)
    for i, l in enumerate(lines):
        if isinstance(l, tuple):
            d.text((8, 5 + i * lh), l[0], font=font, fill=(255, 220, 120, 255))
            d.text((8 + indent, 5 + i * lh), l[1], font=font, fill=(255, 255, 255, 255))
        else:
            d.text((8, 5 + i * lh), l, font=font, fill=(255, 255, 255, 255))
    return img


def panel(display, slot: str, lines: Sequence[Line], x: int, y: int, viewport: Tuple[int, int],
          size: int = 14) -> Tuple[int, int]:
    """Draw the lines as a panel with its top-left corner at (x, y) (pixels, y down), wrapped to the window's
    width; returns its size. `display` draws (glnn/gl/display.py's Display.panel): it rasterises the lines again
    only when they change."""
    key = (tuple(lines), size, viewport[0] - x)
    return display.panel(slot, key, lambda: rasterise(wrapped(lines, viewport[0] - x - 8, size) or [""], size),
                         x, y, viewport)


def _layout(lines: Sequence[Line], y: int, viewport: Tuple[int, int], size: int):
    lh = line_height(size)
    fit = max(4, (viewport[1] - y - lh) // lh)
    chunks = [list(lines[i:i + fit]) for i in range(0, len(lines), fit)]
    font = _font(size)
    widths = []
    for chunk in chunks:
        keys = [l[0] for l in chunk if isinstance(l, tuple)]
        indent = int(max((font.getlength(k) for k in keys), default=0)) + 14 if keys else 0
        widths.append(int(max(font.getlength(l[1]) + indent if isinstance(l, tuple) else font.getlength(l)
                              for l in chunk)) + 16)
    return chunks, widths


def columns(display, lines: Sequence[Line], x: int, y: int, viewport: Tuple[int, int]) -> None:
    """Lines in as many columns (panels "column 0", "column 1", ...) as the height below y needs, in the largest
    font whose columns fit the window's width; in the smallest, wrapped to columns that fit it."""
    for size in FONT_SIZES:
        chunks, widths = _layout(lines, y, viewport, size)
        if x + sum(widths) + 8 * len(widths) <= viewport[0]:
            break
    else:   # wrapped: as many columns as the wrapped rows need, each a share of the width (a window too small
        # for columns 80 pixels wide keeps the smallest font's columns as they are)
        fit = max(4, (viewport[1] - y - line_height(size)) // line_height(size))
        for n in range(len(chunks), len(chunks) + 8):
            room = (viewport[0] - x) // n - 8
            if room < MIN_COLUMN:
                break
            rows = wrapped(lines, room, size)
            if len(rows) <= n * fit:
                chunks = [rows[i:i + fit] for i in range(0, len(rows), fit)]
                break
    for i, chunk in enumerate(chunks):
        key = (tuple(chunk), size)
        w, _ = display.panel(f"column {i}", key, lambda: rasterise(chunk, size), x, y, viewport)
        x += w + 8
