"""Every activation's defaults make pictures worth looking at (docs/activations.md): over seeds 0-9, depths 2, 12
and 27 and widths 10, 30 and 100, at least 75 % of the pictures are not flat (tanh: 79 %; deep networks of 10
units flatten), at least 90 % of those of the default architecture (12 x 30), and their median edge density, of
all and of the 12 x 30 ones, is within a factor of 4 of tanh's.

System tier: no GL and no subprocess, but the whole survey (90 networks per activation, about 900 pictures on
the cpu backend, minutes on two cores) is an end-to-end claim of the docs, not a quick check; the defaults
themselves: tests/unit/test_defaults.py."""
import pytest

from glnn import activations, picture_stats
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
