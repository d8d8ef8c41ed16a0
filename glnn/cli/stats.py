"""`glnn stats`: per-layer statistics (norms, saturation, activation patterns)."""
from __future__ import annotations

import json
import sys

import numpy as np

from .. import engine as engines, inits as init_table
from ..backends import registry as backend_registry
from ..errors import GlnnError
from ..files import check_output
from ..images import save_picture
from .flags import add_request_flags, command_parser, resolve

EXAMPLES = """\
  glnn stats --depth 27 --width 30
  glnn stats --activation relu --depth 10 --init uniform,he,glorot --plot norms.png
  glnn stats --from fig11.png --json
"""


def register(sub) -> None:
    st = command_parser(sub, "stats", "per-layer statistics: norms, saturation, activation patterns",
                        "Per layer over the view: mean |y|, RMS of the pre-activations, |y_k| / |y_k-1| "
                        "averaged over the pixels (the article's equation 3), the fraction of saturated "
                        "units (for relu: of active ones), and the number of distinct activation patterns.",
                        "examples:\n" + EXAMPLES)
    add_request_flags(st, default_size=(256, 256), rendering=False, colour=False)   # numbers: no colour mode
    st.add_argument("--backend", choices=backend_registry.CHOICES,
                    help="what computes the hidden layers: " + backend_registry.flag_help() + "; default numpy")
    for action in st._actions:
        if action.dest == "init":   # stats takes a comma list of inits (one table, and one curve, each)
            action.choices, action.metavar = None, "INIT[,INIT...]"
            action.help = f"{', '.join(init_table.NAMES)}; a comma list overlays several (default: the activation's)"
    st.add_argument("--json", action="store_true", help="the numbers as JSON")
    st.add_argument("--plot", metavar="FILE.png", help="also plot the norm ratio and saturation per layer")
    st.add_argument("-q", "--quiet", action="store_true", help="print nothing but the numbers")
    st.set_defaults(func=run)


def run(args) -> int:
    from ..probes import stats, stats_panels, stats_table

    if args.plot:
        check_output(args.plot, (".png",), "--plot")
    inits = [None]
    if args.init:
        inits = [i.strip() for i in args.init.split(",")]
        if len(set(inits)) != len(inits) or not all(inits):
            raise GlnnError(f"--init {args.init!r}: a comma list of different inits, like uniform,he,glorot")
    recipes = [resolve(args, init=init) for init in inits]
    nets, view = [r.network for r in recipes], recipes[0].view
    engine = engines.default_engine()
    backend = engine.choose(args.backend or "numpy", nets[0])
    results = [(net, stats(net, view, backend)) for net in nets]
    if args.json:
        print(json.dumps([{"network": net.hyperparameters(), "size": list(view.size), "backend": backend.name,
                           "layers": rows} for net, rows in results], indent=1))
    else:
        for net, rows in results:
            print(f"# {net.depth} x {net.width} {net.activation}, init {net.init}, scale {net.scale:g}, gain "
                  f"{net.gain:g}, seed {net.seed}: over {view.width}x{view.height} pixels of "
                  f"[{view.center[0]:g} +- {view.extent:g}] ({backend.name})")
            table = stats_table(rows)
            # -q: the numbers alone, without the footnote (its lines start "* ", after the table's)
            print("\n".join(l for l in table.splitlines() if not l.startswith("* ")) if args.quiet else table)
    if args.plot:
        from ..plots import layer_plot

        label = lambda net: f"{net.init}" + (f" x{net.gain:g}" if init_table.uses_gain(net.init) else f" {net.scale:g}")  # noqa: E731
        net = nets[0]
        plot = layer_plot(stats_panels([(label(n), rows) for n, rows in results]),
                          title=f"{net.depth} x {net.width} {net.activation}, seed {net.seed}")
        save_picture(np.asarray(plot, np.float32) / 255.0, args.plot, "rgb")
        if not args.quiet:
            print(f"wrote {args.plot}", file=sys.stderr)
    return 0
