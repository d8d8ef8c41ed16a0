"""Probes and statistics (glnn/rendering/probes.py) against a plain numpy forward pass, on every backend; seed morphs."""
import numpy as np
import pytest

from glnn import Network, View
from glnn.explore import layer_stats
from glnn.model import probe
from glnn.rendering import hidden
from glnn.rendering import probes
from glnn.model import activations
from glnn.explore.animate import frames
from glnn.backends.reference import inputs_for
from glnn.errors import GlnnError
from glnn.io.sweeps import parse_sweep


def plain_preacts(net, view):
    """Every hidden layer's pre-activations, (H, W, width) float64, by the book (the test's own forward pass)."""
    rows, cols = np.mgrid[0:view.height, 0:view.width]
    y = inputs_for(net, view, rows, cols)
    out = []
    for layer in net.layers[:-1]:
        pre = y @ layer.W.T.astype(np.float64) + layer.b.astype(np.float64)
        out.append(pre.reshape(view.height, view.width, -1))
        y = activations.apply(layer.activation, pre)
    return out


@pytest.fixture(params=["numpy", "cpu", "gl"])
def backend(request, engine):
    return engine.backend(request.param)


NETS = [Network(seed=3, depth=4, width=7, activation="relu"), Network(seed=4, depth=3, width=5, inputs=5),
        Network(seed=5, depth=5, width=6, activation="mix")]


@pytest.mark.parametrize("net", NETS, ids=["relu", "tanh-5-inputs", "mix"])
def test_hidden_layers_match_the_forward_pass(backend, net):
    view = View(19, 13, center=(0.3, -0.1), extent=1.7, time=0.9)
    want = plain_preacts(net, view)
    got = list(hidden.hidden_layers(net, view, backend))
    assert [k for k, _, _ in got] == list(range(1, net.depth))
    for (k, pre, y), ref in zip(got, want):
        assert pre.shape == ref.shape
        assert np.abs(pre - ref).max() < 1e-4, (backend.name, k)
        assert np.abs(y - activations.apply(net.layers[k - 1].activation, ref)).max() < 1e-4


def test_unit_probe_is_that_unit(backend):
    net = Network(seed=8, depth=5, width=9)
    view = View(21, 15, extent=1.3)
    pic = probes.probe_picture(probe.parse_probe("unit:3:7", net), net, view, backend)
    ref = np.tanh(plain_preacts(net, view)[2][..., 6])
    assert pic.shape == (15, 21, 1)
    assert np.abs(pic[..., 0] - (ref + 1) / 2).max() < 1e-4


def test_units_sheet_tiles_are_the_units(engine):
    net = Network(seed=2, depth=4, width=5, activation="relu")
    view = View(200, 120, extent=2.0)
    sheet = probes.probe_picture(probe.parse_probe("units:2", net), net, view, engine.backend("numpy"))
    cols, rows, tw, th = probes.sheet_layout(5, (200, 120))
    assert cols * rows >= 5 and sheet.shape == (120, 200, 1)
    pre = plain_preacts(net, View(tw, th, extent=2.0))[1]
    for j in range(5):
        r, c = divmod(j, cols)
        x0, y0 = probe.GUTTER + c * (tw + probe.GUTTER), probe.GUTTER + r * (th + probe.GUTTER)
        y = np.maximum(pre[..., j], 0)
        assert np.abs(sheet[y0:y0 + th, x0:x0 + tw, 0] - y / (y.max() or 1)).max() < 1e-6
    assert sheet[0, :, 0].min() == 1.0   # white gutters


def test_regions_of_one_relu_layer_are_a_line_arrangement(backend):
    """A relu layer of n units on the plane: regions are the cells of n lines, at most 1 + n + n(n-1)/2."""
    net = Network(seed=6, depth=2, width=6, activation="relu")
    view = View(96, 96, extent=4.0)
    rgb, n = probes.regions(net, view, backend)
    assert rgb.shape == (96, 96, 3) and 2 <= n <= 1 + 6 + 15
    pre = plain_preacts(net, view)[0]
    _, want = np.unique((pre > 0).reshape(-1, 6), axis=0, return_counts=True)
    assert n == len(want)


def test_regions_agree_across_backends(engine):
    net = Network(seed=1, depth=5, width=8, activation="relu")
    view = View(64, 48, extent=2.5)
    ref = probes.patterns(net, view, engine.backend("numpy"))
    for name in ("cpu", "gl"):
        got = probes.patterns(net, view, engine.backend(name))
        assert (got != ref).mean() < 0.01, name   # float32 may flip a unit right on a boundary


def test_saturation_heat_map(engine):
    b = engine.backend("numpy")
    view = View(24, 24, extent=2.0)
    calm = probes.saturation(Network(seed=1, depth=4, width=6, activation="identity"), view, b)
    hot = probes.saturation(Network(seed=1, depth=4, width=6, scale=40.0), view, b)
    assert calm.max() == 0.0 and hot.mean() > 0.8
    net = Network(seed=2, depth=3, width=5)
    pres = plain_preacts(net, view)
    want = np.mean([np.abs(p) > 1.0 for p in pres], axis=0).mean(axis=-1)   # tanh: saturated past |x| = 1
    assert np.abs(probes.saturation(net, view, b)[..., 0] - want).max() < 1e-6   # float32 picture


def test_stats_by_the_book(engine):
    net = Network(seed=4, depth=4, width=6, activation="relu")
    view = View(32, 24, extent=1.5)
    rows = layer_stats.stats(net, view, engine.backend("numpy"))
    assert [r["layer"] for r in rows] == [1, 2, 3, 4] and rows[-1]["patterns"] is None
    pres = plain_preacts(net, view)
    r, c = np.mgrid[0:24, 0:32]
    prev = np.linalg.norm(inputs_for(net, view, r, c), axis=1)
    for k, pre in enumerate(pres, start=1):
        y = np.maximum(pre, 0).reshape(-1, 6)
        assert rows[k - 1]["mean_abs"] == pytest.approx(np.abs(y).mean())
        assert rows[k - 1]["rms_pre"] == pytest.approx(np.sqrt((pre ** 2).mean()))
        assert rows[k - 1]["norm_ratio"] == pytest.approx((np.linalg.norm(y, axis=1) / prev).mean())
        assert rows[k - 1]["saturated"] == pytest.approx((pre > 0).mean())   # relu: the active fraction
        assert rows[k - 1]["patterns"] == len(np.unique(pre.reshape(-1, 6) > 0, axis=0))
        prev = np.linalg.norm(y, axis=1)


def test_he_keeps_norms_and_uniform_does_not(engine):
    """The article's equation 3: He init keeps ||y_k|| near ||y_k-1|| for relu."""
    view = View(48, 48, center=(2.0, 1.0), extent=1.0)
    b = engine.backend("cpu")
    ratios = {}
    for init in ("he", "uniform"):
        values = []
        for seed in range(2):
            net = Network(seed=seed, depth=8, width=100, activation="relu", init=init, scale=0.8, gain=1.0,
                          bias_scale=0.0)
            values += [r["norm_ratio"] for r in layer_stats.stats(net, view, b)[1:-1]]   # hidden layers 2..7
        ratios[init] = np.mean(values)
    assert abs(ratios["he"] - 1.0) < 0.15 and ratios["uniform"] > 2.0


@pytest.mark.parametrize("text,message", [("units:4", "layer 4 is not a hidden layer"), ("unit:1:9", "unit 9"),
                                          ("unit:1", "expected unit:K:J"), ("cells", "unknown probe"),
                                          ("units:x", "whole numbers")])
def test_bad_probes(text, message):
    with pytest.raises(GlnnError, match=message):
        probe.parse_probe(text, Network(depth=4, width=8))


# ------------------------------------------------------------------ seed morphs
def test_morph_starts_and_ends_at_the_stills(engine):
    net = Network(seed=3, depth=5, width=9, inputs=3)
    view = View(20, 14, time=0.5)
    got = list(frames(net, view, [parse_sweep("seed:3:9")], 5, backend="cpu", engine=engine))
    assert np.array_equal(got[0], engine.render(net, view, "cpu"))
    assert np.array_equal(got[-1], engine.render(net.replace(seed=9), view, "cpu"))
    assert not np.array_equal(got[1], got[0]) and not np.array_equal(got[2], got[1])


def test_morph_keeps_the_scale_of_a_single_draw():
    a, b = Network(seed=1, depth=3, width=200, init="normal", scale=1.0), 2
    half = a.morph(b, 0.5)
    for la, lh in zip(a.layers, half.layers):
        assert np.std(lh.W) == pytest.approx(np.std(la.W), rel=0.05)   # a straight line would give 0.71
    assert a.morph(b, 0.0) is a and a.morph(b, 1.0) == a.replace(seed=2)


def test_seed_chains_loop():
    s = parse_sweep("seed:3,9,4,3")
    assert s.loops and s.text == "seed:3,9,4,3" and parse_sweep("seed:3:9").text == "seed:3:9"
    assert s.value(0.0) == (3, 9, 0.0) and s.value(1 / 3) == (9, 4, 0.0)


def test_python_api():
    import glnn
    net = Network(seed=2, depth=4, width=6, activation="relu")
    im = glnn.probe_image(net, "regions", size=(40, 30), extent=2.0, backend="cpu")
    assert im.size == (40, 30) and im.mode == "RGB"
    rows = glnn.layer_stats(net, size=(16, 16))
    assert len(rows) == 4 and rows[0]["patterns"] >= 1
