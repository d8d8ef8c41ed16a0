"""Every activation has defaults, they apply, the picture measures mean what they say, and docs/activations.md
tabulates them (the survey behind that table: tests/system/test_defaults_survey.py)."""
import numpy as np
import pytest

from glnn import Network
from glnn.model import activations
from glnn.explore import picture_stats


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
