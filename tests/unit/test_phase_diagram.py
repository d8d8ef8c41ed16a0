"""glnn phase: the (sigma_w, sigma_b) plane, its edge of chaos and its marks (glnn/explore/phase_diagram.py)."""
import math

import numpy as np
import pytest
from PIL import Image

from glnn.explore import phase_diagram
from glnn.model import theory


def test_cells_have_their_sigmas():
    for init in ("uniform", "normal", "he", "glorot"):
        plane = phase_diagram.plan("tanh", width=40, depth=3, init=init, cols=3, rows=2, sigma_w=3.0, sigma_b=1.0)
        sw, sb = plane.cell_sigmas(1)   # top row, middle column
        assert (sw, sb) == pytest.approx((1.5, 0.75))
        net = plane.network(sw, sb)
        assert phase_diagram.sigmas(net) == pytest.approx((sw, sb), rel=1e-5)


def test_the_edge_and_the_marks():
    plane = phase_diagram.plan("tanh")
    pts = phase_diagram.edge_points(plane)
    for sw, sb in pts[:: max(1, len(pts) // 8)]:
        assert theory.chi_1("tanh", sw * sw, sb * sb) == pytest.approx(1.0, abs=1e-3)
    marks = dict(phase_diagram.marks("tanh", 30, "uniform"))
    assert marks["default"] == pytest.approx((0.8 * math.sqrt(10), 0.8 / math.sqrt(3)))
    assert plane.sigma_w >= marks["default"][0] and plane.sigma_b >= marks["default"][1]
    relu = phase_diagram.edge_points(phase_diagram.plan("relu"))
    assert [p[0] for p in relu] == pytest.approx([math.sqrt(2)] * 2)


def test_the_command(cli, tmp_path):
    status, out, err = cli("phase", "--activation", "sin", "--cells", "3x2", "--thumb", "16", "--depth", "3",
                           "--out", "p.png")
    assert status == 0, err
    img = Image.open(tmp_path / "p.png")
    assert img.width > 3 * 16 and np.asarray(img.convert("RGB")).std() > 10
    for bad, msg in ((["--cells", "0x2"], "cells"), (["--thumb", "4"], "thumb"), (["--sigma-w", "-1"], "sigma-w"),
                     (["--out", "p.jpg"], "png"), (["--cells", "40x40", "--thumb", "512"], "thumbnail pixels")):
        status, out, err = cli("phase", "--activation", "tanh", *bad, *([] if "--out" in bad else ["--out", "q.png"]))
        assert status == 2 and msg in err.lower() and len(err.strip().splitlines()) == 1, (bad, err)
    assert not (tmp_path / "q.png").exists()


def test_help_examples_run(cli, tmp_path):
    """Every example of glnn phase --help runs (smaller: a 2x2 sheet of 16-pixel thumbnails)."""
    from glnn.cli import phase
    import shlex

    for line in phase.EXAMPLES.strip().splitlines():
        argv = shlex.split(line)[1:]
        argv = [a for a in argv]
        for flag, value in (("--cells", "2x2"), ("--thumb", "16")):
            if flag in argv:
                argv[argv.index(flag) + 1] = value
            else:
                argv += [flag, value]
        status, out, err = cli(*argv)
        assert status == 0, (line, err)
