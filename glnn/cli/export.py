"""`glnn export`: a live web page (.html) or a Shadertoy shader (.glsl) of a network."""
from __future__ import annotations

import sys

from ..errors import GlnnError
from ..io.files import check_output
from ..io.recipe import Recipe
from .flags import add_out, add_request_flags, command_parser, out_given, resolve

EXAMPLES = """\
  glnn export page.html --depth 27 --width 30 --extent 2.6
  glnn export page.html --from fig11.png
  glnn export slice.html --network slice.npz
  glnn export net.glsl --seed 3 --depth 8 --width 16 --inputs 4
  glnn export site mysite --only 9                    the playground and the figures' gallery, live
"""


def register(sub) -> None:
    e = command_parser(sub, "export", "a live web page (.html) or a Shadertoy shader (.glsl) of a network",
                       "Write a network and view to play with outside Python: OUT.html is one "
                       "self-contained WebGL2 page (drag pans, the wheel zooms, t plays time, a HUD with "
                       "the glnn render command; OUT.html#bare hides the overlay); OUT.glsl is a "
                       "mainImage() for Shadertoy's Image tab (weights as constants; small networks). "
                       "`glnn export site DIR` writes a static site: DIR/index.html, the article's figures "
                       "played live in the browser, and DIR/playground.html opening at the network flags.",
                       "examples:\n" + EXAMPLES)
    add_out(e, "page.html or net.glsl, or site (then DIR)")
    e.add_argument("site_dir", metavar="DIR", nargs="?", help="with site: the folder of the static site")
    e.add_argument("--only", metavar="N,M", help="with site: only these figures in its gallery (default: all)")
    add_request_flags(e, default_size=(800, 800), rendering=False)
    e.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    e.set_defaults(func=run)


def run(args) -> int:
    from ..web.export import FORMATS, export

    args.out = out_given(args, "glnn export page.html")
    if args.out == "site":
        return _site(args)
    if args.site_dir is not None or args.only is not None:
        raise GlnnError(f"a folder and --only go with glnn export site DIR, not with {args.out!r}")
    check_output(args.out, FORMATS, "OUT")
    asked = resolve(args)
    recipe = Recipe(asked.network, asked.view, asked.colour)   # the page draws with its own backend, one sample
    export(recipe, args.out)
    if not args.quiet:
        what = "a live page: open it in a browser" if args.out.lower().endswith(".html") else \
            "a Shadertoy shader: paste it into the Image tab of shadertoy.com/new"
        print(f"wrote {args.out} ({what})", file=sys.stderr)
    return 0


def _site(args) -> int:
    """glnn export site DIR: the figures (glnn figures) with their live gallery, and the playground at the flags."""
    from ..article import figures
    from ..io.html_page import write
    from ..web.playground import playground_html

    if not args.site_dir:
        raise GlnnError("glnn export site DIR: give the folder, like glnn export site mysite")
    figures.parse_only(args.only)   # checked before any work
    asked = resolve(args)
    page = playground_html(Recipe(asked.network, asked.view, asked.colour, probe=asked.probe), gallery="index.html")
    log = None if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    figures.run(args.site_dir, args.only, log=log)
    write(f"{args.site_dir}/{figures.live_gallery.PLAYGROUND}", page)
    if not args.quiet:
        print(f"wrote {args.site_dir}/index.html and {args.site_dir}/playground.html (a static site: open "
              "index.html, or serve the folder)", file=sys.stderr)
    return 0
