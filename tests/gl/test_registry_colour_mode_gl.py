"""A throwaway colour mode on a real GL context: one row added to glnn/colour.py's TABLE in the test only
(monkeypatch: no module state), and the GLSL generated from the table (the window's display.frag, the web
page's and Shadertoy's colour stage) draws it as its numpy function does; `glnn render --backend gl` and the API
on gl write it. Each test makes its own engine on the session's context: programs are cached by file names and
defines, not by the generated text, so the session's display.frag (compiled from the table without the row)
must not be reused. (The same without GL: tests/unit/test_registry_colour_mode.py.)"""
import base64

import moderngl
import numpy as np
import pytest
from PIL import Image

import glnn
from glnn import colour, engine as engine_module, webgl
from glnn.backends import reference
from glnn.gl.display import Display
from glnn.gl.resources import park
from glnn.network import Network
from glnn.recipe import Recipe, read_recipe
from glnn.view import View

INVERT = colour.ColourMode("invert", 3, 3, lambda raw: np.float32(1.0) - raw, "return 1.0 - v.rgb;",
                           "outputs 1-3 as red, green, blue, inverted")
TOL = 2e-4   # float32 in a shader against the float64 reference, well-scaled networks


def add_colour_mode(monkeypatch, mode):
    """Add `mode` to glnn.colour's table and every name the module derives from it at import."""
    table = colour.TABLE + (mode,)
    names = tuple(m.name for m in table)
    for attr, value in (("TABLE", table), ("BY_NAME", {m.name: m for m in table}), ("NAMES", names),
                        ("IDS", {n: i for i, n in enumerate(names)})):
        monkeypatch.setattr(colour, attr, value)


@pytest.fixture
def fresh(ctx, monkeypatch):
    """The row added, and an engine of the test's own on the session's context (its own programs, compiled from
    the patched table), standing in for the default engine (the CLI's); closed at the end."""
    add_colour_mode(monkeypatch, INVERT)
    e = engine_module.Engine(ctx=ctx, cache_dir=False, log=lambda m: None)
    monkeypatch.setattr(engine_module, "default_engine", lambda: e)
    yield e
    e.close()


@pytest.fixture
def float_screen(ctx):
    """A float RGBA framebuffer standing in for the window."""
    made = []

    def make(w, h):
        fbo = ctx.framebuffer(color_attachments=[ctx.texture((w, h), 4, dtype="f4")])
        made.append(fbo)
        return fbo
    yield make
    park(ctx)
    for fbo in made:
        texture = fbo.color_attachments[0]
        fbo.release()
        texture.release()


def shown(screen):
    w, h = screen.size
    return np.frombuffer(screen.read(components=4, dtype="f4"), np.float32).reshape(h, w, 4)[::-1, :, :3]


def test_the_window_shows_it_as_numpy_does(fresh, float_screen):
    gl = fresh.backend("gl")
    display = Display(gl.device)
    try:
        # raw outputs below 0 and above 1, through display.frag's branch for the row
        w, h = 11, 7
        raw = np.random.default_rng(3).uniform(-0.5, 1.5, (h, w, 3)).astype(np.float32)
        target = display.target("full", (w, h))
        display.write(target, raw, (0, 0))
        screen = float_screen(w, h)
        display.clear(screen, (w, h))
        display.show(target, colour.IDS["invert"], (w, h))
        np.testing.assert_allclose(shown(screen), colour.apply(raw, "invert"), atol=1e-6)
        # a network drawn by the gl backend into the window's target, shown inverted
        net, view = Network(seed=6, depth=3, width=8), View(17, 13, extent=1.4)
        target = display.target("full", view.size)
        gl.draw(net, view, target, (0, 0, view.width, view.height))
        screen = float_screen(*view.size)
        display.clear(screen, view.size)
        display.show(target, colour.IDS["invert"], view.size)
        np.testing.assert_allclose(shown(screen), colour.apply(reference.evaluate(net, view), "invert"), atol=TOL)
    finally:
        display.release()


# ---------------------------------------------------------------- the web exports (GLSL ES run as GLSL 3.30)
def desktop(source: str) -> str:
    assert source.startswith("#version 300 es\n")
    return "#version 330\n" + source[len("#version 300 es\n"):]


def draw_desktop(ctx, fragment, size, uniforms, weights=None):
    """A fragment shader over a size=(w, h) float target: (h, w, 3) float32, row 0 at the top."""
    w, h = size
    prog = ctx.program(vertex_shader=desktop(webgl.ShaderSource("web_fullscreen.vert").source),
                       fragment_shader=fragment)
    fbo = ctx.framebuffer(color_attachments=[ctx.texture((w, h), 4, dtype="f4")])
    vao = ctx.vertex_array(prog, [])
    tex = None
    try:
        if weights is not None:
            tex = ctx.texture(tuple(weights[1]), 4, weights[0], dtype="f4")
            tex.filter = (moderngl.NEAREST, moderngl.NEAREST)
            tex.use(0)
            prog["u_weights"] = 0
        for k, v in uniforms.items():
            if k in prog:
                prog[k] = v
        fbo.use()
        fbo.viewport = (0, 0, w, h)
        vao.render(moderngl.TRIANGLES, vertices=3)
        out = np.frombuffer(fbo.read(components=4, dtype="f4"), np.float32).reshape(h, w, 4)
    finally:
        park(ctx)
        texture = fbo.color_attachments[0]
        for obj in (vao, prog, fbo, texture, tex):
            if obj is not None:
                obj.release()
    return out[::-1, :, :3]


SHADERTOY_HEADER = ("#version 330\nuniform vec3 iResolution;\nuniform float iTime;\nuniform vec4 iMouse;\n"
                    "uniform int iFrame;\nout vec4 st_out;\n")
SHADERTOY_FOOTER = "\nvoid main() { mainImage(st_out, gl_FragCoord.xy); st_out.a = 1.0; }\n"


def test_the_page_and_shadertoy_draw_it_as_numpy_does(fresh, ctx):
    net, view = Network(seed=2, depth=3, width=8), View(19, 13)
    expected = colour.apply(reference.evaluate(net, view), "invert")
    spec = webgl.page_spec(Recipe(net, view, "invert"))
    assert "colour_invert" in spec["fragment"] and "COLOUR_RGB" not in spec["fragment"]   # only the mode in use
    page = draw_desktop(ctx, desktop(spec["fragment"]), view.size, {
        "u_view_center": view.center, "u_view_extent": view.extent, "u_canvas": view.size, "u_step": 1.0,
        "u_time": view.time}, (base64.b64decode(spec["weights"]), spec["texture"]))
    assert np.abs(page - expected).max() < TOL
    code = webgl.shadertoy_source(Recipe(net, view, "invert"))
    st = draw_desktop(ctx, SHADERTOY_HEADER + code + SHADERTOY_FOOTER, view.size, {
        "iResolution": (float(view.width), float(view.height), 1.0), "iTime": 0.0, "iMouse": (0.0,) * 4})
    assert np.abs(st - expected).max() < TOL


# ---------------------------------------------------------------- the CLI and the API on gl
def test_glnn_render_on_gl_and_the_api_write_it(fresh, cli, tmp_path):
    args = ["render", "--seed", "4", "--depth", "3", "--width", "7", "--size", "13x9", "--backend", "gl", "-q"]
    for mode in ("rgb", "invert"):
        status, _, err = cli(*args, "--color", mode, "--out", f"{mode}.png")
        assert status == 0, err
    rgb, inv = (np.asarray(Image.open(tmp_path / f"{m}.png").convert("RGB"), np.int16) for m in ("rgb", "invert"))
    assert rgb.std() > 1 and np.abs(inv - (255 - rgb)).max() <= 1
    recipe = read_recipe(tmp_path / "invert.png")
    assert (recipe.colour, recipe.backend) == ("invert", "gl")
    net = Network(seed=4, depth=3, width=7)
    img = glnn.render_image(net, size=(13, 9), backend="gl", colour="invert", engine=fresh)
    assert np.abs(np.asarray(img, np.int16) - inv).max() <= 1
    assert np.abs(np.asarray(img, np.int16) - colour.to_uint8(reference.evaluate(net, View(13, 9)), "invert")).max() <= 1
