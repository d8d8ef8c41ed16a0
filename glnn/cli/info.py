"""`glnn info`: the GL renderer and backends here, or the recipe inside a picture."""
from __future__ import annotations

import json
from typing import List

from ..rendering import engine as engines
from ..backends import registry as backend_registry
from ..errors import GLUnavailable, GlnnError
from ..gl.context import describe
from ..io.metadata import grid_cells, read_recipe_json, select_cell
from ..io.recipe import Recipe, from_json as recipe_from_json
from ..model import lineage as lineages
from ..version import __version__
from .flags import command_parser, integer

EXAMPLES = """\
  glnn info
  glnn info --json
  glnn info picture.png
  glnn info fig09.png --cell 3
"""


def register(sub) -> None:
    i = command_parser(sub, "info", "the GL renderer and backends here, or the recipe inside a picture",
                       "Print the OpenGL renderer, version, the limits that matter and the backends that "
                       "work; or, given a picture glnn wrote, the recipe it carries and its command.",
                       "examples:\n" + EXAMPLES)
    i.add_argument("picture", nargs="?", metavar="PICTURE", help="a picture glnn wrote (PNG, GIF, WebP)")
    i.add_argument("--cell", type=integer, metavar="N", help="of a grid of pictures, only the N-th (from 1)")
    i.add_argument("--json", action="store_true", help="machine-readable output")
    i.set_defaults(func=run)


def describe_recipe(r: Recipe, label: str = "") -> List[str]:
    n, v = r.network, r.view
    weights = "embedded" if r.network.loaded_layers is not None else "drawn from the seed"
    lines = [f"{label}network: seed {n.seed}, {n.depth} x {n.width} {n.activation} -> {n.output_activation}, "
             f"{n.init}, scale {n.scale:g}, bias scale {n.effective_bias_scale:g}, gain {n.gain:g}, "
             f"{n.channels} channel(s), {n.inputs} inputs; weights {weights}",
             f"{label}inputs: {_inputs(n)}",
             f"{label}activations: {_activations(n)}",
             f"{label}view: {v.width}x{v.height}, center {v.center[0]:g},{v.center[1]:g}, extent {v.extent:g}, "
             f"time {v.time:g}; colour {r.colour}; drawn by {r.backend}; glnn {r.glnn}"]
    if n.lineage:
        lines.append(f"{label}lineage: {lineages.describe(n.lineage)}")
    elif n.morph_of:
        lines.append(f"{label}lineage: a morph toward seed {n.morph_of[0]} at {n.morph_of[1]:g}")
    if r.animation:
        a = r.animation
        lines.append(f"{label}animation: {', '.join(a.sweeps)}; {a.frames} frames at {a.fps:g} fps, {a.ease}"
                     f"{', pingpong' if a.pingpong else ''}")
    return lines + [f"{label}command: {r.command()}"]


def _inputs(n) -> str:
    """The input vector: the features in order, then the time-driven extra inputs."""
    extra = n.inputs - 2
    zs = "z1" if extra == 1 else f"z1..z{extra}"
    return n.features + (f", then {extra} time-driven ({zs})" if extra else "")


def _activations(n) -> str:
    """Each layer's activation, readout last; a mix-units layer as its counts of each name."""
    words = []
    for i, a in enumerate(n.architecture.layers, 1):
        if isinstance(a.activation, str):
            words.append(a.activation)
        else:
            counts = {}
            for name in a.activation:
                counts[name] = counts.get(name, 0) + 1
            words.append("{" + " ".join(f"{k} x{c}" for k, c in sorted(counts.items())) + "}")
    return ", ".join(f"{i} {w}" for i, w in enumerate(words, 1)) + " (layer: activation, readout last)"


def run_picture(args) -> int:
    data = read_recipe_json(args.picture)
    # one cell (--cell): that cell's recipe alone is made and checked; all: each made as it is printed
    if args.cell is not None:
        recipes = [recipe_from_json(select_cell(data, args.cell, args.picture), args.picture)]
        cells, picks = data.get("cells"), [args.cell]
    else:
        cells = grid_cells(data, args.picture)
        picks = [None] if cells is None else range(1, len(cells) + 1)
        recipes = (recipe_from_json(select_cell(data, c, args.picture), args.picture) for c in picks)
    if args.json:
        light = [dict(r.to_json(), weights=None if r.network.loaded_layers is None else "(embedded)") for r in recipes]
        print(json.dumps(light[0] if cells is None else light, indent=1))
        return 0
    print(f"{args.picture}: " + ("a glnn picture" if cells is None else f"a grid of {len(cells)} glnn pictures"))
    for c, r in zip(picks, recipes):
        for line in describe_recipe(r, "" if cells is None else f"cell {c} "):
            print("  " + line)
    return 0


def run(args) -> int:
    if args.picture:
        return run_picture(args)
    if args.cell is not None:
        raise GlnnError("--cell goes with a PICTURE")
    engine = engines.default_engine()
    report = {"glnn": __version__, "backends": {}}
    for name, reason in engine.availability().items():
        report["backends"][name] = "ok" if reason is None else f"unavailable: {reason}"
    try:
        report["gl"] = describe(engine.context)
    except GLUnavailable:
        pass
    choice = engine.auto_choice()
    report["auto"] = {"fused": choice["fused"], "layered": choice["layered"], "why": choice["why"],
                      "fused_kernel": choice.get("fused_kernel")}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"glnn {report['glnn']}")
    gl = report.get("gl")
    if gl:
        print(f"OpenGL: {gl['renderer']} ({gl['vendor']}), {gl['version']}")
        for k, v in gl["limits"].items():
            print(f"  {k}: {v}")
    for name, state in report["backends"].items():
        print(f"backend {name}: {state} ({backend_registry.entry(name).description})")
    a = report["auto"]
    print(f"auto: {a['fused']} for narrow networks (fused path), {a['layered']} for wide ones (layered path)")
    if a["fused_kernel"]:
        print(f"  GL fused kernel: {a['fused_kernel']}")
    print(f"  because: {a['why']}")
    return 0
