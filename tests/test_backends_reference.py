"""Every backend and GL path against the numpy reference: max abs difference at most 1e-4 (SPEC.md section 6).

The `renderer` here is parametrized: the GL renderer (both paths, on llvmpipe in
CI) and the fast CPU backend (float32 numpy), which ignores `path`.
"""
import math

import numpy as np
import pytest

from glnn import Network, View, activations, cpu, reference
from glnn import gl_renderer as glr


class CPURenderer:
    compiles = 0

    def render(self, net, view, path=None):
        return cpu.evaluate(net, view)


@pytest.fixture(params=["gl", "cpu"])
def renderer(request):
    if request.param == "cpu":
        return CPURenderer()
    return request.getfixturevalue("gl_renderer")

TOL = 1e-4
PATHS = ("fragment", "compute", "shared", "layered", "gemm")


def well_scaled(width):
    """A uniform scale that keeps a tanh network out of chaos: std(W) * sqrt(fan-in) about 1.2."""
    return min(1.0, 1.2 * math.sqrt(3.0 / max(width, 1)))


def check(renderer, net, view, path=None, tol=TOL):
    ref = reference.evaluate(net, view)
    got = renderer.render(net, view, path=path)
    assert got.shape == ref.shape == (view.height, view.width, net.channels)
    assert np.isfinite(got).all()
    diff = float(np.abs(got - ref).max())
    assert diff <= tol, f"max abs diff {diff:.3g} > {tol} for {net} {view} path={path}"
    # guard against a flat picture passing by accident
    return diff, float(ref.std())


@pytest.mark.parametrize("depth", [1, 2, 5, 27, 40])
@pytest.mark.parametrize("width", [1, 3, 10, 30, 64, 400])
def test_depth_width_matrix(renderer, depth, width):
    net = Network(seed=depth * 1000 + width, depth=depth, width=width, scale=well_scaled(width))
    view = View(23, 17, center=(0.1, -0.2), extent=1.3)
    path = glr.choose_path(net)
    check(renderer, net, view)
    if path == "fused" and depth <= 27:  # the other kernels must agree as well
        check(renderer, net, view, path="gemm")
        check(renderer, net, view, path="fragment")
    if path == "fused" and (depth <= 5 or (depth, width) == (27, 30)):
        check(renderer, net, view, path="shared")   # 1, 2 and 4 pixels per invocation (widths 64, 30, <= 16)
    if path == "layered" or depth <= 5:
        check(renderer, net, view, path="layered")   # the GL 3.3 kernel for wide networks


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("activation", activations.HIDDEN_CHOICES)
def test_each_activation(renderer, activation, path):
    net = Network(seed=7, depth=6, width=10, activation=activation, scale=0.9)
    _, std = check(renderer, net, View(31, 19, extent=2.0), path)
    assert std > 1e-3


@pytest.mark.parametrize("out_act", activations.NAMES)
def test_each_output_activation(renderer, out_act):
    check(renderer, Network(seed=3, depth=3, width=8, output_activation=out_act), View(16, 16))


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("init", ["uniform", "normal", "he", "glorot"])
@pytest.mark.parametrize("channels", [1, 3])
def test_inits_and_channels(renderer, init, channels, path):
    net = Network(seed=5, depth=8, width=12, init=init, channels=channels, scale=0.6, gain=1.3)
    check(renderer, net, View(29, 29), path)


@pytest.mark.parametrize("size", [(1, 1), (2, 3), (64, 64), (97, 13), (11, 61), (300, 7)])
@pytest.mark.parametrize("path", PATHS)
def test_sizes(renderer, size, path):
    check(renderer, Network(seed=2, depth=4, width=9), View(*size, center=(0.3, 0.2)), path)


@pytest.mark.parametrize("extent", [0.01, 0.1, 1.0, 7.5, 50.0])
@pytest.mark.parametrize("center", [(0.0, 0.0), (0.7, -1.3), (-12.0, 30.0)])
def test_views(renderer, extent, center):
    check(renderer, Network(seed=4, depth=10, width=16, scale=0.6), View(40, 24, center=center, extent=extent))


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("time", [0.0, 0.4, 2.0, 5.5, -3.0])
def test_seven_inputs_over_time(renderer, time, path):
    net = Network(seed=13, depth=10, width=20, inputs=7, scale=0.5)
    check(renderer, net, View(24, 24, time=time), path)


def test_sixteen_inputs_and_time_moves_the_picture(renderer):
    net = Network(seed=1, depth=5, width=24, inputs=16, scale=0.5)
    a = renderer.render(net, View(20, 20, time=0.0))
    b = renderer.render(net, View(20, 20, time=1.0))
    check(renderer, net, View(20, 20, time=1.0))
    assert np.abs(a - b).max() > 1e-2


def test_tiles_meet_without_seams(renderer, monkeypatch):
    """Small tiles (fused) and a small atlas budget (layered) give the same pixels as one pass."""
    net = Network(seed=6, depth=5, width=40, scale=0.4)
    view = View(70, 45, center=(0.2, 0.1))
    monkeypatch.setattr(glr, "FUSED_TILE", 16)
    check(renderer, net, view, "fragment")
    check(renderer, net, view, "compute")
    check(renderer, net, view, "shared")
    monkeypatch.setattr(glr, "MAX_GROUPS_X", 3)   # the shared kernel's 2D dispatch, with spare groups
    check(renderer, net, view, "shared")
    monkeypatch.setattr(glr, "LAYERED_ATLAS_BYTES", 16 * 16 * 16 * 16)  # 16x16-pixel tiles
    check(renderer, net, view, "layered")
    monkeypatch.setattr(glr, "GEMM_TILE_BYTES", 4 * 40 * 70 * 7)  # 7-row tiles of 70 pixels
    check(renderer, net, view, "gemm")
    check(renderer, net, View(300, 9, center=(0.1, 0.2)), "gemm")  # tiles 256 pixels wide


def test_wide_picture_crosses_the_default_tile(renderer):
    net = Network(seed=6, depth=2, width=6)
    check(renderer, net, View(glr.FUSED_TILE + 37, 9, extent=0.5))


def test_deep_wide_network_near_llvmpipe_loop_cap(renderer):
    """64 layers x 64 units: about 16,000 inner trips per pixel on the fused path; 64 x 512 goes layered."""
    net = Network(seed=1, depth=64, width=64, init="he", gain=1.0, bias_scale=0.2)
    assert glr.choose_path(net) == "fused" and glr.fused_inner_trips(net) > 15000
    check(renderer, net, View(12, 10))
    if isinstance(renderer, glr.GLRenderer) and not renderer.unroll:
        assert "shared" not in renderer.kernels(net)   # its rolled loops would pass the cap
    wide = Network(seed=1, depth=6, width=512, init="he", bias_scale=0.2)
    assert glr.choose_path(wide) == "layered"
    check(renderer, wide, View(9, 7))


@pytest.mark.parametrize("kernel", ["fragment", "compute"])
def test_unrolled_variant_used_on_gpus(gl_renderer, monkeypatch, kernel):
    """GPUs get the inner loops unrolled (UNROLL 1); llvmpipe compiles it too, so check it here."""
    monkeypatch.setattr(gl_renderer, "unroll", True)
    for net, view in [(Network(seed=3, depth=9, width=30, scale=0.5), View(21, 13, center=(0.3, 0.2))),
                      (Network(seed=4, depth=1, width=3, inputs=7), View(9, 9, time=2.0)),
                      (Network(seed=5, depth=3, width=5, inputs=5, channels=1, activation="mix"), View(12, 8))]:
        check(gl_renderer, net, view, kernel)


def test_new_weights_and_view_do_not_recompile(renderer):
    net = Network(seed=1, depth=7, width=11)
    renderer.render(net, View(8, 8))
    before = renderer.compiles
    for change in [dict(seed=2), dict(scale=0.3), dict(bias_scale=0.1), dict(activation="relu"), dict(init="he")]:
        check(renderer, net.replace(**change), View(8, 8, center=(1, 2), extent=0.3, time=4.0))
    assert renderer.compiles == before


def test_chaotic_network_agrees_statistically(renderer):
    """Large scale, deep: rounding is amplified (SPEC.md section 6), so compare by statistics."""
    net = Network(seed=3, depth=27, width=30, scale=1.0)
    view = View(48, 48)
    ref, got = reference.evaluate(net, view), renderer.render(net, view)
    d = np.abs(ref - got)
    assert np.median(d) < 1e-3 and np.mean(d < 0.05) > 0.97
    assert abs(float(ref.mean() - got.mean())) < 0.01


def test_cpu_rect_matches_full_picture():
    net = Network(seed=9, depth=5, width=11)
    view = View(50, 31, center=(0.2, 0.3))
    full = cpu.evaluate(net, view, chunk_pixels=100)
    np.testing.assert_array_equal(cpu.evaluate(net, view, rect=(7, 4, 20, 13)), full[4:17, 7:27])


def test_pack_weights_layout():
    net = Network(seed=1, depth=2, width=5, inputs=3)
    tex, offsets = glr.pack_weights(net)
    flat = tex.reshape(-1, 4)
    W0 = net.layers[0].W  # (5, 3): 2 output groups x 1 input group
    # block (o=1, j=0), column k=2 holds W[4:8, 2] padded
    np.testing.assert_array_equal(flat[offsets[0] + 4 * 1 + 2], [W0[4, 2], 0, 0, 0])
    # biases after the 2 blocks of 4 texels
    np.testing.assert_array_equal(flat[offsets[0] + 8], net.layers[0].b[:4])
    assert offsets[1] == 8 + 2


def test_pack_rows_layout():
    net = Network(seed=1, depth=2, width=5, inputs=3, channels=1)
    texels, offsets, largest = glr.pack_rows(net)
    W0, W1 = net.layers[0].W, net.layers[1].W     # (5, 3) and (1, 5)
    np.testing.assert_array_equal(texels[offsets[0] + 4], [W0[4, 0], W0[4, 1], W0[4, 2], 0])
    # 5 rows padded to 8, one texel each, then 2 bias texels
    np.testing.assert_array_equal(texels[offsets[0] + 8], net.layers[0].b[:4])
    assert offsets[1] == 10
    # the readout: one real row of 2 texels, 3 zero rows, then one bias texel
    np.testing.assert_array_equal(texels[offsets[1] + 1], [W1[0, 4], 0, 0, 0])
    assert not texels[offsets[1] + 2:offsets[1] + 8].any()
    assert texels[offsets[1] + 8][0] == net.layers[1].b[0]
    assert largest == 10 == glr.shared_texels(net)


def test_fused_kernel_choice(gl_renderer, monkeypatch):
    narrow, wide = Network(seed=1, depth=3, width=8), Network(seed=1, depth=3, width=300)
    monkeypatch.setattr(gl_renderer, "fused_kernel", "shared")
    assert gl_renderer.resolve_path(narrow) == "shared"
    assert gl_renderer.resolve_path(wide) == "gemm"
    with pytest.raises(ValueError, match="cannot draw"):
        gl_renderer.resolve_path(wide, "shared")
    monkeypatch.setattr(gl_renderer, "fused_kernel", None)
    assert gl_renderer.resolve_path(narrow) == "compute"


def test_gpus_race_the_fused_kernels(gl_renderer, monkeypatch):
    """On a GPU (unrolled loops) auto_choice() keeps the fastest fused kernel; software GL keeps the default."""
    from glnn.render import _pick_fused_kernel

    if not gl_renderer.unroll:   # software GL (llvmpipe in CI)
        assert _pick_fused_kernel(gl_renderer)[0] is None
    monkeypatch.setattr(gl_renderer, "unroll", True)
    best, why = _pick_fused_kernel(gl_renderer, View(8, 8))
    assert best in ("shared", "compute", "fragment")
    assert all(k in why for k in ("shared", "compute", "fragment"))
