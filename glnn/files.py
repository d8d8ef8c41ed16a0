"""Writing files safely: a leaf module (it imports nothing of glnn but its errors).

Every file glnn writes goes through atomic_path(): a temporary file beside the
target, renamed over it only when the write succeeded, so a failed run never
leaves a half-written file or clobbers an existing one. check_output() checks
an output path before any work is done, so bad input fails fast.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Sequence

from .errors import GlnnError


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path beside `path`; on success rename it over `path`, on any error remove it."""
    path = Path(path)
    # the temporary name keeps the extension (encoders such as ffmpeg pick the format from it)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".part{path.suffix}", dir=str(path.parent or "."))
    os.close(fd)
    os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp makes 0600; a finished file gets the usual permissions
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def current_umask() -> int:
    """The process's umask (reading it means setting it; it is put back at once)."""
    umask = os.umask(0)
    os.umask(umask)
    return umask


def check_output(path, formats: Sequence[str], what: str = "--out") -> str:
    """The lower-case extension of `path`, after checking it can be written; GlnnError if not."""
    p = Path(path)
    ext = p.suffix.lower()
    if p.is_dir():   # before the extension: a folder is not a file of unknown format
        raise GlnnError(f"{what} {str(path)!r} is a folder: name a file in it, like "
                        f"{str(p / ('glnn' + formats[0]))!r} ({', '.join(formats)})")
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
