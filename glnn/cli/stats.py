"""`glnn stats`: per-layer statistics (norms, saturation, activation patterns)."""
from __future__ import annotations

import json
import math
import sys
from typing import List, Optional

import numpy as np

from ..rendering import engine as engines
from ..model import inits as init_table, theory
from ..explore import propagation
from ..explore.line_stats import line_stats, line_table, parse_segment
from ..model.activations import MIX_UNITS, single
from ..backends import registry as backend_registry
from ..errors import GlnnError
from ..io.files import check_output
from ..io.images import save_picture
from .flags import add_request_flags, command_parser, resolve
from .stats_size import STATS_PIXELS, STATS_SIZE, measuring, size_note, sized

EXAMPLES = """\
  glnn stats --depth 27 --width 30
  glnn stats --activation relu --depth 10 --init uniform,he,glorot --plot norms.png
  glnn stats --from fig11.png --json
  glnn stats --depth 27 --width 30 --scale critical --size 64x64
  glnn stats --features x,y,r --activation tanh,sin --depth 8
  glnn stats --activation relu --depth 28 --width 30 --init he --gain 1 --bias-scale 0.05 --size 64x64 --line -1,0.3:1,0.3
"""


def register(sub) -> None:
    st = command_parser(sub, "stats", "per-layer statistics: norms, saturation, activation patterns",
                        "Per layer over the view: mean |y|, RMS of the pre-activations, |y_k| / |y_k-1| "
                        "averaged over the pixels (the article's equation 3), the fraction of saturated "
                        "units (for relu: of active ones), and the number of distinct activation patterns; "
                        "then, beside the mean-field theory's predictions (glnn/model/theory.py, docs/activations.md), "
                        "the mean square pre-activation q and the growth of local detail: the RMS difference "
                        "of neighbouring pixels' values over the layer before's (measured in float64 over every "
                        "other pixel and its right-hand neighbour).",
                        "examples:\n" + EXAMPLES)
    add_request_flags(st, default_size=STATS_SIZE, rendering=False, colour=False)   # numbers: no colour mode
    st.add_argument("--backend", choices=backend_registry.CHOICES,
                    help="what computes the hidden layers: " + backend_registry.flag_help() + "; default cpu (the "
                         "float32 the pictures use; numpy: the float64 reference, slower)")
    for action in st._actions:
        if action.dest == "size":   # statistics answer in seconds: a --from picture's view at fewer pixels
            action.help = (f"pixels to measure over (default {STATS_SIZE[0]}x{STATS_SIZE[1]}; with --from or "
                           f"--network the picture's view at most {STATS_PIXELS:,} pixels, its aspect kept)")
        if action.dest == "init":   # stats takes a comma list of inits (one table, and one curve, each)
            action.choices, action.metavar = None, "INIT[,INIT...]"
            action.help = f"{', '.join(init_table.NAMES)}; a comma list overlays several (default: the activation's)"
    st.add_argument("--json", action="store_true", help="the numbers as JSON")
    st.add_argument("--plot", metavar="FILE.png", help="also plot the norm ratio and saturation per layer")
    st.add_argument("-q", "--quiet", action="store_true", help="print nothing but the numbers")
    st.add_argument("--line", metavar="X0,Y0:X1,Y1",
                    help="also, along that segment of the input plane, per layer: the linear regions crossed (relu, "
                         "leaky relu: counted exactly), the length of the layer's output curve and its growth, each "
                         "beside the theory's prediction, and beta (glnn/explore/line_stats.py)")
    st.set_defaults(func=run)


def theory_rows(net, view) -> List[dict]:
    """Per layer: q and the growth of local detail, measured and predicted (glnn/model/theory.py)."""
    a, b = propagation.view_inputs(net, view, step=2)
    pred, meas = theory.predict_layers(net, a), propagation.measure_layers(net, a, b)
    finite = lambda v: v if math.isfinite(v) else None   # noqa: E731 - JSON has no NaN
    return [{"q_measured": finite(m["q"]), "q_predicted": finite(p["q"]), "growth_measured": finite(m["growth"]),
             "growth_predicted": finite(p["growth"])} for p, m in zip(pred, meas)]


def summary(net) -> Optional[dict]:
    """The hidden layers' mean-field fixed point (None where the hidden layers differ: a list of several
    activations, mix, mix-units; the per-layer predictions still apply)."""
    if single(net.activation) is None or net.depth < 2:
        return None
    m = theory.network_mean_field(net)
    finite = lambda v: v if math.isfinite(v) else None   # noqa: E731 - JSON has no infinity
    return {"sigma_w2": m.sigma_w2, "sigma_b2": m.sigma_b2, "q_star": finite(m.q_star), "chi_1": m.chi_1,
            "c_star": m.c_star, "xi_c": finite(m.xi_c), "phase": m.phase, "growth": m.growth}


def theory_table(net, rows: List[dict], footnote: bool = True) -> str:
    s = summary(net)
    head = "# mean field (glnn/model/theory.py): "
    if s:
        q = "grows without bound" if s["q_star"] is None else f"{s['q_star']:.4g}"
        xi = "inf" if s["xi_c"] is None else f"{s['xi_c']:.3g}"
        head += (f"sigma_w^2 {s['sigma_w2']:.4g}, sigma_b^2 {s['sigma_b2']:.4g}: q* {q}, chi_1 {s['chi_1']:.4g} "
                 f"({s['phase']}; detail grows x{s['growth']:.3f} a layer), c* {s['c_star']:.3f}, xi_c {xi}")
    else:
        units = "; a layer's prediction averages its units'" if net.activation == MIX_UNITS else ""
        head += (f"per layer ({net.activation}: the hidden layers differ, no single fixed point{units})"
                 if net.depth > 1 else "the readout alone")
    lines = [["layer", "q measured", "q predicted", "growth measured", "growth predicted"]]
    for k, r in enumerate(rows, start=1):
        num = lambda v, f: "-" if v is None else format(v, f)   # noqa: E731
        lines.append([str(k) + (" (readout)" if k == len(rows) else ""), num(r["q_measured"], ".4g"),
                      num(r["q_predicted"], ".4g"), num(r["growth_measured"], ".4f"), num(r["growth_predicted"], ".4f")])
    widths = [max(len(l[i]) for l in lines) for i in range(len(lines[0]))]
    body = ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(l, widths))) for l in lines]
    return "\n".join([head] + body + ([] if not footnote else ["  growth: RMS difference of neighbouring pixels' values over the layer "
                                       "before's (layer 1: over the inputs' step); the theory is for wide networks and small "
                                       "differences: deep in the chaotic phase, neighbouring pixels' states are no "
                                       "longer close and the measured growth falls to 1 (a larger --size delays it)"]))


def run(args) -> int:
    from ..explore.layer_stats import stats, stats_panels, stats_table

    if args.plot:
        check_output(args.plot, (".png",), "--plot")
    segment = parse_segment(args.line) if args.line is not None else None
    inits = [None]
    if args.init:
        inits = [i.strip() for i in args.init.split(",")]
        if len(set(inits)) != len(inits) or not all(inits):
            raise GlnnError(f"--init {args.init!r}: a comma list of different inits, like uniform,he,glorot")
    recipes = [resolve(args, init=init) for init in inits]
    nets = [r.network for r in recipes]
    view, chosen, picture = sized(args, recipes[0].view)
    engine = engines.default_engine()
    backend = engine.choose(args.backend or "cpu", nets[0])
    progress, bar = measuring(args, view, nets, backend)
    results = [(net, stats(net, view, backend, lambda rows, i=i: progress(i, rows))) for i, net in enumerate(nets)]
    theories = [theory_rows(net, view) for net in nets]
    lines = [line_stats(net, *segment, time=view.time) if segment else None for net in nets]
    bar.close()
    if args.json:
        sizes = {"size": list(view.size), "size_from": chosen, **({"picture_size": list(picture)} if picture else {})}
        print(json.dumps([dict({"network": net.hyperparameters(), **sizes, "backend": backend.name,
                                "layers": [dict(r, **t) for r, t in zip(rows, th)], "mean_field": summary(net)},
                               **({"line": line.to_json()} if line else {}))
                          for (net, rows), th, line in zip(results, theories, lines)], indent=1))
    else:
        for (net, rows), th, line in zip(results, theories, lines):
            inputs = "" if net.features == "x,y" else f", inputs {net.features}"
            print(f"# {net.depth} x {net.width} {net.activation}{inputs}, init {net.init}, scale {net.scale:g}, gain "
                  f"{net.gain:g}, seed {net.seed}: over {view.width}x{view.height} pixels{size_note(chosen, picture)} of "
                  f"[{view.center[0]:g} +- {view.extent:g}] ({backend.name})")
            table = stats_table(rows)
            # -q: the numbers alone, without the footnotes (the table's start "* ")
            print("\n".join(l for l in table.splitlines() if not l.startswith("* ")) if args.quiet else table)
            print(theory_table(net, th, footnote=not args.quiet))
            if line:
                print(line_table(line, footnote=not args.quiet))
    if args.plot:
        from ..io.plots import layer_plot

        label = lambda net: f"{net.init}" + (f" x{net.gain:g}" if init_table.uses_gain(net.init) else f" {net.scale:g}")  # noqa: E731
        net = nets[0]
        plot = layer_plot(stats_panels([(label(n), rows) for n, rows in results]),
                          title=f"{net.depth} x {net.width} {net.activation}, seed {net.seed}")
        save_picture(np.asarray(plot, np.float32) / 255.0, args.plot, "rgb")
        if not args.quiet:
            print(f"wrote {args.plot}", file=sys.stderr)
    return 0
