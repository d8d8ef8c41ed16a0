"""`glnn breed`: a sheet of children of a picture (or of two cells of a sheet), each re-rendered by
`glnn render --from sheet.png --cell N` (docs/lineage.md)."""
from __future__ import annotations

import dataclasses
import secrets
import sys

from ..errors import GlnnError
from ..io.files import check_output
from ..model import lineage as lineages
from ..rendering import engine as engines
from ..rendering.progress import Progress
from .flags import (add_backend_flag, add_batch_flags, add_network_flags, add_view_flags, command_parser, given,
                    integer, number, resolve)

EXAMPLES = """\
  glnn breed --seed 1 --out gen1.png                                      a first sheet: 16 random networks
  glnn breed --from gen1.png --cell 6 --seed 2 --out gen2.png             16 children of its cell 6
  glnn breed --from gen2.png --cell 3 --cell 7 --seed 3 --out gen3.png    crossovers of cells 3 and 7, mutated
  glnn breed --from gen2.png --cell 3 --cell 7 --mode layer --strength 0 --out gen3b.png
"""


def register(sub) -> None:
    b = command_parser(sub, "breed", "a sheet of children of a picture, or of two cells of a sheet",
                       "Breed pictures: each cell of the sheet is a child of the parent (--from PICTURE, --cell "
                       "N of a sheet): the parent's network mutated toward a small new seed by --strength (0 < S "
                       "<= 1: 1 is a fresh network). Two --cell cross the two parents (each child its own mask: "
                       "units, or with --mode layer whole layers, from one or the other), then mutate them (--"
                       "strength 0: crossovers alone). Without --from: a first sheet of random networks. Every "
                       "cell carries its recipe (its lineage, docs/lineage.md): glnn render --from sheet.png "
                       "--cell N draws it at any size (after the examples below: glnn render --from gen3.png --cell 5 "
                       "--size 1920x1080 --out child.png; glnn info gen3.png --cell 5 shows its lineage).",
                       "examples:\n" + EXAMPLES)
    b.add_argument("--from", dest="source", metavar="PICTURE", help="the parent: a picture glnn wrote, or a sheet")
    b.add_argument("--cell", type=integer, action="append", metavar="N",
                   help="with --from on a sheet: the parent cell (from 1); twice: cross the two")
    b.add_argument("--children", type=integer, default=16, metavar="N", help="cells of the sheet (default 16)")
    b.add_argument("--strength", type=number, default=0.3, metavar="S",
                   help="how far each child moves toward its new seed, 0 < S <= 1 (default 0.3; with two "
                        "parents 0: crossovers alone)")
    b.add_argument("--mode", choices=("unit", "layer"), default="unit",
                   help="crossover of two parents: each unit (default) or each layer from one or the other")
    b.add_argument("--seed", dest="child_seed", type=integer, metavar="S",
                   help="the children's seeds and masks come from S (default: a random S, reported)")
    b.add_argument("--cols", type=integer, metavar="N", help="cells per row (default: a square)")
    add_network_flags(b, skip=("seed",))
    add_view_flags(b, default_size=(128, 128), rendering=False)
    add_backend_flag(b)
    b.add_argument("--out", default="breed.png", metavar="FILE.png", help="the sheet (default breed.png)")
    add_batch_flags(b)
    b.add_argument("-q", "--quiet", action="store_true", help="no progress, no summary")
    b.set_defaults(func=run)


def run(args) -> int:
    from ..explore import breed, grid
    from ..explore.batch import executor

    check_output(args.out, (".png",))
    cells = args.cell or []
    if cells and not args.source:
        raise GlnnError("--cell goes with --from (a sheet)")
    if len(cells) > 2:
        raise GlnnError(f"--cell at most twice (two parents), not {len(cells)} times")
    if args.network:
        raise GlnnError("glnn breed takes its parent with --from PICTURE (a saved network: glnn render it first)")
    seed = args.child_seed if args.child_seed is not None else secrets.randbelow(breed.MAX_CHILD_SEED)
    if not 0 <= seed < 2 ** 63:
        raise GlnnError(f"--seed must be from 0 to 2^63-1, not {seed}")
    engine = engines.default_engine()
    size = args.size or args.default_size
    if args.source:
        picks = cells or [None]
        parents = [_parent(args, engine, size, c) for c in picks]
        first = parents[0]
        nets = breed.children([p.network for p in parents], args.children, args.strength, seed, args.mode)
        what = (f"children of {args.source}" + (f" cell {cells[0]}" if len(cells) == 1 else "")
                if len(parents) == 1 else f"crossovers ({args.mode}) of cells {cells[0]} and {cells[1]}")
    else:
        first = resolve(args, engine)
        nets = breed.children([], args.children, args.strength, seed, base=first.network)
        what = "random seeds"
    backend = first.backend if first.backend != "auto" else engine.choose("auto", nets[0]).name
    first = dataclasses.replace(first, backend=backend)   # one backend for every cell (and every worker)
    strength = f", strength {args.strength:g}" if args.source and args.strength else ""
    sheet = breed.plan(nets, first, args.cols, f"glnn breed: {what}{strength}, seed {seed}")
    progress = Progress(len(sheet.cells), "cells", enabled=False if args.quiet else None)
    with executor(args.workers, args.dask, tasks=len(sheet.cells)) as ex:
        grid.run(sheet, args.out, ex, progress=progress.update)
    progress.close()
    if not args.quiet:
        gens = lineages.generations(nets[0].lineage)
        print(f"wrote {args.out} ({len(nets)} {what}, generation {gens}, --seed {seed}, {progress.summary()}, "
              f"{ex.name}; glnn render --from {args.out} --cell N draws one)", file=sys.stderr)
    return 0


def _parent(args, engine, size, cell):
    from ..io import request

    usable = lambda name: engine.unavailable(name) is None   # noqa: E731
    return request.resolve(dict(given(args), size=size), args.source, cell, None, args.default_size, usable)
