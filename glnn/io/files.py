"""Writing files safely: a leaf module (it imports nothing of glnn but its errors).

Every file glnn writes goes through atomic_path(): a temporary file beside the
target, renamed over it only when the write succeeded, so a failed run never
leaves a half-written file or clobbers an existing one; the files of one command land together (Outputs:
all written first, then all renamed). check_output() checks
an output path before any work is done, so bad input fails fast.
"""
from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from ..errors import GlnnError


# what writing a file can run into (a full disk or quota, a size limit, a read-only or vanished folder, a bad disk)
WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO,
                          errno.ENOENT, errno.ENOTDIR, errno.EISDIR})


@contextlib.contextmanager
def atomic_path(path, outputs: Optional["Outputs"] = None, own: bool = False):
    """Yield a temporary path beside `path`; on success rename it over `path` (or, given `outputs`, leave that to
    outputs.commit(), with the command's other files), on any error remove it. An OSError (disk full, a folder
    made read-only meanwhile) becomes a GlnnError naming `path`: the existing file there is unchanged.
    A symbolic link is followed (the file it names is replaced, the link stays); anything there that is not a
    regular file (a FIFO, a device, a socket) is refused (docs/contract.md, writing files). own: glnn's own file
    (the auto cache), which replaces whatever is at its path, a link or a FIFO included."""
    path = Path(path) if own else target(Path(path))
    try:
        # the temporary name keeps the extension (encoders such as ffmpeg pick the format from it)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".part{path.suffix}", dir=str(path.parent or "."))
        os.close(fd)
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp makes 0600; a finished file gets the usual permissions
    except OSError as e:
        raise _write_error(path, e) from None
    try:
        yield tmp
        if outputs is None:
            os.replace(tmp, path)
        else:
            outputs._ready.append((tmp, path))
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError) and e.errno in WRITE_ERRORS:
            raise _write_error(path, e) from None
        raise   # anything else (a lost connection to the workers, ...) is not the file's: as it was


NOT_REGULAR = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
               (stat.S_ISSOCK, "a socket"))


def target(path: Path) -> Path:
    """Where writing `path` lands: `path`, or the file its symbolic link(s) name (followed, as a shell's `>`
    does; a dangling link's file is created). GlnnError, before anything is written, when what is there is not
    a regular file (a FIFO, a device such as /dev/full, a socket: glnn replaces files whole, by renaming a
    temporary file over them, and replacing one of these would clobber something that is not a picture)."""
    real = Path(os.path.realpath(path)) if os.path.islink(path) else path
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return real
    except OSError as e:   # a loop of links, a folder that cannot be searched
        raise _write_error(path, e) from None
    kind = next((what for test, what in NOT_REGULAR if test(mode)), None)
    if kind is not None:
        shown = kind if real == path else f"a link to {str(real)!r}, {kind}"
        raise GlnnError(f"cannot write {str(path)!r}: it is {shown}, not a regular file (glnn writes a whole file "
                        "and renames it into place, which would replace it); no file was changed")
    return real


def _write_error(path: Path, e: OSError, landed: Tuple[Path, ...] = ()) -> GlnnError:
    """The one line of a failed write: which file, why, and what changed (nothing, or the files renamed into
    place before it)."""
    changed = ("no file was changed" if not landed else
               "already written: " + ", ".join(repr(str(p)) for p in landed) + "; no other file was changed")
    return GlnnError(f"cannot write {str(path)!r}: {e.strerror or type(e).__name__}; {changed}")


class Outputs:
    """The files of one command (a picture and its --save-network, a sheet and its --html), landing together:

        with Outputs() as outputs:
            with atomic_path(a, outputs) as tmp: ...
            with atomic_path(b, outputs) as tmp: ...

    each is written to its temporary file first; when all are written they are renamed into place, one after
    another (a rename needs no space); when any write fails, every temporary file is removed and no existing
    file changes. (A rename itself failing after another landed, a folder made read-only in between, says
    which files were written.)"""

    def __init__(self):
        self._ready: List[Tuple[str, Path]] = []

    def __enter__(self) -> "Outputs":
        return self

    def __exit__(self, kind, value, tb) -> None:
        ready, self._ready = self._ready, []
        if kind is None:
            for i, (tmp, path) in enumerate(ready):
                try:
                    os.replace(tmp, path)
                except OSError as e:
                    for left, _ in ready[i:]:
                        with contextlib.suppress(OSError):
                            os.unlink(left)
                    raise _write_error(path, e, tuple(p for _, p in ready[:i])) from None
            return
        for tmp, _ in ready:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def path_name(path, what: str = "file") -> str:
    """The text of a path given to the API (str or os.PathLike); GlnnError for anything else (a list, a number)."""
    try:
        name = os.fspath(path)
    except TypeError:
        raise GlnnError(f"{what} must be a path (str or os.PathLike), not {type(path).__name__}") from None
    if not isinstance(name, str):
        raise GlnnError(f"{what} must be a path as text, not {type(name).__name__}")
    if not name or "\0" in name:
        raise GlnnError(f"{what} {name!r} is not a usable path")
    return name


def current_umask() -> int:
    """The process's umask (reading it means setting it; it is put back at once)."""
    umask = os.umask(0)
    os.umask(umask)
    return umask


def check_output(path, formats: Sequence[str], what: str = "--out") -> str:
    """The lower-case extension of `path`, after checking it can be written; GlnnError if not."""
    p = Path(path_name(path, what))
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
    real = target(p)   # a FIFO or a device is refused; a link is followed: its file's folder is written
    if real is not p:
        parent = real.parent
    if not os.access(parent, os.W_OK):
        raise GlnnError(f"{what} {str(path)!r}: folder {str(parent)!r} is not writable")
    return ext
