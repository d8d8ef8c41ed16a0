"""The `glnn` command line: render, info (and the commands of later modules).

Every bad input ends in one line on stderr and exit status 2, never a traceback,
and never a half-written or clobbered output file.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
from typing import List, Optional

import numpy as np

from . import colour as colours, engine as engines, inits as init_table
from .errors import GLUnavailable, GlnnError
from .backends import registry as backend_registry
from .backends.base import MAX_SUPERSAMPLE, bands, check_supersample
from .files import check_output
from .gl.context import describe
from .gl.kernels import NAMES as KERNEL_NAMES
from .images import FORMATS as PICTURE_FORMATS, save_bands, save_picture
from .progress import Progress
from .probes import parse_probe, probe_picture
from .network import BY_ACTIVATION, HYPERPARAMETERS, NAMES as NETWORK_FLAGS, Network, load_with_view
from .metadata import read_recipe_json, select_cell
from .recipe import Animation, Recipe, from_json as recipe_from_json, read_recipe
from .batch import INSTALL_DASK
from .version import __version__
from .view import MAX_SIZE, View

DEFAULTS = Network()
CONTRACT = "docs/contract.md"


class Parser(argparse.ArgumentParser):
    """argparse, with its errors cut to one line."""

    def error(self, message):  # noqa: D401 - argparse API
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


# ------------------------------------------------------------------ value parsers
def _number(text: str, what: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{what} must be a number, not {text!r}")
    if not math.isfinite(v):
        raise argparse.ArgumentTypeError(f"{what} must be finite, not {text!r}")
    return v


def number(text: str) -> float:
    return _number(text, "value")


def integer(text: str) -> int:
    try:
        return int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}")


def size(text: str):
    parts = text.lower().split("x")
    try:
        w, h = (int(p, 10) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must be WxH, like 640x480, not {text!r}")
    if not (1 <= w <= MAX_SIZE and 1 <= h <= MAX_SIZE):
        raise argparse.ArgumentTypeError(f"size {text!r}: width and height must be 1 to {MAX_SIZE}")
    return w, h


def point(text: str):
    parts = text.split(",")
    if len(parts) != 2:
        raise argparse.ArgumentTypeError(f"expected X,Y, like 0.5,-1, not {text!r}")
    return tuple(_number(p, "coordinate") for p in parts)


# ------------------------------------------------------------------- flag groups
def add_network_flags(p: argparse.ArgumentParser) -> None:
    """One flag per hyperparameter (network.HYPERPARAMETERS), with its default, and --network."""
    g = p.add_argument_group(f"network ({CONTRACT}, the network)")
    parse = {int: integer, float: number, str: str}
    for h in HYPERPARAMETERS:
        default = getattr(DEFAULTS, h.name)
        shown = "" if default is None else f" (default {default})"
        if h.by_activation:
            shown = f" (default: the activation's, see docs/activations.md; tanh: {default or 'the scale'})"
        extra = {}
        if h.choices is not None and h.kind is str:
            extra = dict(choices=h.choices, metavar="NAME")
            shown = f": {', '.join(map(str, h.choices))}" + shown
        elif h.choices is not None:
            extra = dict(choices=h.choices)
        g.add_argument(h.flag, type=parse[h.kind], help=h.help + shown, **extra)
    g.add_argument("--network", metavar="FILE.npz", help="a saved network (its weights and view); view flags still apply")


def add_source_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("start from a picture")
    g.add_argument("--from", dest="source", metavar="PICTURE",
                   help="a picture glnn wrote (PNG, GIF, WebP): its recipe is the starting point, other flags override")
    g.add_argument("--cell", type=integer, metavar="N", help="with --from on a grid of pictures: the N-th, from 1")


def add_view_flags(p: argparse.ArgumentParser, default_size=(1024, 1024), rendering: bool = True) -> None:
    """The view flags, --color, and (rendering) --supersample and --backend."""
    g = p.add_argument_group(f"view ({CONTRACT}, the view)")
    g.add_argument("--center", type=point, metavar="X,Y", help="centre of the picture in the input plane (default 0,0)")
    g.add_argument("--extent", type=number, help="half the shorter side of the picture in the input plane (default 1)")
    g.add_argument("--time", type=number, help="time t of the extra inputs z_j(t) (default 0)")
    g.add_argument("--size", type=size, metavar="WxH",
                   help=f"picture size in pixels (default {default_size[0]}x{default_size[1]}, or the --from picture's)")
    g.add_argument("--color", choices=colours.NAMES, metavar="MODE",
                   help="colour mode: " + "; ".join(f"{m.name}: {m.description}" for m in colours.TABLE)
                        + " (default: rgb for 3 channels, gray for 1)")
    p.set_defaults(default_size=default_size)
    if rendering:
        g.add_argument("--supersample", type=integer, metavar="K",
                       help=f"K x K samples per pixel, averaged: smooth edges where deep networks fold finely (1-"
                            f"{MAX_SUPERSAMPLE}; default 1, or the --from picture's; glnn view: for S)")
        add_backend_flag(g)


def add_backend_flag(g) -> None:
    g.add_argument("--backend", choices=backend_registry.CHOICES,
                   help=backend_registry.flag_help() + "; default auto, or the --from picture's")


def network_from_args(args) -> Network:
    """The network the flags describe; args._base gets the view, backend, colour and animation to start from
    (a saved network's view, or a --from picture's recipe)."""
    given = {k: getattr(args, k) for k in NETWORK_FLAGS if getattr(args, k, None) is not None}
    source, network = getattr(args, "source", None), getattr(args, "network", None)
    args._base = {}
    if getattr(args, "cell", None) is not None and not source:
        raise GlnnError("--cell goes with --from (a grid of pictures)")
    if source:
        if network:
            raise GlnnError("--from and --network cannot be combined (each fixes the network)")
        r = read_recipe(source, args.cell)
        args._base = {"center": r.view.center, "extent": r.view.extent, "time": r.view.time, "size": r.view.size,
                      "backend": r.backend, "colour": r.colour, "animation": r.animation, "supersample": r.supersample,
                      "probe": r.probe}
        # flags override the recipe; a changed network is drawn from its seed (the embedded weights no longer apply)
        return Network(**dict(r.network.hyperparameters(), **given)) if given else r.network
    if network:
        if given:
            flags = ", ".join("--" + k.replace("_", "-") for k in given)
            raise GlnnError(f"{flags} cannot be combined with --network (the file fixes the network)")
        net, args._base = load_with_view(network)
        return net
    return Network(**given)


def view_from_args(args, size=None) -> View:
    base = args._base
    center = args.center if args.center is not None else tuple(base.get("center", (0.0, 0.0)))
    extent = args.extent if args.extent is not None else base.get("extent", 1.0)
    time = args.time if args.time is not None else base.get("time", 0.0)
    w, h = size or args.size or base.get("size") or args.default_size
    return View(w, h, center, extent, time)


def backend_from_args(args, engine) -> str:
    """--backend, else the --from picture's backend where it works here, else auto."""
    if args.backend:
        return args.backend
    wanted = args._base.get("backend", "auto")
    return wanted if wanted == "auto" or engine.unavailable(wanted) is None else "auto"


def supersample_from_args(args) -> int:
    k = args.supersample if args.supersample is not None else args._base.get("supersample", 1)
    return check_supersample(k, "--supersample")


def probe_colour(args, probe) -> str:
    """--color for a probe picture: any mode that reads its channels (1, or 3 for regions), else the probe's."""
    if getattr(args, "color", None):
        return colours.mode_for(3 if probe.colour == "rgb" else 1, args.color).name
    return probe.colour


def colour_from_args(args, net: Network) -> str:
    """--color (checked against the channels), else the --from picture's where it fits, else the default."""
    if getattr(args, "color", None):
        return colours.mode_for(net.channels, args.color).name
    wanted = args._base.get("colour")
    if wanted and colours.BY_NAME[wanted].inputs == net.channels:
        return wanted
    return colours.mode_for(net.channels).name


# ---------------------------------------------------------------------- commands
def cmd_render(args) -> int:
    check_output(args.out, PICTURE_FORMATS)
    if args.save_network:
        check_output(args.save_network, (".npz",), "--save-network")
    net = network_from_args(args)
    view = view_from_args(args)
    probe_text = args.probe if args.probe is not None else args._base.get("probe")
    probe = parse_probe(probe_text, net) if probe_text and probe_text != "none" else None
    mode = probe_colour(args, probe) if probe else colour_from_args(args, net)
    engine = engines.default_engine()
    backend = engine.choose(backend_from_args(args, engine), net)
    k = supersample_from_args(args)
    recipe = Recipe(net, view, mode, backend.name, supersample=k, probe=probe.text if probe else None)
    as_json = recipe.to_json() if args.out.lower().endswith(".png") else None
    if probe:
        if k != 1:
            raise GlnnError("--supersample does not apply to --probe pictures")
        save_picture(probe_picture(probe, net, view, backend), args.out, mode, recipe=as_json)
    else:
        # band by band, straight to the file: memory stays small at any size
        progress = Progress(view.height, "rows", enabled=False if args.quiet else None)
        save_bands(bands(backend, net, view, k, progress=progress.update), args.out, view.size, net.channels, mode,
                   recipe=as_json)
        progress.close()
    if args.save_network:
        net.save(args.save_network, view)
    if not args.quiet:
        print(f"wrote {args.out} ({view.width}x{view.height}, {net.depth} x {net.width} {net.activation}, seed {net.seed})",
              file=sys.stderr)
    return 0


def describe_recipe(r: Recipe, label: str = "") -> List[str]:
    n, v = r.network, r.view
    weights = "embedded" if r.network.loaded_layers is not None else "drawn from the seed"
    lines = [f"{label}network: seed {n.seed}, {n.depth} x {n.width} {n.activation} -> {n.output_activation}, "
             f"{n.init}, scale {n.scale:g}, bias scale {n.effective_bias_scale:g}, gain {n.gain:g}, "
             f"{n.channels} channel(s), {n.inputs} inputs; weights {weights}",
             f"{label}view: {v.width}x{v.height}, center {v.center[0]:g},{v.center[1]:g}, extent {v.extent:g}, "
             f"time {v.time:g}; colour {r.colour}; drawn by {r.backend}; glnn {r.glnn}"]
    if r.animation:
        a = r.animation
        lines.append(f"{label}animation: {', '.join(a.sweeps)}; {a.frames} frames at {a.fps:g} fps, {a.ease}"
                     f"{', pingpong' if a.pingpong else ''}")
    return lines + [f"{label}command: {r.command()}"]


def cmd_info_picture(args) -> int:
    data = read_recipe_json(args.picture)
    cells = data.get("cells")
    picks = [args.cell] if args.cell is not None or cells is None else list(range(1, len(cells) + 1))
    recipes = [recipe_from_json(select_cell(data, c, args.picture), args.picture) for c in picks]
    if args.json:
        light = [dict(r.to_json(), weights=None if r.network.loaded_layers is None else "(embedded)") for r in recipes]
        print(json.dumps(light[0] if cells is None else light, indent=1))
        return 0
    print(f"{args.picture}: " + ("a glnn picture" if cells is None else f"a grid of {len(cells)} glnn pictures"))
    for c, r in zip(picks, recipes):
        for line in describe_recipe(r, "" if cells is None else f"cell {c} "):
            print("  " + line)
    return 0


def cmd_info(args) -> int:
    if args.picture:
        return cmd_info_picture(args)
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


def cmd_animate(args) -> int:
    from .animate import FORMATS, animate, parse_sweep

    check_output(args.out, FORMATS)
    net = network_from_args(args)
    view = view_from_args(args)
    # an animation's --from recipe gives the sweeps and timing unless flags say otherwise
    base = args._base.get("animation") or Animation((), 60, 20.0)
    sweeps = [parse_sweep(s) for s in (args.sweep or base.sweeps)]
    frames = args.frames if args.frames is not None else base.frames
    if frames < 1:
        raise GlnnError(f"--frames must be at least 1, not {frames}")
    engine = engines.default_engine()
    from .batch import executor

    with executor(args.workers, args.dask, tasks=frames) as ex:
        n = animate(net, args.out, sweeps, size=view.size, center=view.center, extent=view.extent, time=view.time,
                    n_frames=frames, fps=args.fps if args.fps is not None else base.fps,
                    ease=args.ease or base.ease, pingpong=args.pingpong or base.pingpong,
                    backend=backend_from_args(args, engine), dither=not args.no_dither, palette=args.palette,
                    quiet=args.quiet, colour=colour_from_args(args, net), engine=engine,
                    supersample=supersample_from_args(args), executor=ex)
    if not args.quiet:
        print(f"wrote {args.out} ({n} frame{'s' if n != 1 else ''}, {view.width}x{view.height})", file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    from .export import FORMATS, export

    check_output(args.out, FORMATS, "OUT")
    net = network_from_args(args)
    recipe = Recipe(net, view_from_args(args), colour_from_args(args, net))
    export(recipe, args.out)
    if not args.quiet:
        what = "a live page: open it in a browser" if args.out.lower().endswith(".html") else \
            "a Shadertoy shader: paste it into the Image tab of shadertoy.com/new"
        print(f"wrote {args.out} ({what})", file=sys.stderr)
    return 0


def cmd_stats(args) -> int:
    from .probes import stats, stats_panels, stats_table

    if args.plot:
        check_output(args.plot, (".png",), "--plot")
    inits = [None]
    if args.init:
        inits = [i.strip() for i in args.init.split(",")]
        if len(set(inits)) != len(inits) or not all(inits):
            raise GlnnError(f"--init {args.init!r}: a comma list of different inits, like uniform,he,glorot")
    nets = []
    for init in inits:
        args.init = init
        nets.append(network_from_args(args))
    view = view_from_args(args)
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
            print(stats_table(rows))
    if args.plot:
        from .plots import layer_plot

        label = lambda net: f"{net.init}" + (f" x{net.gain:g}" if init_table.uses_gain(net.init) else f" {net.scale:g}")  # noqa: E731
        net = nets[0]
        plot = layer_plot(stats_panels([(label(n), rows) for n, rows in results]),
                          title=f"{net.depth} x {net.width} {net.activation}, seed {net.seed}")
        save_picture(np.asarray(plot, np.float32) / 255.0, args.plot, "rgb")
        if not args.quiet:
            print(f"wrote {args.plot}", file=sys.stderr)
    return 0


def add_batch_flags(p) -> None:
    g = p.add_argument_group("many cores, many machines")
    g.add_argument("--workers", type=integer, metavar="N",
                   help="local worker processes (default: every core; 1: this process alone)")
    g.add_argument("--dask", metavar="tcp://HOST:PORT|local:N",
                   help=f"a Dask distributed scheduler, or a local cluster of N workers ({INSTALL_DASK})")


def cmd_grid(args) -> int:
    from . import grid
    from .batch import executor

    check_output(args.out, (".png",))
    if args.html:
        check_output(args.html, (".html",), "--html")
    varies = [grid.parse_vary(v) for v in args.vary or []]
    varied = {v.name for v in varies}
    net = network_from_args(args)
    # the flags given (activation defaults then apply per cell, as for glnn render); a --from picture's all
    base = net.hyperparameters() if args.source or args.network else \
        {k: getattr(args, k) for k in NETWORK_FLAGS if getattr(args, k, None) is not None}
    base = {k: v for k, v in base.items() if k not in varied}
    view = view_from_args(args)
    engine = engines.default_engine()
    backend = backend_from_args(args, engine)
    if backend == "auto":
        backend = engine.choose("auto", net).name   # one backend for every cell (and every worker)
    sheet = grid.plan(base, view, args.color, varies, backend, args.cols)
    progress = Progress(len(sheet.cells), "cells", enabled=False if args.quiet else None)
    with executor(args.workers, args.dask, tasks=len(sheet.cells)) as ex:
        grid.run(sheet, args.out, ex, args.html, progress=progress.update)
    progress.close()
    if not args.quiet:
        W, H = sheet.size
        print(f"wrote {args.out} ({sheet.rows} x {sheet.cols} cells, {W}x{H}, {progress.summary()}, {ex.name})"
              + (f" and {args.html}" if args.html else ""), file=sys.stderr)
    return 0


def cmd_figures(args) -> int:
    from . import figures

    if args.commands:
        for r in figures.parse_only(args.only):
            print(f"# {r.name}: {r.title}")
            for line in figures.commands(r, args.resolution_scale):
                print(line)
        return 0
    log = None if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    check_supersample(args.supersample, "--supersample")
    from .batch import executor

    with executor(args.workers, args.dask, tasks=len(figures.parse_only(args.only))) as ex:
        figures.run(args.out, args.only, args.resolution_scale, args.backend or "auto", log,
                    supersample=args.supersample, executor=ex)
    return 0


def cmd_bench(args) -> int:
    from .bench import parse_case, parse_kernels, run

    if args.batch:
        from .bench import batch_case, describe_batch

        r = batch_case(cells=16 if args.quick else 64)
        print(json.dumps(r, indent=1) if args.json else describe_batch(r))
        return 0
    if args.page:
        from .page_bench import describe as describe_page, page_frames

        depth, width, w, h = parse_case(args.page)
        r = page_frames(depth, width, w, h, frames=1 if args.quick else 3)
        print(json.dumps(r, indent=1) if args.json else describe_page(r))
        return 0

    if args.budget is not None and not (0 < args.budget <= 3600):
        raise GlnnError(f"--budget must be from 0 to 3600 seconds, not {args.budget}")
    cases = [parse_case(c) for c in args.case] if args.case else None
    kernels = parse_kernels(args.kernels) if args.kernels else None
    return run(quick=args.quick, as_json=args.json, budget_s=args.budget, kernels=kernels, cases=cases,
               process=not args.no_process, shared_variants=args.shared_variants)


def cmd_view(args) -> int:
    from .controls import ViewerState
    from .window import run_window

    if not os.path.isdir(args.screenshot_dir):
        raise GlnnError(f"--screenshot-dir {args.screenshot_dir!r} is not a folder")
    net = network_from_args(args)   # bad flags are reported before a missing display
    view = view_from_args(args)     # the window's size: --size, else the --from picture's, else 800x800
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise GlnnError("no display (DISPLAY is not set): glnn view needs a window; use glnn render for files")
    state = ViewerState(net=net, center=view.center, extent=view.extent, time=view.time,
                        home=(view.center, view.extent), colour=colour_from_args(args, net),
                        custom_weights=bool(args.source or args.network or any(
                            getattr(args, k) is not None for k in BY_ACTIVATION)))
    # the window makes the process's one GL context: nothing here may make another (so no default engine)
    backend = args.backend or args._base.get("backend", "auto")
    return run_window(state, view.size, args.screenshot_dir, backend=backend, log=lambda m: print(m, flush=True),
                      supersample=supersample_from_args(args))


EPILOG_MAIN = """examples:
  glnn render --out net.png                          a 1024x1024 picture of the default network
  glnn render --seed 12 --depth 27 --scale 0.65 --extent 2.6 --out fig11.png
  glnn render --activation relu --channels 1 --size 800x400 --out relu.png
  glnn render --inputs 7 --time 1.5 --out slice.png --save-network slice.npz
  glnn render --network slice.npz --extent 4 --out wider.npy
  glnn render --from fig11.png --size 3840x2160 --out big.png   the recipe inside a glnn picture, larger
  glnn render --activation relu --depth 6 --extent 3 --probe regions --out regions.png   linear regions
  glnn render --depth 27 --probe units:8 --out units.png          every unit of hidden layer 8
  glnn info fig11.png                                what a glnn picture is made of, and its command
  glnn view --depth 27 --width 30                    a live window (press h for the keys)
  glnn animate --inputs 7 --sweep time:0:6.2832 --out slice.gif
  glnn animate --depth 27 --sweep scale:0.4:0.8 --frames 40 --out scale.gif
  glnn figures --out figs                            every figure of the article, with a gallery
  glnn export page.html --depth 27 --width 30         a live web page (WebGL2) to play with anywhere
  glnn stats --activation relu --depth 10 --init uniform,he,glorot --plot norms.png
  glnn grid --vary depth=2:12 --vary scale=0.4:1.6:6x --out sheet.png   a contact sheet
  glnn bench --quick
  glnn info
"""


def build_parser() -> Parser:
    p = Parser(prog="glnn", description="Look at random neural networks f(x, y) -> (r, g, b), drawn on the GPU. "
                                        f"What a network, a view and a picture are: {CONTRACT} in glnn's repository.",
               formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG_MAIN)
    p.add_argument("--version", action="version", version=f"glnn {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    r = sub.add_parser("render", help="render one picture to .png or .npy",
                       description="Render a random network to a PNG (8-bit) or .npy (float32 (H, W, C)).",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="examples:\n" + "\n".join(l for l in EPILOG_MAIN.splitlines() if "render" in l) + "\n")
    add_network_flags(r)
    add_source_flags(r)
    add_view_flags(r)
    r.add_argument("--out", default="glnn.png", metavar="FILE", help="output .png or .npy (default glnn.png)")
    r.add_argument("--probe", metavar="PROBE",
                   help="show the hidden units instead of the outputs: units:K (every unit of hidden layer K, from 1, "
                        "as a sheet), unit:K:J (unit J of layer K), regions (each pixel coloured by which units are on "
                        "or in their linear part: a relu network's linear regions), saturation (the fraction of "
                        "saturated units, a heat map); none: the plain picture (with --from a probe picture)")
    r.add_argument("--save-network", metavar="FILE.npz", help=f"also save the network and view ({CONTRACT}, a saved network)")
    r.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    r.set_defaults(func=cmd_render)

    v = sub.add_parser("view", help="explore a network live in a window (keyboard and mouse)",
                       description="Open a window that shows the network and changes the moment a key is pressed. "
                                   "Press h in the window for every key.",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="examples:\n  glnn view\n  glnn view --depth 27 --width 30 --extent 2.6\n"
                              "  glnn view --inputs 7 --size 640x480   (t plays time)\n"
                              "  glnn view --network slice.npz --screenshot-dir shots\n\n"
                              "keys: r/space new seed, Up/Down depth, Right/Left width, a/A activation, i init,\n"
                              "  ]/[ scale, }/{ bias scale, drag pan, scroll zoom, +/- zoom, 0 reset, t play time,\n"
                              "  ./, step time, c channels, m/M colour mode, s screenshot, S 4x screenshot, n save network,\n"
                              "  f fullscreen, Tab HUD, h help, q/Esc quit\n")
    add_network_flags(v)
    add_source_flags(v)
    add_view_flags(v, default_size=(800, 800))
    v.add_argument("--screenshot-dir", default=".", metavar="DIR", help="where s, S and n write (default: here)")
    v.set_defaults(func=cmd_view)

    a = sub.add_parser("animate", help="sweep scale, zoom, centre, time or depth into a GIF, WebP, APNG or MP4",
                       description="Render frames while parameters sweep from one value to another (all sweeps "
                                   "together) and write them as an animation; the format follows --out.",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="examples:\n"
                              "  glnn animate --seed 3 --depth 20 --width 30 --sweep scale:0.4:0.8 --frames 12 --out a.gif\n"
                              "  glnn animate --inputs 7 --sweep time:0:6.2832 --frames 120 --out slice.gif   (loops)\n"
                              "  glnn animate --depth 27 --sweep extent:40:0.3 --frames 90 --ease smooth --out zoom.webp\n"
                              "  glnn animate --sweep center:0,0:2,1 --sweep depth:4:20 --pingpong --out walk.png\n"
                              "  glnn animate --sweep scale:0.4:0.8 --out a.mp4           (needs: pip install 'glnn[mp4]')\n\n"
                              "sweepable: scale, bias_scale, gain (linear), extent (geometric zoom), center X1,Y1:X2,Y2,\n"
                              "time (a sweep over whole periods of 2 pi loops seamlessly), depth (whole layers).\n")
    add_network_flags(a)
    add_source_flags(a)
    add_view_flags(a, default_size=(512, 512))
    a.add_argument("--sweep", action="append", default=[], metavar="PARAM:FROM:TO",
                   help="a parameter to sweep; repeat for several (they run together)")
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
    a.set_defaults(func=cmd_animate)

    e = sub.add_parser("export", help="a live web page (.html) or a Shadertoy shader (.glsl) of a network",
                       description="Write a network and view to play with outside Python: OUT.html is one "
                                   "self-contained WebGL2 page (drag pans, the wheel zooms, t plays time, a HUD with "
                                   "the glnn render command; OUT.html#bare hides the overlay); OUT.glsl is a "
                                   "mainImage() for Shadertoy's Image tab (weights as constants; small networks).",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="examples:\n  glnn export page.html --depth 27 --width 30 --extent 2.6\n"
                              "  glnn export page.html --from fig11.png\n"
                              "  glnn export slice.html --network slice.npz\n"
                              "  glnn export net.glsl --seed 3 --depth 8 --width 16 --inputs 4\n")
    e.add_argument("out", metavar="OUT", help="page.html or net.glsl")
    add_network_flags(e)
    add_source_flags(e)
    add_view_flags(e, default_size=(800, 800), rendering=False)
    e.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    e.set_defaults(func=cmd_export)

    st = sub.add_parser("stats", help="per-layer statistics: norms, saturation, activation patterns",
                        description="Per layer over the view: mean |y|, RMS of the pre-activations, |y_k| / |y_k-1| "
                                    "averaged over the pixels (the article's equation 3), the fraction of saturated "
                                    "units (for relu: of active ones), and the number of distinct activation patterns.",
                        formatter_class=argparse.RawDescriptionHelpFormatter,
                        epilog="examples:\n  glnn stats --depth 27 --width 30\n"
                               "  glnn stats --activation relu --depth 10 --init uniform,he,glorot --plot norms.png\n"
                               "  glnn stats --from fig11.png --json\n")
    add_network_flags(st)
    add_source_flags(st)
    add_view_flags(st, default_size=(256, 256), rendering=False)
    st.add_argument("--backend", choices=backend_registry.CHOICES,
                    help="what computes the hidden layers: numpy (the float64 reference, default), cpu, gl, auto")
    for action in st._actions:
        if action.dest == "init":   # stats takes a comma list of inits (one table, and one curve, each)
            action.choices, action.metavar = None, "INIT[,INIT...]"
            action.help = f"{', '.join(init_table.NAMES)}; a comma list overlays several (default: the activation's)"
    st.add_argument("--json", action="store_true", help="the numbers as JSON")
    st.add_argument("--plot", metavar="FILE.png", help="also plot the norm ratio and saturation per layer")
    st.add_argument("-q", "--quiet", action="store_true", help="print nothing but the numbers")
    st.set_defaults(func=cmd_stats)

    gr = sub.add_parser("grid", help="a contact sheet over one or two hyperparameters",
                        description="A sheet of cells, each exactly what glnn render makes for its settings: one "
                                    "--vary gives a row (wrapped with --cols), two give rows x columns. SPEC: A:B "
                                    "(whole numbers: seed, depth, width, inputs, channels), A:B:N (N numbers; A:B:Nx "
                                    "in geometric steps), or a comma list (any name, activation, init, color too).",
                        formatter_class=argparse.RawDescriptionHelpFormatter,
                        epilog="examples:\n  glnn grid --vary seed=1:8 --out seeds.png\n"
                               "  glnn grid --vary depth=2:12 --vary scale=0.4:1.6:6x --size 128x128 --out sheet.png\n"
                               "  glnn grid --vary activation=tanh,relu,sin,gaussian --vary seed=1:4 --html s.html "
                               "--out s.png\n  glnn grid --vary seed=1:64 --cols 8 --dask local:2 --out many.png\n")
    gr.add_argument("--vary", action="append", metavar="NAME=SPEC", help="a parameter and its values (once or twice)")
    gr.add_argument("--cols", type=integer, metavar="N", help="with one --vary: cells per row (default: all)")
    add_network_flags(gr)
    add_source_flags(gr)
    add_view_flags(gr, default_size=(160, 160), rendering=False)
    add_backend_flag(gr)
    gr.add_argument("--out", default="grid.png", metavar="FILE.png", help="the sheet (default grid.png)")
    gr.add_argument("--html", metavar="FILE.html", help="also a page linking each cell's glnn render command")
    add_batch_flags(gr)
    gr.add_argument("-q", "--quiet", action="store_true", help="no progress, no summary")
    gr.set_defaults(func=cmd_grid)

    f = sub.add_parser("figures", help="every figure of the article, and a gallery page",
                       description="Write the article's 20 figures and 3 beyond it (figNN.png, animations as figNN.gif plus a still) "
                                   "and DIR/index.html, a gallery with captions and the commands behind each.",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="examples:\n  glnn figures --out figs\n  glnn figures --out figs --only 9,19\n"
                              "  glnn figures --out big --resolution-scale 2\n  glnn figures --commands --only 11\n")
    f.add_argument("--out", default="figures", metavar="DIR", help="output folder (default: figures)")
    f.add_argument("--only", metavar="N,M", help="only these figure numbers, like 9,19")
    f.add_argument("--resolution-scale", type=number, default=1.0, metavar="K", help="panel sizes times K (default 1)")
    f.add_argument("--commands", action="store_true", help="print the equivalent glnn render/animate commands")
    add_backend_flag(f)
    f.add_argument("--supersample", type=integer, default=1, metavar="K",
                   help=f"K x K samples per pixel, averaged (1-{MAX_SUPERSAMPLE}, default 1)")
    add_batch_flags(f)
    f.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    f.set_defaults(func=cmd_figures)

    b = sub.add_parser("bench", help="time the standard cases on every backend here",
                       description="Median ms per frame, GFLOP/s, compile time and new-seed time for the standard "
                                   "cases on every backend that works here, with plain numpy as the yardstick.",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="examples:\n  glnn bench\n  glnn bench --quick --json > bench.json\n"
                              "  glnn bench --case 27x30@3840x2160 --case 14x400@1920x1080 --kernels all\n")
    b.add_argument("--quick", action="store_true", help="small cases, few repeats (seconds, for CI)")
    b.add_argument("--json", action="store_true", help="machine-readable results")
    b.add_argument("--budget", type=number, help="seconds per case and backend (default 20, quick 2)")
    b.add_argument("--kernels", metavar="auto|all|NAMES",
                   help="GL kernels per case: the one auto uses, every one that can draw it, or a comma-separated "
                        f"list ({', '.join(KERNEL_NAMES)}); default: all, quick: auto")
    b.add_argument("--shared-variants", action="store_true",
                   help="also time the shared kernel at 1, 2 and 4 pixels per invocation and 32 to 256 invocations "
                        "per workgroup (tuning on a GPU)")
    b.add_argument("--case", action="append", metavar="DEPTHxWIDTH@WxH",
                   help="run this case instead of the standard ones (repeatable), e.g. 27x30@3840x2160")
    b.add_argument("--no-process", action="store_true", help="skip the whole-process comparison")
    b.add_argument("--batch", action="store_true",
                   help="instead: a 64-cell grid serially, on 2 local workers and on a 2-worker local Dask cluster")
    b.add_argument("--page", metavar="DEPTHxWIDTH@WxH", nargs="?", const="27x30@1280x720",
                   help="instead: the exported web page's frame time in headless Chromium (default 27x30@1280x720)")
    b.set_defaults(func=cmd_bench)

    i = sub.add_parser("info", help="the GL renderer and backends here, or the recipe inside a picture",
                       description="Print the OpenGL renderer, version, the limits that matter and the backends that "
                                   "work; or, given a picture glnn wrote, the recipe it carries and its command.",
                       epilog="examples:\n  glnn info\n  glnn info --json\n  glnn info picture.png\n"
                              "  glnn info fig09.png --cell 3\n",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    i.add_argument("picture", nargs="?", metavar="PICTURE", help="a picture glnn wrote (PNG, GIF, WebP)")
    i.add_argument("--cell", type=integer, metavar="N", help="of a grid of pictures, only the N-th (from 1)")
    i.add_argument("--json", action="store_true", help="machine-readable output")
    i.set_defaults(func=cmd_info)
    return p


def negative_values(argv: List[str]) -> List[str]:
    """`--size -5x64`, `--center -1,2`, `--time -3`: argparse takes a value starting with '-' for a flag; join such
    values to their flag (`--center=-1,2`) so they reach the flag's own check and its message."""
    out, i = [], 0
    while i < len(argv):
        a = argv[i]
        nxt = argv[i + 1] if i + 1 < len(argv) else ""
        if a.startswith("--") and "=" not in a and len(nxt) > 1 and nxt[0] == "-" and (nxt[1].isdigit() or nxt[1] == "."):
            out.append(f"{a}={nxt}")
            i += 2
        else:
            out.append(a)
            i += 1
    return out


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(negative_values(sys.argv[1:] if argv is None else list(argv)))
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except GlnnError as e:
        print(f"glnn {args.command}: error: {e}", file=sys.stderr)
        return 2
    except GLUnavailable as e:
        print(f"glnn {args.command}: error: OpenGL unavailable: {e} (try --backend numpy)", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"glnn {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `glnn ... | head`: the reader left, nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as e:
        print(f"glnn {args.command}: error: {e.strerror or e}: {e.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
