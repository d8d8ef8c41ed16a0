"""The window's display (glnn/gl/display.py) on a real context: picture targets round-trip raw floats, a target
is shown through the colour stage, text panels keep their texture while their content stays, and everything
it made is released."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from glnn.model import colour
from glnn.app import hud
from glnn.gl.display import Display
from glnn.gl.resources import park


@pytest.fixture
def display(gl):
    d = Display(gl.device)
    yield d
    d.release()
    assert d.live() == 0


@pytest.fixture
def screen(ctx):
    fbo = ctx.framebuffer(color_attachments=[ctx.texture((40, 30), 4)])
    yield fbo
    park(ctx)
    texture = fbo.color_attachments[0]
    fbo.release()
    texture.release()


def shown(screen):
    w, h = screen.size
    return np.frombuffer(screen.read(components=4), np.uint8).reshape(h, w, 4)[::-1]   # row 0 at the top


def test_targets_round_trip_raw_floats_and_are_replaced_not_added(display):
    rng = np.random.default_rng(1)
    pic = rng.uniform(-3, 3, (30, 40, 3)).astype(np.float32)
    full = display.target("full", (40, 30))
    display.write(full, pic[:10], (0, 0))
    display.write(full, pic[10:], (0, 10))       # a band, at its rows
    assert np.array_equal(display.read(full, 3), pic)
    assert display.held("full") is full and display.held("draft") is None
    assert display.live() == 2                    # a framebuffer and its texture
    display.target("full", (41, 30))
    assert display.live() == 2


def test_show_puts_row_0_at_the_top_through_the_colour_mode(display, screen):
    pic = np.zeros((30, 40, 1), np.float32)
    pic[:15] = 1.0                                # the top half white
    target = display.target("full", (40, 30))
    display.write(target, pic, (0, 0))
    display.clear(screen, (40, 30))
    display.show(target, colour.IDS["gray"], (40, 30))
    rgba = shown(screen)
    assert (rgba[:15, :, :3] == 255).all() and (rgba[15:, :, :3] == 0).all() and (rgba[..., 3] == 255).all()


def test_panels_keep_their_texture_until_their_lines_change(display, screen):
    made = []

    def image(colour_):
        def make():
            made.append(colour_)
            return Image.new("RGBA", (12, 8), colour_)
        return make

    display.clear(screen, (40, 30))
    assert display.panel("hud", "a", image((255, 0, 0, 255)), 4, 2, (40, 30)) == (12, 8)
    assert display.panel("hud", "a", image((0, 255, 0, 255)), 4, 2, (40, 30)) == (12, 8)
    assert made == [(255, 0, 0, 255)] and display.live() == 1
    rgba = shown(screen)
    assert tuple(rgba[2, 4, :3]) == (255, 0, 0) and tuple(rgba[10, 4, :3]) == (0, 0, 0)   # at (x, y), y down
    display.panel("hud", "b", image((0, 0, 255, 255)), 4, 2, (40, 30))
    assert len(made) == 2 and display.live() == 1   # replaced, not added
    hud.columns(display, [("k", "a key")] * 9, 0, 0, (40, 30))   # 30 pixels high: 4 lines a column, 3 columns
    assert display.live() == 4
