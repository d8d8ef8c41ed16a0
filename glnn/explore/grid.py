"""`glnn grid`: contact sheets over hyperparameter space, written band by band.

`--vary NAME=SPEC` once gives a row of cells (wrapped with --cols), twice rows x columns. SPEC is A:B for whole
numbers (seed, depth, width, inputs, channels), A:B:N for N numbers from A to B (A:B:Nx in geometric steps, for
scale and extent), or a comma list (any parameter, activation, init and color too); values that hold commas
themselves (features, activation lists) are separated by ';' instead: features=x,y;x,y,r or activation=tanh;tanh,sin. Every cell is exactly what
`glnn render` makes for its settings (glnn/explore/batch.py renders them, on this process or many). The sheet is
streamed: one row of cells is held at a time, so thousands of cells fit in little memory. The sheet's recipe
gives each cell's settings and place (`glnn render --from sheet.png --cell N`).
"""
from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass
from typing import Callable, Dict, Optional, Sequence, Tuple

import numpy as np

from ..io import html_page, metadata
from ..model import inits
from .batch import Executor, render_cell
from ..errors import GlnnError
from ..io.files import Outputs
from ..io.html_page import escape
from ..model.network import BY_ACTIVATION, HYPERPARAMETERS, Network
from ..io.plots import font
from ..io.recipe import FORMAT, VERSION, Recipe
from ..io.request import resolve
from ..rendering.sheet import Layout, bands, text_strip, write_png
from ..version import __version__
from ..model.view import View

MAX_SIDE = 65535                       # PNG readers' common limit, pixels a side
MAX_BAND_BYTES = 1 << 30               # one row of cells held at once
MAX_CELLS = metadata.MAX_CELLS         # cells a sheet holds (and its readers take): each is resolved (checked) before any is drawn
KINDS: Dict[str, type] = {**{h.name: h.kind for h in HYPERPARAMETERS}, "extent": float, "time": float, "colour": str}
WHOLE = tuple(h.name for h in HYPERPARAMETERS if h.whole)   # seed, depth, width, channels, inputs
ALIASES = {"color": "colour", "bias-scale": "bias_scale", "output-activation": "output_activation"}


@dataclass(frozen=True)
class Vary:
    name: str
    values: Tuple
    spec: str

    def label(self, v) -> str:
        return f"{v:.4g}" if isinstance(v, float) else str(v)


def _number(text: str, name: str, spec: str):
    try:
        v = KINDS[name](text) if KINDS[name] is int else float(text)
    except ValueError:
        kind = "a whole number" if KINDS[name] is int else "a number"
        raise GlnnError(f"--vary {spec!r}: {text!r} is not {kind}") from None
    if isinstance(v, float) and not math.isfinite(v):
        raise GlnnError(f"--vary {spec!r}: {text!r} is not finite")
    return v


def parse_vary(spec: str) -> Vary:
    """NAME=SPEC (see the module's doc); GlnnError, one line, for anything else."""
    if "=" not in spec:
        raise GlnnError(f"--vary {spec!r}: expected NAME=SPEC, like seed=1:8 or scale=0.4:1.2:5")
    raw, text = (p.strip() for p in spec.split("=", 1))
    name = ALIASES.get(raw, raw.replace("-", "_"))
    if name not in KINDS:
        raise GlnnError(f"--vary {spec!r}: unknown name {raw!r} (choose from {', '.join(sorted(KINDS))})")
    if not text:
        raise GlnnError(f"--vary {spec!r}: empty range")
    kind = KINDS[name]
    sep = ";" if ";" in text else ","   # values that hold commas (features=x,y;x,y,r) are separated by ;
    if sep in text or kind is str or ":" not in text:
        if text.count(sep) >= MAX_CELLS:
            raise _too_many(spec, text.count(sep) + 1)
        values = tuple(v.strip() for v in text.split(sep))
        if not all(values):
            raise GlnnError(f"--vary {spec!r}: an empty value in the list")
        if kind is not str:
            values = tuple(_number(v, name, spec) for v in values)
    else:
        parts = text.split(":")
        if len(parts) == 2 and name in WHOLE:
            a, b = (_number(p, name, spec) for p in parts)
            step = 1 if b >= a else -1
            if abs(b - a) + 1 > MAX_CELLS:   # counted before the values are made
                raise _too_many(spec, abs(b - a) + 1)
            values = tuple(range(a, b + step, step))
        elif len(parts) == 3:
            a, b = (float(_number(p, "scale", spec)) for p in parts[:2])
            geometric = parts[2].endswith("x")
            try:
                n = int(parts[2][:-1] if geometric else parts[2])
            except ValueError:
                raise GlnnError(f"--vary {spec!r}: the count in A:B:N is a whole number") from None
            if n < 1:
                raise GlnnError(f"--vary {spec!r}: empty range (N = {n})")
            if n > MAX_CELLS:
                raise _too_many(spec, n)
            if geometric and not (a > 0 and b > 0):
                raise GlnnError(f"--vary {spec!r}: a geometric range (A:B:Nx) needs A and B above 0")
            values = tuple(np.geomspace(a, b, n).tolist() if geometric else np.linspace(a, b, n).tolist())
            if kind is int:
                values = tuple(int(round(v)) for v in values)
        else:
            shape = "A:B or A:B:N" if name in WHOLE else "A:B:N (N numbers) or A:B:Nx (geometric)"
            raise GlnnError(f"--vary {spec!r}: expected {shape}, or a comma list")
    if not values:
        raise GlnnError(f"--vary {spec!r}: empty range")
    return Vary(name, values, spec)


def _too_many(spec: str, n: int) -> GlnnError:
    shown = spec if len(spec) <= 60 else spec[:57] + "..."
    return GlnnError(f"--vary {shown!r}: {n:,} values, more cells than a sheet holds (at most {MAX_CELLS:,})")


@dataclass(frozen=True)
class Sheet:
    """The cells (row-major), their tasks and recipes, and the geometry."""
    varies: Tuple[Vary, ...]
    cells: Tuple[Dict, ...]       # each cell's varied settings
    recipes: Tuple[Recipe, ...]   # each cell's resolved request: the batch tasks
    cols: int
    rows: int
    cell: Tuple[int, int]
    gutter: int
    top: int                      # title and column labels
    left: int                     # row labels
    label_h: int                  # a label strip under each cell (one --vary)
    title: str
    label_px: int                 # the labels' font size

    @property
    def layout(self) -> Layout:
        """The sheet's geometry (glnn/rendering/sheet.py): gutters between the cells and around them."""
        return Layout(len(self.cells), self.cols, self.cell, self.gutter, margin=self.gutter, left=self.left,
                      top=self.top, below=self.label_h)

    @property
    def size(self) -> Tuple[int, int]:
        return self.layout.size

    def rect(self, i: int) -> Tuple[int, int, int, int]:
        return self.layout.rect(i)


def plan(base: Dict, view: View, colour: Optional[str], varies: Sequence[Vary], backend: str,
         cols: Optional[int] = None, network: Optional[Network] = None) -> Sheet:
    """Every cell's network, view and colour, checked before anything is drawn; the layout. base: the
    hyperparameters asked for every cell; network: a whole network every cell starts from instead (a --from
    picture's, a saved one's: its weights, until a cell changes a hyperparameter)."""
    if not varies:
        raise GlnnError("give --vary NAME=SPEC (once for a row, twice for rows x columns)")
    if len(varies) > 2:
        raise GlnnError(f"at most two --vary (rows and columns), not {len(varies)}")
    if len(varies) == 2 and varies[0].name == varies[1].name:
        raise GlnnError(f"--vary {varies[0].name} given twice")
    if len(varies) == 2 and len(varies[0].values) * len(varies[1].values) > MAX_CELLS:
        raise GlnnError(f"{len(varies[0].values):,} x {len(varies[1].values):,} = "
                        f"{len(varies[0].values) * len(varies[1].values):,} cells, more than a sheet holds "
                        f"(at most {MAX_CELLS:,})")
    if len(varies) == 2 and cols is not None:
        raise GlnnError("--cols goes with one --vary (two --vary give rows x columns)")
    if len(varies) == 1:
        n = len(varies[0].values)
        cols = n if cols is None else cols
        if not 1 <= cols <= n:
            raise GlnnError(f"--cols must be from 1 to {n}, not {cols}")
        cells = [{varies[0].name: v} for v in varies[0].values]
        rows = math.ceil(n / cols)
    else:
        cells = [{varies[0].name: a, varies[1].name: b} for a in varies[0].values for b in varies[1].values]
        rows, cols = len(varies[0].values), len(varies[1].values)
    sheet = frame(varies, cells, cols, rows, view.size)
    recipes = []
    shared = dict(base, center=view.center, extent=view.extent, time=view.time, size=view.size, colour=colour,
                  backend=backend, network=network)
    for i, cell in enumerate(cells):
        try:   # each cell is the request `glnn render` would resolve for its settings
            recipes.append(resolve(dict(shared, **cell)))
        except GlnnError as e:
            raise GlnnError(f"cell {i + 1} ({_describe(cell)}): {e}") from None
    varied = {x.name for x in varies}
    first = recipes[0].network.hyperparameters()
    shown = ("seed", "depth", "width", "features", "activation", "init", "scale", "gain", "channels", "inputs")
    fixed = [f"{k.replace('_', ' ')} {_fmt(first[k])}" for k in shown if k not in varied and
             not (k == "gain" and not inits.uses_gain(first["init"])) and
             not (k == "channels" and first[k] == 3) and not (k == "inputs" and first[k] == 2) and
             not (k == "features" and first[k] == Network.features) and
             not (k in BY_ACTIVATION and "activation" in varied and k not in base)]
    fixed += [f"extent {_fmt(view.extent)}"] if "extent" not in varied and view.extent != 1.0 else []
    fixed += [f"time {_fmt(view.time)}"] if "time" not in varied and view.time else []
    title = "glnn grid: " + ", ".join(fixed)
    return dataclasses.replace(sheet, recipes=tuple(recipes), title=title)


def frame(varies: Sequence[Vary], cells: Sequence[Dict], cols: int, rows: int, size: Tuple[int, int]) -> Sheet:
    """A sheet's geometry (its recipes and title still to come), checked: the side and one band's memory."""
    w, h = size
    gutter = max(2, min(w, h) // 32)
    lab = max(11, min(16, min(w, h) // 10))
    one = len(varies) == 1
    sheet = Sheet(tuple(varies), tuple(cells), (), cols, rows, (w, h), gutter,
                  top=lab + 10 + (0 if one else lab + 6), left=0 if one else _label_width(varies[0], lab) + 8,
                  label_h=lab + 4 if one else 0, title="", label_px=lab)
    W, H = sheet.size
    if W > MAX_SIDE or H > MAX_SIDE:
        raise GlnnError(f"the sheet would be {W}x{H} pixels, over {MAX_SIDE:,} a side: fewer or smaller cells")
    if W * (h + sheet.label_h + gutter) * 3 > MAX_BAND_BYTES:
        raise GlnnError(f"one row of {cols} cells of {w}x{h} would not fit in memory: fewer columns or smaller cells")
    return sheet


def _fmt(v) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def _describe(cell: Dict) -> str:
    return ", ".join(f"{k} {_fmt(v)}" for k, v in cell.items())


def _label_width(vary: Vary, px: int) -> int:
    f = font(px)
    return max(int(f.getlength(f"{vary.name} {vary.label(v)}")) for v in vary.values)


def sheet_recipe(sheet: Sheet) -> dict:
    """The grid's recipe, compact: one base recipe, and each cell's differences from it and its rectangle."""
    # the weights go in only where the cells share a network that is not drawn from its seed (a saved one's)
    base = sheet.recipes[0].to_json() if sheet.recipes[0].network.loaded_layers is not None else \
        sheet.recipes[0].to_json(weights_budget=0)
    cells = []
    for i, r in enumerate(sheet.recipes):
        j = r.to_json(weights_budget=0)
        diff = {k: v for k, v in j["network"].items() if base["network"].get(k) != v}
        diff.update({k: v for k, v in j["view"].items() if base["view"].get(k) != v})
        if j["colour"] != base["colour"]:
            diff["colour"] = j["colour"]
        if j.get("lineage", []) != base.get("lineage", []):   # glnn breed's children
            diff["lineage"] = j.get("lineage", [])
        cells.append({"set": diff, "rect": list(sheet.rect(i))})
    return {"format": FORMAT, "version": VERSION, "glnn": __version__, "base": base, "cells": cells}


def write(sheet: Sheet, out: str, results, progress: Optional[Callable[[int], None]] = None,
          outputs: Optional[Outputs] = None) -> None:
    """Stream the sheet to `out` (.png): results yields each cell's 8-bit picture in order (batch.run);
    `outputs`: land with the command's other files (glnn/io/files.py)."""
    layout = sheet.layout
    W, _ = layout.size
    w, h = sheet.cell
    lab, title_h = sheet.label_px, sheet.label_px + 10
    strips = [text_strip(W, title_h, [((W // 2, title_h // 2), sheet.title)], lab)]
    one = len(sheet.varies) == 1
    if not one:   # the column labels
        cv, ch = sheet.varies[1], sheet.top - title_h
        strips.append(text_strip(W, ch, [((sheet.rect(c)[0] + w // 2, ch // 2), f"{cv.name} {cv.label(v)}")
                                         for c, v in enumerate(cv.values)], lab))

    def row_label(r):
        rv = sheet.varies[0]
        text = f"{rv.name} {rv.label(rv.values[r])}"
        return text_strip(sheet.left, h, [((sheet.left - 6, h // 2), text)], lab, anchor="rm")

    def cell_label(i):
        v = sheet.varies[0]
        text = f"{v.name} {v.label(sheet.cells[i][v.name])}"
        return text_strip(w, sheet.label_h, [((w // 2, sheet.label_h // 2), text)], lab)

    write_png(out, layout, bands(layout, results, strips=strips, row_label=None if one else row_label,
                                 cell_label=cell_label if one else None, done=progress), sheet_recipe(sheet),
              outputs=outputs)


def page(sheet: Sheet, picture_name: str) -> str:
    """An HTML page over the sheet: each cell links (a title) its full-size glnn render command."""
    W, H = sheet.size
    areas, items = [], []
    for i, r in enumerate(sheet.recipes):
        x, y, w, h = sheet.rect(i)
        command = escape(Recipe(r.network, r.view.replace(width=1024, height=1024), r.colour, r.backend)
                         .command(out=f"cell{i + 1}.png"))
        areas.append(f'<a class="cell" style="left:{100 * x / W:.4f}%;top:{100 * y / H:.4f}%;width:{100 * w / W:.4f}%;'
                     f'height:{100 * h / H:.4f}%" href="#c{i + 1}" title="{command}"></a>')
        items.append(f'<li id="c{i + 1}"><code>{command}</code></li>')
    rows = "\n".join(items)
    style = f"""
body {{ font: 14px/1.5 system-ui, sans-serif; margin: 1.5em; color: #222; }}
.sheet {{ position: relative; max-width: 100%; width: {W}px; }}
.sheet img {{ width: 100%; display: block; }}
.cell {{ position: absolute; }} .cell:hover {{ outline: 2px solid #06c; }}
code {{ font-size: 12px; }} li:target {{ background: #ffc; }}
"""
    body = f"""
<h1>{escape(sheet.title)}</h1>
<p>Each cell links the <code>glnn render</code> command that draws it full size (hover a cell to see it).</p>
<div class="sheet"><img src="{html_page.href(picture_name)}" alt="the sheet">
{''.join(areas)}</div>
<ol>
{rows}
</ol>
"""
    return html_page.page(sheet.title, style, body)


def run(sheet: Sheet, out: str, executor: Executor, html_out: Optional[str] = None,
        progress: Optional[Callable[[int], None]] = None) -> None:
    with Outputs() as outputs:   # the sheet and its page land together, or neither does
        write(sheet, out, executor.map(render_cell, sheet.recipes), progress, outputs)
        if html_out:
            # the sheet's path from the page's folder
            link = os.path.relpath(os.path.abspath(out), os.path.dirname(os.path.abspath(html_out)))
            html_page.write(html_out, page(sheet, link), outputs)
