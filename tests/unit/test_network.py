"""The network: determinism, "the same network" across depth and scale, save/load, validation."""
import hashlib
import math

import numpy as np
import pytest

from independent_numpy import independent
import glnn
from glnn import GlnnError, Network, View
from glnn.backends import reference
from glnn.io.saved_network import load_with_view


def digest(net):
    h = hashlib.sha256()
    for l in net.layers:
        h.update(l.W.tobytes())
        h.update(l.b.tobytes())
    return h.hexdigest()[:16]


def test_weights_are_float32_with_spec_shapes():
    net = Network(seed=5, depth=4, width=7, inputs=3, channels=1)
    assert [l.W.shape for l in net.layers] == [(7, 3), (7, 7), (7, 7), (1, 7)]
    assert all(l.W.dtype == np.float32 and l.b.dtype == np.float32 for l in net.layers)
    assert [l.activation for l in net.layers] == ["tanh", "tanh", "tanh", "sigmoid"]


def test_same_seed_same_bits_and_pinned_values():
    a, b = Network(seed=11), Network(seed=11)
    assert digest(a) == digest(b)
    assert digest(Network(seed=12)) != digest(a)
    # Pinned: the first weights of seed 0 must never change between versions or machines.
    w = Network(seed=0, depth=2, width=2, scale=1.0).layers[0].W
    assert w.dtype == np.float32
    expected = np.array(w)  # recomputed below from the documented recipe, independently
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([0, 1, 0, 2, 2])))
    np.testing.assert_array_equal(expected, rng.uniform(-1, 1, (2, 2)).astype(np.float32))
    literal = [0.0491219162940979, -0.5244796276092529, -0.30622541904449463, 0.8199881911277771]
    np.testing.assert_array_equal(w.ravel(), np.array(literal, np.float32))


def test_deepening_keeps_earlier_layers_and_readout():
    short, deep = Network(seed=3, depth=4), Network(seed=3, depth=9)
    for a, b in zip(short.layers[:-1], deep.layers[:-1]):
        np.testing.assert_array_equal(a.W, b.W)
        np.testing.assert_array_equal(a.b, b.b)
    np.testing.assert_array_equal(short.layers[-1].W, deep.layers[-1].W)


def test_mix_activations_are_kept_when_deepening():
    a = Network(seed=4, depth=6, activation="mix").layer_activations()
    b = Network(seed=4, depth=12, activation="mix").layer_activations()
    assert a[:5] == b[:5] and len(set(b[:-1])) > 1 and b[-1] == "sigmoid"


def test_scale_rescales_the_same_draws():
    a, b = Network(seed=2, scale=0.5, bias_scale=0.2), Network(seed=2, scale=1.0, bias_scale=0.4)
    for la, lb in zip(a.layers, b.layers):
        np.testing.assert_allclose(la.W * 2, lb.W, rtol=1e-6)
        np.testing.assert_allclose(la.b * 2, lb.b, rtol=1e-6)
    assert Network(scale=0.3).effective_bias_scale == 0.3


@pytest.mark.parametrize("init,expect", [
    ("he", lambda n_in, n_out: math.sqrt(2 / n_in)),          # std of a normal
    ("glorot", lambda n_in, n_out: math.sqrt(6 / (n_in + n_out))),  # limit of a uniform
])
def test_he_and_glorot_scales(init, expect):
    net = Network(seed=1, depth=3, width=400, init=init, gain=2.0)
    W = net.layers[1].W
    m = 2.0 * expect(400, 400)
    if init == "he":
        assert abs(W.std() / m - 1) < 0.02
    else:
        assert abs(np.abs(W).max() / m - 1) < 0.01


def test_time_inputs_are_periodic():
    net = Network(seed=8, inputs=7)
    z0, z1 = net.extra_inputs(0.3), net.extra_inputs(0.3 + net.period)
    assert z0.shape == (5,)
    np.testing.assert_allclose(z0, z1, atol=1e-6)
    assert not np.allclose(z0, net.extra_inputs(1.0))


@pytest.mark.parametrize("kwargs,pattern", [
    (dict(depth=0), "depth must be"), (dict(depth=65), "depth must be"), (dict(width=513), "width must be"),
    (dict(channels=2), "channels must be 1 or 3"), (dict(inputs=1), "inputs must be"),
    (dict(activation="swish"), "unknown activation"), (dict(init="xavier"), "unknown init"),
    (dict(scale=float("nan")), "scale must be"), (dict(scale=-1), "scale must be"), (dict(seed=-3), "seed must be"),
])
def test_bad_hyperparameters(kwargs, pattern):
    with pytest.raises(GlnnError, match=pattern):
        Network(**kwargs)


def test_save_load_round_trip(tmp_path):
    net = Network(seed=9, depth=5, width=6, inputs=4, activation="mix", init="normal", scale=0.7, bias_scale=0.3)
    view = View(40, 30, center=(0.5, -0.25), extent=2.0, time=1.25)
    path = tmp_path / "n.npz"
    net.save(path, view)
    back, saved_view = load_with_view(path)
    assert saved_view == {"center": [0.5, -0.25], "extent": 2.0, "time": 1.25}
    assert digest(back) == digest(net)
    assert [l.activation for l in back.layers] == [l.activation for l in net.layers]
    np.testing.assert_array_equal(reference.evaluate(back, view), reference.evaluate(net, view))


def test_saved_file_evaluates_with_independent_numpy(tmp_path):
    """docs/contract.md (a saved network): a dozen lines of numpy, knowing nothing of glnn, give the same picture."""
    net = Network(seed=21, depth=6, width=9, inputs=5, channels=3, activation="mix")
    view = View(37, 23, center=(-0.3, 0.8), extent=1.7, time=2.5)
    net.save(tmp_path / "n.npz", view)
    v = independent(tmp_path / "n.npz", 37, 23)
    np.testing.assert_allclose(v, reference.evaluate(net, view), atol=1e-6)


@pytest.mark.parametrize("content,pattern", [
    (b"not a zip", "is not a glnn network file"),
])
def test_load_rejects_garbage(tmp_path, content, pattern):
    p = tmp_path / "bad.npz"
    p.write_bytes(content)
    with pytest.raises(GlnnError, match=pattern):
        Network.load(p)


def test_load_rejects_wrong_shapes_and_nan(tmp_path):
    net = Network(seed=1, depth=3, width=4)
    net.save(tmp_path / "ok.npz")
    z = dict(np.load(tmp_path / "ok.npz"))
    bad = dict(z, W1=np.zeros((5, 4), np.float32))
    np.savez(tmp_path / "shape.npz", **bad)
    with pytest.raises(GlnnError, match=r"W1 has shape \(5, 4\)"):
        Network.load(tmp_path / "shape.npz")
    nan = dict(z, b0=np.full(4, np.nan, np.float32))
    np.savez(tmp_path / "nan.npz", **nan)
    with pytest.raises(GlnnError, match="NaN"):
        Network.load(tmp_path / "nan.npz")
    with pytest.raises(GlnnError, match="does not exist"):
        Network.load(tmp_path / "missing.npz")


def test_api_render_numpy_and_image():
    net = Network(seed=1, depth=3, width=5, channels=1)
    pic = glnn.render(net, size=(20, 10), backend="numpy")
    assert pic.shape == (10, 20, 1) and pic.dtype == np.float32
    img = glnn.render_image(net, size=(20, 10), backend="numpy")
    assert img.size == (20, 10) and img.mode == "L"
    np.testing.assert_array_equal(np.asarray(img), np.rint(np.clip(pic[:, :, 0], 0, 1) * 255).astype(np.uint8))


def test_python_api_accepts_natural_forms_and_names_the_argument_otherwise(tmp_path):
    net = Network(seed=1, depth=3, width=5)
    a = glnn.render(net, size=(20, 10), center=(0.5, 0.0), backend="numpy")
    np.testing.assert_array_equal(glnn.render(net, size="20x10", center="0.5,0", backend="numpy"), a)
    assert glnn.render(net, size=8, backend="numpy").shape == (8, 8, 3)
    for kwargs, message in [(dict(size=(1, 2, 3)), "size must be"), (dict(size="big"), "size must be"),
                            (dict(center=1.0), "center must be"), (dict(center="0;0"), "center must be"),
                            (dict(size=0), "width must be")]:
        with pytest.raises(GlnnError, match=message):
            glnn.render(net, backend="numpy", **kwargs)
    from glnn.explore import animate

    n = animate.animate(net, tmp_path / "a.gif", [("scale", 0.4, 0.8), ("center", (0, 0), (1, 1))], size=8,
                        n_frames=2, backend="numpy")
    assert n == 2
    with pytest.raises(GlnnError, match="a sweep is"):
        animate.animate(net, tmp_path / "b.gif", [42], size=8, n_frames=2, backend="numpy")


def test_load_equals_the_saved_network_and_folders_are_named(tmp_path):
    net = Network(seed=4, depth=3, width=5)
    net.save(tmp_path / "n.npz")
    assert Network.load(tmp_path / "n.npz") == net
    (tmp_path / "dir.npz").mkdir()
    with pytest.raises(GlnnError, match="is a folder"):
        Network.load(tmp_path / "dir.npz")
    (tmp_path / "t.npz").write_text("just text")
    with pytest.raises(GlnnError, match="not a glnn network file") as info:
        Network.load(tmp_path / "t.npz")
    assert "pickle" not in str(info.value)
