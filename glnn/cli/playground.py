"""`glnn playground`: the whole instrument in one web page (WebGL2, no install, no weights inside)."""
from __future__ import annotations

import sys

from ..errors import GlnnError
from ..io.files import check_output
from ..io.recipe import Recipe
from .flags import add_out, add_request_flags, command_parser, out_given, resolve

EXAMPLES = """\
  glnn playground play.html
  glnn playground play.html --depth 27 --width 30 --extent 2.6 --open
  glnn playground play.html --from fig11.png
  glnn playground play.html --activation mix --seed 7 --inputs 5 --color palette:twilight --channels 1
  glnn playground play.html --depth 12 --probe saturation
"""


def register(sub) -> None:
    p = command_parser(sub, "playground", "a web page to explore every network live (seed, depth, scale, ...)",
                       "Write one self-contained WebGL2 page (nothing fetched, works from a folder) with controls "
                       "for the seed, depth, width, activations, init, scales, gain, channels, inputs, time and "
                       "colour mode; drag pans, the wheel zooms. The page draws each network from its seed, bit "
                       "for bit as glnn does, so it holds no weights and its size does not grow with the network. "
                       "The address (#...) holds the whole state: a link reproduces the view, back and forward "
                       "step through changes. It shows the `glnn render` command of what it shows; 'save PNG' "
                       "stores the recipe in the picture (glnn render --from it makes the poster); dropping a glnn "
                       "picture on it opens its recipe. The page opens at the flags' network and view. "
                       "OUT.html#bare hides the controls; #bare&size=WxH draws a fixed canvas.",
                       "examples:\n" + EXAMPLES)
    add_out(p, "the page to write (.html)")
    add_request_flags(p, default_size=(800, 800), rendering=False)
    p.add_argument("--probe", metavar="PROBE",
                   help="open at a probe: saturation (the fraction of saturated units, a heat map), unit:K:J (unit J "
                        "of hidden layer K) or units:K (every unit of layer K, a sheet), of a bounded activation's "
                        "layer; none: the plain picture (with --from a probe picture)")
    p.add_argument("--open", action="store_true",
                   help="open the page in the web browser (none found: one line says so and where the page is, "
                        "exit status 1; the page is written)")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..io.files import atomic_path
    from ..web.playground import playground_html

    args.out = out_given(args, "glnn playground play.html")
    check_output(args.out, (".html",), "OUT")
    if getattr(args, "network", None):
        raise GlnnError("the playground draws networks from their seeds and cannot hold a saved network's weights; "
                        "for those, write a live page of that network: glnn export page.html --network "
                        f"{args.network}")
    asked = resolve(args, probes=True)
    text = playground_html(Recipe(asked.network, asked.view, asked.colour, probe=asked.probe))
    with atomic_path(args.out) as tmp:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
    if not args.quiet:
        print(f"wrote {args.out} (the playground: open it in a browser)", file=sys.stderr)
    if args.open:
        import webbrowser
        from pathlib import Path
        url = Path(args.out).resolve().as_uri()
        if not webbrowser.open(url):
            # the page is written; only opening it failed: say so, where to open it, and a status that says it
            print(f"glnn playground: no web browser found to open it (set $BROWSER); open {url} in one",
                  file=sys.stderr)
            return 1
    return 0
