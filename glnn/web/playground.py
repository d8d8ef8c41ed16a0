"""`glnn playground`: the whole instrument in one self-contained web page (WebGL2), with no weights inside.

The page draws every network itself: glnn/web/glnn_random.js replays numpy's weight streams bit for bit, and
glnn/web/playground.js packs them into the page's weight texture and writes the fragment shader's #define
block exactly as glnn/web/webgl.py does. The shader is the live page's (shaders/web_page.frag, one shader family
with the desktop kernels): this module assembles it once, with the per-network define block left out and the
colour stage cut out, and embeds the pieces (the body before and after colour.glsl, and colour.glsl for every
colour mode), so the page re-assembles the very text webgl.page_spec() compiles for any network and mode.
Nothing here depends on the network's size: the page is the same size for 2 x 1 and 64 x 512.

The state (network, view, colour mode) lives in the page's URL hash (playground.js reads and writes it); the
page opens at the recipe given here.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple
from urllib.parse import quote

import math

import numpy as np

from ..model import activations, architecture, colour as colours
from ..model import probe as probes
from ..model.palettes import PALETTES
from ..io.command import number
from ..errors import GlnnError
from ..gl.shader_source import ShaderSource, read_shader
from ..io.html_page import escape, script_json, script_text
from . import playground_words
from .bundle import bundle, web_asset
from .tables import HASH_NAMES, web_tables
from ..app.controls import BREED_STRENGTH
from ..app.interaction import page_constants
from ..model.network import MAX_DEPTH, MAX_INPUTS, MAX_WIDTH, Network
from ..io.recipe import FORMAT, VERSION, Recipe
from ..version import __version__
from .webgl import TEXTURE_WIDTH, network_defines

COLOUR_MARK = "// @@glnn colour.glsl@@"   # where the colour stage goes in the embedded body
# the page's script: this ES module and those it imports (glnn_view.js, playground.js, glnn_random.js, ...), bundled
ENTRY = "playground_ui.js"


def define_names() -> List[str]:
    """The defines webgl.page_spec() writes, in its order (the page writes the same block: playground.js), those
    of input features other than x, y included (OPTIONAL_DEFINES: written only for such networks)."""
    return list(network_defines(Network(depth=2, width=1, features="x,y,bias", activation="mix-units"))) + \
        ["WEIGHT_TEX_WIDTH", "UNIT_SLOTS", "COLOUR_MODE"]


# written only for some networks: features other than x, y (INPUT_C, PIXEL_INPUTS); one activation per unit
# (UNIT_ACTS; UNIT_SLOTS, where the packing put each hidden unit: webgl.unit_slot_defines)
OPTIONAL_DEFINES = ("INPUT_C", "PIXEL_INPUTS", "UNIT_ACTS", "UNIT_SLOTS")


def shader_parts() -> Dict[str, object]:
    """web_page.frag assembled as webgl.page_spec() assembles it, without the define block and the colour stage:
    {"version": first line, "before": the body up to colour.glsl, "after": the rest, "colours": {mode: the
    colour stage of that mode alone}} (lines joined by newlines, no final newline)."""
    names = define_names()
    defines = {name: 0 for name in names}

    def loader(name: str) -> str:
        return COLOUR_MARK + "\n" if name == "colour.glsl" else read_shader(name)

    lines = ShaderSource("web_page.frag", defines, loader=loader).source.splitlines()
    version, body = lines[0], lines[1 + len(names):]
    at = body.index(COLOUR_MARK)
    return {"version": version, "before": "\n".join(body[:at]), "after": "\n".join(body[at + 1:]),
            "colours": {m: "\n".join(colours.glsl_source(only=m).splitlines()) for m in colours.NAMES}}


# Probes the playground draws (the others need the whole picture at once: a sheet, regions in order)
PROBES = ("saturation", "unit", "units")   # unit:K:J and units:K of a layer whose activation is bounded
PERIODS = {"sin": math.pi}   # activations whose slope repeats (sin's |cos| every pi)
NO_LIMIT = 1e30


def _edge(name: str, inside: float, outside: float) -> float:
    """The boundary of probes.linear_part between x = inside (linear) and x = outside, to float64 precision."""
    for _ in range(200):
        mid = 0.5 * (inside + outside)
        if mid in (inside, outside):
            break
        if probes.linear_part(name, np.array([mid]))[0]:
            inside = mid
        else:
            outside = mid
    return inside


def linear_parts() -> List[Tuple[float, float, float, float]]:
    """probes.linear_part as data for the page's saturation probe, per activation id: (1, kink, 0, 0) for a kink
    (linear past it), else (0, lo, hi, period): linear where lo <= |x| <= hi (x about 0 modulo the period).
    tests/unit/test_playground.py checks it against linear_part itself."""
    out = []
    for a in activations.TABLE:
        if a.kink is not None:
            out.append((1.0, float(a.kink), 0.0, 0.0))
            continue
        period = PERIODS.get(a.name, 0.0)
        span = period / 2 if period else 16.0
        x = np.linspace(0.0, span, 100001)
        lin = probes.linear_part(a.name, x)
        if not lin.any():
            out.append((0.0, NO_LIMIT, NO_LIMIT, period))
            continue
        i, j = int(np.argmax(lin)), len(lin) - 1 - int(np.argmax(lin[::-1]))
        lo = 0.0 if i == 0 else _edge(a.name, float(x[i]), float(x[i - 1]))
        hi = NO_LIMIT if j == len(x) - 1 and not period else \
            (span if j == len(x) - 1 else _edge(a.name, float(x[j]), float(x[j + 1])))
        out.append((0.0, lo, hi, period))
    return out


def tables() -> dict:
    """What the page's controls and command writer need from glnn's tables: tables.web_tables() (every page's:
    the hyperparameters, hash names, activations, inits, their defaults, the keys) and the playground's own."""
    return {
        **web_tables(),
        "network": {k: getattr(Network(), k) for k in ("seed", "depth", "width", "channels", "inputs", "features",
                                                        "activation", "output_activation")},
        "colours": [{"name": m.name, "inputs": m.inputs, "description": m.description} for m in colours.TABLE],
        "limits": {"depth": MAX_DEPTH, "width": MAX_WIDTH, "inputs": MAX_INPUTS},
        "probes": {name: probes.Probe(name).colour for name in PROBES},
        "bounds": {a.name: list(a.bounds) if a.bounds else None for a in activations.TABLE},
        "gutter": probes.GUTTER,
        "linear_parts": linear_parts(),
        "breed_keys": dict(BREED_KEYS), "breed_strength": BREED_STRENGTH,
        "lineage_keeps": list(LINEAGE_KEEPS),
        # the network diagram (playground_diagram.js): its gray scales' floors (relu: [0, max]) and its depth
        # strip's palettes (glnn/model/palettes.py, hex)
        "floors": {a.name: a.floor for a in activations.TABLE},
        "palettes": dict(PALETTES),
    }


# what a bred network keeps its lineage through (docs/lineage.md: they rescale the same unit draws); any other
# change of its hyperparameters draws afresh from the seed
LINEAGE_KEEPS = ("scale", "bias_scale", "gain")


# the playground's own keys (breed mode: glnn/web/playground_breed.js), none of the window's KEYMAP's (a test checks)
BREED_KEYS = (("g", "toggle_breed"), ("z", "breed_undo"), ("Z", "breed_redo"))   # the page's own: none of the
# window's keys (b and B are the window's breed_child and breed_back: the page does them too, tables.keys)


def initial_state(recipe: Recipe) -> dict:
    """The recipe as the page's state (playground.js's), the seed as decimal digits (it may pass 2^53)."""
    net, view = recipe.network, recipe.view
    return {"seed": str(net.seed), "depth": net.depth, "width": net.width, "channels": net.channels,
            "inputs": net.inputs, "features": net.features, "activation": net.activation, "output_activation": net.output_activation,
            "init": net.init, "scale": float(net.scale),
            "bias_scale": None if net.bias_scale is None else float(net.bias_scale), "gain": float(net.gain),
            "center": [float(view.center[0]), float(view.center[1])], "extent": float(view.extent),
            "time": float(view.time), "size": [view.width, view.height], "colour": recipe.colour,
            "probe": recipe.probe or None, "lineage": lineage_state(net)}


def lineage_state(net: Network):
    """The network's lineage (docs/lineage.md) as the page's state holds it: steps with seeds as decimal strings
    (JSON.parse reads integers past 2^53 inexactly), or None."""
    def steps(s):
        return [["m", str(int(x[1])), float(x[2])] if x[0] == "m" else
                ["x", str(int(x[1])), x[2], {"seed": str(int(x[3]["seed"])), "lineage": steps(x[3]["lineage"])}]
                for x in s]
    lineage = getattr(net, "lineage", None)
    return steps(lineage) if lineage else None


def lineage_text(steps) -> str:
    """docs/lineage.md's URL text form of steps (glnn_lineage.js lineageText: the same text)."""
    return "~".join(f"m:{s[1]}:{number(float(s[2]))}" if s[0] == "m" else
                    f"x:{s[1]}:{s[2]}:{s[3]['seed']}" + (f"({lineage_text(s[3]['lineage'])})" if s[3]["lineage"] else "")
                    for s in steps)


# the hash's names (glnn's flags), in playground.js's order (stateToHash)


def state_hash(recipe: Recipe, page_words: Tuple[str, ...] = ()) -> str:
    """The playground's URL hash of `recipe` (playground.js stateToHash: the same text): a link that opens it."""
    state = initial_state(recipe)
    words = list(page_words)
    for key, name in HASH_NAMES:
        v = state[key]
        if v is None or (key == "features" and v == architecture.DEFAULT_TEXT):   # x, y: no word (old URLs)
            continue
        if key == "center":
            text = number(v[0]) + "," + number(v[1])
        elif key == "lineage":
            text = lineage_text(v)
        elif isinstance(v, float):
            text = number(v)
        else:
            text = quote(str(v), safe="!~*'(),")   # encodeURIComponent, commas left as they are
        words.append(f"{name}={text}")
    return "#" + "&".join(words)


def check_probe(text: str, net: Network) -> None:
    """GlnnError (one line) unless the playground draws this probe: saturation, or unit:K:J of a bounded layer."""
    probe = probes.parse_probe(text, net)
    name = net.layers[probe.layer - 1].activation if probe.kind in ("unit", "units") else None
    per_unit = name is not None and not isinstance(name, str)
    if probe.kind not in PROBES or per_unit or (name is not None and activations.BY_NAME[name].bounds is None):
        what = ("unit probes of mix-units layers" if per_unit else f"unit probes of {name} layers (unbounded)"
                if name else f"the {probe.kind} probe")
        raise GlnnError(f"the playground does not draw {what} yet (it draws saturation, and unit:K:J and units:K of "
                        f"a bounded layer); for that one use glnn render --probe {text} or glnn view")


def seed_network(net: Network) -> Network:
    """The network as its seed draws it: a picture's recipe embeds the weights of small networks, which are the
    seed's own unless they came from a file (then GlnnError: the page cannot hold them)."""
    if net.loaded_layers is None:
        return net
    drawn = net.replace()
    same = all(np.array_equal(a.W, b.W) and np.array_equal(a.b, b.b) and a.activation == b.activation
               for a, b in zip(net.layers, drawn.layers))
    same = same and all(np.array_equal(np.float32(u), np.float32(v))
                        for u, v in zip(net.time_params(), drawn.time_params()))
    if not same:
        raise GlnnError("the playground draws its networks from their seeds and cannot hold weights from a file; "
                        "for a saved network use: glnn export page.html --network FILE")
    return drawn


def playground_spec(recipe: Recipe, gallery: Optional[str] = None) -> dict:
    """The page's data: shaders, tables, the state it opens at, and its words (playground_words.py): what each
    control does, "try this" links, the article's address and `gallery`, the figures' gallery's address relative
    to the page (index.html where glnn figures and glnn export site write the page beside it; None: none)."""
    net = seed_network(recipe.network)
    if net is not recipe.network:
        recipe = Recipe(net, recipe.view, recipe.colour, probe=recipe.probe)
    if recipe.probe:
        check_probe(recipe.probe, recipe.network)
    return {"format": "glnn-playground", "version": 1, "glnn": __version__,
            "recipe_format": FORMAT, "recipe_version": VERSION,
            "vertex": ShaderSource("web_fullscreen.vert").source, "shader": shader_parts(),
            "define_names": define_names(), "optional_defines": list(OPTIONAL_DEFINES),
            "texture_width": TEXTURE_WIDTH,
            "tables": tables(), "state": initial_state(recipe), "interaction": page_constants(),
            "words": {"intro": playground_words.INTRO, "controls": playground_words.words(state_hash),
                      "article": playground_words.ARTICLE, "gallery": gallery}}


def playground_html(recipe: Recipe, gallery: Optional[str] = None) -> str:
    """The self-contained playground page, opening at `recipe`'s network, view and colour mode; `gallery`: the
    figures' gallery beside it (playground_spec)."""
    spec = playground_spec(recipe, gallery)
    return (web_asset("playground.html").replace("{{TITLE}}", escape("glnn playground"))
            .replace("{{SCRIPT}}", script_text(bundle(ENTRY)))
            .replace("{{DATA}}", script_json(spec)))
