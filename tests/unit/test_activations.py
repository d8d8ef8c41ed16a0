"""The activation table is the one definition: its generated GLSL matches it, and every activation agrees
across the reference (float64), the cpu backend (float32 in place) and every GL kernel, at many points
including saturation and large inputs."""
import dataclasses
import re

import numpy as np
import pytest

from glnn import Layer, Network, View, activations
from glnn.backends import reference

GAINS = (1.0, 4.0, 30.0, 200.0, 3000.0)   # the hidden unit's input is gain * x, x in [-1, 1]
VIEW = View(257, 1, extent=1 / 257)       # 257 pixels: x from -1 to 1, y = 0


def probe(name, gain, hidden=True):
    """A network whose one output is act(gain * x): the activation in a hidden layer (then an identity
    readout), or as the readout itself."""
    W, b = np.array([[gain, 0.0]], np.float32), np.zeros(1, np.float32)
    if hidden:
        layers = (Layer(W, b, name), Layer(np.ones((1, 1), np.float32), b, "identity"))
    else:
        layers = (Layer(W, b, name),)
    net = Network(depth=len(layers), width=1, channels=1)
    return dataclasses.replace(net, loaded_layers=layers)


def tolerance(name, expected, arg):
    tol = 2e-6 + 2e-6 * np.abs(expected)            # float32 rounding of the value
    if name == "sin":
        tol = tol + 4e-7 * np.abs(arg)                # float32 rounding of a large argument
    return tol


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
