"""Writing pictures to files: atomically (a temporary file, then a rename), never half-written."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import numpy as np

from .errors import GlnnError

PICTURE_FORMATS = (".png", ".npy")


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path beside `path`; on success rename it over `path`, on any error remove it."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=str(path.parent or "."))
    os.close(fd)
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
