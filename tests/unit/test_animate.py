"""glnn animate: sweeps, frame counts, loops, formats, progress, failures leave no file."""
import math

import numpy as np
import pytest

from cli_checks import one_line_error
from glnn.explore import animate as anim
from glnn.errors import GlnnError
from glnn.io.animation_writer import AnimationWriter


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
    (["--frames", "0"], "from 1 to 100000"), (["--out", "a.avi"], "unknown format"), ([], "at least one --sweep"),
    (["--sweep", "scale:0:1", "--sweep", "scale:1:2"], "given twice"), (["--fps", "0"], "--fps"),
]


@pytest.mark.parametrize("args,msg", BAD, ids=[" ".join(a) or "no-sweep" for a, _ in BAD])
def test_cli_bad_input(cli, tmp_path, args, msg):
    sweep = [] if any(a == "--sweep" for a in args) or not args else ["--sweep", "scale:0.4:0.8"]
    if "--out" not in args:
        status, _, err = cli("animate", "--size", "8x8", "--frames", 2, *sweep, *args, "--out", "a.gif")
    else:
        status, _, err = cli("animate", "--size", "8x8", "--sweep", "scale:0.4:0.8", *args)
    one_line_error(status, err, msg)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("sweep,message", [("seed:3", "two different seeds"), ("seed:3:3", "two different seeds"),
                                           ("seed:3:x", "not a seed")])
def test_bad_seed_sweeps(cli, tmp_path, sweep, message):
    status, _, err = cli("animate", "--sweep", sweep, "--out", "a.gif")
    one_line_error(status, err, message)
    assert list(tmp_path.iterdir()) == []
