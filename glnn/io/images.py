"""The picture writer: every still picture glnn writes (render, window screenshots, figures) goes through
save_picture(), which picks the format by extension and writes atomically.

A picture is either raw network outputs, float (H, W, C) (they pass through the
colour stage, glnn/model/colour.py), or a PIL image already composed (figure grids,
plots). .png stores 8-bit colours (gray pictures as mode L) and the picture's
recipe; .npy stores the raw float32 outputs of shape (H, W, C), row 0 at the top.
"""
from __future__ import annotations

from typing import Callable, Dict, Iterable, Optional, Union

import numpy as np
from PIL import Image

from ..model import colour
from . import metadata
from ..errors import GlnnError
from .files import Outputs, atomic_path, check_output
from .png_stream import PNGStream

Picture = Union[np.ndarray, Image.Image]


def to_image(raw: np.ndarray, mode: Optional[str] = None) -> Image.Image:
    """Raw outputs through the colour stage, as a PIL image (RGB, or L for gray)."""
    data = colour.to_uint8(raw, mode)
    # uint8 (H, W) becomes mode L, (H, W, 3) mode RGB
    return Image.fromarray(data[:, :, 0] if data.shape[2] == 1 else data)


def _write_png(tmp: str, picture: Picture, mode: Optional[str], recipe: Optional[dict]) -> None:
    image = picture if isinstance(picture, Image.Image) else to_image(picture, mode)
    image.save(tmp, format="PNG", **metadata.save_options("PNG", recipe))


def _write_npy(tmp: str, picture: Picture, mode: Optional[str], recipe: Optional[dict]) -> None:
    if isinstance(picture, Image.Image):
        raise GlnnError(".npy holds raw network outputs; this picture is a composed image (use .png)")
    with open(tmp, "wb") as f:
        np.save(f, np.ascontiguousarray(picture, np.float32))


WRITERS: Dict[str, Callable[[str, Picture, Optional[str], Optional[dict]], None]] = {
    ".png": _write_png, ".npy": _write_npy}
FORMATS = tuple(WRITERS)


def save_picture(picture: Picture, path, mode: Optional[str] = None, what: str = "--out",
                 recipe: Optional[dict] = None, outputs: Optional[Outputs] = None) -> None:
    """Write `picture` to `path` in the format its extension names, atomically (never half-written; with
    `outputs`, landing together with the command's other files: glnn/io/files.py).
    A PNG carries `recipe` (glnn/io/recipe.py's JSON) in a text chunk: how to make the picture again."""
    ext = check_output(path, FORMATS, what)
    if not isinstance(picture, Image.Image):
        colour.mode_for(picture.shape[-1], mode)   # a bad mode fails before any file is touched
    with atomic_path(path, outputs) as tmp:
        WRITERS[ext](tmp, picture, mode, recipe)


def save_bands(bands: Iterable[np.ndarray], path, size, channels: int, mode: Optional[str] = None,
               what: str = "--out", recipe: Optional[dict] = None, outputs: Optional[Outputs] = None) -> None:
    """As save_picture, for a picture that comes as bands of rows (raw float (rows, W, C), top to bottom): memory
    stays at one band, whatever the size. .png streams the 8-bit colours, .npy the raw float32 values."""
    ext = check_output(path, FORMATS, what)
    shown = colour.mode_for(channels, mode)
    width, height = size
    with atomic_path(path, outputs) as tmp, open(tmp, "wb") as f:
        if ext == ".png":
            png = PNGStream(f, width, height, shown.outputs, recipe)
            for band in bands:
                png.write(colour.to_uint8(band, mode))
            png.close()
        else:
            header = {"descr": np.lib.format.dtype_to_descr(np.dtype("<f4")), "fortran_order": False,
                      "shape": (height, width, channels)}
            np.lib.format.write_array_header_1_0(f, header)
            rows = 0
            for band in bands:
                f.write(np.ascontiguousarray(band, "<f4").tobytes())
                rows += band.shape[0]
            if rows != height:
                raise ValueError(f"{rows} of {height} rows written")
