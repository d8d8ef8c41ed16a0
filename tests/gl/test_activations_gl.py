"""Every activation agrees across the reference (float64), the cpu backend (float32 in place) and every GL kernel,
at many points including saturation and large inputs (the table and its GLSL: tests/unit/test_activations.py)."""
import numpy as np
import pytest

from activation_probe import GAINS, VIEW, probe, tolerance
from glnn.model import activations
from glnn.backends import reference


@pytest.mark.parametrize("hidden", [True, False], ids=["hidden", "readout"])
@pytest.mark.parametrize("name", activations.NAMES)
def test_every_backend_and_kernel_agrees(engine, name, hidden):
    subjects = [("cpu", engine.backend("cpu"), None)]
    gl = engine.gl
    for kernel in gl.kernels_for(probe(name, 1.0, hidden)):
        subjects.append((f"gl:{kernel.name}", gl, kernel))
    assert len(subjects) >= 3
    for gain in GAINS:
        net = probe(name, gain, hidden)
        expected = reference.evaluate(net, VIEW)[0, :, 0].astype(np.float64)
        arg = gain * VIEW.coords(0, np.arange(VIEW.width))[0]
        np.testing.assert_allclose(expected, activations.apply(name, arg), atol=1e-6 * max(1, gain))
        for label, backend, kernel in subjects:
            got = (backend.render(net, VIEW, kernel=kernel) if kernel else backend.render(net, VIEW))[0, :, 0]
            assert np.isfinite(got).all(), (label, gain)
            bad = np.abs(got - expected) > tolerance(name, expected, arg)
            assert not bad.any(), f"{label} {name} gain {gain}: at x = {arg[bad][:3]} got {got[bad][:3]}, " \
                                  f"expected {expected[bad][:3]}"
