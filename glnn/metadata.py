"""Where a picture's recipe lives inside image files: a leaf module (no GL, no network, no numpy).

The recipe is one JSON object (glnn/recipe.py says what is in it), stored as:
- PNG and APNG: a compressed text chunk (zTXt) under the key `glnn-recipe`;
- GIF: the comment extension;
- WebP: the XMP chunk, inside a minimal XMP packet;
- MP4: the container's `comment` tag (written only; glnn does not read MP4s back).
Reading never executes anything: it parses JSON, with limits on size, and the
caller validates every field.
"""
from __future__ import annotations

import json
import os
import re
from typing import Optional

from PIL import Image, PngImagePlugin

from .errors import GlnnError

KEY = "glnn-recipe"
# Common readers refuse PNG text chunks that decompress to more than 1 MiB (Pillow's MAX_TEXT_CHUNK): a
# recipe stays under that, so its weights (base64 of the compressed .npz) get at most WEIGHTS_BUDGET characters,
# shared by all the cells of a grid. Larger networks are stored by their hyperparameters alone.
MAX_RECIPE_BYTES = 1 << 20
WEIGHTS_BUDGET = 960_000
MAX_WEIGHTS_BASE64 = WEIGHTS_BUDGET
XMP = ('<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
       '<glnn:recipe xmlns:glnn="https://github.com/glnn">{}</glnn:recipe></x:xmpmeta><?xpacket end="w"?>')
_XMP = re.compile(r"<glnn:recipe[^>]*>(.*)</glnn:recipe>", re.S)


def dumps(recipe: dict) -> str:
    return json.dumps(recipe, separators=(",", ":"), allow_nan=False)


def png_info(recipe: dict) -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    info.add_text(KEY, dumps(recipe), zip=True)
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


def _text_of(image: Image.Image) -> Optional[str]:
    if image.format == "PNG":
        return getattr(image, "text", {}).get(KEY)
    raw = image.info.get("comment") if image.format == "GIF" else image.info.get("xmp")
    if raw is None:
        return None
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    if image.format == "WEBP":
        m = _XMP.search(text)
        if not m:
            return None
        text = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return text


def read_recipe_json(path) -> dict:
    """The recipe stored in a PNG, APNG, GIF or WebP file, parsed but not yet validated; GlnnError (one line
    naming the file) when the file cannot be read, holds no recipe, or holds one that is not a JSON object."""
    name = os.fspath(path)
    if os.path.isdir(name):
        raise GlnnError(f"picture {name!r} is a folder")
    if not os.path.isfile(name):
        raise GlnnError(f"picture {name!r} does not exist")
    try:
        with Image.open(name) as image:
            if image.format not in ("PNG", "GIF", "WEBP"):
                raise GlnnError(f"{name!r} is a {image.format} file; glnn recipes live in PNG, GIF and WebP files")
            image.load()   # PNG text chunks after the image data are read here
            text = _text_of(image)
    except GlnnError:
        raise
    except Exception as e:   # Pillow's errors for truncated or foreign files
        raise GlnnError(f"{name!r} is not a readable picture: {type(e).__name__}: {e}".splitlines()[0])
    if text is None:
        raise GlnnError(f"{name!r} has no glnn recipe (it was not written by glnn, or its metadata was stripped)")
    if len(text) > MAX_RECIPE_BYTES:
        raise GlnnError(f"{name!r}: the glnn recipe is larger than {MAX_RECIPE_BYTES >> 20} MB")
    try:
        recipe = json.loads(text, parse_constant=_refuse_constant)
    except ValueError as e:
        raise GlnnError(f"{name!r}: the glnn recipe is damaged (not JSON: {e})".splitlines()[0])
    if not isinstance(recipe, dict) or recipe.get("format") != "glnn-recipe":
        raise GlnnError(f"{name!r}: the glnn recipe is damaged (not a glnn-recipe object)")
    return recipe


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number a recipe may hold")


def select_cell(recipe: dict, cell: Optional[int], name: str) -> dict:
    """The recipe of one picture: the file's own, or cell `cell` (1-based) of a grid of pictures."""
    cells = recipe.get("cells")
    if cells is None:
        if cell is not None:
            raise GlnnError(f"{name!r} is one picture, not a grid: --cell does not apply")
        return recipe
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells) or not cells:
        raise GlnnError(f"{name!r}: the glnn recipe is damaged (bad 'cells')")
    if cell is None:
        raise GlnnError(f"{name!r} is a grid of {len(cells)} pictures: choose one with --cell 1..{len(cells)}")
    if not (isinstance(cell, int) and 1 <= cell <= len(cells)):
        raise GlnnError(f"{name!r}: --cell must be from 1 to {len(cells)}, not {cell!r}")
    chosen = cells[cell - 1]
    base = recipe.get("base")
    if isinstance(base, dict) and isinstance(chosen.get("set"), dict):
        # glnn grid's compact form: one base recipe, each cell its differences from it
        out = json.loads(json.dumps(base))
        if any(k in out.get("network", {}) for k in chosen["set"]):
            out.pop("weights", None)   # a cell with other hyperparameters was drawn from its seed
        for k, v in chosen["set"].items():
            part = "network" if k in out.get("network", {}) else "view" if k in out.get("view", {}) else None
            if part:
                out[part][k] = v
            elif k == "colour":
                out["colour"] = v
        chosen = dict(out, rect=chosen.get("rect"))
    return dict(chosen, format=recipe.get("format"))
