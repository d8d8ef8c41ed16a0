"""`glnn export`: a live web page (.html) or a Shadertoy shader (.glsl) of a network."""
from __future__ import annotations

import sys

from ..errors import GlnnError
from ..files import check_output
from ..recipe import Recipe
from .flags import add_request_flags, command_parser, resolve

EXAMPLES = """\
  glnn export page.html --depth 27 --width 30 --extent 2.6
  glnn export page.html --from fig11.png
  glnn export slice.html --network slice.npz
  glnn export net.glsl --seed 3 --depth 8 --width 16 --inputs 4
"""


def register(sub) -> None:
    e = command_parser(sub, "export", "a live web page (.html) or a Shadertoy shader (.glsl) of a network",
                       "Write a network and view to play with outside Python: OUT.html is one "
                       "self-contained WebGL2 page (drag pans, the wheel zooms, t plays time, a HUD with "
                       "the glnn render command; OUT.html#bare hides the overlay); OUT.glsl is a "
                       "mainImage() for Shadertoy's Image tab (weights as constants; small networks).",
                       "examples:\n" + EXAMPLES)
    e.add_argument("out", metavar="OUT", nargs="?", help="page.html or net.glsl")
    e.add_argument("--out", dest="out_flag", metavar="OUT", help="the same, as a flag (as glnn render takes it)")
    add_request_flags(e, default_size=(800, 800), rendering=False)
    e.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    e.set_defaults(func=run)


def run(args) -> int:
    from ..export import FORMATS, export

    if (args.out is None) == (args.out_flag is None):
        raise GlnnError("give OUT once: glnn export page.html (or --out page.html)")
    args.out = args.out or args.out_flag
    check_output(args.out, FORMATS, "OUT")
    asked = resolve(args)
    recipe = Recipe(asked.network, asked.view, asked.colour)   # the page draws with its own backend, one sample
    export(recipe, args.out)
    if not args.quiet:
        what = "a live page: open it in a browser" if args.out.lower().endswith(".html") else \
            "a Shadertoy shader: paste it into the Image tab of shadertoy.com/new"
        print(f"wrote {args.out} ({what})", file=sys.stderr)
    return 0
