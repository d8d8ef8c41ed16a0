"""glnn/model/theory.py: the mean-field maps against their closed forms and against measured wide networks."""
import math

import numpy as np
import pytest

from glnn import Network
from glnn.model import activations, inits, theory
from glnn.explore import propagation
from glnn.model.view import View


def test_closed_forms_of_the_length_map():
    q = np.array([0.01, 0.5, 2.0, 9.0])
    assert np.allclose(theory.length_map("identity", q, 1.3, 0.1), 1.3 * q + 0.1)
    assert np.allclose(theory.length_map("relu", q, 2.0, 0.0), q)          # E[relu^2] = q / 2
    assert np.allclose(theory.length_map("leaky_relu", q, 1.0, 0.0), q * (1 + activations.LEAKY_SLOPE ** 2) / 2)
    assert np.allclose(theory.length_map("sin", q, 1.0, 0.0), (1 - np.exp(-2 * q)) / 2)
    assert np.allclose(theory.length_map("gaussian", q, 1.0, 0.0), 1 / np.sqrt(1 + 4 * q))
    assert np.allclose(theory.chi("sin", q, 1.0), (1 + np.exp(-2 * q)) / 2, atol=1e-8)
    assert np.allclose(theory.chi("gaussian", q, 1.0), 4 * q / (1 + 4 * q) ** 1.5, atol=1e-7)
    assert np.allclose(theory.chi("relu", q, 2.0), 1.0) and np.allclose(theory.chi("tanh", 1e-12, 1.0), 1.0)
    assert np.allclose(theory.chi("sigmoid", 1e-12, 16.0), 1.0, atol=1e-6)   # sigmoid'(0) = 1/4


def test_relu_correlation_map_is_the_arc_cosine_kernel():
    for c in (-0.5, 0.0, 0.3, 0.9):
        want = (math.sqrt(1 - c * c) + (math.pi - math.acos(c)) * c) / math.pi   # 2 E[relu relu] / q
        assert theory.correlation_map("relu", c, 1.7, 2.0, 0.0) == pytest.approx(want, abs=2e-3)


def test_the_phases_and_the_edge_of_chaos():
    relu = theory.mean_field("relu", 2.0, 0.0)
    assert relu.chi_1 == pytest.approx(1.0, abs=1e-6) and relu.c_star == 1.0
    assert theory.critical_sigma_w2("relu", 0.0) == pytest.approx(2.0, rel=1e-6)
    assert theory.critical_sigma_w2("leaky_relu", 0.0) == pytest.approx(2 / (1 + activations.LEAKY_SLOPE ** 2), rel=1e-6)
    assert theory.critical_sigma_w2("identity", 0.3) == pytest.approx(1.0, rel=1e-6)
    ident = theory.mean_field("identity", 0.5, 0.2)
    assert ident.q_star == pytest.approx(0.2 / 0.5) and ident.chi_1 == pytest.approx(0.5)
    assert ident.xi_c == pytest.approx(-1 / math.log(0.5))
    # tanh at sigma_b = 0: the edge is sigma_w^2 = 1 (q* -> 0, tanh'(0) = 1); with biases it moves out
    assert theory.critical_sigma_w2("tanh", 0.0) == pytest.approx(1.0, abs=5e-3)
    assert theory.critical_sigma_w2("tanh", 0.05) > 1.1
    ordered, chaotic = theory.mean_field("tanh", 0.8, 0.01), theory.mean_field("tanh", 4.0, 0.01)
    assert ordered.phase == "ordered" and ordered.c_star == 1.0 and ordered.xi_c == pytest.approx(-1 / math.log(ordered.chi_1))
    assert chaotic.phase == "chaotic" and 0 <= chaotic.c_star < 1 and chaotic.chi_c < 1 and math.isfinite(chaotic.xi_c)
    # c* is a fixed point of the correlation map
    assert theory.correlation_map("tanh", chaotic.c_star, chaotic.q_star, 4.0, 0.01) == pytest.approx(chaotic.c_star, abs=1e-6)
    # xi_c diverges at the edge
    near = theory.mean_field("tanh", theory.critical_sigma_w2("tanh", 0.05), 0.05)
    assert near.xi_c > 100 and near.phase == "critical"


def test_every_activation_and_init_has_numbers():
    for name in activations.NAMES:
        m = theory.mean_field(name, 1.5, 0.05)
        assert math.isfinite(m.chi_1) and m.chi_1 >= 0 and (0 <= m.xi_c or math.isinf(m.xi_c)), name
    for init in inits.NAMES:
        for width in (30, 100):
            net = Network(width=width, init=init, activation="tanh", scale=0.7, gain=1.1, bias_scale=0.2, depth=3)
            W = net.layers[1].W.astype(np.float64)   # a hidden layer: its variance times fan-in
            sw2, sb2 = theory.network_variances(net)
            assert width * W.var() == pytest.approx(sw2, rel=0.15), init
            assert sb2 == pytest.approx(0.04 * inits.BY_NAME[init].unit_variance)
    assert theory.sigma_w2("uniform", 0.8, 30) == pytest.approx(30 * 0.64 / 3)
    assert theory.sigma_w2("he", 1.2, 30) == pytest.approx(2 * 1.44)
    assert theory.sigma_w2("glorot", 1.2, 30) == pytest.approx(1.44)


def test_critical_amounts():
    s = theory.critical_amount("tanh", "uniform", 30, None)
    m = theory.network_mean_field(Network(activation="tanh", width=30, scale=s))
    assert m.chi_1 == pytest.approx(1.0, abs=1e-3)
    g = theory.critical_amount("relu", "he", 30, 0.05)
    assert g == pytest.approx(1.0, rel=1e-5)       # he's own point: sigma_w^2 = 2
    assert theory.critical_amount("relu", "uniform", 100, 0.05) == pytest.approx(math.sqrt(6 / 100), rel=1e-5)
    for bad in (("mix", "uniform"), ("tanh", "nope")):
        with pytest.raises(theory.GlnnError):
            theory.critical_amount(bad[0], bad[1], 30, 0.1)
    assert theory.parse_critical("critical") == 1.0 and theory.parse_critical("critical:1.2") == 1.2
    assert theory.parse_critical("0.8") is None
    for bad in ("critical:", "critical:-1", "critical:x", "critical:inf"):
        with pytest.raises(theory.GlnnError):
            theory.parse_critical(bad)


WIDE = 400
ON_30 = math.sqrt(30 / WIDE)   # a scale at 400 units with the sigma_w^2 it has at 30


@pytest.mark.parametrize("activation,scale", [("tanh", 0.8 * ON_30), ("tanh", 0.3 * ON_30), ("relu", math.sqrt(6 / WIDE)),
                                              ("sin", 0.6 * ON_30), ("sigmoid", 2.0 * ON_30)])
def test_predictions_match_a_wide_network(activation, scale):
    """A 400-unit network (3 seeds, 144 points): the mean square pre-activation per layer within 15 % of the prediction, and
    the growth of neighbour differences within 10 % in the layers past the first."""
    view = View(96, 96)
    pred, meas = None, []
    for seed in range(3):
        net = Network(seed=seed, depth=8, width=WIDE, activation=activation, init="uniform", scale=scale,
                      bias_scale=0.3, channels=1)
        a, b = propagation.view_inputs(net, view, step=8)
        pred = theory.predict_layers(net, a)
        meas.append(propagation.measure_layers(net, a, b))
    for k in range(1, 7):   # hidden layers 2..7
        q = np.mean([m[k]["q"] for m in meas])
        g = np.mean([m[k]["growth"] for m in meas])
        assert q == pytest.approx(pred[k]["q"], rel=0.15), (k, q, pred[k])
        assert g == pytest.approx(pred[k]["growth"], rel=0.1), (k, g, pred[k])
