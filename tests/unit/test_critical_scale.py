"""--scale critical[:K] (and --gain critical): the amount on the edge of chaos (glnn/model/theory.py), resolved by the
network over its other hyperparameters; recipes and saved files hold the number."""
import pytest

from glnn import Network
from glnn.app import controls
from glnn.model import theory
from glnn.errors import GlnnError
from glnn.io.recipe import read_recipe
from glnn.io.request import resolve


def test_the_network_holds_the_number():
    net = Network(scale="critical")
    assert isinstance(net.scale, float) and net.bias_scale is None
    assert theory.network_mean_field(net).chi_1 == pytest.approx(1.0, abs=1e-3)
    assert Network(scale="critical:1.2").scale == pytest.approx(1.2 * net.scale, rel=1e-5)
    wide = Network(width=100, scale="critical")
    assert wide.scale < net.scale   # sigma_w^2 = width * scale^2 / 3
    # he and glorot: the gain (relu's he point: gain 1, sigma_w^2 = 2)
    relu = Network(activation="relu", scale="critical")
    assert relu.init == "he" and relu.gain == pytest.approx(1.0) and relu.scale == 0.8
    assert Network(activation="relu", init="glorot", gain="critical").gain == pytest.approx(2 ** 0.5, rel=1e-5)
    # replace() keeps the number (it is not re-resolved for a new width)
    assert net.replace(width=100).scale == net.scale


@pytest.mark.parametrize("kw,msg", [(dict(activation="mix", scale="critical"), "mix"),
                                    (dict(gain="critical"), "gain critical"),
                                    (dict(scale="critical:0"), "critical:K"),
                                    (dict(scale="loud"), "critical")])
def test_bad_critical(kw, msg):
    with pytest.raises(GlnnError, match=msg):
        Network(**kw)


def test_the_request_and_the_command_line(cli, tmp_path):
    r = resolve({"scale": "critical:1.2", "width": 40, "depth": 5})
    assert r.network.scale == Network(width=40, scale="critical:1.2").scale
    status, out, err = cli("render", "--scale", "critical", "--depth", "4", "--size", "24x24", "--backend", "numpy",
                           "--out", "c.png")
    assert status == 0, err
    rec = read_recipe(str(tmp_path / "c.png"))
    assert rec.network.scale == Network(scale="critical").scale
    status, out, err = cli("render", "--scale", "critical:x", "--out", "d.png")
    assert status == 2 and "critical:K" in err and not (tmp_path / "d.png").exists()
    status, out, err = cli("render", "--activation", "mix", "--scale", "critical", "--out", "d.png")
    assert status == 2 and "mix" in err and len(err.strip().splitlines()) == 1


def test_the_window_key():
    s = controls.ViewerState()
    controls.apply(s, controls.action_for_key("E"))
    assert s.net.scale == Network(scale="critical").scale and s.custom_weights
    s = controls.ViewerState(net=Network(activation="mix"))
    before = s.net
    controls.apply(s, "edge_of_chaos")   # no critical scale for mix: nothing changes (the viewer says so)
    assert s.net == before and not s.custom_weights


def test_a_grid_resolves_it_per_cell(cli, tmp_path):
    from glnn.io.recipe import read_recipe

    status, out, err = cli("grid", "--vary", "width=30,100", "--scale", "critical", "--depth", "2", "--size", "8x8",
                           "--backend", "numpy", "--workers", "1", "--out", "g.png")
    assert status == 0, err
    scales = [read_recipe(str(tmp_path / "g.png"), cell).network.scale for cell in (1, 2)]
    assert scales == [Network(width=w, scale="critical").scale for w in (30, 100)]


def test_a_critical_scale_under_he_refuses_a_gain_given_too():
    """--scale critical with he or glorot sets the gain: a --gain given too would be thrown away, so it is refused;
    a gain from a --from picture or the defaults is what critical replaces."""
    import pytest
    from glnn.errors import GlnnError
    from glnn.io.request import resolve

    with pytest.raises(GlnnError, match="give one of them"):
        resolve({"init": "he", "scale": "critical", "gain": 2.0})
    assert resolve({"init": "he", "scale": "critical"}).network.gain == resolve(
        {"init": "he", "gain": "critical"}).network.gain
    assert resolve({"init": "uniform", "scale": "critical", "gain": 2.0}).network.scale > 0   # gain unused there
