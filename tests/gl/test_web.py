"""The web exports (glnn/web/webgl.py, glnn/web/export.py, glnn/web/, glnn/web/notebook.py): the live page, the Shadertoy
shader and the notebook widget, against the float64 reference.

Two harnesses: the generated GLSL ES also compiles as desktop GLSL 3.30, so every activation, output
activation, channel count and input count is checked on this process's GL context (fast; here); and a real
headless Chromium (WebGL2 on SwiftShader) screenshots the page, the Shadertoy harness and the widget
(tests/system/test_web_system.py).
"""
import io
import json
import re

import numpy as np
import pytest
from PIL import Image

from cli_checks import one_line_error
import glnn
from glnn import Network, View
from glnn.model import activations, colour
from glnn.web import notebook, webgl
from glnn.backends import reference
from glnn.web.export import page
from glnn.io.recipe import Recipe
from web_harness import page_desktop, per_unit_recipes_without_weights, shadertoy_desktop   # GLSL ES as GLSL 3.30



def expected(net, view, mode=None):
    """What glnn render writes: the reference through the colour stage, 8-bit, as RGB."""
    out = colour.to_uint8(reference.evaluate(net, view), mode).astype(int)
    return np.repeat(out, 3, axis=2) if out.shape[2] == 1 else out


def expected_float(net, view, mode=None):
    out = colour.apply(reference.evaluate(net, view), mode)
    return np.repeat(out, 3, axis=2) if out.shape[2] == 1 else out


TOL = 2e-4   # float32 in the shader against the float64 reference, well-scaled networks


@pytest.mark.parametrize("act", activations.HIDDEN_CHOICES)
def test_every_hidden_activation_in_page_and_shadertoy(ctx, act, monkeypatch):
    per_unit_recipes_without_weights(monkeypatch)   # mix-units
    net = Network(seed=11, depth=4, width=9, activation=act, inputs=3)
    view = View(23, 17, center=(0.2, -0.1), extent=1.4, time=0.7)
    ref = expected_float(net, view)
    assert np.abs(page_desktop(ctx, net, view) - ref).max() < TOL
    assert np.abs(shadertoy_desktop(ctx, net, View(23, 17, (0.2, -0.1), 1.4, 0.0), itime=0.7) - ref).max() < TOL


@pytest.mark.parametrize("out_act", activations.NAMES)
@pytest.mark.parametrize("channels", [1, 3])
def test_every_output_activation_and_channels(ctx, out_act, channels):
    net = Network(seed=5, depth=3, width=6, output_activation=out_act, channels=channels)
    view = View(16, 12)
    ref = expected_float(net, view)
    assert np.abs(page_desktop(ctx, net, view) - ref).max() < TOL
    assert np.abs(shadertoy_desktop(ctx, net, view) - ref).max() < TOL


@pytest.mark.parametrize("inputs", [2, 3, 4, 5, 6, 9, 16])
def test_two_to_sixteen_inputs_at_a_time(ctx, inputs):
    net = Network(seed=inputs, depth=3, width=7, inputs=inputs)
    view = View(15, 11, extent=1.5, time=2.25)
    ref = expected_float(net, view)
    assert np.abs(page_desktop(ctx, net, view) - ref).max() < TOL
    st = shadertoy_desktop(ctx, net, View(15, 11, extent=1.5, time=1.0), itime=1.25)   # VIEW_TIME + iTime
    assert np.abs(st - ref).max() < TOL


@pytest.mark.parametrize("features,inputs,act", [
    ("x,y,r,bias", 2, "tanh,sin,relu"), ("r", 4, "sin"), ("bias,ay,ax,r,y", 3, "gaussian,softsign"),
    ("x,y,r,bias,ax,ay", 12, "tanh,identity"), ("y,x", 16, "mix"), ("ax,ay", 2, "relu,relu")])
def test_input_features_and_activation_lists(ctx, features, inputs, act):
    # the network as data: features fill the input slots first (INPUT_C, PIXEL_INPUTS), then z_j; lists by layer
    net = Network(seed=17, depth=5, width=9, features=features, inputs=inputs, activation=act)
    view = View(15, 11, (0.3, -0.2), 1.5, 0.75)
    ref = expected_float(net, view)
    assert np.abs(page_desktop(ctx, net, view) - ref).max() < TOL
    st = shadertoy_desktop(ctx, net, View(15, 11, (0.3, -0.2), 1.5, 0.25), itime=0.5)   # VIEW_TIME + iTime
    assert np.abs(st - ref).max() < TOL


@pytest.mark.parametrize("mode", ["hsv", "palette:viridis", "palette:twilight", "red"])
def test_colour_modes_are_glnns(ctx, mode):
    m = colour.BY_NAME[mode]
    net = Network(seed=2, depth=3, width=8, channels=m.inputs)
    view = View(19, 13)
    ref = expected_float(net, view, mode)
    assert np.abs(page_desktop(ctx, net, view, mode) - ref).max() < TOL
    assert np.abs(shadertoy_desktop(ctx, net, view, mode) - ref).max() < TOL


def test_depth_one_and_wide_networks(ctx):
    for net in (Network(seed=1, depth=1, width=5), Network(seed=2, depth=2, width=33),
                Network(seed=3, depth=3, width=130, scale=0.5)):
        view = View(13, 9, extent=0.8)
        assert np.abs(page_desktop(ctx, net, view) - expected_float(net, view)).max() < TOL


def test_shadertoy_mouse_drag_pans(ctx):
    net = Network(seed=8, depth=4, width=10)
    view = View(40, 30, center=(0.1, 0.2), extent=1.2)
    s = 2 * 1.2 / 30
    dragged = shadertoy_desktop(ctx, net, view, mouse=(25.0, 20.0, 15.0, 14.0))   # dragged by (10, 6) pixels
    moved = View(40, 30, center=(0.1 - 10 * s, 0.2 - 6 * s), extent=1.2)
    assert np.abs(dragged - expected_float(net, moved)).max() < TOL
    released = shadertoy_desktop(ctx, net, view, mouse=(25.0, 20.0, -15.0, -14.0))
    assert np.abs(released - expected_float(net, view)).max() < TOL


def test_a_network_with_its_own_weights_exports_them(ctx):
    import dataclasses
    net = Network(seed=4, depth=3, width=6)
    changed = tuple(dataclasses.replace(l, W=(l.W * -1.5).astype(np.float32), b=(l.b + 0.1).astype(np.float32))
                    for l in net.layers)
    custom = dataclasses.replace(net, loaded_layers=changed)
    view = View(12, 10)
    assert np.abs(expected_float(custom, view) - expected_float(net, view)).max() > 0.05
    assert np.abs(page_desktop(ctx, custom, view) - expected_float(custom, view)).max() < TOL
    assert webgl.page_spec(Recipe(custom, view, "rgb"))["custom_weights"]


# ---------------------------------------------------------------- generated text
def test_page_is_self_contained_and_shaders_share_glnns_definitions():
    net = Network(seed=3, depth=5, width=12, inputs=4)
    text = page(Recipe(net, View(640, 360), "rgb"))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), "the page must not load anything"
    data = re.search(r'<script type="application/json" id="glnn-spec">(.*?)</script>', text, re.S)
    script = text[:data.start()] + text[data.end():]   # the page's own code (the spec's GLSL has its fetch())
    assert not re.search(r"(?<![\w_])fetch\(|XMLHttpRequest|import\(", script)
    spec = json.loads(data.group(1).replace("<\\/", "</"))
    assert spec["files"][:3] == ["web_page.frag", "prelude_es.glsl", "activations.glsl"]
    assert activations.glsl_source().splitlines()[1] in spec["fragment"]          # the activation table's GLSL
    assert "PALETTE_VIRIDIS" not in spec["fragment"]                              # only the mode in use
    st = webgl.shadertoy_source(Recipe(net, View(64, 64), "palette:magma") if net.channels == 1 else
                                Recipe(net, View(64, 64), "rgb"))
    assert not re.search(r"^\s*#\s*(version|line)\b", st, re.M) and "void mainImage(out vec4 fragColor, in vec2 fragCoord)" in st


def test_shadertoy_limit_is_one_clear_error():
    webgl.check_shadertoy(Network(depth=12, width=30))
    with pytest.raises(glnn.GlnnError, match=r"too large for a Shadertoy shader.*limit of 12,288.*glnn export page"):
        webgl.check_shadertoy(Network(depth=27, width=30))


# ---------------------------------------------------------------- the CLI (in this process)
def test_export_bad_input_is_exit_2_and_writes_nothing(cli, tmp_path):
    (tmp_path / "keep.glsl").write_text("mine")
    (tmp_path / "plain.png").write_bytes(b"")
    Image.new("RGB", (4, 4)).save(tmp_path / "norecipe.png")
    cases = [(["export", "x.txt"], "unknown format '.txt'"),
             (["export", "keep.glsl", "--depth", "27", "--width", "30"], "too large for a Shadertoy shader"),
             (["export", "p.html", "--from", "norecipe.png"], "norecipe.png"),
             (["export", "p.html", "--depth", "0"], "depth must be"),
             (["export", "p.html", "--color", "hsv", "--channels", "1"], "colour mode 'hsv'"),
             (["export", "nodir/p.html"], "does not exist")]
    for args, message in cases:
        status, _, err = cli(*args)
        one_line_error(status, err, message)
    assert (tmp_path / "keep.glsl").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.glsl", "norecipe.png", "plain.png"]


# ---------------------------------------------------------------- the notebook
def test_network_shows_itself_as_a_png():
    data = Network(seed=1, depth=3, width=8)._repr_png_()
    im = Image.open(io.BytesIO(data))
    assert im.size == notebook.PREVIEW_SIZE and np.asarray(im).std() > 1


def test_show_is_a_live_widget_with_the_page_spec():
    pytest.importorskip("anywidget")
    w = glnn.show(Network(seed=2, depth=4, width=8, inputs=3), size=(200, 120), center=(0.5, 0), extent=2)
    assert w.spec["size"] == [200, 120] and w.spec["center"] == [0.5, 0.0] and w.spec["animated"]
    assert "export default" in w._esm
    assert w.view == {"center": [0.5, 0.0], "extent": 2.0, "time": 0.0, "size": [200, 120]}
    # the network as data: a widget of features and an activation list draws what the page draws
    net = Network(seed=3, depth=5, width=8, features="x,y,r,bias", activation="tanh,sin,relu")
    w = glnn.show(net, size=(40, 30), hud=False)
    page = webgl.page_spec(Recipe(net, View(40, 30), "rgb"))
    assert w.spec["fragment"] == page["fragment"] and w.spec["weights"] == page["weights"]
    assert "#define PIXEL_INPUTS if (j == 0) { v.x = xy.x; v.y = xy.y; v.z = length(xy); }" in w.spec["fragment"]
    assert "--features x,y,r,bias --activation tanh,sin,relu" in " ".join(w.spec["command"][0])


def test_show_without_anywidget_gives_the_picture_and_says_how(monkeypatch, capsys):
    def missing():
        raise ImportError("No module named 'anywidget'")
    monkeypatch.setattr(notebook, "widget_class", missing)
    im = glnn.show(Network(seed=2, depth=3, width=8), size=(40, 30))
    assert isinstance(im, Image.Image) and im.size == (40, 30)
    assert "pip install 'glnn[notebook]'" in capsys.readouterr().err
