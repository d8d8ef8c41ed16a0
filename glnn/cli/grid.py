"""`glnn grid`: a contact sheet over one or two hyperparameters."""
from __future__ import annotations

import sys

from ..rendering import engine as engines
from ..errors import GlnnError
from ..io.files import check_output
from ..model.network import NAMES as NETWORK_FLAGS
from ..rendering.progress import Progress
from .flags import add_backend_flag, add_batch_flags, add_request_flags, command_parser, given, integer, resolve

EXAMPLES = """\
  glnn grid --vary seed=1:8 --out seeds.png
  glnn grid --vary depth=2:12 --vary scale=0.4:1.6:6x --size 128x128 --out sheet.png
  glnn grid --vary activation=tanh,relu,sin,gaussian --vary seed=1:4 --html s.html --out s.png
  glnn grid --vary 'features=x,y;x,y,r;r,bias' --vary 'activation=tanh;tanh,sin;mix-units' --out f.png
  glnn grid --vary seed=1:64 --cols 8 --dask local:2 --out many.png
"""


def register(sub) -> None:
    gr = command_parser(sub, "grid", "a contact sheet over one or two hyperparameters",
                        "A sheet of cells, each exactly what glnn render makes for its settings: one "
                        "--vary gives a row (wrapped with --cols), two give rows x columns. SPEC: A:B "
                        "(whole numbers: seed, depth, width, inputs, channels), A:B:N (N numbers; A:B:Nx "
                        "in geometric steps), or a comma list (any name, activation, init, color too); values "
                        "holding commas are separated by ';' (features=x,y;x,y,r, activation=tanh;tanh,sin).",
                        "examples:\n" + EXAMPLES)
    gr.add_argument("--vary", action="append", metavar="NAME=SPEC", help="a parameter and its values (once or twice)")
    gr.add_argument("--cols", type=integer, metavar="N", help="with one --vary: cells per row (default: all)")
    add_request_flags(gr, default_size=(160, 160), rendering=False)
    add_backend_flag(gr)
    gr.add_argument("--out", default="grid.png", metavar="FILE.png", help="the sheet (default grid.png)")
    gr.add_argument("--html", metavar="FILE.html", help="also a page linking each cell's glnn render command")
    add_batch_flags(gr)
    gr.add_argument("-q", "--quiet", action="store_true", help="no progress, no summary")
    gr.set_defaults(func=run)


def run(args) -> int:
    from ..explore import grid
    from ..explore.batch import executor

    check_output(args.out, (".png",))
    if args.html:
        check_output(args.html, (".html",), "--html")
    varies = [grid.parse_vary(v) for v in args.vary or []]
    varied = {v.name for v in varies}
    engine = engines.default_engine()
    asked = resolve(args, engine, colour=None)   # the colour: per cell (a varied channel count changes it)
    net = asked.network
    if args.network and varied & set(NETWORK_FLAGS):
        name = sorted(varied & set(NETWORK_FLAGS))[0]
        raise GlnnError(f"--vary {name} cannot be combined with --network (the file fixes the network)")
    # the flags given (activation defaults then apply per cell, as for glnn render); a --from picture's or a saved
    # network's network whole (its weights: a cell that changes a hyperparameter is drawn from its seed)
    base = {} if args.source or args.network else \
        {k: v for k, v in given(args).items() if (k in NETWORK_FLAGS or k == "lineage") and k not in varied}
    backend = asked.backend
    if backend == "auto":
        backend = engine.choose("auto", net).name   # one backend for every cell (and every worker)
    sheet = grid.plan(base, asked.view, args.color, varies, backend, args.cols,
                      network=net if args.source or args.network else None)
    progress = Progress(len(sheet.cells), "cells", enabled=False if args.quiet else None)
    with executor(args.workers, args.dask, tasks=len(sheet.cells)) as ex:
        grid.run(sheet, args.out, ex, args.html, progress=progress.update)
    progress.close()
    if not args.quiet:
        W, H = sheet.size
        print(f"wrote {args.out} ({sheet.rows} x {sheet.cols} cells, {W}x{H}, {progress.summary()}, {ex.label})"
              + (f" and {args.html}" if args.html else ""), file=sys.stderr)
    return 0
