"""Figures 27 and 28 (glnn/article/line_figures.py): the numbers they plot say what their captions say, and the
chart they are drawn with (glnn/io/chart.py) puts points where their values are."""
import math

import numpy as np
import pytest

from glnn.article import figures, line_figures as lf
from glnn.io.chart import Series, chart, tick_label


def test_regions_grow_with_neurons_not_depth_except_in_narrow_layers():
    seeds = range(6)
    wide = lf.region_curves(3, 270, seeds)
    deep = lf.region_curves(27, 30, seeds)
    narrow = lf.region_curves(54, 15, seeds)
    for n, mean, sd, predicted in (wide, deep, narrow):
        assert n[-1] == 810 and len(n) == len(mean) == len(sd) == len(predicted)
        # the prediction: about 0.4 regions per unit length per neuron, at every depth
        assert all(0.37 < p / k < 0.45 for k, p in zip(n, predicted)), [p / k for k, p in zip(n, predicted)]
    assert wide[1][-1] == pytest.approx(wide[3][-1], rel=0.05)           # 3 x 270: as predicted
    assert narrow[1][-1] < 0.7 * narrow[3][-1]                           # 54 x 15: far fewer
    k = 2 * len(narrow[0]) // 3                                         # ... and the last third adds few
    assert narrow[1][-1] - narrow[1][k] < 0.5 * (narrow[3][-1] - narrow[3][k])
    assert deep[2][-1] > 3 * wide[2][-1]                                 # seeds differ more with beta


def test_lengths_shrink_hold_or_grow_by_sqrt_chi1_as_predicted():
    ordered, critical, chaotic = (lf.length_curves(scale, (0, 1)) for _, scale in lf.PHASES)
    for mean, lo, hi, predicted, rate in (ordered, critical, chaotic):
        assert len(mean) == lf.TANH["depth"] and mean[0] == pytest.approx(2.0) and predicted[0] == pytest.approx(2.0)
        assert all(l <= m <= h for l, m, h in zip(lo, mean, hi))
        assert all(0.65 < m / p < 1.25 for m, p in zip(mean, predicted)), [m / p for m, p in zip(mean, predicted)]
    assert ordered[4] < 0.9 and critical[4] == pytest.approx(1, abs=1e-4) and chaotic[4] > 1.2
    assert ordered[0][-1] < 0.1 and 2 < critical[0][-1] < 8 and chaotic[0][-1] > 300
    growth = (chaotic[0][-1] / chaotic[0][-6]) ** (1 / 5)                # the last five layers
    assert growth == pytest.approx(chaotic[4], rel=0.05)


def test_the_commands_are_the_figures_networks():
    lines = figures.commands(figures.BY_NUMBER[27])
    assert lines[0].startswith("# fig27") and len(lines) == 1 + 5 + 10
    assert lines[4] == "glnn stats --depth 28 --channels 1 --activation relu --gain 1.0 --line -1,0.3:1,0.3"
    assert all("--probe regions" in line and "--center 0.5,0.3 --extent 0.1" in line for line in lines[11:])
    lines = figures.commands(figures.BY_NUMBER[28], 0.25)
    assert len(lines) == 1 + 3 + 3 and "--scale 0.211372" in lines[2] and "--size 58x58" in lines[-1]


def test_tick_labels():
    assert [tick_label(v) for v in (0, 1e-3, 0.01, 1, 10, 1e4, 1e5, 250)] == \
        ["0", "0.001", "0.01", "1", "10", "10000", "1e5", "250"]


@pytest.mark.parametrize("size", [(40, 30), (180, 110), (720, 440)])
def test_a_point_lands_where_its_value_is(size):
    """One red point at x = 5, y = 10 on a log axis from 1 to 100 (ticks 1, 10, 100) sits in the middle of the
    plot box; at any size (a small one is a miniature of a larger drawing)."""
    red = (220, 0, 0)
    img = chart([Series([0, 10], [1, 100], (200, 200, 200), line=True), Series([5], [10], red)], size, log_y=True)
    a = np.asarray(img).astype(int)
    assert img.size == size and (a >= 250).all(axis=2).mean() > 0.5 and (a[..., 0] - a[..., 1] > 8).any()
    if size[0] >= 400:   # drawn at its own size: the plot box runs from (62, 10) to (W - 14, H - 24)
        ys, xs = np.nonzero((a[..., 0] > 150) & (a[..., 1] < 90) & (a[..., 2] < 90))
        assert ys.size and math.isclose(ys.mean(), (10 + size[1] - 24) / 2, abs_tol=1.5)
        assert math.isclose(xs.mean(), (62 + size[0] - 14) / 2, abs_tol=1.5)
