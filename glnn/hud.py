"""The window's heads-up display and help: text panels rasterised by Pillow, laid out over the picture.

No GL here: a panel is an RGBA image, and the display (glnn/gl/display.py)
draws it; the display keeps one texture per place a panel is drawn (a slot:
the HUD, each column of the help) and replaces it only when its lines change,
so a HUD that changes every frame never piles up GPU memory.
"""
from __future__ import annotations

from typing import Sequence, Tuple, Union

from PIL import Image, ImageDraw, ImageFont

Line = Union[str, Tuple[str, str]]   # a line, or (key, description) shown in two aligned columns
LINE_HEIGHT = 18


def _font():
    try:
        return ImageFont.load_default(size=14)
    except TypeError:  # Pillow < 10.1
        return ImageFont.load_default()


def rasterise(lines: Sequence[Line]) -> Image.Image:
    """A panel of lines as an RGBA image: white text (keys in amber) on translucent black."""
    font = _font()
    keys = [l[0] for l in lines if isinstance(l, tuple)]
    indent = int(max((font.getlength(k) for k in keys), default=0)) + 14 if keys else 0
    w = int(max(font.getlength(l[1]) + indent if isinstance(l, tuple) else font.getlength(l) for l in lines)) + 16
    img = Image.new("RGBA", (w, LINE_HEIGHT * len(lines) + 10), (0, 0, 0, 170))
    d = ImageDraw.Draw(img)
    for i, l in enumerate(lines):
        if isinstance(l, tuple):
            d.text((8, 5 + i * LINE_HEIGHT), l[0], font=font, fill=(255, 220, 120, 255))
            d.text((8 + indent, 5 + i * LINE_HEIGHT), l[1], font=font, fill=(255, 255, 255, 255))
        else:
            d.text((8, 5 + i * LINE_HEIGHT), l, font=font, fill=(255, 255, 255, 255))
    return img


def panel(display, slot: str, lines: Sequence[Line], x: int, y: int, viewport: Tuple[int, int]) -> Tuple[int, int]:
    """Draw the lines as a panel with its top-left corner at (x, y) (pixels, y down); returns its size.
    `display` draws (glnn/gl/display.py's Display.panel): it rasterises the lines again only when they change."""
    key = tuple(lines)
    return display.panel(slot, key, lambda: rasterise(key), x, y, viewport)


def columns(display, lines: Sequence[Line], x: int, y: int, viewport: Tuple[int, int]) -> None:
    """Lines in as many columns (panels "column 0", "column 1", ...) as the height below y needs."""
    fit = max(4, (viewport[1] - y - LINE_HEIGHT) // LINE_HEIGHT)
    for i in range(0, len(lines), fit):
        x += panel(display, f"column {i // fit}", lines[i:i + fit], x, y, viewport)[0] + 8
