"""The web exports' shaders (WebGL2, GLSL ES 3.00): the live page, the notebook widget and the Shadertoy shader.

They compile the desktop kernels' own network code: each is a template in shaders/ (web_page.frag,
web_shadertoy.frag) that ShaderSource assembles with prelude_es.glsl (what ES lacks), glnn's
activations.glsl and colour.glsl (the colour mode fixed, so only its palette comes along), common.glsl
(the view: plane_xy(), the inputs) and network.glsl (the layers). What is written here is data, as
#defines: the shape, each layer's first texel and activation, the extra inputs' A_j, w_j, p_j (the shader
computes z_j(t) = A_j sin(w_j t + p_j)), the colour mode. The weights are read either from a texture
(the page, the widget: data, so 14 x 400 works) or, in the Shadertoy shader (one text), from a constant
array with the fetch() that reads it (web_weights.glsl, generated: the one piece of GLSL written here).
No GL here: the browser compiles these.
"""
from __future__ import annotations

import base64
import json
import re
from typing import Dict, List, Optional

import numpy as np

from ..model import colour as colours
from ..errors import GlnnError
from ..gl.packing import mat4_layers, pack_weights, per_unit, unit_slots
from ..model import activations, inits
from ..gl.shader_source import ShaderSource, read_shader
from ..io.html_page import escape, script_json, script_text
from .tables import web_tables
from ..app.interaction import page_constants
from ..model.network import Network
from ..io.recipe import Recipe

TEXTURE_WIDTH = 2048   # texels a row of the page's weight texture (WebGL2 guarantees 2048)
# Shadertoy: weights as constants. Measured in headless Chromium 156 (ANGLE on SwiftShader, this project's
# 2-core machine), compiling and drawing a first 64 x 64 frame with one array per layer: 8 x 16 (1,780
# floats) 0.7 s, 12 x 30 (10,852) 3.8 s, 20 x 30 (19,300) 10 s, 27 x 30 (26,692) 18 s; one array past
# about 23,000 floats is refused. GPUs compile faster, but a page that freezes for seconds is no
# Shadertoy: the limit keeps the first frame within about 4 s there. Under it the weights are one array
# (the shared network code reads texel t of the whole network): measured side by side on the loaded
# machine, 12 x 30 took 12 s as one array, 19 s as the old generated per-layer code and 21 s as
# per-layer arrays behind a fetch(t) that picks the layer; 8 x 16 1.1 s, 1.7 s and 4.2 s.
SHADERTOY_MAX_FLOATS = 12288        # all layers' constants (floats, padding included)


def _float(v: float) -> str:
    """A GLSL float literal that reads back as the same float32."""
    f = float(np.float32(v))
    if f == 0.0:
        return "0.0"
    text = repr(f) if abs(f) >= 1e-4 else f"{f:.9e}"
    return text if any(c in text for c in ".e") else text + ".0"


def _vec4(t) -> str:
    return "vec4(" + ",".join(_float(x) for x in t) + ")"


def _vec4_array(values: np.ndarray) -> str:
    """A GLSL ES vec4[n](...) constructor of the (n, 4) values."""
    return f"vec4[{len(values)}](" + ", ".join(_vec4(t) for t in values) + ")"


def _offsets(layers: List[np.ndarray]) -> List[int]:
    return [int(o) for o in np.cumsum([0] + [len(t) for t in layers])[:-1]]


def network_defines(net: Network) -> Dict[str, object]:
    """The defines that make common.glsl and network.glsl one network's shader: its shape, its layers as
    constants (first texel in pack_weights()' layout, activation), and the inputs' A_j, w_j, p_j by slot.
    A layer with one activation per unit is ACT_UNITS in LAYER_ACTS, and the network gets UNIT_ACTS 1: the
    shader reads that layer's units' ids from its activation texels (glnn/gl/packing.py, docs/contract.md)."""
    arch = net.architecture
    slots = np.zeros((3, 16))
    slots[:, len(arch.features):arch.n_inputs] = net.time_params()
    A, w, p = (_vec4_array(v.reshape(4, 4)) for v in slots)
    defines = {"DEPTH": net.depth, "WIDTH": net.width, "INPUTS": arch.n_inputs, "UNROLL": 1,
               "LAYER_OFFSETS": ", ".join(str(o) for o in _offsets(mat4_layers(net))),
               "LAYER_ACTS": ", ".join(_act_name(l.activation) for l in net.layers),
               "VIEW_IN_SHADER": 1, "INPUT_A": A, "INPUT_W": w, "INPUT_P": p}
    if per_unit(net):
        defines["UNIT_ACTS"] = 1
    if not arch.default_inputs:   # other features: their GLSL and constants (x, y need neither)
        defines["INPUT_C"] = _vec4_array(arch.constant_inputs(np.zeros(arch.extra)).reshape(4, 4))
        defines["PIXEL_INPUTS"] = arch.pixel_inputs_glsl()
    return defines


def _act_name(activation) -> str:
    """A layer's entry of LAYER_ACTS: ACT_TANH, ..., or ACT_UNITS for one activation per unit."""
    return "ACT_UNITS" if activations.layer_id(activation) == activations.UNITS_ID else f"ACT_{activation.upper()}"


def unit_slot_defines(net: Network) -> Dict[str, object]:
    """UNIT_SLOTS for the page's unit probes (web_unit.glsl) of a network with per-unit layers: for hidden layer
    k (from 1) and unit j (from 0), entry (k - 1) * WIDTH + j is where the packing put that unit (its units are
    grouped by activation: glnn/gl/packing.py unit_slots()); none for other networks (unit j is slot j)."""
    if not per_unit(net) or net.depth < 2:
        return {}
    return {"UNIT_SLOTS": ", ".join(str(int(v)) for v in np.concatenate(unit_slots(net)))}


def weights_glsl(net: Network) -> str:
    """web_weights.glsl of the Shadertoy shader: the weights as one constant vec4 array in pack_weights()'
    layout (at most SHADERTOY_MAX_FLOATS, about half the size ANGLE refuses), and fetch(t), which
    common.glsl's fetch_block() and network.glsl read."""
    texels = np.concatenate(mat4_layers(net))
    return ("// Generated by glnn/web/webgl.py (do not edit): one network's weights, its layers one after another.\n"
            f"const vec4 GLNN_WEIGHTS[{len(texels)}] = {_vec4_array(texels)};\n"
            "vec4 fetch(int t) {\n    return GLNN_WEIGHTS[t];\n}\n")


def _source(template: str, net: Network, colour: str, defines: Dict[str, object]) -> ShaderSource:
    generated = {"web_weights.glsl": lambda: weights_glsl(net),
                 "colour.glsl": lambda: colours.glsl_source(only=colour)}
    return ShaderSource(template, dict(network_defines(net), **defines,
                                       COLOUR_MODE=f"COLOUR_{colour.replace(':', '_').upper()}"),
                        loader=lambda name: generated[name]() if name in generated else read_shader(name))


def page_spec(recipe: Recipe) -> dict:
    """What the page and the widget's front end (glnn/web/glnn_view.js) need: the shaders, the weights
    (base64 float32 texels), the view, the recipe and command to show, and the interaction constants
    (glnn/app/interaction.py: zoom and time steps, time speed, draft thresholds; the window's own)."""
    net, view = recipe.network, recipe.view
    colours.mode_for(net.channels, recipe.colour)
    texels, _ = pack_weights(net, TEXTURE_WIDTH)
    frag = _source("web_page.frag", net, recipe.colour, {"WEIGHT_TEX_WIDTH": TEXTURE_WIDTH,
                                                         **unit_slot_defines(net)})
    vert = ShaderSource("web_fullscreen.vert")
    head, _, tail = recipe.command_parts()
    data = recipe.to_json()   # once: shown without its weights, saved (save PNG) with them
    return {
        "format": "glnn-web", "version": 1,
        "vertex": vert.source, "fragment": frag.source, "files": frag.files,
        "weights": base64.b64encode(np.ascontiguousarray(texels, "<f4").tobytes()).decode("ascii"),
        "texture": [int(texels.shape[1]), int(texels.shape[0])],
        "center": [float(view.center[0]), float(view.center[1])], "extent": float(view.extent),
        "time": float(view.time), "size": [view.width, view.height],
        "period": net.period, "animated": net.inputs > 2,
        "title": describe(net), "command": [head, tail],
        "custom_weights": net.loaded_layers is not None,
        "recipe": {k: v for k, v in data.items() if k != "weights"},
        "recipe_text": saved_recipe_text(recipe, data),
        "interaction": page_constants(),
        "tables": web_tables(),
    }


def saved_recipe_text(recipe: Recipe, data: Optional[dict] = None) -> Optional[str]:
    """The recipe "save PNG" writes into the picture, as JSON text without the view and the command (the page
    adds the view it shows: glnn_view.js savedRecipe()); `data`: recipe.to_json() when already made. A saved
    network's weights go in when they fit glnn's budget for a picture's recipe; None when they do not (the page
    then saves the picture alone)."""
    data = dict(recipe.to_json() if data is None else data)
    if recipe.network.loaded_layers is not None and "weights" not in data:
        return None
    del data["view"], data["command"]
    return json.dumps(data)


def describe(net: Network) -> str:
    """The page's title and the Shadertoy header: the shape, activation, amount that sets the weights, inputs."""
    amount = f"gain {net.gain:g}" if inits.uses_gain(net.init) else f"scale {net.scale:g}"
    features = "" if net.features == "x,y" else f" ({net.features} + {net.inputs - 2} time-driven)"
    return (f"{net.depth} x {net.width} {net.activation}, seed {net.seed}, {net.init} {amount}, "
            f"{net.n_inputs} inputs{features}, {net.channels} channel{'s' if net.channels > 1 else ''}")


def shadertoy_floats(net: Network) -> List[int]:
    """Each layer's constant floats in the Shadertoy export."""
    return [4 * len(t) for t in mat4_layers(net)]


def check_shadertoy(net: Network) -> None:
    """GlnnError (one line) when the network is too large to compile as Shadertoy constants."""
    floats = sum(shadertoy_floats(net))
    if floats > SHADERTOY_MAX_FLOATS:
        raise GlnnError(f"{net.depth} x {net.width} is too large for a Shadertoy shader: {floats:,} weights as "
                        f"constants, over the limit of {SHADERTOY_MAX_FLOATS:,} (about 12 x 30; larger ones take "
                        f"many seconds to compile in WebGL2); export a live page instead: glnn export page.html")


def shadertoy_source(recipe: Recipe, check: bool = True) -> str:
    """One Shadertoy Image-tab shader: mainImage() showing what `glnn render` shows for the canvas size."""
    net, view = recipe.network, recipe.view
    colours.mode_for(net.channels, recipe.colour)
    if check:
        check_shadertoy(net)
    src = _source("web_shadertoy.frag", net, recipe.colour, {
        "VIEW_CENTER": f"vec2({_float(view.center[0])}, {_float(view.center[1])})",
        "VIEW_EXTENT": _float(view.extent), "VIEW_TIME": _float(view.time)})
    body = [line for line in src.source.splitlines()[1:] if not re.match(r"\s*#line\b", line)]
    start = next((i for i, line in enumerate(body) if line.startswith("// Template of")), None)
    if start is not None:   # the template's note to glnn's maintainers is no part of the user's shader
        end = start
        while end < len(body) and body[end].startswith("//"):
            end += 1
        del body[start:end]
    head, mid, tail = recipe.command_parts()
    view_flags = mid[:mid.index("--size")]
    header = ["// glnn " + recipe.glnn + ": a random neural network f(x, y) -> colour, for Shadertoy's Image tab.",
              "// " + describe(net),
              "// The same picture as: " + " ".join(head + view_flags + ["--size", "WxH"] + tail)
              + " (WxH: the canvas)",
              "// Drag to pan; " + ("the extra inputs follow iTime (period 2 pi)." if net.inputs > 2 else
                                    "this network has no extra inputs, so iTime changes nothing.")]
    return "\n".join(header + body) + "\n"


def page_html(recipe: Recipe, script: str, template: str) -> str:
    """The self-contained page: the template with the spec (JSON) and the front end (an ES module) inlined."""
    return (template.replace("{{TITLE}}", escape("glnn: " + describe(recipe.network)))
            .replace("{{SCRIPT}}", script_text(script))
            .replace("{{DATA}}", script_json(page_spec(recipe))))
