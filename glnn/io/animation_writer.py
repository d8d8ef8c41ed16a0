"""Writing animations: .gif, .webp, .png (APNG) and .mp4, frame by frame, atomically.

Frames are raw network outputs; they pass through the colour stage (glnn/model/colour.py) like every picture.
The animation's recipe goes into the file as glnn/io/metadata.py says (MP4: without the weights).
"""
from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Optional

import numpy as np
from PIL import Image

from ..model import colour
from . import metadata
from ..errors import GlnnError
from .files import atomic_path, check_output
from .images import to_image

FORMATS = (".gif", ".webp", ".png", ".mp4")
MP4_EXTRA = "pip install 'glnn[mp4]' (imageio-ffmpeg)"


def _mp4_module():
    try:
        import imageio_ffmpeg
    except ImportError:
        raise GlnnError(f".mp4 needs the optional extra: {MP4_EXTRA}") from None
    return imageio_ffmpeg


HELD_BYTES_PER_PIXEL = {".gif": 1.0, ".webp": 3.0, ".png": 3.0}   # the 8-bit frames Pillow's writers hold
FIXED_BYTES = 64 << 20


def available_memory() -> Optional[int]:
    """Bytes of memory available to this process now (Linux: MemAvailable; elsewhere the free pages), or None."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(path, frames: int, size, channels: int, available: Optional[int] = None) -> int:
    """The bytes an animation holds while written (formats that keep every frame); GlnnError, before anything is
    rendered, when that passes half the memory available (the estimate, and what to do instead)."""
    ext = Path(path).suffix.lower()
    if ext not in HELD_BYTES_PER_PIXEL:
        return FIXED_BYTES   # .mp4 streams: one frame at a time
    per_pixel = HELD_BYTES_PER_PIXEL[ext] * (1 if ext == ".gif" else max(1, channels))
    need = int(frames * size[0] * size[1] * per_pixel * 1.25) + FIXED_BYTES   # + Pillow's working copies
    have = available_memory() if available is None else available
    if have is not None and need > have // 2:
        raise GlnnError(f"{frames:,} frames of {size[0]}x{size[1]} as {ext} need about {need / 2**20:,.0f} MB in "
                        f"memory ({ext} keeps every frame until written), over half of the {have / 2**20:,.0f} MB "
                        f"available: write .mp4 (frames stream; glnn[mp4]), or fewer frames or a smaller size")
    return need


class AnimationWriter:
    """Write frames (float32 (H, W, C)) to .gif, .webp, .png (APNG) or .mp4, atomically.

    Memory: .mp4 streams frames to ffmpeg (one frame held). Pillow's GIF, APNG
    and WebP writers need every frame before writing, so those hold all frames
    in their final 8-bit form: W x H bytes per frame for GIF, 3 W x H for APNG
    and WebP (120 frames of 512x512: 31 MB as GIF, 94 MB as APNG or WebP).

    GIF colours: `palette="frame"` (default) quantises every frame to its own
    256 colours (median cut), `"global"` reuses the first frame's palette;
    `dither` (default on) applies Floyd-Steinberg so smooth gradients do not band.
    """

    def __init__(self, path, fps: float, channels: int = 3, dither: bool = True, palette: str = "frame",
                 mode: Optional[str] = None, recipe: Optional[dict] = None):
        self.path = Path(path)
        self.ext = check_output(path, FORMATS)
        self.mode = colour.mode_for(channels, mode).name
        self.recipe = recipe
        if palette not in ("frame", "global"):
            raise GlnnError(f"unknown palette {palette!r} (choose from frame, global)")
        if self.ext == ".mp4":
            _mp4_module()
        self.fps, self.channels, self.dither, self.palette = fps, channels, dither, palette
        self.frames = []
        self._first_palette = None
        self._mp4 = None
        self.count = 0

    def __enter__(self):
        self._atomic = atomic_path(self.path)
        self.tmp = self._atomic.__enter__()
        return self

    def add(self, picture: np.ndarray) -> None:
        self.count += 1
        if self.ext == ".mp4":
            data = colour.to_uint8(picture, self.mode)
            if data.shape[2] == 1:
                data = np.repeat(data, 3, axis=2)
            h, w = data.shape[:2]
            data = np.pad(data, ((0, h % 2), (0, w % 2), (0, 0)), mode="edge")  # yuv420p needs even sizes
            if self._mp4 is None:
                self._mp4 = _mp4_module().write_frames(
                    self.tmp, (data.shape[1], data.shape[0]), fps=self.fps, codec="libx264", pix_fmt_in="rgb24",
                    pix_fmt_out="yuv420p", quality=8, macro_block_size=2,
                    output_params=["-f", "mp4"] + self._mp4_metadata())
                self._mp4.send(None)
            self._mp4.send(np.ascontiguousarray(data).tobytes())
            return
        image = to_image(picture, self.mode)
        if self.ext == ".gif" and image.mode == "RGB":
            dither = Image.Dither.FLOYDSTEINBERG if self.dither else Image.Dither.NONE
            if self.palette == "global" and self._first_palette is not None:
                palette = self._first_palette
            else:   # the frame's own 256 colours (Pillow dithers only towards a given palette: choose it first)
                palette = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
                if self.palette == "global":
                    self._first_palette = palette
            image = image.quantize(palette=palette, dither=dither)
        self.frames.append(image)

    def _finish(self) -> None:
        if self.count == 0:
            raise GlnnError("no frames to write")
        if self.ext == ".mp4":
            self._mp4.close()
            return
        duration = 1000.0 / self.fps
        first, rest = self.frames[0], self.frames[1:]
        if self.ext == ".gif":
            first.save(self.tmp, format="GIF", save_all=True, append_images=rest, duration=round(duration),
                       loop=0, optimize=False, disposal=1, **metadata.save_options("GIF", self.recipe))
        elif self.ext == ".webp":
            first.save(self.tmp, format="WEBP", save_all=True, append_images=rest, duration=round(duration),
                       loop=0, quality=90, method=4, **metadata.save_options("WEBP", self.recipe))
        else:
            first.save(self.tmp, format="PNG", save_all=True, append_images=rest, duration=duration, loop=0,
                       **metadata.save_options("PNG", self.recipe))

    def _mp4_metadata(self) -> list:
        """The recipe as the MP4's comment tag, without embedded weights (a command-line argument is short)."""
        if self.recipe is None:
            return []
        light = {k: v for k, v in self.recipe.items() if k != "weights"}
        return ["-metadata", "comment=" + metadata.dumps(light)]

    def __exit__(self, kind, value, tb):
        try:
            if kind is None:
                self._finish()
        except BaseException:
            self._abort()
            self._atomic.__exit__(*sys.exc_info())
            raise
        if kind is not None:
            self._abort()
        return self._atomic.__exit__(kind, value, tb)

    def _abort(self) -> None:
        if self._mp4 is not None:
            with contextlib.suppress(Exception):
                self._mp4.close()
            self._mp4 = None
        self.frames.clear()
