"""`glnn animate`: sweeps of scale, zoom, centre, time, depth or seed into a GIF, WebP, APNG or MP4."""
from __future__ import annotations

import sys

from ..rendering import engine as engines
from ..io.files import check_output
from ..io.sweeps import PARAMS
from .flags import add_batch_flags, add_request_flags, command_parser, integer, number, resolve

EXAMPLES = """\
  glnn animate --seed 3 --depth 20 --width 30 --sweep scale:0.4:0.8 --frames 12 --out a.gif
  glnn animate --inputs 7 --sweep time:0:6.2832 --frames 120 --out slice.gif   (loops)
  glnn animate --depth 27 --sweep extent:40:0.3 --frames 90 --ease smooth --out zoom.webp
  glnn animate --sweep center:0,0:2,1 --sweep depth:4:20 --pingpong --out walk.png
  glnn animate --sweep scale:0.4:0.8 --out a.mp4           (needs: pip install 'glnn[mp4]')

sweepable: scale, bias_scale, gain (linear), extent (geometric zoom), center X1,Y1:X2,Y2,
time (a sweep over whole periods of 2 pi loops seamlessly), depth (whole layers), seed A:B or
A,B,C (a morph from network A to B, or a chain).
"""


def register(sub) -> None:
    a = command_parser(sub, "animate", "sweep scale, zoom, centre, time, depth or seed (a morph) into a GIF, WebP, "
                                       "APNG or MP4",
                       "Render frames while parameters sweep from one value to another (all sweeps "
                       "together) and write them as an animation; the format follows --out.",
                       "examples:\n" + EXAMPLES)
    add_request_flags(a, default_size=(512, 512))
    a.add_argument("--sweep", action="append", default=[], metavar="PARAM:FROM:TO",
                   help=f"a parameter to sweep ({', '.join(PARAMS)}); repeat for several (they run together)")
    a.add_argument("--frames", type=integer, help="number of frames (default 60, or the --from animation's)")
    a.add_argument("--fps", type=number, help="frames per second (default 20, or the --from animation's)")
    a.add_argument("--ease", choices=("linear", "smooth"), help="pacing of the sweep (default linear)")
    a.add_argument("--pingpong", action="store_true", help="play forward, then backward")
    a.add_argument("--palette", choices=("frame", "global"), default="frame",
                   help="GIF: a palette per frame (best colour) or the first frame's for all")
    a.add_argument("--no-dither", action="store_true", help="GIF: no Floyd-Steinberg dithering (smaller, may band)")
    a.add_argument("--out", default="glnn.gif", metavar="FILE", help="output .gif, .webp, .png (APNG) or .mp4")
    add_batch_flags(a)
    a.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    a.set_defaults(func=run)


def run(args) -> int:
    from ..explore.animate import animate_recipe
    from ..io.animation_writer import FORMATS
    from ..io.sweeps import parse_sweep
    from ..explore.batch import executor

    check_output(args.out, FORMATS)
    for s in args.sweep:
        parse_sweep(s)   # a bad --sweep is reported first
    engine = engines.default_engine()
    # an animation's --from recipe gives the sweeps and timing unless flags say otherwise
    recipe = resolve(args, engine, animated=True, sweeps=args.sweep, frames=args.frames, fps=args.fps,
                     ease=args.ease, pingpong=args.pingpong)
    view = recipe.view
    with executor(args.workers, args.dask, tasks=recipe.animation.frames) as ex:
        n = animate_recipe(recipe, args.out, dither=not args.no_dither, palette=args.palette, quiet=args.quiet,
                           engine=engine, executor=ex)
    if not args.quiet:
        print(f"wrote {args.out} ({n} frame{'s' if n != 1 else ''}, {view.width}x{view.height})", file=sys.stderr)
    return 0
