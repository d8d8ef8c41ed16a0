"""The window's schedule with an injected clock: a slow backend (its time charged to the fake clock per pixel) is
refined band by band, each frame answering input within 100 ms, the whole picture within 1.5x of rendering it
at once, and the sharp rows replace the draft as they finish."""
import numpy as np
import pytest

from glnn import Engine, Network
from glnn.app.controls import ViewerState
from glnn.gl.resources import park
from glnn.app.viewer import ViewerApp

COST = 2e-6            # fake seconds per pixel: an 800x800 picture takes 1.28 s at once
OVERHEAD = 0.012       # fake seconds of each frame besides its step (painting, the HUD, the swap)


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


class Slow:
    """The cpu backend with its time charged to the fake clock."""
    def __init__(self, inner, clock):
        self.inner, self.clock = inner, clock

    def render(self, net, view, rect=None, out=None):
        w, h = (view.width, view.height) if rect is None else rect[2:]
        self.clock.t += COST * w * h
        return self.inner.render(net, view, rect, out)

    def __getattr__(self, name):
        return getattr(self.inner, name)


@pytest.fixture
def slow_app(ctx, tmp_path):
    engine = Engine(ctx=ctx)
    clock = Clock()
    app = ViewerApp(ViewerState(net=Network(seed=1, depth=6, width=12)), engine, "cpu", tmp_path,
                    log=lambda m: None, clock=clock)
    app.backend = Slow(app.backend, clock)
    yield app, clock
    app.close()
    engine.close()


def run_frame(app, clock, size, screen):
    """One loop iteration as the window runs it; returns its fake seconds."""
    t0 = clock.t
    app.frame(clock.t, size, screen)
    clock.t += OVERHEAD
    return clock.t - t0


def shown(screen, size):
    return np.frombuffer(screen.read(components=3), np.uint8).reshape(size[1], size[0], 3)[::-1].astype(int)


def test_refines_in_bands_within_the_schedule(slow_app, ctx):
    app, clock = slow_app
    size = (800, 800)
    screen = ctx.framebuffer(color_attachments=[ctx.texture(size, 4)])
    app.state.show_hud = False
    for _ in range(300):                      # the first picture: its speed is learned
        run_frame(app, clock, size, screen)
        if not app.scheduler.refining:
            break
    app.key("R")
    start, frames, bands, compared = clock.t, [], 0, False
    for _ in range(1000):
        frames.append(run_frame(app, clock, size, screen))
        sch = app.scheduler
        if sch.refining and sch.rows_done:
            bands += 1
            if not compared and 100 < sch.rows_done < 700:   # sharp rows above, the draft below
                full = app.display.read(app.display.target("full", size), 3)[:sch.rows_done]
                want = np.rint(np.clip(full, 0, 1) * 255)
                got = shown(screen, size)
                assert np.abs(got[:sch.rows_done] - want).max() <= 1
                compared = True
        if not sch.refining:
            break
    total = clock.t - start
    at_once = COST * size[0] * size[1]
    assert app.scheduler.shown == "full" and compared and bands > 5
    assert max(frames) < 0.1, max(frames)                  # every frame answers input within 100 ms
    assert total < 1.5 * at_once, (total, at_once)
    # a key in the middle of refining is answered by the next frame
    app.key("R")
    run_frame(app, clock, size, screen)
    run_frame(app, clock, size, screen)
    seed = app.state.net.seed
    app.key("R")
    assert run_frame(app, clock, size, screen) < 0.1 and app.state.net.seed == seed + 1
    park(ctx)
    texture = screen.color_attachments[0]
    screen.release()
    texture.release()


def test_colour_key_passes_modes_that_show_black(ctx, tmp_path):
    """m from rgb on a network whose third output is near 0 everywhere: hsv and hsl (value, lightness: output 3)
    would show black, so m lands on the next mode that shows something, and says so."""
    from glnn import Network as Net
    from glnn.model.network import Layer

    base = Net(seed=1, depth=3, width=8)
    last = base.layers[-1]
    W, b = last.W.copy(), last.b.copy()
    W[2] = 0.0
    b[2] = -20.0                                   # output 3 = sigmoid(-20): black as a value or lightness
    layers = tuple(base.layers[:-1]) + (Layer(W, b, last.activation),)
    net = base.replace(loaded_layers=layers, loaded_time=tuple(tuple(float(v) for v in a) for a in base.time_params()))
    engine = Engine(ctx=ctx)
    said = []
    app = ViewerApp(ViewerState(net=net), engine, "cpu", tmp_path, log=said.append, clock=lambda: 0.0)
    size = (64, 48)
    screen = ctx.framebuffer(color_attachments=[ctx.texture(size, 4)])
    app.frame(0.0, size, screen)
    app.picture()
    assert app.state.colour_mode == "rgb"
    app.key("M")
    app.frame(1.0, size, screen)
    assert app.state.colour_mode == "red" and "hsv, hsl skipped" in said[-1]
    park(ctx)
    texture = screen.color_attachments[0]
    screen.release()
    texture.release()
    app.close()
    engine.close()
