"""Writing pictures to files: atomically (a temporary file, then a rename), never half-written."""
from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from .errors import GlnnError

PICTURE_FORMATS = (".png", ".npy")
ANIMATION_FORMATS = (".gif", ".webp", ".png", ".mp4")
MP4_EXTRA = "pip install 'glnn[mp4]' (imageio-ffmpeg)"


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path beside `path`; on success rename it over `path`, on any error remove it."""
    path = Path(path)
    # the temporary name keeps the extension (encoders such as ffmpeg pick the format from it)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".part{path.suffix}", dir=str(path.parent or "."))
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a finished file gets the usual permissions
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def check_output(path, formats=PICTURE_FORMATS, what: str = "--out") -> str:
    """The lower-case extension of `path`, after checking it can be written; GlnnError if not."""
    p = Path(path)
    ext = p.suffix.lower()
    if ext not in formats:
        shown = f"'{ext}'" if ext else "no extension"
        raise GlnnError(f"{what} {str(path)!r}: unknown format {shown} (use {', '.join(formats)})")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise GlnnError(f"{what} {str(path)!r}: folder {str(parent)!r} does not exist")
    if p.is_dir():
        raise GlnnError(f"{what} {str(path)!r} is a folder")
    if not os.access(parent, os.W_OK):
        raise GlnnError(f"{what} {str(path)!r}: folder {str(parent)!r} is not writable")
    return ext


def save_picture(picture: np.ndarray, path) -> None:
    """Write float32 (H, W, C) as .png (8-bit) or .npy (raw float32), atomically."""
    from .render import to_image

    ext = check_output(path)
    with atomic_path(path) as tmp:
        if ext == ".npy":
            with open(tmp, "wb") as f:
                np.save(f, np.ascontiguousarray(picture, np.float32))
        else:
            to_image(picture).save(tmp, format="PNG")


def _mp4_module():
    try:
        import imageio_ffmpeg
    except ImportError:
        raise GlnnError(f".mp4 needs the optional extra: {MP4_EXTRA}") from None
    return imageio_ffmpeg


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

    def __init__(self, path, fps: float, channels: int = 3, dither: bool = True, palette: str = "frame"):
        self.path = Path(path)
        self.ext = check_output(path, ANIMATION_FORMATS)
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
        from PIL import Image

        from .render import to_image, to_uint8

        self.count += 1
        if self.ext == ".mp4":
            data = to_uint8(picture)
            if data.shape[2] == 1:
                data = np.repeat(data, 3, axis=2)
            h, w = data.shape[:2]
            data = np.pad(data, ((0, h % 2), (0, w % 2), (0, 0)), mode="edge")  # yuv420p needs even sizes
            if self._mp4 is None:
                self._mp4 = _mp4_module().write_frames(
                    self.tmp, (data.shape[1], data.shape[0]), fps=self.fps, codec="libx264", pix_fmt_in="rgb24",
                    pix_fmt_out="yuv420p", quality=8, macro_block_size=2, output_params=["-f", "mp4"])
                self._mp4.send(None)
            self._mp4.send(np.ascontiguousarray(data).tobytes())
            return
        image = to_image(picture)
        if self.ext == ".gif" and image.mode == "RGB":
            dither = Image.Dither.FLOYDSTEINBERG if self.dither else Image.Dither.NONE
            if self.palette == "global" and self._first_palette is not None:
                image = image.quantize(palette=self._first_palette, dither=dither)
            else:
                image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=dither)
                if self.palette == "global":
                    self._first_palette = image
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
                       loop=0, optimize=False, disposal=1)
        elif self.ext == ".webp":
            first.save(self.tmp, format="WEBP", save_all=True, append_images=rest, duration=round(duration),
                       loop=0, quality=90, method=4)
        else:
            first.save(self.tmp, format="PNG", save_all=True, append_images=rest, duration=duration, loop=0)

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
