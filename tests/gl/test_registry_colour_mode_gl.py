"""A throwaway colour mode on a real GL context: one row added to glnn/model/colour.py's TABLE in the test only
(monkeypatch: no module state), and the GLSL generated from the table (the window's display.frag, the web
page's and Shadertoy's colour stage) draws it as its numpy function does; `glnn render --backend gl` and the API
on gl write it. Each test makes its own engine on the session's context: programs are cached by file names and
defines, not by the generated text, so the session's display.frag (compiled from the table without the row)
must not be reused. (The same without GL: tests/unit/test_registry_colour_mode.py.)"""

import numpy as np
import pytest
from PIL import Image

import glnn
from glnn.model import colour
from glnn.rendering import engine as engine_module
from glnn.web import webgl
from glnn.backends import reference
from glnn.gl.display import Display
from glnn.gl.resources import park
from glnn.model.network import Network
from glnn.io.recipe import Recipe, read_recipe
from glnn.model.view import View
from web_harness import page_desktop, shadertoy_desktop
from throwaway_colour import INVERT, add_colour_mode

TOL = 2e-4   # float32 in a shader against the float64 reference, well-scaled networks


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
def test_the_page_and_shadertoy_draw_it_as_numpy_does(fresh, ctx):
    net, view = Network(seed=2, depth=3, width=8), View(19, 13)
    expected = colour.apply(reference.evaluate(net, view), "invert")
    spec = webgl.page_spec(Recipe(net, view, "invert"))
    assert "colour_invert" in spec["fragment"] and "COLOUR_RGB" not in spec["fragment"]   # only the mode in use
    assert np.abs(page_desktop(ctx, net, view, "invert") - expected).max() < TOL
    assert np.abs(shadertoy_desktop(ctx, net, view, "invert") - expected).max() < TOL


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
