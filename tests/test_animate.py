"""glnn animate: sweeps, frame counts, loops, formats, progress, failures leave no file."""
import math

import numpy as np
import pytest
from PIL import Image

from glnn import Network, View, animate as anim
from glnn.errors import GlnnError
from glnn.animation_writer import AnimationWriter
from glnn.colour import to_uint8
from glnn.files import current_umask
from glnn import render_view


def gif_frames(path):
    im = Image.open(path)
    out = []
    for i in range(im.n_frames):
        im.seek(i)
        out.append(np.asarray(im.convert("RGB")).astype(int))
    return out


def test_parse_sweeps():
    assert anim.parse_sweep("scale:0.4:0.8") == anim.Sweep("scale", 0.4, 0.8)
    assert anim.parse_sweep("center:0,0:1,-2") == anim.Sweep("center", (0.0, 0.0), (1.0, -2.0))
    assert anim.parse_sweep("bias-scale:1:0").param == "bias_scale"
    for bad, msg in [("foo:1:2", "unknown parameter"), ("scale:a:2", "not a number"), ("scale:1", "PARAM:FROM:TO"),
                     ("extent:0:1", "greater than 0"), ("depth:1.5:3", "whole numbers"), ("depth:1:99", "whole numbers"),
                     ("center:1:2", "X,Y"), ("scale:-1:1", "negative"), ("time:0:inf", "not finite")]:
        with pytest.raises(GlnnError, match=msg):
            anim.parse_sweep(bad)


def test_positions_endpoints_loops_ease_pingpong():
    lin = anim.frame_positions(5, anim.Sweep("scale", 0, 1))
    assert lin == [0, 0.25, 0.5, 0.75, 1.0]
    loop = anim.frame_positions(4, anim.Sweep("time", 0, 2 * math.pi))
    assert loop == [0, 0.25, 0.5, 0.75]             # the frame after the last is the first
    assert anim.frame_positions(4, anim.Sweep("time", 0, 3.0))[-1] == 1.0
    smooth = anim.frame_positions(5, anim.Sweep("scale", 0, 1), ease="smooth")
    assert smooth[0] == 0 and smooth[-1] == 1 and smooth[1] < 0.25
    pp = anim.frame_positions(4, anim.Sweep("scale", 0, 1), pingpong=True)
    assert pp == pytest.approx([0, 1 / 3, 2 / 3, 1, 2 / 3, 1 / 3])
    with pytest.raises(GlnnError, match="at least 1"):
        anim.frame_positions(0, anim.Sweep("scale", 0, 1))


def test_extent_is_geometric_and_depth_whole_layers():
    s = anim.Sweep("extent", 40.0, 0.3125)
    assert s.value(0.5) == pytest.approx(math.sqrt(40 * 0.3125))
    d = anim.frame_settings([anim.Sweep("depth", 1, 4)], 7)
    depths = [f["depth"] for f in d]
    assert depths[0] == 1 and depths[-1] == 4 and set(depths) == {1, 2, 3, 4}
    assert depths == sorted(depths) and all(isinstance(x, int) for x in depths)


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


def test_mp4_frames_read_back(tmp_path):
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg", reason="the test extra installs imageio-ffmpeg")
    out = tmp_path / "a.mp4"
    anim.animate(Network(seed=1, depth=4, width=8), out, ["scale:0.4:0.9"], size=(33, 20), n_frames=6, fps=12)
    reader = imageio_ffmpeg.read_frames(str(out))
    meta = next(reader)
    assert meta["size"] == (34, 20) and meta["fps"] == 12   # padded to even sizes for yuv420p
    assert sum(1 for _ in reader) == 6


def test_mp4_without_extra_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "imageio_ffmpeg", None)  # as if not installed
    with pytest.raises(GlnnError, match=r"glnn\[mp4\]"):
        anim.animate(Network(depth=2), tmp_path / "a.mp4", ["scale:0.4:0.8"], size=(8, 8), n_frames=2)
    assert list(tmp_path.iterdir()) == []


def test_failure_mid_animation_leaves_no_file(tmp_path):
    out = tmp_path / "x.gif"
    out.write_bytes(b"old")

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with AnimationWriter(out, 10) as w:
            w.add(np.zeros((8, 8, 3), np.float32))
            raise Boom()
    assert out.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["x.gif"]


def test_progress_bar(capsys):
    import io

    buf = io.StringIO()
    p = anim.Progress(3, "frames", enabled=True, stream=buf)
    for _ in range(3):
        p.step()
    p.close()
    assert "frames 3/3" in buf.getvalue() and "/s" in buf.getvalue() and "left" in buf.getvalue()


BAD = [
    (["--sweep", "foo:1:2"], "unknown parameter"), (["--sweep", "scale:a:1"], "not a number"),
    (["--frames", "0"], "at least 1"), (["--out", "a.avi"], "unknown format"), ([], "at least one --sweep"),
    (["--sweep", "scale:0:1", "--sweep", "scale:1:2"], "given twice"), (["--fps", "0"], "--fps"),
]


@pytest.mark.parametrize("args,msg", BAD, ids=[" ".join(a) or "no-sweep" for a, _ in BAD])
def test_cli_bad_input(run_glnn, tmp_path, args, msg):
    sweep = [] if any(a == "--sweep" for a in args) or not args or args == [] else ["--sweep", "scale:0.4:0.8"]
    r = run_glnn("animate", "--size", "8x8", "--frames", 2, *sweep, *args, "--out", "a.gif") if "--out" not in args \
        else run_glnn("animate", "--size", "8x8", "--sweep", "scale:0.4:0.8", *args)
    assert r.returncode == 2, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and msg in r.stderr, r.stderr
    assert not any(p.suffix in (".gif", ".avi") for p in tmp_path.iterdir())


def test_cli_animate_quiet_when_not_a_terminal(run_glnn, tmp_path):
    r = run_glnn("animate", "--seed", 3, "--depth", 5, "--width", 10, "--sweep", "scale:0.4:0.8", "--frames", 3,
                 "--size", "24x24", "--out", "a.gif")
    assert r.returncode == 0, r.stderr
    assert "frames 1/3" not in r.stderr and "wrote a.gif (3 frames" in r.stderr
    assert Image.open(tmp_path / "a.gif").n_frames == 3
