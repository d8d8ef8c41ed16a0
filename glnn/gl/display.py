"""The live window's display: its picture targets, showing one through the colour stage, text panels over it.

Every GL call of the viewer (glnn/app/viewer.py) is here. A picture target is an
RGBA32F framebuffer held by name ("full", "draft"): a GL backend draws into it
(GLBackend.draw), CPU pixels are written into it (write), the full picture is
read back from it (read). paint() draws one, or some of its rows, through
display.frag (the colour stage, flipped so picture row 0 is at the top) into the
painted picture, an 8-bit target of the window's size: the colour stage runs once
per pixel computed, not once a frame (on llvmpipe it costs 70 ms an 800x800
frame, more than a band). present() copies the painted picture onto a
framebuffer (the window's, or an offscreen one in tests); panel() draws a
Pillow image (a text panel, rasterised by glnn/app/hud.py) over it with
overlay.frag, shading only the panel's own pixels. A panel's texture is kept per slot and released when
that slot's content changes, and targets are released when replaced, so a HUD
that changes every frame or a window resized fifty times never piles up GPU
memory: live() counts what is held.
"""
from __future__ import annotations

from typing import Callable, Dict, Hashable, Optional, Tuple

import numpy as np

from .programs import BINDINGS, ProgramDesc
from .resources import Device, Resources

Size = Tuple[int, int]


class Display:
    """The display of one context (the device's): made by the viewer, released when it closes."""

    def __init__(self, device: Device):
        self.ctx = device.ctx
        self._picture = device.programs.get(ProgramDesc.fullscreen("display.frag"))
        self._overlay = device.programs.get(ProgramDesc.fullscreen("overlay.frag"))
        self._present = device.programs.get(ProgramDesc.fullscreen("present.frag"))
        self._targets = Resources(device.ctx)
        self._panels: Dict[str, Tuple[Hashable, object]] = {}   # slot -> (its content's key, its texture)

    # ------------------------------------------------------------ picture targets
    def target(self, name: str, size: Size, linear: bool = False):
        """The picture target `name` of exactly `size` (made, or remade at a new size): what a GL backend draws
        into; linear filtering for a draft shown enlarged."""
        return self._targets.target(name, size, linear)

    def held(self, name: str):
        """The picture target held under `name`, or None."""
        return self._targets.held(name)

    @staticmethod
    def write(target, pixels: np.ndarray, dst: Tuple[int, int]) -> None:
        """Raw float32 pixels (h, w, C), row 0 first, into `target` with their pixel (0, 0) at `dst`."""
        rgba = np.zeros(pixels.shape[:2] + (4,), np.float32)
        rgba[:, :, :pixels.shape[2]] = pixels
        target.color_attachments[0].write(rgba.tobytes(), viewport=(dst[0], dst[1], pixels.shape[1], pixels.shape[0]))

    @staticmethod
    def read(target, channels: int) -> np.ndarray:
        """The whole of `target` as raw float32 (H, W, channels), row 0 first (a copy)."""
        w, h = target.size
        raw = target.read(components=4, dtype="f4")
        return np.frombuffer(raw, np.float32).reshape(h, w, 4)[:, :, :channels].copy()

    def finish(self) -> None:
        """Wait until the GPU has done everything asked of it so far (the viewer times its frames with this)."""
        self.ctx.finish()

    # -------------------------------------------------------------------- drawing
    def clear(self, screen, size: Size) -> None:
        """Bind `screen` (a framebuffer; None: the window's) with a viewport of `size`, cleared to black."""
        screen = self.ctx.screen if screen is None else screen
        screen.use()
        screen.viewport = (0, 0, size[0], size[1])
        screen.clear(0.0, 0.0, 0.0, 1.0)

    def show(self, target, colour_id: int, size: Size) -> None:
        """`target` stretched over the bound framebuffer's `size` viewport, through colour mode `colour_id`."""
        target.color_attachments[0].use(BINDINGS["TEX_PICTURE"])
        self._picture.set(u_viewport=(float(size[0]), float(size[1])), u_colour=colour_id)
        self._picture.draw_fullscreen()

    def paint(self, target, colour_id: int, size: Size, rows: Optional[Tuple[int, int]] = None) -> None:
        """`target` (a picture target, stretched) through colour mode `colour_id` into the painted picture of
        `size`: only picture rows (first, count) of it, or all of it."""
        painted = self._targets.target("painted", size, dtype="f1")
        painted.use()
        painted.viewport = (0, 0, size[0], size[1])
        if rows is not None:   # picture row r is row r from the top: GL's y counts from the bottom
            first, count = max(0, rows[0]), min(rows[1], size[1] - max(0, rows[0]))
            if count <= 0:
                return
            painted.scissor = (0, size[1] - first - count, size[0], count)
        self.show(target, colour_id, size)
        painted.scissor = None

    def present(self, screen, size: Size) -> bool:
        """The painted picture onto `screen` (a framebuffer; None: the window's), bound with a viewport of `size`,
        cleared to black first; False when nothing of `size` is painted (the screen is left black)."""
        self.clear(screen, size)
        painted = self._targets.held("painted")
        if painted is None or painted.size != tuple(size):
            return False
        painted.color_attachments[0].use(BINDINGS["TEX_PICTURE"])
        self._present.draw_fullscreen()
        return True

    def panel(self, slot: str, key: Hashable, image: Callable[[], object], x: int, y: int, size: Size) -> Size:
        """An RGBA Pillow image with its top-left corner at (x, y) (pixels, y down) over the bound framebuffer
        (viewport `size`), blended by its alpha. The slot keeps its texture while `key` stays the same: image()
        is called only for a new key. Returns the panel's size."""
        held = self._panels.get(slot)
        if held is not None and held[0] == key:
            tex = held[1]
        else:
            if held is not None:
                held[1].release()
            img = image()
            tex = self.ctx.texture(img.size, 4, img.tobytes())
            self._panels[slot] = (key, tex)
        self.ctx.enable(self.ctx.BLEND)
        self.ctx.blend_func = self.ctx.SRC_ALPHA, self.ctx.ONE_MINUS_SRC_ALPHA
        tex.use(BINDINGS["TEX_TEXT"])
        self._overlay.set(u_rect=(float(x), float(y), float(tex.size[0]), float(tex.size[1])),
                          u_viewport=(float(size[0]), float(size[1])))
        # the triangle covers only the panel's pixels (a whole-window one costs a frame's worth on llvmpipe)
        bound = self.ctx.fbo
        old = bound.viewport
        w, h = min(tex.size[0], size[0] - x), min(tex.size[1], size[1] - y)
        if w > 0 and h > 0:
            bound.viewport = (x, size[1] - y - h, w, h)
            self._overlay.draw_fullscreen()
            bound.viewport = old
        self.ctx.disable(self.ctx.BLEND)
        return tex.size

    # ----------------------------------------------------------------- accounting
    def live(self) -> int:
        """GL objects held here (a target counts two: framebuffer and texture; a panel one)."""
        return self._targets.live() + len(self._panels)

    def release(self) -> None:
        for _, texture in self._panels.values():
            texture.release()
        self._panels.clear()
        self._targets.release()
