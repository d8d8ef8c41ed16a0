"""The activation table is the one definition: its generated GLSL matches it, and every activation agrees
across the reference (float64), the cpu backend (float32 in place) and every GL kernel, at many points
including saturation and large inputs."""
import re

import numpy as np
import pytest

from activation_probe import GAINS, tolerance
from glnn.model import activations

def test_generated_glsl_matches_the_table():
    src = activations.glsl_source()
    ids = {m.group(1).lower(): int(m.group(2)) for m in re.finditer(r"#define ACT_(\w+) (\d+)", src)}
    assert ids == activations.IDS
    for a in activations.TABLE:
        assert f"vec4 act_{a.name}(vec4 x)" in src
    assert len(set(activations.IDS.values())) == len(activations.TABLE)
    assert set(activations.MIX_CHOICES) <= set(activations.NAMES)


@pytest.mark.parametrize("name", activations.NAMES)
def test_float32_form_matches_float64(name):
    x = np.concatenate([np.linspace(-1, 1, 201) * g for g in GAINS]).astype(np.float32)
    expected = activations.apply(name, x.astype(np.float64))
    y = x.copy()
    activations.apply_inplace(name, y)
    assert y.dtype == np.float32 and np.isfinite(y).all()
    assert (np.abs(y - expected) <= tolerance(name, expected, x)).all()
