"""A throwaway colour mode (one row added to glnn/model/colour.py's TABLE in the test only: monkeypatch, no module
state) is taken by the CLI (in-process: render, its recipe, info, export, the help), the API, the window's colour
keys and the generated GLSL. No GL here (its GLSL drawn on a real context: tests/gl/test_registry_colour_mode_gl.py).

glnn.model.colour derives BY_NAME, NAMES and IDS from TABLE at import, so adding a row means patching all four (as
add_colour_mode does); every consumer reads them through the module at call time (`colours.NAMES`, ...), so
patching the module is enough."""
import json

import numpy as np
import pytest
from PIL import Image

import glnn
from glnn.model import colour
from glnn.app import controls
from glnn.rendering import engine as engine_module
from glnn.errors import GLUnavailable, GlnnError
from glnn.model.network import Network
from glnn.io.recipe import read_recipe
from throwaway_colour import INVERT, add_colour_mode


@pytest.fixture
def cpu_engine(monkeypatch):
    """A fresh engine without GL standing in for the CLI's and the API's default engine."""
    def fail():
        raise GLUnavailable("no GL in the unit tier")
    monkeypatch.setattr(engine_module, "create_offscreen_context", fail)
    e = engine_module.Engine(cache_dir=False, log=lambda m: None, measure=lambda backend, net, view: 1.0)
    monkeypatch.setattr(engine_module, "default_engine", lambda: e)
    yield e
    e.close()


@pytest.fixture
def invert(monkeypatch):
    add_colour_mode(monkeypatch, INVERT)
    return INVERT


RENDER = ["render", "--seed", "4", "--depth", "3", "--width", "7", "--size", "13x9", "--backend", "cpu", "-q"]


def pixels(path):
    return np.asarray(Image.open(path).convert("RGB"), np.int16)


def test_the_row_is_applied_like_every_other(invert):
    raw = np.random.default_rng(1).uniform(-0.5, 1.5, (5, 7, 3)).astype(np.float32)
    got = colour.apply(raw, "invert")
    assert got.dtype == np.float32 and got.shape == (5, 7, 3)
    np.testing.assert_allclose(got, 1.0 - np.clip(raw, 0.0, 1.0), atol=1e-7)   # clamped after the row's function
    assert colour.mode_for(3, "invert") is INVERT
    with pytest.raises(GlnnError, match="colour mode 'invert' reads 3 output"):
        colour.mode_for(1, "invert")
    # the generated GLSL: its id, its function, its branch (all modes), and alone (the web exports)
    src = colour.glsl_source()
    assert f"#define COLOUR_INVERT {colour.IDS['invert']}" in src and colour.IDS["invert"] == len(colour.TABLE) - 1
    assert "vec3 colour_invert(vec4 v) {\n    return 1.0 - v.rgb;\n}" in src
    assert "if (mode == COLOUR_INVERT) return clamp(colour_invert(v), 0.0, 1.0);" in src
    alone = colour.glsl_source(only="invert")
    assert "COLOUR_INVERT" in alone and "colour_invert" in alone and "COLOUR_RGB" not in alone


def test_the_cli_renders_it_and_its_recipe_reads_back(invert, cpu_engine, cli, tmp_path):
    status, _, err = cli(*RENDER, "--out", "rgb.png")
    assert status == 0, err
    status, _, err = cli(*RENDER, "--color", "invert", "--out", "invert.png")
    assert status == 0, err
    rgb, inv = pixels(tmp_path / "rgb.png"), pixels(tmp_path / "invert.png")
    assert rgb.shape == inv.shape == (9, 13, 3) and rgb.std() > 1   # a picture, not a flat field
    assert np.abs(inv - (255 - rgb)).max() <= 1
    # the recipe carries it; info reads it back (text and JSON); the command it writes has the flag
    recipe = read_recipe(tmp_path / "invert.png")
    assert recipe.colour == "invert" and "--color invert" in recipe.command()
    status, out, err = cli("info", "invert.png")
    assert status == 0, err
    assert "colour invert;" in out and "--color invert" in out
    status, out, err = cli("info", "invert.png", "--json")
    assert status == 0, err
    assert json.loads(out)["colour"] == "invert"
    # the recipe's command renders the same picture again (--from: the recipe is the base)
    status, _, err = cli("render", "--from", "invert.png", "--out", "again.png", "-q")
    assert status == 0, err
    assert np.array_equal(pixels(tmp_path / "again.png"), inv)
    assert read_recipe(tmp_path / "again.png").colour == "invert"
    # the help lists it with its description; a network with one output is refused it in one line
    status, out, _ = cli("render", "--help")
    assert status == 0 and "invert: outputs 1-3 as red, green, blue, inverted" in " ".join(out.split())
    status, _, err = cli(*RENDER, "--color", "invert", "--channels", "1", "--out", "gray.png")
    assert status == 2 and "colour mode 'invert' reads 3 output(s)" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "gray.png").exists()


def test_the_page_export_takes_it(invert, cpu_engine, cli, tmp_path):
    status, _, err = cli("export", "page.html", "--color", "invert", "--depth", "3", "--width", "6", "-q")
    assert status == 0, err
    text = (tmp_path / "page.html").read_text()
    assert "COLOUR_INVERT" in text and "colour_invert" in text and "1.0 - v.rgb" in text
    status, _, err = cli("export", "net.glsl", "--color", "invert", "--depth", "3", "--width", "6", "-q")
    assert status == 0, err
    assert "colour_invert" in (tmp_path / "net.glsl").read_text()


def test_the_api_takes_it(invert, cpu_engine):
    net = Network(seed=4, depth=3, width=7)
    raw = glnn.render(net, size=(13, 9), backend="cpu", engine=cpu_engine)
    rgb = np.asarray(glnn.render_image(net, size=(13, 9), backend="cpu", engine=cpu_engine), np.int16)
    img = glnn.render_image(net, size=(13, 9), backend="cpu", colour="invert", engine=cpu_engine)
    assert img.mode == "RGB" and img.size == (13, 9)
    inv = np.asarray(img, np.int16)
    assert np.abs(inv - (255 - rgb)).max() <= 1
    assert np.array_equal(inv, colour.to_uint8(raw, "invert"))
    with pytest.raises(GlnnError, match="reads 3 output"):
        glnn.render_image(Network(depth=2, channels=1), size=(4, 4), backend="cpu", colour="invert",
                          engine=cpu_engine)


def test_the_window_cycles_into_it(invert):
    s = controls.ViewerState(net=Network(channels=3), colour="blue")   # the last 3-output mode before it
    controls.apply(s, "next_colour")
    assert s.colour_mode == "invert"
    controls.apply(s, "next_colour")
    assert s.colour_mode == "rgb"   # and around
    gray = controls.ViewerState(net=Network(channels=1), colour="invert")
    assert gray.colour_mode == "gray"   # a mode that does not fit the channels is not shown


def test_without_the_row_it_is_refused(cpu_engine, cli, tmp_path):
    status, _, err = cli(*RENDER, "--color", "invert", "--out", "x.png")
    assert status == 2 and "invalid choice: 'invert'" in err
    with pytest.raises(GlnnError, match="unknown colour mode 'invert'"):
        colour.apply(np.zeros((2, 2, 3), np.float32), "invert")
    assert "COLOUR_INVERT" not in colour.glsl_source()
