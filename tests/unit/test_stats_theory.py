"""glnn stats: the mean-field prediction beside the measured numbers, per layer, in the table and in --json."""
import json

import pytest


def test_stats_json_carries_measured_and_predicted(cli):
    status, out, err = cli("stats", "--depth", "8", "--width", "30", "--size", "48x48", "--json")
    assert status == 0, err
    (result,) = json.loads(out)
    layers = result["layers"]
    assert len(layers) == 8
    for row in layers:
        for key in ("q_measured", "q_predicted", "growth_measured", "growth_predicted"):
            assert row[key] > 0
    mf = result["mean_field"]
    assert mf["phase"] == "chaotic" and mf["chi_1"] == pytest.approx(1.573, abs=0.01)
    # tanh at the article's 0.8: the prediction's growth per layer is sqrt(chi_1) once q has settled
    assert layers[6]["growth_predicted"] == pytest.approx(mf["growth"], rel=1e-3)
    # q_measured is the square of the RMS of the pre-activations (two ways of the same number)
    assert layers[3]["q_measured"] == pytest.approx(layers[3]["rms_pre"] ** 2, rel=0.05)


def test_stats_table_and_mix(cli):
    status, out, err = cli("stats", "--depth", "4", "--size", "24x24", "--scale", "critical")
    assert status == 0, err
    assert "mean field" in out and "growth predicted" in out and "chi_1 1" in out
    status, out, err = cli("stats", "--depth", "4", "--size", "24x24", "--activation", "mix", "--json")
    assert status == 0, err
    assert json.loads(out)[0]["mean_field"] is None


def test_stats_with_activation_lists_features_and_mix_units(cli):
    status, out, err = cli("stats", "--depth", "5", "--width", "12", "--size", "24x24", "--features", "x,y,r,bias",
                           "--activation", "tanh,sin,relu")
    assert status == 0, err
    assert "inputs x,y,r,bias" in out.splitlines()[0]
    rows = [l.split() for l in out.splitlines() if l[:1].isdigit()][:5]
    assert [[w for w in r if w != "(readout)"][1] for r in rows] == ["tanh", "sin", "relu", "tanh", "sigmoid"]
    assert "no single fixed point" in out   # the hidden layers differ: no one q*, chi_1 ...
    status, out, err = cli("stats", "--depth", "4", "--width", "12", "--size", "24x24", "--features", "ax,ay,r",
                           "--activation", "mix-units", "--json")
    assert status == 0, err
    (result,) = json.loads(out)
    assert result["mean_field"] is None and result["network"]["features"] == "ax,ay,r"
    hidden = result["layers"][:3]
    assert all(isinstance(r["activation"], list) and len(r["activation"]) == 12 for r in hidden)
    for r in result["layers"]:   # ... but every layer's measured and predicted numbers
        assert r["q_measured"] > 0 and r["q_predicted"] > 0 and r["growth_predicted"] > 0 and 0 <= r["saturated"] <= 1
    status, out, err = cli("stats", "--depth", "4", "--width", "12", "--size", "24x24", "--activation", "mix-units")
    assert status == 0, err
    assert sum(l.split()[1:2] == ["mix-units"] for l in out.splitlines() if l[:1].isdigit()) == 3


def test_a_per_unit_layer_is_each_units_own_saturation():
    import numpy as np
    from glnn.explore.layer_stats import _linear_and_saturated

    pre = np.random.default_rng(1).normal(0, 2, (50, 6))
    names = ("tanh", "relu", "gaussian", "tanh", "sin", "relu")
    on, sat = _linear_and_saturated(names, pre)
    for j, name in enumerate(names):
        o, s = _linear_and_saturated(name, pre[:, j:j + 1])
        assert (on[:, j:j + 1] == o).all() and (sat[:, j:j + 1] == s).all()
    assert (sat[:, 1] == (pre[:, 1] > 0)).all() and (sat[:, 0] == ~on[:, 0]).all()
