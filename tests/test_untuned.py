"""Networks and views drawn at random (not tuned): the GL render of a saved network equals a dozen lines of
independent numpy (SPEC.md section 5) within 1e-4."""
import json
import math

import numpy as np
import pytest

from glnn import Network, View

ACTS = {"tanh": np.tanh, "sigmoid": lambda v: 1 / (1 + np.exp(-v)), "relu": lambda v: np.maximum(v, 0),
        "leaky_relu": lambda v: np.where(v > 0, v, 0.1 * v), "sin": np.sin, "gaussian": lambda v: np.exp(-v * v),
        "softsign": lambda v: v / (1 + abs(v)), "identity": lambda v: v}


def independent(path, W, H):
    """SPEC.md, read by someone without glnn: the picture of a saved network, float64."""
    z = np.load(path)
    spec = json.loads(str(z["spec"]))
    s = 2 * spec["extent"] / min(W, H)
    r, c = np.mgrid[0:H, 0:W]
    x = spec["center"][0] + (c + 0.5 - W / 2) * s
    y = spec["center"][1] + (H / 2 - r - 0.5) * s
    zt = np.array(spec["z_amplitudes"]) * np.sin(np.array(spec["z_frequencies"]) * spec["time"] + np.array(spec["z_phases"]))
    v = np.concatenate([np.stack([x, y], -1), np.broadcast_to(zt.astype(np.float32), (H, W, len(zt)))], -1)
    for i, a in enumerate(z["activations"]):
        v = ACTS[str(a)](v @ z[f"W{i}"].T.astype(np.float64) + z[f"b{i}"])
    return v


def random_case(rng):
    depth = int(rng.integers(1, 41))
    width = int(rng.choice([1, 2, 5, 7, 13, 30, 47, 64, 100, 130]))
    act = str(rng.choice(["tanh", "sigmoid", "relu", "leaky_relu", "sin", "gaussian", "softsign", "mix"]))
    init = str(rng.choice(["uniform", "normal", "he", "glorot"]))
    # well-scaled (SPEC.md section 6): about unit gain per layer
    scale = float(rng.uniform(0.5, 1.1) * math.sqrt(3 / width) / (1.7 if init == "normal" else 1.0))
    net = Network(seed=int(rng.integers(0, 2**40)), depth=depth, width=width, activation=act, init=init,
                  scale=scale, bias_scale=float(rng.uniform(0, 1)), gain=float(rng.uniform(0.5, 1.1)),
                  channels=int(rng.choice([1, 3])), inputs=int(rng.choice([2, 2, 3, 7, 16])))
    W, H = int(rng.integers(1, 60)), int(rng.integers(1, 60))
    view = View(W, H, center=(float(rng.normal(0, 3)), float(rng.normal(0, 3))),
                extent=float(10 ** rng.uniform(-2, 1.7)), time=float(rng.uniform(-10, 10)))
    return net, view


@pytest.mark.parametrize("case", range(12))
def test_gl_matches_independent_numpy(gl_renderer, tmp_path, case):
    rng = np.random.default_rng(20261126 + case)
    net, view = random_case(rng)
    net.save(tmp_path / "n.npz", view)
    expected = independent(tmp_path / "n.npz", view.width, view.height)
    got = gl_renderer.render(Network.load(tmp_path / "n.npz"), view)
    diff = float(np.abs(got - expected).max())
    assert diff <= 1e-4, (diff, net, view)
