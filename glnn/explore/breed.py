"""`glnn breed`: a sheet of children (docs/lineage.md), each cell carrying its recipe like a grid's cell.

One parent: each child is the parent mutated toward a small seed (0 .. 999999) by the strength. Two parents
(two cells of a sheet): each child is their crossover with its own mask seed (mode unit or layer), then mutated
when the strength is above 0. No parent: a first sheet of networks with random seeds. The seeds come from the
stream [S, 7] of the --seed S, so a sheet is made again exactly. The sheet is written as glnn grid writes its
sheets (glnn/explore/grid.py), so `glnn render --from sheet.png --cell N` draws child N at any size.
"""
from __future__ import annotations

import dataclasses
import math
from typing import Optional, Sequence

import numpy as np

from ..errors import GlnnError
from ..io.recipe import Recipe
from ..model.network import Network
from .grid import MAX_CELLS, Sheet, Vary, frame

MAX_CHILD_SEED = 1_000_000   # children's seeds, 0 .. 999999: short links
TAG_CHILDREN = 7             # the stream [S, 7] of --seed S gives the children's seeds and masks
MODES = ("unit", "layer")


def child_seeds(seed: int, n: int):
    """(mutation seeds, mask seeds) of n children, from the stream [seed, 7]."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), TAG_CHILDREN])))
    values = rng.integers(0, MAX_CHILD_SEED, size=2 * n)
    return [int(v) for v in values[:n]], [int(v) for v in values[n:]]


def children(parents: Sequence[Network], n: int, strength: float, seed: int, mode: str = "unit",
             base: Optional[Network] = None):
    """The n children's networks: of one parent (mutations), of two (crossovers, then mutations when strength
    > 0), or of none (base's hyperparameters with n random seeds)."""
    if not 1 <= n <= MAX_CELLS:
        raise GlnnError(f"--children must be from 1 to {MAX_CELLS:,}, not {n}")
    if mode not in MODES:
        raise GlnnError(f"--mode must be unit or layer, not {mode!r}")
    if not (math.isfinite(strength) and 0 <= strength <= 1) or (len(parents) == 1 and strength == 0):
        raise GlnnError(f"--strength must be in (0, 1]{' (or 0: crossovers alone)' if len(parents) == 2 else ''}, "
                        f"not {strength!r}")
    seeds, masks = child_seeds(seed, n)
    if not parents:
        return [(base or Network()).replace(seed=s) for s in seeds]
    if len(parents) == 1:
        return [parents[0].child(s, strength) for s in seeds]
    if len(parents) != 2:
        raise GlnnError(f"breed from one or two parents, not {len(parents)}")
    a, b = parents
    out = []
    for s, m in zip(seeds, masks):
        c = a.cross(b, m, mode)
        out.append(c.child(s, strength) if strength > 0 else c)
    return out


def plan(nets: Sequence[Network], first: Recipe, cols: Optional[int], title: str) -> Sheet:
    """The sheet: one cell per child, labelled by its --cell number, with the view, colour and backend of
    `first` (the parent's recipe at the cells' size)."""
    n = len(nets)
    cols = cols or math.ceil(math.sqrt(n))
    if not 1 <= cols <= n:
        raise GlnnError(f"--cols must be from 1 to {n}, not {cols}")
    sheet = frame((Vary("cell", tuple(range(1, n + 1)), ""),), [{"cell": i + 1} for i in range(n)], cols,
                  math.ceil(n / cols), first.view.size)
    recipes = tuple(dataclasses.replace(first, network=net, probe=None, animation=None) for net in nets)
    return dataclasses.replace(sheet, recipes=recipes, title=title)
