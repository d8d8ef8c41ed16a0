"""`glnn phase`: the (sigma_w, sigma_b) plane of one activation, the edge of chaos across it, thumbnails of real
pictures laid over it (glnn/explore/phase_diagram.py, glnn/model/theory.py)."""
from __future__ import annotations

import sys

from ..model import activations, inits
from ..explore import phase_diagram
from ..backends import registry as backend_registry
from ..errors import GlnnError
from ..io.files import check_output
from ..io.images import save_picture
from .flags import command_parser, integer, number

EXAMPLES = """\
  glnn phase --activation tanh --out phase.png
  glnn phase --activation relu --width 100 --depth 27 --out relu.png
  glnn phase --activation sin --cells 5x4 --thumb 48 --out sin.png
"""


def _cells(text: str):
    parts = text.lower().split("x")
    try:
        c, r = (int(p, 10) for p in parts)
    except ValueError:
        import argparse

        raise argparse.ArgumentTypeError(f"--cells must be COLSxROWS, like 7x5, not {text!r}")
    return c, r


def register(sub) -> None:
    p = command_parser(sub, "phase", "the phase diagram of an activation: order, chaos and the edge between",
                       "The (sigma_w, sigma_b) plane of one activation (sigma_w^2: a hidden layer's fan-in times "
                       "its weights' variance; sigma_b^2: the biases' variance), with the mean-field edge of "
                       "chaos, chi_1 = 1 (glnn/model/theory.py), drawn in red, a thumbnail of the same network (seed, "
                       "depth, width) at each cell's variances laid over it, and glnn's own settings marked (the "
                       "activation's defaults at this width; for tanh the article's 0.65). Left of the line "
                       "pictures go flat with depth, right of it they gain detail until static. Cells whose outputs are "
                       f"saturated ({phase_diagram.SATURATED:.0%} of the values at 0 or 1: a flat white, yellow, ...; relu past its edge, where "
                       "the values grow without bound) are hatched, and a legend says why.",
                       "examples:\n" + EXAMPLES)
    p.add_argument("--activation", required=True, choices=activations.NAMES, metavar="NAME",
                   help=f"the hidden activation: {', '.join(activations.NAMES)}")
    p.add_argument("--width", type=integer, default=30, help="units per hidden layer (default 30)")
    p.add_argument("--depth", type=integer, default=12, help="the thumbnails' depth (default 12)")
    p.add_argument("--seed", type=integer, default=0, help="the thumbnails' network (default 0)")
    p.add_argument("--init", choices=inits.NAMES, metavar="NAME",
                   help=f"{', '.join(inits.NAMES)} (default: the activation's)")
    p.add_argument("--cells", type=_cells, default=(7, 5), metavar="COLSxROWS", help="thumbnails (default 7x5)")
    p.add_argument("--thumb", type=integer, default=64, metavar="PX", help="thumbnail size (default 64, 16-512)")
    p.add_argument("--sigma-w", type=number, help="the plane's right edge (default: 3 x the edge of chaos at "
                                                  "sigma_b = 0, or past the marks)")
    p.add_argument("--sigma-b", type=number, help="the plane's top edge (default 1, or past the marks)")
    p.add_argument("--backend", choices=backend_registry.CHOICES, default="cpu",
                   help=backend_registry.flag_help() + "; default cpu (many small networks: no shader compiles)")
    p.add_argument("--out", required=True, metavar="FILE.png", help="the diagram (PNG)")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing")
    p.set_defaults(func=run)


# the thumbnails' pixels in all, sized before any is drawn: 40x40 cells of 100 px, or 7x5 of 690
MAX_THUMB_PIXELS = 1 << 24


def run(args) -> int:
    check_output(args.out, (".png",), "--out")
    if not 16 <= args.thumb <= 512:
        raise GlnnError(f"--thumb must be from 16 to 512, not {args.thumb}")
    cols, rows = args.cells
    pixels = cols * rows * args.thumb ** 2
    if pixels > MAX_THUMB_PIXELS:
        raise GlnnError(f"--cells {cols}x{rows} at --thumb {args.thumb} is {pixels:,} thumbnail pixels, over glnn "
                        f"phase's {MAX_THUMB_PIXELS:,}: fewer cells or smaller thumbnails")
    plane = phase_diagram.plan(args.activation, args.width, args.depth, args.seed, args.init, *args.cells,
                               sigma_w=args.sigma_w, sigma_b=args.sigma_b)
    from ..rendering import engine as engines

    img, shares = phase_diagram.diagram(plane, args.thumb, args.backend, engines.default_engine())
    save_picture(img, args.out, what="--out")
    if not args.quiet:
        print(f"wrote {args.out} ({img.width}x{img.height}, {plane.activation}, {plane.cols}x{plane.rows} cells)",
              file=sys.stderr)
        for line in phase_diagram.explain(plane, shares):   # the hatched cells, and why (as the figure's legend)
            print("  " + line, file=sys.stderr)
    return 0
