"""The command line's value parsers and the flag groups several commands share (network, source, view,
backend, batch)."""
from __future__ import annotations

import argparse
import difflib
import math
from typing import List

from ..model import colour as colours, lineage as lineages
from ..io import request
from ..errors import GlnnError
from ..model.theory import parse_critical
from ..backends import registry as backend_registry
from ..backends.base import MAX_SUPERSAMPLE
from ..explore.batch import INSTALL_DASK
from ..model.network import HYPERPARAMETERS, NAMES as NETWORK_NAMES, Network
from ..io.recipe import Recipe
from ..model.view import MAX_SIZE

DEFAULTS = Network()
CRITICAL_FLAGS = {"scale": "; critical: on the edge of chaos for this activation, init, width and bias scale "
                           "(he, glorot: sets the gain), critical:K: K times it (K > 1: the chaotic side)",
                  "gain": "; critical[:K]: as --scale critical"}
CONTRACT = "docs/contract.md"


class Parser(argparse.ArgumentParser):
    """argparse, with its errors cut to one line."""

    def error(self, message):  # noqa: D401 - argparse API
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def did_you_mean(parser: argparse.ArgumentParser, unknown: List[str]) -> str:
    """For flags the parser does not know: "; did you mean --seed?" naming its closest flags (difflib), or ""."""
    known = [o for a in parser._actions for o in a.option_strings if o.startswith("--")]
    hints = []
    for u in unknown:
        name = u.split("=", 1)[0]
        if name.startswith("-") and name not in known:
            close = difflib.get_close_matches(name if name.startswith("--") else "-" + name, known, n=1, cutoff=0.6)
            if close:
                hints.append((name, close[0]))
    if not hints:
        return ""
    if len(hints) == 1:
        return f"; did you mean {hints[0][1]}?"
    return "; did you mean " + ", ".join(f"{good} (for {bad})" for bad, good in hints) + "?"


def command_parser(sub, name: str, help: str, description: str, examples: str) -> Parser:
    """A command's parser: its help line, description and examples epilog (every example a `glnn ...` line)."""
    # no abbreviated flags: `--out` must never quietly mean `--output-activation`
    p = sub.add_parser(name, help=help, description=description, epilog=examples, allow_abbrev=False,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(command_parser=p)   # an unknown flag is reported by the command's parser (glnn NAME: ...)
    return p


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


def amount(text: str):
    """--scale and --gain: a number, or critical[:K] (K times the amount on the edge of chaos, glnn/model/theory.py),
    resolved by the network over the other hyperparameters."""
    if text.strip().lower().startswith("critical"):
        try:
            parse_critical(text)
        except GlnnError as e:
            raise argparse.ArgumentTypeError(str(e))
        return text.strip().lower()
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
def lineage_text(text: str):
    """--lineage: the breeder's steps as the playground's URL word writes them (docs/lineage.md)."""
    try:
        lineages.parse(text, "--lineage")
    except GlnnError as e:
        raise argparse.ArgumentTypeError(str(e).replace("--lineage: ", "", 1))
    return text


def add_network_flags(p: argparse.ArgumentParser, skip=()) -> None:
    """One flag per hyperparameter (network.HYPERPARAMETERS), with its default, --lineage and --network
    (`skip`: hyperparameters a command's own flags say otherwise)."""
    g = p.add_argument_group(f"network ({CONTRACT}, the network)")
    parse = {int: integer, float: number, str: str}
    for h in HYPERPARAMETERS:
        if h.name in skip:
            continue
        default = getattr(DEFAULTS, h.name)
        shown = "" if default is None else f" (default {default})"
        if h.by_activation:
            shown = f" (default: the activation's, see docs/activations.md; tanh: {default or 'the scale'})"
        extra = {}
        if h.choices is not None and h.kind is str and h.composed:   # words that compose: the network checks
            extra = dict(metavar="NAMES")
            shown = f": {', '.join(map(str, h.choices))}" + shown
        elif h.choices is not None and h.kind is str:
            extra = dict(choices=h.choices, metavar="NAME")
            shown = f": {', '.join(map(str, h.choices))}" + shown
        elif h.choices is not None:
            extra = dict(choices=h.choices)
        kind = parse[h.kind]
        if h.name in CRITICAL_FLAGS:
            kind, shown = amount, shown + CRITICAL_FLAGS[h.name]
        g.add_argument(h.flag, type=kind, help=h.help + shown, **extra)
    g.add_argument("--lineage", type=lineage_text, metavar="TEXT",
                   help="the breeder's steps from the seed's draws, as the playground's URL word writes them: "
                        "m:SEED:S (a mutation, 0 < S <= 1) and x:MASK:MODE:SEED(...) (a crossover, MODE layer or "
                        "unit) joined by ~ (docs/lineage.md)")
    g.add_argument("--network", metavar="FILE.npz", help="a saved network (its weights and view); view flags still apply")


def add_source_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("start from a picture")
    g.add_argument("--from", dest="source", metavar="PICTURE",
                   help="a picture glnn wrote (PNG, GIF, WebP): its recipe is the starting point, other flags override")
    g.add_argument("--cell", type=integer, metavar="N", help="with --from on a grid of pictures: the N-th, from 1")


def add_view_flags(p: argparse.ArgumentParser, default_size=(1024, 1024), rendering: bool = True,
                   colour: bool = True) -> None:
    """The view flags, --color (also spelt --colour; colour: a command that draws no picture has none), and
    (rendering) --supersample and --backend."""
    g = p.add_argument_group(f"view ({CONTRACT}, the view)")
    g.add_argument("--center", type=point, metavar="X,Y", help="centre of the picture in the input plane (default 0,0)")
    g.add_argument("--extent", type=number, help="half the shorter side of the picture in the input plane (default 1)")
    g.add_argument("--time", type=number, help="time t of the extra inputs z_j(t) (default 0)")
    g.add_argument("--size", type=size, metavar="WxH",
                   help=f"picture size in pixels (default {default_size[0]}x{default_size[1]}, or the --from picture's)")
    if colour:
        g.add_argument("--color", "--colour", dest="color", choices=colours.NAMES, metavar="MODE",
                       help="colour mode: " + "; ".join(f"{m.name}: {m.description}" for m in colours.TABLE)
                            + " (default: rgb for 3 channels, gray for 1)")
    p.set_defaults(default_size=default_size)
    if rendering:
        g.add_argument("--supersample", type=integer, metavar="K",
                       help=f"K x K samples per pixel, averaged: smooth edges where deep networks fold finely (1-"
                            f"{MAX_SUPERSAMPLE}; default 1, or the --from picture's; glnn view: for S)")
        add_backend_flag(g)


def add_out(p: argparse.ArgumentParser, help: str) -> None:
    """OUT as a word or as --out (as glnn render takes it); out_given(args) reads it."""
    p.add_argument("out", metavar="OUT", nargs="?", help=help)
    p.add_argument("--out", dest="out_flag", metavar="OUT", help="the same, as a flag (as glnn render takes it)")


def out_given(args, example: str) -> str:
    """The OUT of add_out(), given once (GlnnError otherwise: `example` shows how)."""
    if (args.out is None) == (args.out_flag is None):
        raise GlnnError(f"give OUT once: {example} (or --out {example.split()[-1]})")
    return args.out or args.out_flag


def add_request_flags(p: argparse.ArgumentParser, default_size=(1024, 1024), rendering: bool = True,
                      colour: bool = True) -> None:
    """Every flag resolve() reads: the network's, --from and --cell, and the view's (rendering: with --supersample
    and --backend; colour: with --color)."""
    add_network_flags(p)
    add_source_flags(p)
    add_view_flags(p, default_size, rendering, colour)


def add_backend_flag(g, default: str = "auto, or the --from picture's") -> None:
    g.add_argument("--backend", choices=backend_registry.CHOICES,
                   help=backend_registry.flag_help() + f"; default {default}")


def add_batch_flags(p) -> None:
    g = p.add_argument_group("many cores, many machines")
    g.add_argument("--workers", type=integer, metavar="N",
                   help="local worker processes (default: every core; 1: this process alone)")
    g.add_argument("--dask", metavar="tcp://HOST:PORT|local:N",
                   help=f"a Dask distributed scheduler, or a local cluster of N workers ({INSTALL_DASK})")


# ------------------------------------------------------------------- the request
# the request names (glnn/io/request.py) that flags of the same name give; --color gives "colour", the commands the rest
GIVEN = NETWORK_NAMES + request.VIEW_NAMES + ("lineage", "backend", "supersample", "probe")


def given(args) -> dict:
    """What the flags said (glnn/io/request.py resolves it over a --from picture or a saved network)."""
    out = {k: getattr(args, k, None) for k in GIVEN}
    out["colour"] = getattr(args, "color", None)
    return {k: v for k, v in out.items() if v is not None}


def resolve(args, engine=None, probes: bool = False, animated: bool = False, **more) -> Recipe:
    """The command's one Recipe (glnn/io/request.py): the flags (and `more`, said in their place) over --from or
    --network. engine: where the --from picture's backend must work (None: kept as the picture says)."""
    usable = None if engine is None else (lambda name: engine.unavailable(name) is None)
    recipe = request.resolve(dict(given(args), **more), getattr(args, "source", None), getattr(args, "cell", None),
                             getattr(args, "network", None), args.default_size, usable, probes=probes, animated=animated)
    args.resolved = recipe   # what the command makes: an allocation that fails says it (glnn/cli/__init__.py)
    return recipe


def out_of_memory(args) -> str:
    """What the command was making when an allocation failed, and how to make it fit, in one line."""
    r = getattr(args, "resolved", None)
    if r is None and getattr(args, "picture", None):   # glnn info PICTURE
        return f"out of memory reading {args.picture!r}: its recipe is more than this machine holds"
    size = getattr(r.view, "size", None) if r is not None else getattr(args, "size", None)
    what, fixes = [], []
    if size:
        what.append(f"a {size[0]}x{size[1]} picture")
        fixes.append("a smaller --size")
    if r is not None:
        n = r.network
        what.append(f"of a {n.depth} x {n.width} network")
        if r.supersample > 1:
            what.append(f"supersampled {r.supersample}x")
            fixes.append("a lower --supersample")
        if r.animation is not None:
            what.append(f"in {r.animation.frames} frames")
            fixes.append("fewer --frames")
        fixes.append("a narrower or shallower network")
    if getattr(args, "vary", None):
        what.append("for each cell of a sheet")
        fixes.append("fewer cells (--vary)")
    if getattr(args, "workers", None) not in (None, 1):
        fixes.append("fewer --workers")
    fixes = fixes or ["smaller sizes"]
    return (f"out of memory making {' '.join(what) or 'its output'}: try "
            + (", ".join(fixes[:-1]) + " or " if len(fixes) > 1 else "") + fixes[-1])
