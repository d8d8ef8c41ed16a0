"""The web exports compile the desktop kernels' own GLSL (shaders/common.glsl, network.glsl) through the ES
prelude, and take the window's interaction constants from glnn/app/interaction.py. Pure Python: no GL context,
no subprocess (tests/gl/test_web.py, tests/system/test_web_system.py and tests/system/test_web_interaction.py run the shaders and the page)."""
import ast
import inspect
import re

import numpy as np

from glnn import Network, View
from glnn.app import controls, interaction, scheduler
from glnn.web import webgl
from glnn.web.export import web_asset
from glnn.gl.packing import pack_weights
from glnn.gl.shader_source import LINE_BLOCK, read_shader, shader_dir
from glnn.io.recipe import Recipe

NET = Network(seed=3, depth=5, width=12, inputs=4)
SHARED = ("prelude_es.glsl", "common.glsl", "network.glsl")


def _page_fragment(net=NET):
    spec = webgl.page_spec(Recipe(net, View(64, 48), "rgb"))
    return spec["fragment"], spec["files"]


def _shadertoy(net=NET):
    return webgl.shadertoy_source(Recipe(net, View(64, 48), "rgb"))


def _function(text, signature):
    """The text of the GLSL function `signature` (up to its closing brace at the line start)."""
    m = re.search(re.escape(signature) + r".*?\n}\n", text, re.S)
    assert m, signature
    return m.group(0)


def test_page_shader_is_assembled_from_the_shared_files():
    frag, files = _page_fragment()
    for name in SHARED:
        k = files.index(name)
        # ShaderSource's line marker for that file: its text is in the page's shader, not a copy of it
        assert f"#line {k * LINE_BLOCK + 1}\n" in frag
        body = "\n".join(line for line in read_shader(name).splitlines() if line.strip())
        assert all(line in frag for line in body.splitlines())
    assert files.index("prelude_es.glsl") == 1   # the prelude comes first


def test_shadertoy_shader_has_the_shared_code_verbatim():
    st = _shadertoy()
    common, network = read_shader("common.glsl"), read_shader("network.glsl")
    for text, signature in ((common, "vec2 plane_xy(float c, float r)"), (common, "vec4 input_group(int j"),
                            (common, "void set_view("), (network, "vec4 evaluate_network(vec2 xy)")):
        assert _function(text, signature) in st
    assert "precision highp float;" in st   # the ES prelude


def test_the_view_is_written_once_in_glsl():
    # the pixel convention (plane_xy) and the pixel size s = 2 extent / min(W, H) live in common.glsl alone
    hits = {}
    for path in sorted(shader_dir().iterdir()):
        text = path.read_text()
        hits[path.name] = (len(re.findall(r"\bvec2\s+\w+\s*\(\s*float\s+c\s*,\s*float\s+r\s*\)", text)),
                           len(re.findall(r"2\.0\s*\*\s*\w*extent\w*\s*/\s*min\(", text, re.I)))
    assert {name: h for name, h in hits.items() if any(h)} == {"common.glsl": (1, 1)}


def test_webgl_writes_no_network_code():
    assert not hasattr(webgl, "network_glsl")
    tree = ast.parse(inspect.getsource(webgl))
    docs = {ast.get_docstring(n, clean=False) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef))}
    strings = " ".join(n.value for n in ast.walk(tree)
                       if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value not in docs)
    for glsl in ("activate(", "mat4(", "sin(", "evaluate_network", "plane", "for (", "main("):
        assert glsl not in strings, glsl
    # the one generated include is data: the weight arrays and fetch() over them
    generated = webgl.weights_glsl(NET)
    functions = re.findall(r"^\w+\s+(\w+)\s*\([^)]*\)\s*{", generated, re.M)
    assert functions == ["fetch"]


def test_shadertoy_fetch_reads_the_page_texels():
    """web_weights.glsl's fetch(t) returns texel t of pack_weights()' layout (what the page's texture holds)."""
    net = Network(seed=6, depth=4, width=7, inputs=5, channels=1)
    text = webgl.weights_glsl(net)
    body = re.search(r"const vec4 GLNN_WEIGHTS\[(\d+)\] = vec4\[\1\]\((.*?)\);", text).group(2)
    constants = np.array([[float(x) for x in v.split(",")] for v in re.findall(r"vec4\(([^()]*)\)", body)], np.float32)
    assert "return GLNN_WEIGHTS[t];" in text
    texels, offsets = pack_weights(net)
    assert np.array_equal(constants, texels.reshape(-1, 4)[:len(constants)])
    assert not texels.reshape(-1, 4)[len(constants):].any()   # the rest of the texture row is padding
    assert len(constants) == sum(webgl.shadertoy_floats(net)) // 4


def test_network_defines_carry_the_layers_and_inputs():
    d = webgl.network_defines(NET)
    assert d["LAYER_OFFSETS"] == ", ".join(str(o) for o in pack_weights(NET)[1])
    assert d["LAYER_ACTS"] == ", ".join(f"ACT_{l.activation.upper()}" for l in NET.layers)
    A, w, p = NET.time_params()
    assert webgl._float(A[0]) in d["INPUT_A"] and webgl._float(p[1]) in d["INPUT_P"]
    assert d["INPUT_A"].startswith("vec4[4](vec4(0.0,0.0,")   # x and y slots: no time term


def test_interaction_constants_have_one_home():
    for name in ("ZOOM_STEP", "SCROLL_STEP", "SCALE_STEP", "TIME_STEP"):
        assert getattr(controls, name) is getattr(interaction, name)
    for name in ("DRAFT_BUDGET_S", "SETTLE_S", "BAND_BUDGET_S", "FIRST_DRAFT", "DRAFT_MAX_FACTOR"):
        assert getattr(scheduler, name) is getattr(interaction, name)
    # the window's values (the page's used to differ: zoom 1.25, time 0.5 rad/s, drafts past 30 ms)
    assert interaction.ZOOM_STEP == 2 ** 0.25 and interaction.TIME_SPEED == 1.0
    assert interaction.DRAFT_BUDGET_S == 0.04


def test_page_spec_carries_them_and_the_front_end_uses_them():
    spec = webgl.page_spec(Recipe(NET, View(64, 48), "rgb"))
    assert spec["interaction"] == interaction.page_constants()
    js = web_asset("glnn_view.js")
    code = "\n".join(line.split("//")[0] for line in js.splitlines())   # without comments
    for key in interaction.page_constants():
        assert f"I.{key}" in code, key
    # no constants of its own: no upper-case numeric constants, none of the old values
    assert not re.search(r"\bconst\s+[A-Z_]+\s*=\s*[\d.]", code)
    for old in ("1.25", "0.5 ", "30", "150"):
        assert old not in code, old
