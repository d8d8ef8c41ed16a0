"""The saturation heat map shows contrast and says what its colours mean (issue 23: nearly uniform magenta,
no legend): plots.with_legend stretches the values over their range and draws a legend strip."""
import numpy as np

from glnn.io.plots import nice_ticks, with_legend


def test_round_ticks():
    assert nice_ticks(0, 7.71) == [0, 2, 4, 6, 8]
    assert nice_ticks(0, 1) == [0, 0.25, 0.5, 0.75, 1]
    assert nice_ticks(0.61, 0.74, 4) == [0.6, 0.65, 0.7, 0.75]


def test_a_narrow_range_is_stretched_and_labelled():
    rng = np.random.default_rng(0)
    values = (0.62 + 0.12 * rng.random((200, 300, 1))).astype(np.float32)   # fractions 0.62 to 0.74
    out = with_legend(values, "saturated units")
    assert out.shape == values.shape and out.dtype == np.float32
    body, strip = out[:-30, :, 0], out[-20:, :, 0]
    assert body.min() < 0.2 and body.max() > 0.8                        # the map spans the palette
    assert np.corrcoef(body.ravel(), values[:-30, :, 0].ravel())[0, 1] > 0.99   # an increasing map of it
    assert (strip < 0.05).mean() > 0.4 and (strip > 0.9).any()          # dark strip with bright text
    bar = out[-20 + 4, 150:280, 0]
    assert np.all(np.diff(bar) >= -0.02) and bar[-1] - bar[0] > 0.5    # the colour bar runs low to high


def test_a_small_picture_is_left_as_it_is():
    values = np.full((40, 60, 1), 0.5, np.float32)
    assert with_legend(values, "x") is values
