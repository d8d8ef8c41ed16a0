"""The network as data (glnn/model/architecture.py): the inputs and layers that every evaluator reads; a saved
network that names them, read by a reader that knows only docs/contract.md; files and links written by the
release before it keep their meaning; a throwaway feature and activation, each added in one place, reach numpy
and the cpu backend (tests/gl/test_architecture_gl.py: the GL kernels)."""
import json
from pathlib import Path

import numpy as np
import pytest

from glnn.backends.cpu import CPUBackend
from glnn.backends.reference import evaluate
from glnn.errors import GlnnError
from glnn.io import metadata, saved_network
from glnn.io.recipe import read_recipe
from glnn.model import activations
from glnn.model.network import Network
from glnn.model.view import View
from glnn.web.playground import state_hash
from independent_numpy import independent
from throwaway_architecture import throwaway

LEGACY = Path(__file__).resolve().parents[1] / "data" / "legacy"   # written by glnn 3a0228a (before features)
VIEW = View(37, 23, (0.3, -0.2), 1.7, 0.4)


@pytest.mark.parametrize("kw", [
    dict(features="x,y,r,bias", activation="tanh,sin,relu", depth=5, width=9),
    dict(features="r,ax,ay", inputs=4, activation="mix-units", depth=4, width=7),
    dict(features="bias,y,x", activation="relu,identity", depth=3, width=5, channels=1),
])
def test_a_reader_of_the_contract_rebuilds_the_picture_from_the_file(tmp_path, kw):
    net = Network(seed=4, **kw)
    net.save(tmp_path / "n.npz", VIEW)
    spec = json.loads(str(np.load(tmp_path / "n.npz")["spec"]))
    assert spec["features"] == net.features and spec["input_names"][:len(net.features.split(","))] == \
        net.features.split(",")
    want = evaluate(net, VIEW)
    assert np.abs(independent(tmp_path / "n.npz", VIEW.width, VIEW.height) - want).max() < 1e-6
    back = Network.load(tmp_path / "n.npz")
    assert back == net and [l.activation for l in back.layers] == [l.activation for l in net.layers]
    assert np.abs(CPUBackend(threads=1).render(back, VIEW) - want).max() < 1e-4


def test_the_architecture_of_a_network():
    net = Network(seed=1, depth=4, width=6, inputs=4, features="x,y,r", activation="tanh,sin")
    arch = net.architecture
    assert arch.input_names == ("x", "y", "r", "z1", "z2") and arch.n_inputs == net.n_inputs == 5
    assert [(l.fan_out, l.fan_in) for l in arch.layers] == [(6, 5), (6, 6), (6, 6), (3, 6)]
    assert [l.activation for l in arch.layers] == ["tanh", "sin", "tanh", "sigmoid"]
    rows = arch.inputs(np.array([3.0]), np.array([-4.0]), np.array([0.25, -0.5]))
    assert rows.tolist() == [[3.0, -4.0, 5.0, 0.25, -0.5]]
    assert arch.constant_inputs(np.array([0.25, -0.5]))[:6].tolist() == [0, 0, 0, 0.25, -0.5, 0]
    assert "v.z = length(xy);" in arch.pixel_inputs_glsl()
    assert Network().architecture.pixel_inputs_glsl() is None   # x, y: the shaders' own code, as before


def test_mix_units_draws_one_activation_per_unit_from_the_seed():
    net = Network(seed=9, depth=4, width=12, activation="mix-units")
    acts = [l.activation for l in net.layers]
    assert all(isinstance(a, tuple) and len(a) == 12 for a in acts[:-1]) and acts[-1] == "sigmoid"
    assert len(set(acts[0])) > 2 and set(acts[0]) <= set(activations.MIX_CHOICES)
    assert acts == [l.activation for l in Network(seed=9, depth=4, width=12, activation="mix-units").layers]
    assert acts[:2] == [l.activation for l in net.replace(depth=3).layers][:2]   # deeper keeps the earlier draws
    assert acts != [l.activation for l in net.replace(seed=10).layers]


def test_a_list_repeats_and_takes_the_mix_defaults():
    net = Network(depth=6, activation="tanh, sin,relu")
    assert net.activation == "tanh,sin,relu"
    assert [l.activation for l in net.layers] == ["tanh", "sin", "relu", "tanh", "sin", "sigmoid"]
    mix = activations.DEFAULTS["mix"]
    assert (net.init, net.gain, net.bias_scale) == (mix.init, mix.gain, mix.bias_scale)
    units = Network(activation="mix-units")   # its own row (a layer of mixed units runs hotter than a mix)
    assert units.gain == activations.DEFAULTS["mix-units"].gain != mix.gain
    one = Network(activation="relu,relu")
    assert (one.init, one.gain) == ("he", activations.DEFAULTS["relu"].gain)


@pytest.mark.parametrize("kw, match", [
    (dict(features="x,q"), "unknown feature 'q'"), (dict(features="x,,y"), "comma list"),
    (dict(features="x,x"), "twice"), (dict(features="x,y,r", inputs=16), "at most 16"),
    (dict(activation="tanh,swish"), "unknown activation 'swish'"), (dict(activation="mix,tanh"), "'mix'"),
    (dict(activation=3), "activation must be"), (dict(features=["x"]), "features must be"),
])
def test_bad_architectures_are_one_line_errors(kw, match):
    with pytest.raises(GlnnError, match=match):
        Network(**kw)


def test_a_saved_file_that_says_per_unit_must_name_the_units(tmp_path):
    net = Network(seed=2, depth=3, width=5, activation="mix-units")
    net.save(tmp_path / "n.npz")
    z = dict(np.load(tmp_path / "n.npz"))
    spec = json.loads(str(z["spec"]))
    for bad in ([["tanh"] * 4, ["tanh"] * 5, "sigmoid"], "tanh", [["cube"] * 5, ["tanh"] * 5, "sigmoid"]):
        z["spec"] = np.array(json.dumps({**spec, "layer_activations": bad}))
        np.savez(tmp_path / "bad.npz", **z)
        with pytest.raises(GlnnError, match="one activation per unit"):
            Network.load(tmp_path / "bad.npz")


# ---------------------------------------------------------------- legacy: the release before features
def test_a_saved_network_of_the_last_release_reads_the_same():
    net, view = saved_network.load_with_view(LEGACY / "net-inputs3.npz")
    assert net.features == "x,y" and net.n_inputs == 3 and "input_names" not in json.loads(
        str(np.load(LEGACY / "net-inputs3.npz")["spec"]))
    old = np.load(LEGACY / "net-inputs3.npy")
    v = View(24, 16, tuple(view["center"]), view["extent"], view["time"])
    assert np.abs(evaluate(net, v) - old).max() < 1e-7
    assert np.abs(evaluate(net.replace(), v) - old).max() < 1e-6   # and its seed draws the same weights today


@pytest.mark.parametrize("name", ["mix.png", "relu-gray.png"])
def test_pictures_and_links_of_the_last_release_keep_their_meaning(name):
    recipe = read_recipe(LEGACY / name)
    assert "features" not in metadata.read_recipe_json(str(LEGACY / name))["network"]
    old = np.load(LEGACY / name.replace(".png", ".npy"))
    assert np.abs(evaluate(recipe.network, recipe.view) - old).max() < 1e-7   # its embedded weights
    fields = metadata.read_recipe_json(str(LEGACY / name))
    drawn = saved_network.from_recipe({k: v for k, v in fields.items() if k != "weights"}, name)
    assert np.abs(evaluate(drawn, recipe.view) - old).max() < 1e-6            # its hyperparameters, drawn today
    urls = dict(line.split(" ", 1) for line in (LEGACY / "urls.txt").read_text().splitlines())
    assert state_hash(recipe) == urls[name]   # the playground link the last release wrote: the same words


# ---------------------------------------------------------------- one place each
def test_a_throwaway_feature_and_activation_reach_numpy_and_cpu(monkeypatch):
    net = throwaway(monkeypatch)
    assert net.architecture.input_names == ("x", "y", "xy") and net.layers[1].activation == "cube"
    view = View(9, 7, (0.2, 0.1), 1.3)
    x, y = np.broadcast_arrays(*view.coords(np.arange(7)[:, None], np.arange(9)[None, :]))
    v = np.stack([x, y, x * y], -1) @ net.layers[0].W.T.astype(np.float64) + net.layers[0].b
    v = np.tanh(v)
    v = v @ net.layers[1].W.T.astype(np.float64) + net.layers[1].b
    v = v ** 3
    for l, f in zip(net.layers[2:], (np.tanh, lambda u: 1 / (1 + np.exp(-u)))):
        v = f(v @ l.W.T.astype(np.float64) + l.b)
    assert np.abs(evaluate(net, view) - v).max() < 1e-6   # float32 outputs of a float64 pass
    assert np.abs(CPUBackend(threads=1).render(net, view) - v).max() < 1e-4
    assert "xy.x * xy.y" in net.architecture.pixel_inputs_glsl()


@pytest.mark.parametrize("edit, match", [
    (lambda s: {**s, "input_names": ["x", "y", "ax", "z1"]}, "input_names"),
    (lambda s: {**s, "layer_activations": s["layer_activations"][:-1] + ["identity"]}, "layer_activations disagree"),
    (lambda s: {**s, "layer_activations": "tanh"}, "layer_activations disagree"),
])
def test_a_saved_spec_that_contradicts_itself_is_refused(tmp_path, edit, match):
    """A file whose architecture fields say one thing and its hyperparameters or arrays another would be drawn one
    way by glnn and another by a reader of the contract: refused, naming the file."""
    Network(seed=3, depth=3, width=5, inputs=3, features="x,y,r").save(tmp_path / "n.npz")
    z = dict(np.load(tmp_path / "n.npz"))
    z["spec"] = np.array(json.dumps(edit(json.loads(str(z["spec"])))))
    np.savez(tmp_path / "bad.npz", **z)
    with pytest.raises(GlnnError, match=f"'.*bad.npz'.*{match}"):
        Network.load(tmp_path / "bad.npz")
