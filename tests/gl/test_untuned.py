"""Networks and views drawn at random (not tuned): the GL render of a saved network equals a dozen lines of
independent numpy (docs/contract.md, a saved network) within 1e-4."""
import math

import numpy as np
import pytest

from independent_numpy import independent
from glnn import Network, View

def random_case(rng):
    depth = int(rng.integers(1, 41))
    width = int(rng.choice([1, 2, 5, 7, 13, 30, 47, 64, 100, 130]))
    act = str(rng.choice(["tanh", "sigmoid", "relu", "leaky_relu", "sin", "gaussian", "softsign", "mix"]))
    init = str(rng.choice(["uniform", "normal", "he", "glorot"]))
    # well-scaled (docs/contract.md, accuracy): about unit gain per layer
    scale = float(rng.uniform(0.5, 1.1) * math.sqrt(3 / width) / (1.7 if init == "normal" else 1.0))
    net = Network(seed=int(rng.integers(0, 2**40)), depth=depth, width=width, activation=act, init=init,
                  scale=scale, bias_scale=float(rng.uniform(0, 1)), gain=float(rng.uniform(0.5, 1.1)),
                  channels=int(rng.choice([1, 3])), inputs=int(rng.choice([2, 2, 3, 7, 16])))
    W, H = int(rng.integers(1, 60)), int(rng.integers(1, 60))
    view = View(W, H, center=(float(rng.normal(0, 3)), float(rng.normal(0, 3))),
                extent=float(10 ** rng.uniform(-2, 1.7)), time=float(rng.uniform(-10, 10)))
    return net, view


@pytest.mark.parametrize("case", range(12))
def test_gl_matches_independent_numpy(gl, tmp_path, case):
    rng = np.random.default_rng(20261126 + case)
    net, view = random_case(rng)
    net.save(tmp_path / "n.npz", view)
    expected = independent(tmp_path / "n.npz", view.width, view.height)
    got = gl.render(Network.load(tmp_path / "n.npz"), view)
    diff = float(np.abs(got - expected).max())
    assert diff <= 1e-4, (diff, net, view)
