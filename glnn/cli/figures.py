"""`glnn figures`: every figure of the article, and a gallery page."""
from __future__ import annotations

import sys

from ..backends.base import MAX_SUPERSAMPLE, check_supersample
from .flags import add_backend_flag, add_batch_flags, command_parser, integer, number

EXAMPLES = """\
  glnn figures --out figs
  glnn figures --out figs --only 9,19
  glnn figures --out big --resolution-scale 2
  glnn figures --commands --only 11
"""


def register(sub) -> None:
    f = command_parser(sub, "figures", "every figure of the article, and a gallery page",
                       "Write the article's 20 figures and 3 beyond it (figNN.png, animations as figNN.gif plus a "
                       "still) and DIR/index.html, a gallery with captions and the commands behind each.",
                       "examples:\n" + EXAMPLES)
    f.add_argument("--out", default="figures", metavar="DIR", help="output folder (default: figures)")
    f.add_argument("--only", metavar="N,M", help="only these figure numbers, like 9,19")
    f.add_argument("--resolution-scale", type=number, default=1.0, metavar="K", help="panel sizes times K (default 1)")
    f.add_argument("--commands", action="store_true", help="print the equivalent glnn render/animate commands")
    add_backend_flag(f, default="auto")
    f.add_argument("--supersample", type=integer, default=1, metavar="K",
                   help=f"K x K samples per pixel, averaged (1-{MAX_SUPERSAMPLE}, default 1)")
    add_batch_flags(f)
    f.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    f.set_defaults(func=run)


def run(args) -> int:
    from ..article import figures

    if args.commands:
        for r in figures.parse_only(args.only):
            print(f"# {r.name}: {r.title}")
            for line in figures.commands(r, args.resolution_scale, check_supersample(args.supersample, "--supersample")):
                print(line)
        return 0
    log = None if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    check_supersample(args.supersample, "--supersample")
    from ..explore.batch import executor

    with executor(args.workers, args.dask, tasks=len(figures.parse_only(args.only))) as ex:
        figures.run(args.out, args.only, args.resolution_scale, args.backend or "auto", log,
                    supersample=args.supersample, executor=ex)
    return 0
