"""Where a picture's recipe lives inside image files: a leaf module (no GL, no network, no numpy, no pixels).

The recipe is one JSON object (glnn/io/recipe.py says what is in it), stored as:
- PNG and APNG: compressed text chunks (zTXt) under the key `glnn-recipe`; a recipe longer than PART_CHARS
  (a sheet of tens of thousands of cells) continues in chunks `glnn-recipe-part-2`, `-part-3`, ... so that each
  stays under the 1 MiB common readers (Pillow) accept;
- GIF: the comment extension;
- WebP: the XMP chunk, inside a minimal XMP packet;
- MP4: the container's `comment` tag (moov/udta/meta/ilst/\xa9cmt), without the weights.
Reading walks the file's chunks (boxes, blocks) and never decodes a pixel: its cost is the recipe's, not the
picture's (a 16384 x 16384 PNG reads as fast as a thumbnail). It never executes anything: it parses JSON with
limits (glnn/io/safe_json.py) and the caller validates every field.
"""
from __future__ import annotations

import json
import os
import re
import struct
import zlib
from typing import BinaryIO, Iterator, List, Optional, Tuple

from . import safe_json
from .files import path_name
from ..errors import GlnnError

KEY = "glnn-recipe"
PART_KEY = KEY + "-part-"
# Pillow refuses PNG text chunks that decompress to more than 1 MiB (MAX_TEXT_CHUNK) and more than 64 MiB in all:
# a recipe is written in parts of at most PART_CHARS, and read up to MAX_RECIPE_BYTES. The weights (base64 of the
# compressed .npz) get at most WEIGHTS_BUDGET characters, shared by all the cells of a grid; larger networks are
# stored by their hyperparameters alone.
PART_CHARS = 1_000_000
MAX_RECIPE_BYTES = 48 << 20
WEIGHTS_BUDGET = 960_000
MAX_WEIGHTS_BASE64 = WEIGHTS_BUDGET
# cells a grid recipe may hold: what `glnn grid` makes at most (glnn/explore/grid.py takes it from here). Counted
# in the recipe's text as it is read (CellCount), before any JSON is parsed: a 92 KB PNG can inflate to 48 MB of
# `{"set":{}},` that json would make into 4.4 million cells (1.9 GB).
MAX_CELLS = 1 << 16
XMP = ('<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
       '<glnn:recipe xmlns:glnn="https://github.com/glnn">{}</glnn:recipe></x:xmpmeta><?xpacket end="w"?>')
XMP_OPEN, XMP_CLOSE = "<glnn:recipe", "</glnn:recipe>"


def dumps(recipe: dict) -> str:
    return safe_json.dumps(recipe)


def text_parts(text: str) -> List[Tuple[str, str]]:
    """The PNG text chunks (key, text) that hold a recipe's JSON text: one, or parts of at most PART_CHARS."""
    parts = [text[i:i + PART_CHARS] for i in range(0, max(len(text), 1), PART_CHARS)]
    return [(KEY if i == 0 else f"{PART_KEY}{i + 1}", part) for i, part in enumerate(parts)]


def png_info(recipe: dict):
    from PIL import PngImagePlugin
    info = PngImagePlugin.PngInfo()
    for key, part in text_parts(dumps(recipe)):
        info.add_text(key, part, zip=True)
    return info


def save_options(fmt: str, recipe: Optional[dict]) -> dict:
    """Pillow save() keyword arguments that store `recipe` in a file of format fmt (PNG, GIF, WEBP)."""
    if recipe is None:
        return {}
    if fmt == "PNG":
        return {"pnginfo": png_info(recipe)}
    if fmt == "GIF":
        return {"comment": dumps(recipe).encode("utf-8")}
    if fmt == "WEBP":
        text = dumps(recipe).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return {"xmp": XMP.format(text).encode("utf-8")}
    raise ValueError(f"no recipe storage for {fmt}")


# ------------------------------------------------------------------ reading, format by format
class _Bad(Exception):
    """The file is not the format it claims, or is cut short (said in one line)."""


class _Damaged(Exception):
    """The recipe's chunks are damaged or ambiguous (said in one line: which chunk, and how)."""


def _read(f: BinaryIO, n: int) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise _Bad("the file is cut short")
    return data


class TooManyCells(Exception):
    """A grid recipe of more cells than MAX_CELLS (read_recipe_json makes it one line naming the file)."""


_TOKEN = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"|[{}\[\]:,]|"', re.S)   # a whole string, a mark, or a string's start
_STRING_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*', re.S)


class CellCount:
    """The cells of a grid recipe counted in its JSON text as the text arrives, piece by piece (a string may be cut
    anywhere): one pass, constant memory, no JSON parsed. TooManyCells as soon as the top-level object's 'cells'
    array (any of them, if the key repeats; the key however it is escaped) has more than MAX_CELLS elements."""

    def __init__(self):
        self.depth, self.cells_depth, self.count = 0, None, 0
        self.string = None     # inside a string cut by a piece's end: its text so far at depth 1 (else "")
        self.escape = False    # ... and that piece ended on a backslash
        self.last, self.key = None, None   # the last string at depth 1; the key whose value comes next
        self.fed = 0           # characters counted

    def _close(self, text: Optional[str]) -> None:
        if self.depth == 1:
            self.last = text if text is not None and len(text) <= 64 else None

    def _mark(self, c: str) -> None:
        if c == ",":
            if self.depth == self.cells_depth:
                self.count += 1
                if self.count > MAX_CELLS:
                    raise TooManyCells()
            elif self.depth == 1:
                self.key = None
        elif c == ":":
            if self.depth == 1:
                try:
                    self.key = json.loads(f'"{self.last}"') if self.last is not None else None
                except ValueError:
                    self.key = None
        elif c in "[{":
            self.depth += 1
            if c == "[" and self.depth == 2 and self.key == "cells":
                self.cells_depth, self.count = 2, 1   # elements: commas + 1 (an empty list: 1, refused later)
            if self.depth == 2:
                self.key = None
        else:
            if self.depth == self.cells_depth:
                self.cells_depth = None
            self.depth -= 1

    def feed(self, piece: str) -> None:
        p, n = 0, len(piece)
        self.fed += n
        while p < n:
            if self.string is not None:   # the rest of a cut string
                if self.escape:
                    self.string += piece[p]
                    p, self.escape = p + 1, False
                    continue
                e = _STRING_REST.match(piece, p).end()
                if self.depth == 1 and len(self.string) <= 64:
                    self.string += piece[p:e][:65]
                if e == n:
                    return
                if piece[e] == "\\":   # a backslash ending the piece
                    self.string += "\\"
                    self.escape = True
                    return
                self._close(self.string)
                self.string, p = None, e + 1
                continue
            for m in _TOKEN.finditer(piece, p):
                c = m.group()
                if c == '"':   # a string cut by the piece's end
                    self.string, p = "", m.end()
                    break
                if c[0] == '"':
                    if self.depth == 1:
                        self._close(m.group(1) if len(c) <= 66 else None)
                    continue
                self._mark(c)
            else:
                return


def _inflate(data: bytes, budget: int, cells: Optional[CellCount] = None) -> bytes:
    """A zTXt's (compressed iTXt's) text, inflated a piece at a time: larger than budget, or (cells) a grid of
    more than MAX_CELLS cells, is refused as soon as its first piece that says so is inflated."""
    z, out = zlib.decompressobj(), []
    try:
        while budget >= 0:
            piece = z.decompress(data, min(budget + 1, 1 << 20))
            data = z.unconsumed_tail
            if not piece:
                break
            out.append(piece)
            budget -= len(piece)
            if cells is not None:
                cells.feed(piece.decode("latin-1"))
    except zlib.error as e:
        raise _Bad(f"a compressed text chunk is damaged ({e})")
    if budget < 0:
        raise _Bad(f"the glnn recipe is larger than {MAX_RECIPE_BYTES >> 20} MB")
    return b"".join(out)


def _first(keys) -> str:
    return min(keys, key=lambda k: (len(k), k))   # part-2 before part-10


def _png_text(f: BinaryIO, cells: CellCount) -> Optional[str]:
    """The recipe's text from the PNG (APNG) text chunks, the pixel data skipped unread; its grid's cells counted
    as the parts are inflated, while they come in order (read_recipe_json counts a text that came otherwise)."""
    parts, budget = {}, MAX_RECIPE_BYTES
    expected = KEY
    while True:
        head = f.read(8)
        if len(head) < 8:
            if KEY not in parts:
                raise _Bad("the file is cut short")
            break   # no IEND: a cut file still yields the recipe its text chunks hold
        length, kind = struct.unpack(">I4s", head)
        if kind in (b"tEXt", b"zTXt", b"iTXt") and length <= MAX_RECIPE_BYTES + 200:
            data = _read(f, length)
            crc = f.read(4)
            key, _, rest = data.partition(b"\0")
            key = key.decode("latin-1")
            if key != KEY and not key.startswith(PART_KEY):
                continue
            # a recipe chunk is checked whole (its CRC; the pixels' chunks are skipped unread) and unique:
            # a damaged or second recipe is an error, never a guess (docs/contract.md)
            if len(crc) == 4 and struct.unpack(">I", crc)[0] != zlib.crc32(kind + data) & 0xFFFFFFFF:
                raise _Damaged(f"its {kind.decode()} chunk {key!r} fails its CRC check: the chunk is corrupted")
            if key in parts:
                raise _Damaged(f"the file holds two {key!r} chunks: which is the picture's recipe is unknown")
            watch = cells if key == expected else None
            if kind == b"tEXt":
                raw = rest
            elif kind == b"zTXt":
                raw = _inflate(rest[1:], budget, watch)
                watch = None
            else:   # iTXt: compression flag, method, language\0, translated key\0, text
                if len(rest) < 2:
                    raise _Bad("an iTXt chunk is cut short")
                flag, text = rest[0], rest[2:].split(b"\0", 2)[-1]
                raw = _inflate(text, budget, watch) if flag else text
                watch = watch if not flag else None
            if watch is not None:
                watch.feed(raw.decode("latin-1"))
            if key == expected:
                expected = f"{PART_KEY}{2 if key == KEY else int(key[len(PART_KEY):]) + 1}"
            budget -= len(raw)
            if budget < 0:
                raise _Bad(f"the glnn recipe is larger than {MAX_RECIPE_BYTES >> 20} MB")
            parts[key] = raw.decode("utf-8", "replace") if kind == b"iTXt" else raw.decode("latin-1")
        elif kind == b"IEND":
            break
        else:
            f.seek(length + 4, os.SEEK_CUR)   # pixels and other chunks: skipped, never read
    if KEY not in parts:
        if parts:
            raise _Damaged(f"chunk {_first(parts)!r} is there but chunk {KEY!r} is missing")
        return None
    text, n = parts.pop(KEY), 2
    while f"{PART_KEY}{n}" in parts:
        text += parts.pop(f"{PART_KEY}{n}")
        n += 1
    if parts:
        raise _Damaged(f"chunk {_first(parts)!r} is there but chunk '{PART_KEY}{n}' is missing")
    return text


def _gif_sub_blocks(f: BinaryIO, keep: bool) -> bytes:
    out = bytearray()
    while True:
        n = _read(f, 1)[0]
        if n == 0:
            return bytes(out)
        if keep:
            out += _read(f, n)
            if len(out) > MAX_RECIPE_BYTES:
                raise _Bad(f"the glnn recipe is larger than {MAX_RECIPE_BYTES >> 20} MB")
        else:
            f.seek(n, os.SEEK_CUR)


def _gif_text(f: BinaryIO) -> Optional[str]:
    """The first comment extension's text, blocks before it skipped (the frames' pixels are not decoded)."""
    screen = _read(f, 7)
    if screen[4] & 0x80:
        f.seek(3 << ((screen[4] & 7) + 1), os.SEEK_CUR)   # the global colour table
    while True:
        block = f.read(1)
        if block in (b"", b"\x3b"):
            return None
        if block == b"\x21":
            label = _read(f, 1)[0]
            data = _gif_sub_blocks(f, keep=label == 0xFE)
            if label == 0xFE:
                return data.decode("utf-8", "replace")
        elif block == b"\x2c":
            desc = _read(f, 9)
            if desc[8] & 0x80:
                f.seek(3 << ((desc[8] & 7) + 1), os.SEEK_CUR)   # a local colour table
            _read(f, 1)   # LZW minimum code size
            _gif_sub_blocks(f, keep=False)
        else:
            raise _Bad(f"unknown GIF block {block[0]:#04x}")


def _riff_chunks(f: BinaryIO, end: int) -> Iterator[Tuple[bytes, int]]:
    while f.tell() + 8 <= end:
        kind, length = struct.unpack("<4sI", _read(f, 8))
        start = f.tell()
        yield kind, length
        f.seek(start + length + (length & 1))


def _webp_text(f: BinaryIO) -> Optional[str]:
    """The recipe inside the XMP chunk, found with one linear search each way (no regular expression)."""
    size = struct.unpack("<I", _read(f, 4))[0]
    if _read(f, 4) != b"WEBP":
        raise _Bad("a RIFF file that is not WebP")
    for kind, length in _riff_chunks(f, 8 + size):
        if kind != b"XMP ":
            continue
        if length > MAX_RECIPE_BYTES + 4096:
            raise _Bad(f"the XMP chunk is larger than {MAX_RECIPE_BYTES >> 20} MB")
        text = _read(f, length).decode("utf-8", "replace")
        start = text.find(XMP_OPEN)
        opened = text.find(">", start) if start >= 0 else -1
        end = text.rfind(XMP_CLOSE)
        if start < 0 or opened < 0 or end < opened:
            return None
        return text[opened + 1:end].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return None


MP4_PATH = (b"moov", b"udta", b"meta", b"ilst", b"\xa9cmt", b"data")


def _mp4_text(f: BinaryIO, end: int) -> Optional[str]:
    """The comment tag (moov/udta/meta/ilst/\xa9cmt/data) of an MP4, the media data skipped unread."""
    depth = 0
    while depth < len(MP4_PATH):
        found = False
        while f.tell() + 8 <= end:
            size, kind = struct.unpack(">I4s", _read(f, 8))
            start = f.tell() - 8
            if size == 1:
                size = struct.unpack(">Q", _read(f, 8))[0]
            elif size == 0:
                size = end - start
            if size < 8 or start + size > end:
                raise _Bad("an MP4 box runs past its container")
            if kind == MP4_PATH[depth]:
                found, end = True, start + size
                if kind == b"meta":
                    f.seek(4, os.SEEK_CUR)   # a full box: version and flags
                break
            f.seek(start + size)
        if not found:
            return None
        depth += 1
    payload = end - f.tell() - 8    # data: a type word and a locale word, then the text
    if payload > MAX_RECIPE_BYTES:
        raise _Bad(f"the comment is larger than {MAX_RECIPE_BYTES >> 20} MB")
    _read(f, 8)
    return _read(f, max(payload, 0)).decode("utf-8", "replace")


OTHER_FORMATS = ((b"\xff\xd8\xff", "JPEG"), (b"BM", "BMP"), (b"II*\0", "TIFF"), (b"MM\0*", "TIFF"),
                 (b"%PDF", "PDF"), (b"\x93NUMPY", ".npy"), (b"PK\x03\x04", "zip (.npz)"))


def _kind(head: bytes) -> Optional[str]:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] in (b"ftyp", b"moov", b"mdat", b"free", b"wide"):
        return "MP4"
    return None


def read_recipe_text(name: str, cells: Optional[CellCount] = None) -> Optional[str]:
    """The recipe's JSON text in a picture (None when it holds none); GlnnError naming the file when it is not a
    PNG, APNG, GIF, WebP or MP4, or is damaged where the recipe would be, or (PNG) its compressed text inflates to
    a grid of more than MAX_CELLS cells (counted in `cells`, or a counter of its own)."""
    try:
        with open(name, "rb") as f:
            head = f.read(12)
            kind = _kind(head)
            if kind is None:
                other = next((what for magic, what in OTHER_FORMATS if head.startswith(magic)), None)
                raise GlnnError(f"{name!r} is {'a ' + other if other else 'not a PNG, GIF, WebP or MP4'} file; "
                                "glnn recipes live in PNG, GIF, WebP and MP4 files")
            if kind == "PNG":
                f.seek(8)
                return _png_text(f, CellCount() if cells is None else cells)
            if kind == "GIF":
                f.seek(6)
                return _gif_text(f)
            if kind == "WEBP":
                f.seek(4)
                return _webp_text(f)
            f.seek(0)
            return _mp4_text(f, os.fstat(f.fileno()).st_size)
    except _Damaged as e:
        raise GlnnError(f"{name!r}: the glnn recipe is damaged ({e})")
    except (_Bad, struct.error, IndexError) as e:
        raise GlnnError(f"{name!r} is not a readable picture: {e or 'the file is cut short'}")
    except TooManyCells:
        raise _too_many_cells(name) from None
    except OSError as e:
        raise GlnnError(f"{name!r} cannot be read: {e.strerror or e}")


def read_recipe_json(path) -> dict:
    """The recipe stored in a PNG, APNG, GIF, WebP or MP4 file, parsed but not yet validated; GlnnError (one line
    naming the file) when the file cannot be read, holds no recipe, or holds one that is not a JSON object."""
    name = path_name(path, "picture")
    if os.path.isdir(name):
        raise GlnnError(f"picture {name!r} is a folder")
    if not os.path.exists(name):
        raise GlnnError(f"picture {name!r} does not exist")
    if not os.path.isfile(name):
        raise GlnnError(f"picture {name!r} is not a regular file")
    cells = CellCount()
    text = read_recipe_text(name, cells)
    if text is None:
        raise GlnnError(f"{name!r} has no glnn recipe (not a glnn picture of a network: glnn's plots carry none; or its metadata was stripped)")
    if len(text) > MAX_RECIPE_BYTES:
        raise GlnnError(f"{name!r}: the glnn recipe is larger than {MAX_RECIPE_BYTES >> 20} MB")
    if len(text) > 2 * MAX_CELLS and cells.fed != len(text):   # room for more cells than a grid holds (2 characters
        # or more each), not yet counted as it was read
        try:
            CellCount().feed(text)
        except TooManyCells:
            raise _too_many_cells(name) from None
    try:
        recipe = safe_json.loads(text)
    except ValueError as e:
        raise GlnnError(f"{name!r}: the glnn recipe is damaged (not JSON: {e})")
    if not isinstance(recipe, dict) or recipe.get("format") != "glnn-recipe":
        raise GlnnError(f"{name!r}: the glnn recipe is damaged (not a glnn-recipe object)")
    return recipe


def _too_many_cells(name: str) -> GlnnError:
    return GlnnError(f"{name!r}: its glnn recipe is a grid of more than {MAX_CELLS:,} pictures, more than glnn grid "
                     "makes; refused before reading them")


def _damaged(name: str, what: str) -> GlnnError:
    return GlnnError(f"{name!r}: the glnn recipe is damaged ({what})")


def _grid(recipe: dict, name: str) -> Optional[list]:
    """The cells of a grid recipe (None for one picture), the list and its base checked; the cells themselves
    are checked where they are used (one cell: select_cell; all: grid_cells), so each costs once."""
    cells = recipe.get("cells")
    if cells is None:
        return None
    if not (isinstance(cells, list) and cells):
        raise _damaged(name, "its 'cells' must be a list of one or more objects")
    base = recipe.get("base")
    if base is not None and not (isinstance(base, dict) and
                                 all(isinstance(base.get(k), dict) for k in ("network", "view"))):
        raise _damaged(name, "its 'base' must be a recipe object")
    return cells


def _check_cell(recipe: dict, cell, name: str) -> None:
    if not isinstance(cell, dict):
        raise _damaged(name, "its 'cells' must be a list of one or more objects")
    if recipe.get("base") is not None and not isinstance(cell.get("set"), dict):
        raise _damaged(name, "each cell of a compact grid needs a 'set' object")


def grid_cells(recipe: dict, name: str) -> Optional[list]:
    """A grid recipe's cells (None for one picture): a non-empty list of objects, each a cell's recipe or, in
    glnn grid's compact form (a 'base' recipe), an object whose 'set' holds its differences; GlnnError if not."""
    cells = _grid(recipe, name)
    for c in cells or ():
        _check_cell(recipe, c, name)
    return cells


def select_cell(recipe: dict, cell: Optional[int], name: str) -> dict:
    """The recipe of one picture: the file's own, or cell `cell` (1-based) of a grid of pictures."""
    cells = _grid(recipe, name)
    if cells is None:
        if cell is not None:
            raise GlnnError(f"{name!r} is one picture, not a grid: --cell does not apply")
        return recipe
    if cell is None:
        raise GlnnError(f"{name!r} is a grid of {len(cells)} pictures: choose one with --cell 1..{len(cells)}")
    if not (isinstance(cell, int) and 1 <= cell <= len(cells)):
        raise GlnnError(f"{name!r}: --cell must be from 1 to {len(cells)}, not {cell!r}")
    _check_cell(recipe, cells[cell - 1], name)
    chosen = cells[cell - 1]
    base = recipe.get("base")
    if base is not None:
        # glnn grid's compact form: one base recipe, each cell its differences from it
        out = dict(base, network=dict(base["network"]), view=dict(base["view"]))
        changes = chosen["set"]
        if any(k in out["network"] or k == "lineage" for k in changes):
            out.pop("weights", None)   # a cell with other hyperparameters was drawn from its seed
        for k, v in changes.items():
            part = "network" if k in out["network"] else "view" if k in out["view"] else None
            if part:
                out[part][k] = v
            elif k == "colour":
                out["colour"] = v
            elif k == "lineage":   # glnn breed: each cell its own lineage (docs/lineage.md); [] for none
                if v:
                    out["lineage"] = v
                else:
                    out.pop("lineage", None)
        chosen = dict(out, rect=chosen.get("rect"))
    return dict(chosen, format=recipe.get("format"))
