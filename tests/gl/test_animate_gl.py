"""glnn animate rendering: frames match stills, loops are seamless, formats read back, failures leave no file."""
import math

import numpy as np
import pytest
from PIL import Image

from glnn import Network, View
from glnn.explore import animate as anim
from glnn.errors import GlnnError
from glnn.model.colour import to_uint8
from glnn.io.files import current_umask
from glnn import render_view


def gif_frames(path):
    im = Image.open(path)
    out = []
    for i in range(im.n_frames):
        im.seek(i)
        out.append(np.asarray(im.convert("RGB")).astype(int))
    return out


def test_gif_frames_first_matches_still_and_frames_differ(tmp_path):
    net = Network(seed=3, depth=6, width=12)
    out = tmp_path / "a.gif"
    n = anim.animate(net, out, ["scale:0.4:0.8"], size=(48, 40), n_frames=5)
    assert n == 5
    frames = gif_frames(out)
    assert len(frames) == 5 and frames[0].shape == (40, 48, 3)
    still = to_uint8(render_view(net.replace(scale=0.4), View(48, 40))).astype(int)
    assert np.abs(frames[0] - still).mean() < 3        # GIF palette + dither: close, not exact
    assert all(np.abs(a - b).mean() > 0.5 for a, b in zip(frames, frames[1:]))


def test_time_loop_is_seamless():
    net = Network(seed=2, depth=6, width=10, inputs=7, scale=0.7)
    view = View(24, 24)
    sweep = [anim.Sweep("time", 0.0, 2 * math.pi)]
    fr = list(anim.frames(net, view, sweep, 12))
    step = [np.abs(a - b).max() for a, b in zip(fr, fr[1:])]
    wrap = np.abs(fr[-1] - fr[0]).max()
    assert wrap <= 1.5 * max(step) and wrap > 0     # last -> first is a step like the others
    after_last = render_view(net, view.replace(time=2 * math.pi))
    assert np.abs(after_last - fr[0]).max() < 1e-4


@pytest.mark.parametrize("ext", [".gif", ".webp", ".png"])
def test_formats_read_back(tmp_path, ext):
    out = tmp_path / f"a{ext}"
    anim.animate(Network(seed=1, depth=4, width=8), out, ["extent:2:0.5", "center:0,0:0.5,0.5"], size=(32, 32),
                 n_frames=4)
    im = Image.open(out)
    assert im.n_frames == 4 and im.size == (32, 32)
    assert out.stat().st_mode & 0o777 == 0o666 & ~current_umask()   # a finished file, not mkstemp's 0600


def test_gray_gif_and_depth_hold(tmp_path):
    out = tmp_path / "g.gif"
    n = anim.animate(Network(seed=1, depth=2, width=8, channels=1), out, ["depth:2:4"], size=(16, 16), n_frames=6,
                     fps=10)
    assert n == 6
    im = Image.open(out)
    # depths 2, 2, 3, 3, 4, 4: each held frame is rendered once and the GIF merges the repeats into
    # 3 frames of twice the duration
    assert im.n_frames == 3
    durations = []
    for i in range(3):
        im.seek(i)
        durations.append(im.info["duration"])
    assert durations == [200, 200, 200]


def test_mp4_without_extra_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "imageio_ffmpeg", None)  # as if not installed
    with pytest.raises(GlnnError, match=r"glnn\[mp4\]"):
        anim.animate(Network(depth=2), tmp_path / "a.mp4", ["scale:0.4:0.8"], size=(8, 8), n_frames=2)
    assert list(tmp_path.iterdir()) == []
