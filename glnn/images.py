"""The picture writer: every still picture glnn writes (render, window screenshots, figures) goes through
save_picture(), which picks the format by extension and writes atomically.

A picture is either raw network outputs, float (H, W, C) (they pass through the
colour stage, glnn/colour.py), or a PIL image already composed (figure grids,
plots). .png stores 8-bit colours (gray pictures as mode L) and the picture's
recipe; .npy stores the raw float32 outputs of shape (H, W, C), row 0 at the top.
"""
from __future__ import annotations

from typing import Callable, Dict, Optional, Union

import numpy as np
from PIL import Image

from . import colour, metadata
from .errors import GlnnError
from .files import atomic_path, check_output

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
                 recipe: Optional[dict] = None) -> None:
    """Write `picture` to `path` in the format its extension names, atomically (never half-written).
    A PNG carries `recipe` (glnn/recipe.py's JSON) in a text chunk: how to make the picture again."""
    ext = check_output(path, FORMATS, what)
    if not isinstance(picture, Image.Image):
        colour.mode_for(picture.shape[-1], mode)   # a bad mode fails before any file is touched
    with atomic_path(path) as tmp:
        WRITERS[ext](tmp, picture, mode, recipe)
