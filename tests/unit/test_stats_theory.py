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
