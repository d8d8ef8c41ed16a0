"""Every activation's defaults hold at every depth (docs/activations.md): for seeds 0-3 at depths 2, 12 and 27 and
widths 30 and 100 (tanh, the article's uniform 0.8: width 30 only), at most a quarter of the pictures at 96 x 96 are
flat (mean per-channel std under 0.05) or static (mean neighbour difference over 0.26).

System tier: no GL and no subprocess, but 216 pictures on the cpu backend (tens of seconds on two cores), an
end-to-end claim of the docs; the defaults themselves: tests/unit/test_defaults.py."""
import numpy as np
import pytest

from glnn.model import activations
from glnn.explore import picture_stats
from glnn.backends.cpu import CPUBackend


@pytest.mark.parametrize("name", activations.HIDDEN_CHOICES)
def test_defaults_hold_at_every_depth(name):
    widths = (30,) if name == "tanh" else picture_stats.DEPTH_WIDTHS
    verdicts = picture_stats.depth_survey(name, CPUBackend(), widths=widths)
    assert picture_stats.holds(verdicts), verdicts


def test_the_criterion_tells_flat_from_static():
    flat = np.full((96, 96, 3), 0.3, np.float32)
    assert picture_stats.verdict(flat) == "flat"
    rng = np.random.default_rng(0)
    static = rng.normal(0, 3, (96, 96, 3)).astype(np.float32)   # raw outputs: the colour stage clamps to [0, 1]
    assert picture_stats.verdict(static) == "static"
    ramp = np.broadcast_to(np.linspace(0, 1, 96, dtype=np.float32)[None, :, None], (96, 96, 3)).copy()
    assert picture_stats.verdict(ramp) == "ok"
    # tanh at 100 units and depth 27 is static: the article's point, and why tanh is held at 30 units only
    v = picture_stats.depth_survey("tanh", CPUBackend(), widths=(100,))
    assert sum(x == "static" for x in v[(27, 100)]) >= 2
