"""Figures 27 and 28 through `glnn figures` (glnn/article/line_figures.py): each panel under the chart is the
picture its gallery command draws (but for the segment and the zoom's square drawn over it), and the gallery's
`glnn stats --line` command prints the count the chart's seed 0 has."""
import math
import shlex

import numpy as np
import pytest
from PIL import Image

from glnn.article import figures, line_figures as lf
from glnn.explore.line_stats import regions_along

SCALE = 0.25


def unmarked(shape, spec):
    """Where a panel shows its picture: away from the segment (y = 0.3) and the zoom's square drawn over it."""
    h, w = shape
    extent, (cx, cy) = spec.get("extent", 1.0), spec.get("center", (0.0, 0.0))
    s = 2 * extent / min(w, h)
    rows, cols = np.mgrid[0:h, 0:w]
    keep = np.abs(rows + 0.5 - (h / 2 - (0.3 - cy) / s)) > 2
    if spec.get("probe") is None and "center" not in spec:   # the full view: the square outlined
        (zx, zy), ze = lf.ZOOM["center"], lf.ZOOM["extent"]
        x0, x1 = (zx - ze - cx) / s + w / 2, (zx + ze - cx) / s + w / 2
        y0, y1 = h / 2 - (zy + ze - cy) / s, h / 2 - (zy - ze - cy) / s
        keep &= ~((cols >= x0 - 2) & (cols <= x1 + 2) & (rows >= y0 - 2) & (rows <= y1 + 2))
    return keep


@pytest.mark.parametrize("number", [27, 28])
def test_panels_are_their_commands_pictures(cli, engine, tmp_path, number):
    fig = figures.BY_NUMBER[number]
    figures.render_recipe(fig, tmp_path, SCALE, engine=engine)
    a = np.asarray(Image.open(tmp_path / f"{fig.name}.png").convert("RGB")).astype(int)
    size = figures._scaled(fig.panel, SCALE)
    assert a.shape[:2] == (size[1], size[0])
    lay = lf.layout(number, size)
    renders = [line for line in figures.commands(fig, SCALE) if line.startswith("glnn render")]
    assert len(renders) == lay.count
    for i in sorted({0, lay.count // 2, lay.count - 1}):
        x, y, w, h = lay.rect(i)
        words = shlex.split(renders[i])
        status, _, err = cli(*words[1:], "--backend", "cpu")
        assert status == 0, err
        want = np.asarray(Image.open(tmp_path / words[-1]).convert("RGB")).astype(int)
        spec = {}
        for k in ("--extent", "--center", "--probe"):
            if k in words:
                v = words[words.index(k) + 1]
                spec[k[2:]] = float(v) if k == "--extent" else tuple(map(float, v.split(","))) if k == "--center" else v
        keep = unmarked((h, w), spec)
        got = a[y:y + h, x:x + w]
        assert want.shape == got.shape and keep.mean() > 0.5
        assert np.abs(got - want)[keep].max() <= 1, (number, i)
        assert (np.abs(got - want)[~keep] > 20).any(), "the segment is drawn"


def test_the_stats_command_counts_what_the_chart_plots(cli):
    line = figures.commands(figures.BY_NUMBER[27])[4]          # 27 x 30
    status, out, err = cli(*shlex.split(line)[1:], "--size", "16x16")
    assert status == 0, err
    lines = out.splitlines()
    head = next(i for i, r in enumerate(lines) if r.startswith("layer") and "regions" in r)   # the line's table
    row = next(r for r in lines[head:] if r.startswith("27 "))
    count = regions_along(lf.relu_net(27, 30, 0), lf.P0, lf.P1)[26]
    assert int(row.split()[1]) == count
    n, mean, sd, predicted = lf.region_curves(27, 30, seeds=[0])
    assert mean[-1] == count / 2 and math.isclose(float(row.split()[4]), predicted[-1], abs_tol=0.05)
