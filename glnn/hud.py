"""The window's heads-up display and help: text panels rasterised by Pillow, drawn over the picture.

Each place a panel is drawn (a slot: the HUD, each column of the help) keeps
the texture of the lines it shows now, and releases it when its lines change,
so a HUD that changes every frame never piles up GPU memory.
"""
from __future__ import annotations

from typing import Dict, Sequence, Tuple, Union

from PIL import Image, ImageDraw, ImageFont

from .gl.programs import BINDINGS, ProgramCache, ProgramDesc

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


class Overlay:
    """Draws text panels on a context, their textures cached."""

    def __init__(self, ctx, programs: ProgramCache):
        self.ctx = ctx
        self.program = programs.get(ProgramDesc.fullscreen("overlay.frag"))
        self._slots: Dict[str, Tuple[Tuple[Line, ...], object]] = {}   # slot -> (its lines, their texture)

    def live(self) -> int:
        return len(self._slots)

    def panel(self, slot: str, lines: Sequence[Line], x: int, y: int, viewport: Tuple[int, int]) -> Tuple[int, int]:
        """Draw the panel with its top-left corner at (x, y) (pixels, y down); returns its size."""
        key = tuple(lines)
        held = self._slots.get(slot)
        if held is not None and held[0] == key:
            tex = held[1]
        else:
            if held is not None:
                held[1].release()
            img = rasterise(lines)
            tex = self.ctx.texture(img.size, 4, img.tobytes())
            self._slots[slot] = (key, tex)
        self.ctx.enable(self.ctx.BLEND)
        self.ctx.blend_func = self.ctx.SRC_ALPHA, self.ctx.ONE_MINUS_SRC_ALPHA
        tex.use(BINDINGS["TEX_TEXT"])
        self.program.set(u_rect=(float(x), float(y), float(tex.size[0]), float(tex.size[1])),
                         u_viewport=(float(viewport[0]), float(viewport[1])))
        self.program.draw_fullscreen()
        self.ctx.disable(self.ctx.BLEND)
        return tex.size

    def columns(self, lines: Sequence[Line], x: int, y: int, viewport: Tuple[int, int]) -> None:
        """Lines in as many columns as the height below y needs."""
        fit = max(4, (viewport[1] - y - LINE_HEIGHT) // LINE_HEIGHT)
        for i in range(0, len(lines), fit):
            x += self.panel(f"column {i // fit}", lines[i:i + fit], x, y, viewport)[0] + 8

    def release(self) -> None:
        for _, texture in self._slots.values():
            texture.release()
        self._slots.clear()
