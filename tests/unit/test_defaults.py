"""Every activation's defaults make pictures worth looking at (docs/activations.md): over seeds 0-9, depths 2, 12
and 27 and widths 10, 30 and 100, at least 75 % of the pictures are not flat (tanh: 79 %; deep networks of 10
units flatten), at least 90 % of those of the default architecture (12 x 30), and their median edge density, of
all and of the 12 x 30 ones, is within a factor of 4 of tanh's."""
import numpy as np
import pytest

from glnn import Network, activations, picture_stats
from glnn.backends.cpu import CPUBackend


@pytest.fixture(scope="module")
def tanh_survey():
    return picture_stats.survey("tanh", CPUBackend())


@pytest.mark.parametrize("name", activations.HIDDEN_CHOICES)
def test_defaults_make_pictures_with_structure(name, tanh_survey):
    s = picture_stats.survey(name, CPUBackend())
    assert s["not_flat"] >= 0.75 and s["not_flat_12x30"] >= 0.9, s
    for key in ("edge_density", "edge_density_12x30"):
        assert tanh_survey[key] / 4 <= s[key] <= 4 * tanh_survey[key], (key, s)


def test_every_activation_has_defaults_and_they_apply():
    assert set(activations.DEFAULTS) == set(activations.HIDDEN_CHOICES)
    for name, d in activations.DEFAULTS.items():
        net = Network(activation=name)
        assert (net.init, net.scale, net.bias_scale, net.gain) == (d.init, d.scale, d.bias_scale, d.gain)
        # given values win over the defaults
        assert Network(activation=name, scale=0.123, init="normal").scale == 0.123
    assert Network().scale == 0.8 and Network().init == "uniform" and Network().bias_scale is None


def test_the_measures():
    flat = np.full((16, 16, 3), 0.5, np.float32)
    assert picture_stats.displayed_std(flat) == 0 and picture_stats.edge_density(flat) == 0
    one_colour = np.zeros((16, 16, 3), np.float32)
    one_colour[..., 0] = 1.0   # each channel flat, though the channels differ: flat
    assert picture_stats.displayed_std(one_colour) == 0
    stripes = np.zeros((16, 16, 1), np.float32)
    stripes[:, ::2] = 1.0
    assert picture_stats.edge_density(stripes) == pytest.approx(16 / 2)   # every column step is 1, rows 0


def test_docs_table_matches_the_defaults():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "activations.md").read_text()
    for name, d in activations.DEFAULTS.items():
        amount = f"gain {d.gain:g}" if d.init in ("he", "glorot") else f"scale {d.scale:g}"
        assert f"| {name} | {d.init} | {amount} |" in text, name
