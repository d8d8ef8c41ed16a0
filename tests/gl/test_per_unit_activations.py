"""One activation per unit (mix-units, or a hand-made network whose layers have tuples of names) on every GL
kernel, the web page and the Shadertoy shader, against the numpy reference; the packing groups the units by
activation (glnn/gl/packing.py, docs/contract.md "GL layout of per-unit activations"); probes of such layers on gl
are the unpermuted layer's units."""
import base64

import numpy as np
import pytest

from glnn import Network, View
from glnn.backends import reference
from glnn.gl import kernels as K
from glnn.gl import packing
from glnn.io.recipe import Recipe
from glnn.model import activations, colour, probe
from glnn.model.network import Layer
from glnn.rendering import hidden, probes
from glnn.web import webgl
from web_harness import desktop, draw_desktop, page_desktop, per_unit_recipes_without_weights, shadertoy_desktop

TOL = 1e-4
ALTERNATING = ("tanh", "relu", "sin", "relu", "gaussian", "tanh", "sigmoid")   # groups of 4 would all be mixed


def check_every_kernel(gl, net, view, kernels=None):
    """Every GL kernel that can draw `net` (at least `kernels` of them) within TOL of the reference."""
    ref = reference.evaluate(net, view)
    usable = [k.name for k in gl.kernels_for(net)]
    assert set(kernels or ()) <= set(usable), usable
    for name in usable:
        got = gl.render(net, view, kernel=name)
        diff = float(np.abs(got - ref).max())
        assert np.isfinite(got).all() and diff <= TOL, f"{name}: max abs diff {diff:.3g} for {net}"
    return ref


def hand_made(depth, width, inputs=2, channels=3, readout=None, seed=0):
    """A network whose hidden units cycle through ALTERNATING (not grouped), readout `readout` (a name or a tuple)."""
    rng = np.random.default_rng(seed)
    base = Network(seed=seed, depth=depth, width=width, inputs=inputs, channels=channels)
    layers = []
    for i, (out, inn) in enumerate(base.layer_shapes()):
        W = (rng.standard_normal((out, inn)) * 1.3 / np.sqrt(inn)).astype(np.float32)
        b = (rng.standard_normal(out) * 0.3).astype(np.float32)
        if i < depth - 1:
            act = tuple(ALTERNATING[(3 * u + i) % len(ALTERNATING)] for u in range(out))
        else:
            act = readout or "sigmoid"
        layers.append(Layer(W, b, act))
    return base.replace(loaded_layers=tuple(layers), loaded_time=tuple(tuple(v) for v in base.time_params()))


@pytest.mark.parametrize("depth", [1, 2, 3, 6])
@pytest.mark.parametrize("width", [6, 13, 30])
def test_mix_units_on_every_kernel(gl, depth, width):
    net = Network(seed=depth * 100 + width, depth=depth, width=width, activation="mix-units")
    assert depth == 1 or any(isinstance(l.activation, tuple) for l in net.layers)
    ref = check_every_kernel(gl, net, View(21, 15, center=(0.1, -0.2), extent=1.5), K.NAMES)
    assert ref.std() > 1e-3


@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("width", [5, 8])
def test_hand_made_per_unit_layers_and_readout(gl, depth, width):
    """Ungrouped hidden units, and a readout with one activation per channel (never permuted)."""
    net = hand_made(depth, width, inputs=3, readout=("sin", "identity", "relu"), seed=depth + width)
    check_every_kernel(gl, net, View(17, 13, extent=1.2, time=0.8), K.NAMES)
    one = hand_made(depth, width, channels=1, readout=("softsign",), seed=7)
    check_every_kernel(gl, one, View(9, 7), K.NAMES)


def test_wide_mix_units_on_the_layered_kernels(gl):
    net = Network(seed=3, depth=4, width=150, activation="mix-units")
    assert K.path_of(net) == "layered"
    check_every_kernel(gl, net, View(13, 9), ["gemm", "layered"])


def test_single_activation_networks_build_the_same_programs(gl):
    """No UNIT_ACTS and no activation texels for a network of one activation per layer (their programs and
    layouts are as before per-unit activations existed); UNIT_ACTS for a per-unit one."""
    plain, mixed = Network(seed=1, depth=4, width=9, activation="mix"), Network(seed=1, depth=4, width=9,
                                                                                  activation="mix-units")
    for kernel in K.KERNELS.values():
        for desc in kernel.programs(plain, gl.device):
            assert "UNIT_ACTS" not in dict(desc.defines)
        assert any(dict(d.defines).get("UNIT_ACTS") == 1 for d in kernel.programs(mixed, gl.device))
    texels, _ = packing.pack_weights(plain)
    n = sum(len(t) for t in packing.mat4_layers(plain))
    assert n == sum(packing.groups(o) * (4 * packing.groups(i) + 1) for o, i in plain.layer_shapes())
    assert "UNIT_ACTS" not in webgl.network_defines(plain)
    assert webgl.network_defines(mixed)["UNIT_ACTS"] == 1
    assert webgl.network_defines(mixed)["LAYER_ACTS"] == "ACT_UNITS, ACT_UNITS, ACT_UNITS, ACT_SIGMOID"


def non_uniform_groups(ids):
    lanes = np.full(packing.groups(len(ids)) * 4, -99)
    lanes[:len(ids)] = ids
    g = lanes.reshape(-1, 4)
    return int(np.sum(np.any(g != g[:, :1], axis=1) & np.all(g[:, 1:] != -99, axis=1)))


@pytest.mark.parametrize("width", [7, 30, 64])
def test_packing_groups_units_by_activation(width):
    """At most one mixed group of 4 per activation boundary; the activation texels are the permuted ids, padded
    with identity; the permuted layers compute the same function; the readout is not permuted."""
    for net in (Network(seed=width, depth=5, width=width, activation="mix-units"), hand_made(4, width)):
        packed = packing.packed_layers(net)
        chunks, offsets = packing._layer_texels(net, packing._mat4_columns)
        assert chunks == [] or [len(c) for c in chunks] == [len(t) for t in packing.mat4_layers(net)]
        for i, (layer, p) in enumerate(zip(net.layers[:-1], packed[:-1])):
            ids = activations.unit_ids(layer.activation)
            assert np.all(np.diff(p.ids) >= 0), "grouped in table order"
            assert np.array_equal(p.ids, ids[p.order]) and np.array_equal(p.W, layer.W[p.order][:, packed[i - 1].order]
                                                                          if i else layer.W[p.order])
            boundaries = len(set(ids.tolist())) - 1
            assert non_uniform_groups(p.ids) <= boundaries
            out, inn = layer.W.shape
            act_texels = chunks[i][-packing.groups(out):]   # after the bias texels
            lanes = act_texels.ravel()
            assert np.array_equal(lanes[:out], p.ids.astype(np.float32))
            assert np.all(lanes[out:] == activations.IDS["identity"])
            assert len(chunks[i]) == packing.groups(out) * (4 * packing.groups(inn) + 2)
        assert packed[-1].order is None and np.array_equal(packed[-1].W, net.layers[-1].W[:, packed[-2].order])
        # the same function: a forward pass through the packed layers
        x = np.random.default_rng(0).standard_normal((50, net.n_inputs))
        y = x
        for layer, p in zip(net.layers, packed):
            act = layer.activation if p.ids is None else tuple(activations.NAMES[k] for k in p.ids)
            y = activations.apply(act, y @ p.W.T.astype(np.float64) + p.b)
        want = x
        for layer in net.layers:
            want = activations.apply(layer.activation, want @ layer.W.T.astype(np.float64) + layer.b)
        assert np.abs(y - want).max() < 1e-12
        # gemm's floats: W transposed, b, then one id per output row
        flat, offs = packing.pack_gemm(net)
        p0 = packed[0]
        o0 = p0.W.size + p0.b.size
        assert np.array_equal(flat[o0:o0 + len(p0.ids)], p0.ids.astype(np.float32)) and offs[1] == o0 + len(p0.ids)


def test_unit_slots_invert_the_grouping():
    net = hand_made(4, 11)
    for layer, p, slots in zip(net.layers, packing.packed_layers(net), packing.unit_slots(net)):
        assert np.array_equal(p.order[slots], np.arange(11))


@pytest.mark.parametrize("spec", ["unit:1:2", "unit:2:5", "unit:3:11", "units:2", "regions", "saturation"])
def test_probes_of_per_unit_layers_on_gl(engine, spec):
    """Probes draw truncated networks on gl: unit J is unit J of the layer as made, not of the packed layer."""
    net = Network(seed=4, depth=4, width=11, activation="mix-units")
    view = View(23, 17, extent=1.4)
    p = probe.parse_probe(spec, net)
    gl_pic = probes.probe_picture(p, net, view, engine.backend("gl"))
    np_pic = probes.probe_picture(p, net, view, engine.backend("numpy"))
    assert gl_pic.shape == np_pic.shape and np.abs(gl_pic - np_pic).max() < TOL
    assert np_pic.std() > 1e-3


def test_hidden_layers_of_a_hand_made_network_on_gl(engine):
    net = hand_made(3, 9, inputs=4)
    view = View(15, 11, time=0.5)
    want = list(hidden.hidden_layers(net, view, engine.backend("numpy"), units=[8, 0, 3, 5]))
    got = list(hidden.hidden_layers(net, view, engine.backend("gl"), units=[8, 0, 3, 5]))
    for (k, pre, y), (_, pre_ref, y_ref) in zip(got, want):
        assert np.abs(pre - pre_ref).max() < TOL and np.abs(y - y_ref).max() < TOL, k


@pytest.mark.parametrize("net", [Network(seed=9, depth=4, width=9, activation="mix-units", inputs=3),
                                 hand_made(3, 6, inputs=3, readout=("sin", "identity", "relu"))],
                         ids=["mix-units", "hand-made"])
def test_page_and_shadertoy(ctx, net, monkeypatch):
    per_unit_recipes_without_weights(monkeypatch)
    view = View(23, 17, center=(0.2, -0.1), extent=1.4, time=0.7)
    ref = colour.apply(reference.evaluate(net, view), None)
    assert np.abs(page_desktop(ctx, net, view) - ref).max() < 2e-4
    st = shadertoy_desktop(ctx, net, View(23, 17, (0.2, -0.1), 1.4, 0.0), itime=0.7)
    assert np.abs(st - ref).max() < 2e-4


@pytest.mark.parametrize("k, j", [(1, 1), (2, 4), (3, 9)])
def test_page_unit_probe_shows_the_unit(ctx, engine, monkeypatch, k, j):
    """The page's unit probe (web_unit.glsl, defines as glnn/web/playground.js writes them) finds unit J of a
    per-unit layer through UNIT_SLOTS."""
    per_unit_recipes_without_weights(monkeypatch)
    net = hand_made(4, 9, inputs=2)
    view = View(16, 12, extent=1.3)
    spec = webgl.page_spec(Recipe(net, view, "rgb"))
    lo, hi = -3.0, 3.0
    defines = (f"#define PROBE_UNIT 1\n#define PROBE_LAYER {k}\n#define PROBE_INDEX {j - 1}\n"
               f"#define PROBE_BOUNDS vec2({lo}, {hi})\n")
    src = desktop(spec["fragment"])
    head, rest = src.split("\n", 1)
    got = draw_desktop(ctx, head + "\n" + defines + rest, view.size, {
        "u_view_center": view.center, "u_view_extent": view.extent, "u_canvas": view.size, "u_step": 1.0,
        "u_time": view.time}, (base64.b64decode(spec["weights"]), spec["texture"]))
    _, _, y = next(iter(hidden.hidden_layers(net, view, engine.backend("numpy"), layers=[k], units=[j - 1])))
    want = np.clip((y[..., 0] - lo) / (hi - lo), 0.0, 1.0)
    assert np.abs(got[..., 0] - want).max() < 2e-4



def test_no_kernel_is_one_line_error(gl, monkeypatch):
    """A network no kernel can draw is a GlnnError naming each kernel's reason (it was an IndexError)."""
    from glnn.errors import GlnnError

    net = Network(seed=1, depth=3, width=8, activation="mix-units")
    for k in K.KERNELS.values():
        monkeypatch.setattr(type(k), "refuse", lambda self, net, device: f"the {self.name!r} kernel says no")
    with pytest.raises(GlnnError, match="no GL kernel can draw this 3 x 8 network: the 'shared' kernel says no; "):
        gl.kernel(net)
