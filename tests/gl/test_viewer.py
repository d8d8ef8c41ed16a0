"""The viewer app without a display: the same code the window runs, on the test engine's EGL context, drawing
into an offscreen framebuffer, with a fake clock."""
import numpy as np
import pytest
from PIL import Image

from glnn import Engine, Network
from glnn.model import colour
from glnn.app.controls import ViewerState
from glnn.gl.resources import park
from glnn.io.recipe import read_recipe
from glnn.app.viewer import ViewerApp


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


@pytest.fixture(params=["gl", "cpu"])
def app(request, ctx, tmp_path):
    engine = Engine(ctx=ctx)   # the session's cache: its fixed auto choice, nothing measured
    clock = Clock()
    a = ViewerApp(ViewerState(net=Network(seed=1, depth=4, width=8)), engine, request.param, tmp_path,
                  log=lambda m: None, clock=clock)
    a.clock_ = clock
    yield a
    a.close()
    engine.close()


def screen_of(ctx, size):
    return ctx.framebuffer(color_attachments=[ctx.texture(size, 4)])


def drop(ctx, screen):
    park(ctx)   # never release the bound framebuffer (glnn.gl.resources.park)
    texture = screen.color_attachments[0]
    screen.release()
    texture.release()


def shown(screen, size):
    return np.frombuffer(screen.read(components=3), np.uint8).reshape(size[1], size[0], 3)[::-1]


def test_picture_equals_the_engine_render_and_the_screen_shows_it(app, ctx):
    size = (48, 32)
    screen = screen_of(ctx, size)
    app.state.show_hud = False
    app.frame(0.0, size, screen)
    pic = app.picture()
    ref = app.engine.render(app.state.net, app.state.view(*size), "numpy")
    assert pic.shape == (32, 48, 3) and np.abs(pic - ref).max() < 1e-4
    app.draw(screen)
    expected = np.rint(np.clip(ref, 0, 1) * 255)
    assert np.abs(shown(screen, size).astype(int) - expected).max() <= 1
    drop(ctx, screen)


def test_draft_first_then_full_rows(app, ctx):
    size = (120, 90)
    screen = screen_of(ctx, size)
    app.frame(0.0, size, screen)
    assert app.scheduler.shown in ("draft", "full")
    app.key("R")
    app.frame(0.01, size, screen)
    if app.scheduler.shown == "draft":
        assert "draft" in app.hud_lines()[1]
    for i in range(200):
        app.clock_.t = 1.0 + i
        app.frame(1.0 + i, size, screen)
        if not app.scheduler.refining:
            break
    assert app.scheduler.shown == "full" and "full" in app.hud_lines()[1]
    assert app.state.net.seed == 2
    drop(ctx, screen)


def test_fifty_resizes_leave_no_gl_objects_behind(app, ctx):
    app.state.show_help = True
    counts = []
    for i in range(50):
        size = (40 + 3 * i, 30 + 2 * (i % 7))
        screen = screen_of(ctx, size)
        app.frame(float(i), size, screen)
        app.picture()
        drop(ctx, screen)
        counts.append(app.live_objects())
    assert counts[-1] == counts[5] and max(counts) <= counts[5] + 2, counts


def test_keys_requests_and_mouse(app, ctx, tmp_path):
    size = (64, 48)
    screen = screen_of(ctx, size)
    app.frame(0.0, size, screen)
    for key in ("UP", "RIGHT_BRACKET", "S", "N"):
        app.key(key)
    app.key("EQUAL", shift=True)
    app.frame(0.1, size, screen)
    assert app.state.net.depth == 5 and app.state.extent < 1
    shots = sorted(tmp_path.glob("glnn-seed1-5x8-*.png"))
    assert len(shots) == 1 and Image.open(shots[0]).size == size
    recipe = read_recipe(shots[0])   # the screenshot carries its recipe: network, view, backend
    assert recipe.network.depth == 5 and recipe.view.size == size and recipe.backend == app.backend.name
    assert recipe.view.extent == app.state.extent and recipe.view.center == app.state.center
    saved = Network.load(next(tmp_path.glob("glnn-seed1-5x8-*.npz")))
    assert saved.depth == 5
    center = app.state.center
    app.move(10, 10)
    app.press()
    app.move(42, 10)   # drag right by half the width: the picture follows
    app.release()
    assert app.state.center[0] < center[0]
    app.key("Q")
    app.frame(0.2, size, screen)
    assert app.should_close
    drop(ctx, screen)


def test_colour_mode_is_shown_and_saved(app, ctx, tmp_path):
    size = (40, 30)
    screen = screen_of(ctx, size)
    app.state.show_hud = False
    app.key("C")   # one channel
    for _ in range(2):
        app.key("M")   # gray -> palette:viridis -> palette:magma
    app.frame(0.0, size, screen)
    assert app.state.colour_mode == "palette:magma" and "1ch palette:magma" in app.hud_lines()[0]
    pic = app.picture()
    app.draw(screen)
    expected = np.rint(colour.apply(pic, "palette:magma") * 255)
    assert np.abs(shown(screen, size).astype(int) - expected).max() <= 1
    app.key("S", shift=True)   # the 4x screenshot
    app.frame(0.1, size, screen)
    shot = next(tmp_path.glob("glnn-4x-*.png"))
    assert read_recipe(shot).colour == "palette:magma" and Image.open(shot).size == (160, 120)
    drop(ctx, screen)


def test_hud_tells_the_picture_time_progress_and_notices(app, ctx, tmp_path):
    size = (64, 48)
    screen = screen_of(ctx, size)
    app.frame(0.0, size, screen)
    app.key("T")                         # two inputs: time cannot play, and the window says why
    app.frame(0.1, size, screen)
    assert not app.state.playing and "extra inputs" in app.hud_lines()[-1]
    app.key("S")
    app.frame(0.2, size, screen)
    assert app.hud_lines()[-1].startswith("screenshot: ")
    app.picture()
    assert "picture" in app.hud_lines()[1] and "(full)" in app.hud_lines()[1]
    app.frame(10.0, size, screen)         # notices fade
    assert len(app.hud_lines()) == 2
    app.state.center = (0.25, -0.5)
    assert "centre 0.25,-0.5" in app.hud_lines()[0]
    # while refining, the HUD shows how far
    app.scheduler.key, app.scheduler.size, app.scheduler.rows_done = "x", (64, 48), 12
    assert "refining 25 %" in app.hud_lines()[1]
    drop(ctx, screen)


def test_probe_keys_show_the_hidden_units(app, ctx, tmp_path):
    from glnn.model import probe
    from glnn.rendering import probes

    size = (40, 30)
    screen = screen_of(ctx, size)
    app.state.show_hud = False
    app.key("P")   # units of layer 1
    app.key("L")   # layer 2
    app.frame(0.0, size, screen)
    assert app.state.probe_text == "units:2" and "probe units:2" in app.hud_lines()[0]
    want = probes.probe_picture(probe.parse_probe("units:2", app.state.net), app.state.net,
                                app.state.view(*size), app.engine.backend("numpy"))
    assert np.abs(app.picture() - want).max() < 1e-4
    for _ in range(2):
        app.key("L")   # never past the last hidden layer
    app.key("P")       # regions
    app.frame(0.1, size, screen)
    assert app.state.probe_text == "regions" and app.state.probe_layer == 3
    rgb, _ = probes.regions(app.state.net, app.state.view(*size), app.engine.backend("numpy"))
    assert (np.abs(app.picture() - rgb).max(axis=2) > 1e-3).mean() < 0.02
    app.draw(screen)
    assert np.abs(shown(screen, size).astype(int) - np.rint(app.picture() * 255)).max() <= 1
    app.key("S")
    app.frame(0.2, size, screen)
    shot = next(tmp_path.glob("glnn-seed*.png"))
    assert read_recipe(shot).probe == "regions" and read_recipe(shot).colour == "rgb"
    app.key("P")
    app.key("P")       # saturation, then off
    app.frame(0.3, size, screen)
    assert app.state.probe_text is None and app.picture().shape == (30, 40, 3)
    drop(ctx, screen)


def test_feature_key_shows_the_new_inputs_and_screenshots_carry_them(app, ctx, tmp_path):
    size = (40, 30)
    screen = screen_of(ctx, size)
    app.state.show_hud = False
    app.frame(0.0, size, screen)
    before = app.picture()
    for _ in range(2):   # x,y -> x,y,r -> x,y,r,bias
        app.key("X")
    app.frame(0.1, size, screen)
    assert app.state.net.features == "x,y,r,bias" and "inputs x,y,r,bias" in app.hud_lines()[0]
    pic = app.picture()
    ref = app.engine.render(app.state.net, app.state.view(*size), "numpy")
    assert np.abs(pic - ref).max() < 1e-4 and np.abs(pic - before).max() > 0.01
    app.key("S")
    app.frame(0.2, size, screen)
    shot = next(tmp_path.glob("glnn-seed1-*.png"))
    assert read_recipe(shot).network.features == "x,y,r,bias"
    drop(ctx, screen)


def test_k_shows_the_breed_grid_and_a_digit_picks_a_child(app, ctx):
    from glnn.app import controls
    from glnn.app.viewer import grid_tiles
    from glnn.model.view import View

    size = (68, 56)   # tiles 20 x 16 with 2-pixel gutters
    screen = screen_of(ctx, size)
    app.state.show_hud = False   # no HUD, no tile labels: the screen is the tiles
    parent = app.state.net
    app.frame(0.0, size, screen)
    app.key("K")
    app.frame(0.1, size, screen)
    assert app.state.breeding and app.busy   # a tile a frame
    for i in range(20):
        app.frame(0.2 + i, size, screen)
    assert not app.busy
    seeds = controls.child_seeds(parent)
    tiles = grid_tiles(size)
    assert len(tiles) == 9 and tiles[4] == (2 + 20 + 2, 2 + 16 + 2, 20, 16)
    pic = app.grid_picture()
    app.draw(screen)
    got = shown(screen, size).astype(int)
    for k, (x, y, w, h) in enumerate(tiles):
        child = parent.child(seeds[k], controls.BREED_STRENGTH)
        ref = app.engine.render(child, View(w, h, app.state.center, app.state.extent, app.state.time), "numpy")
        assert np.abs(pic[y:y + h, x:x + w] - ref).max() < 1e-4, k
        assert np.abs(got[y:y + h, x:x + w] - np.rint(np.clip(ref, 0, 1) * 255)).max() <= 2, k
    assert got[0].max() == 0 and got[:, tiles[1][0] - 1].max() == 0   # black gutters
    assert "breed: pick 1-9" in app.hud_lines()[-1]
    app.key("5")   # child 5 becomes the network; the grid shows its children
    app.frame(30.0, size, screen)
    assert app.state.net == parent.child(seeds[4], controls.BREED_STRENGTH) and app.state.breeding
    child5 = app.grid_picture()
    assert np.abs(child5 - pic).max() > 0.01
    app.key("B", shift=True)   # back to the parent: its grid again
    app.frame(31.0, size, screen)
    assert app.state.net == parent and np.abs(app.grid_picture() - pic).max() < 1e-6
    big = (200, 170)           # tiles big enough for their keys' labels (with the HUD)
    app.state.show_hud = True
    big_screen = screen_of(ctx, big)
    app.frame(31.5, big, big_screen)
    panels = app.display.live()
    app.frame(31.6, big, big_screen)
    assert app.display.live() == panels and app.hud_lines()[-1].startswith("breed: pick 1-9")
    drop(ctx, big_screen)
    app.state.show_hud = False
    app.key("ESCAPE")          # Esc closes the grid (the window stays): the parent's picture again
    app.frame(32.0, size, screen)
    assert not app.state.breeding and not app.should_close
    ref = app.engine.render(parent, app.state.view(*size), "numpy")
    assert np.abs(app.picture() - ref).max() < 1e-4
    app.draw(screen)
    assert np.abs(shown(screen, size).astype(int) - np.rint(np.clip(ref, 0, 1) * 255)).max() <= 1
    drop(ctx, screen)
