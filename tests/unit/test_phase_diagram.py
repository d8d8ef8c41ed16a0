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


def hatch_pixels(a: np.ndarray) -> np.ndarray:
    return (a == np.array(phase_diagram.HATCH)).all(axis=-1)


def test_relu_s_exploding_cells_are_hatched_and_the_legend_says_why():
    """Issue 36: right of relu's edge the pictures were 99 % white with no word why. The cells whose outputs are
    saturated are hatched (read back: the hatch's colour inside exactly those cells), the legend under the axes
    carries a hatched swatch and its text, and the lines say the values grow without bound, and what depth does to
    relu's regions."""
    plane = phase_diagram.plan("relu", width=30, depth=12, cols=4, rows=2)
    thumb, gutter, left, top = 24, 2, 56, 30
    img, shares = phase_diagram.diagram(plane, thumb)
    a = np.asarray(img.convert("RGB"))
    hatched = []
    for i, share in enumerate(shares):
        r, c = divmod(i, plane.cols)
        x, y = left + c * (thumb + gutter), top + r * (thumb + gutter)
        cell = a[y:y + thumb, x:x + thumb]
        assert hatch_pixels(cell).any() == (share >= phase_diagram.SATURATED), (i, share)
        if share >= phase_diagram.SATURATED:
            hatched.append(i)
            assert phase_diagram.explodes(plane, *plane.cell_sigmas(i))   # relu: q* infinite there
    sw = [plane.cell_sigmas(i)[0] for i in hatched]
    assert hatched and min(sw) > math.sqrt(2)   # only right of the edge, and some of it
    assert not any(shares[i] >= phase_diagram.SATURATED for i in range(len(shares))
                   if plane.cell_sigmas(i)[0] < math.sqrt(2))
    below = a[top + plane.rows * (thumb + gutter) + 40:]   # the legend, under the axes
    assert hatch_pixels(below).any() and (below.max(axis=-1) < 100).sum() > 200
    lines = phase_diagram.explain(plane, shares)
    assert lines[0].startswith(f"hatched ({len(hatched)} of 8 cells)")
    assert "grow without bound" in lines[1] and "sigma_w = 1.41 (chi_1 = 1)" in lines[1]
    assert "adding layers at the same number of neurons does not add relu regions" in lines[2] \
        and "Hanin & Rolnick 2019" in lines[2]


def test_tanh_s_diagram_has_no_hatch_and_no_legend():
    """tanh's outputs never pin at 0 and 1 across its plane: no cell hatched, no legend, the image as before."""
    plane = phase_diagram.plan("tanh", cols=4, rows=2)
    img, shares = phase_diagram.diagram(plane, 24)
    assert max(shares) < phase_diagram.SATURATED and phase_diagram.explain(plane, shares) == []
    assert img.height == 30 + 2 * 26 - 2 + 40 and not hatch_pixels(np.asarray(img.convert("RGB"))).any()


def test_the_relu_help_example_explains_its_white_region(cli, tmp_path):
    status, out, err = cli("phase", "--activation", "relu", "--width", "100", "--depth", "27", "--cells", "4x2",
                           "--thumb", "16", "--out", "relu.png")
    assert status == 0, err
    assert "hatched (" in err and "grow without bound and the sigmoid readout sees huge inputs" in err \
        and "does not add relu regions" in err
    status, out, err = cli("phase", "--activation", "relu", "--cells", "2x2", "--thumb", "16", "-q", "--out", "q.png")
    assert status == 0 and err == ""


def test_the_why_follows_the_theory():
    """The legend's reason: relu-like activations past their edge grow without bound (a factor a layer); a bounded
    activation's saturated cells are the readout's large weights; no saturated cell, no reason (and no relu line
    for tanh)."""
    tanh = phase_diagram.plan("tanh", cols=2, rows=1, sigma_w=60.0)
    assert not phase_diagram.explodes(tanh, 45.0, 0.5)
    lines = phase_diagram.explain(tanh, [0.0, 0.95])
    assert len(lines) == 2 and lines[0].startswith("hatched (1 of 2 cells)") and "pins them at 0 or 1" in lines[1]
    relu = phase_diagram.plan("relu", depth=5, cols=2, rows=1, sigma_w=4.0)
    assert phase_diagram.explodes(relu, 3.0, 0.5) and not phase_diagram.explodes(relu, 1.0, 0.5)
    lines = phase_diagram.explain(relu, [0.0, 0.95])
    assert "multiplies the mean square by about 4.5 (at sigma_w 3), 4.1e+02 over 4 layers" in lines[1], lines[1]
    assert phase_diagram.explain(relu, [0.0, 0.5])[0].startswith("relu regions:")
