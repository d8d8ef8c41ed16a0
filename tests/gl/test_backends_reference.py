"""Every backend and GL kernel against the numpy reference: max abs difference at most 1e-4 (docs/contract.md,
accuracy). Kernel-specific tests run once per GL kernel and once on the cpu backend, not once per pair."""
import dataclasses
import math

import numpy as np
import pytest

from glnn import Network, View
from glnn.model import activations
from glnn.backends import reference
from glnn.backends.cpu import CPUBackend
from glnn.gl import backend as gl_backend
from glnn.gl import kernels as K

TOL = 1e-4
SUBJECTS = [("gl", name) for name in K.NAMES] + [("cpu", None)]


class Subject:
    """One way of rendering: the cpu backend, or the GL backend with one kernel (None: its own choice)."""

    def __init__(self, backend, kernel=None):
        self.backend, self.kernel = backend, kernel

    def render(self, net, view, rect=None, out=None):
        if self.backend.name == "gl":
            return self.backend.render(net, view, rect, out, kernel=self.kernel)
        return self.backend.render(net, view, rect, out)

    def __repr__(self):
        return f"{self.backend.name}:{self.kernel}"


@pytest.fixture(params=SUBJECTS, ids=[f"{b}-{k}" if k else b for b, k in SUBJECTS])
def subject(request, engine):
    backend, kernel = request.param
    return Subject(engine.backend(backend), kernel)


@pytest.fixture(params=["gl", "cpu"])
def default(request, engine):
    """The GL backend with its own choice of kernel, and the cpu backend."""
    return Subject(engine.backend(request.param))


def well_scaled(width):
    """A uniform scale that keeps a tanh network out of chaos: std(W) * sqrt(fan-in) about 1.2."""
    return min(1.0, 1.2 * math.sqrt(3.0 / max(width, 1)))


def check(subject, net, view, tol=TOL):
    ref = reference.evaluate(net, view)
    got = subject.render(net, view)
    assert got.shape == ref.shape == (view.height, view.width, net.channels) and got.dtype == np.float32
    assert np.isfinite(got).all()
    diff = float(np.abs(got - ref).max())
    assert diff <= tol, f"max abs diff {diff:.3g} > {tol} for {net} {view} {subject}"
    return diff, float(ref.std())


@pytest.mark.parametrize("depth", [1, 2, 5, 27, 40])
@pytest.mark.parametrize("width", [1, 3, 10, 30, 64, 400])
def test_depth_width_matrix(engine, depth, width):
    net = Network(seed=depth * 1000 + width, depth=depth, width=width, scale=well_scaled(width))
    view = View(23, 17, center=(0.1, -0.2), extent=1.3)
    check(Subject(engine.backend("cpu")), net, view)
    gl = engine.gl
    check(Subject(gl), net, view)
    for kernel in gl.kernels_for(net):   # every kernel that can draw it must agree as well
        if K.path_of(net) == "layered" or depth <= 27 or kernel.name in ("compute", "gemm"):
            check(Subject(gl, kernel), net, view)


@pytest.mark.parametrize("activation", activations.HIDDEN_CHOICES)
def test_each_activation(subject, activation):
    net = Network(seed=7, depth=6, width=10, activation=activation, scale=0.9)
    _, std = check(subject, net, View(31, 19, extent=2.0))
    assert std > 1e-3


@pytest.mark.parametrize("out_act", activations.NAMES)
def test_each_output_activation(default, out_act):
    check(default, Network(seed=3, depth=3, width=8, output_activation=out_act), View(16, 16))


@pytest.mark.parametrize("init", ["uniform", "normal", "he", "glorot"])
@pytest.mark.parametrize("channels", [1, 3])
def test_inits_and_channels(subject, init, channels):
    net = Network(seed=5, depth=8, width=12, init=init, channels=channels, scale=0.6, gain=1.3)
    check(subject, net, View(29, 29))


@pytest.mark.parametrize("size", [(1, 1), (2, 3), (64, 64), (97, 13), (11, 61), (300, 7)])
def test_sizes(subject, size):
    check(subject, Network(seed=2, depth=4, width=9), View(*size, center=(0.3, 0.2)))


@pytest.mark.parametrize("extent", [0.01, 0.1, 1.0, 7.5, 50.0])
@pytest.mark.parametrize("center", [(0.0, 0.0), (0.7, -1.3), (-12.0, 30.0)])
def test_views(default, extent, center):
    check(default, Network(seed=4, depth=10, width=16, scale=0.6), View(40, 24, center=center, extent=extent))


@pytest.mark.parametrize("time", [0.0, 0.4, 2.0, 5.5, -3.0])
def test_seven_inputs_over_time(subject, time):
    net = Network(seed=13, depth=10, width=20, inputs=7, scale=0.5)
    check(subject, net, View(24, 24, time=time))


def test_rect_and_out(subject):
    """A sub-rectangle is that part of the whole picture (within float noise), written into a given array."""
    net = Network(seed=9, depth=5, width=11, channels=3)
    view = View(50, 31, center=(0.2, 0.3))
    full = subject.render(net, view)
    out = np.full((13, 20, 3), np.nan, np.float32)
    got = subject.render(net, view, rect=(7, 4, 20, 13), out=out)
    assert got is out
    np.testing.assert_allclose(out, full[4:17, 7:27], rtol=0, atol=1e-6)
    with pytest.raises(ValueError, match="not inside"):
        subject.render(net, view, rect=(40, 0, 20, 5))
    with pytest.raises(ValueError, match="out must be"):
        subject.render(net, view, rect=(0, 0, 5, 5), out=np.zeros((5, 5, 1), np.float32))


def test_sixteen_inputs_and_time_moves_the_picture(default):
    net = Network(seed=1, depth=5, width=24, inputs=16, scale=0.5)
    a = default.render(net, View(20, 20, time=0.0))
    b = default.render(net, View(20, 20, time=1.0))
    check(default, net, View(20, 20, time=1.0))
    assert np.abs(a - b).max() > 1e-2


def test_tiles_meet_without_seams(gl):
    """Small tiles (fused), a small atlas (layered) and small state buffers (gemm): the same pixels as one pass."""
    net = Network(seed=6, depth=5, width=40, scale=0.4)
    view = View(70, 45, center=(0.2, 0.1))
    for kernel in (K.FragmentKernel(tile=16), K.ComputeKernel(tile=16), K.SharedKernel(tile=16),
                   K.SharedKernel(max_groups=3),             # the shared kernel's 2D dispatch, with spare groups
                   K.LayeredKernel(atlas_bytes=16 * 16 * 16 * 16),   # 16x16-pixel tiles
                   K.GemmKernel(tile_bytes=4 * 40 * 70 * 7)):        # 7-row tiles of 70 pixels
        check(Subject(gl, kernel), net, view)
    check(Subject(gl, K.GemmKernel()), net, View(300, 9, center=(0.1, 0.2)))  # tiles 256 pixels wide


def test_wide_picture_crosses_the_readback_tile(default):
    net = Network(seed=6, depth=2, width=6)
    check(default, net, View(gl_backend.READBACK_TILE + 37, 9, extent=0.5))


def test_deep_wide_network_near_llvmpipe_loop_cap(default, gl):
    """64 layers x 64 units: about 16,000 inner trips per pixel on the fused path; 64 x 512 goes layered."""
    net = Network(seed=1, depth=64, width=64, init="he", gain=1.0, bias_scale=0.2)
    assert K.path_of(net) == "fused" and K.fused_inner_trips(net) > 15000
    check(default, net, View(12, 10))
    if not gl.caps.unroll:
        assert "shared" not in [k.name for k in gl.kernels_for(net)]   # its rolled loops would pass the cap
    wide = Network(seed=1, depth=6, width=512, init="he", bias_scale=0.2)
    assert K.path_of(wide) == "layered"
    check(default, wide, View(9, 7))


@pytest.mark.parametrize("kernel", ["fragment", "compute"])
def test_unrolled_variant_used_on_gpus(ctx, kernel):
    """GPUs get the inner loops unrolled (UNROLL 1); llvmpipe compiles it too, so check it here."""
    from glnn.gl.backend import GLBackend

    gpu_like = GLBackend(ctx)
    gpu_like.device.caps = dataclasses.replace(gpu_like.caps, unroll=True)
    try:
        for net, view in [(Network(seed=3, depth=9, width=30, scale=0.5), View(21, 13, center=(0.3, 0.2))),
                          (Network(seed=4, depth=1, width=3, inputs=7), View(9, 9, time=2.0)),
                          (Network(seed=5, depth=3, width=5, inputs=5, channels=1, activation="mix"), View(12, 8)),
                          (Network(seed=6, depth=4, width=10, activation="mix-units"), View(11, 9))]:
            desc = gpu_like.kernel(net, kernel).programs(net, gpu_like.device)[0]
            assert ("UNROLL", 1) in desc.defines
            check(Subject(gpu_like, kernel), net, view)
    finally:
        gpu_like.close()


@pytest.mark.parametrize("kernel", K.NAMES)
def test_new_weights_and_view_do_not_recompile(gl, kernel):
    net = Network(seed=1, depth=7, width=11)
    gl.render(net, View(8, 8), kernel=kernel)
    before = gl.compiles
    for change in [dict(seed=2), dict(scale=0.3), dict(bias_scale=0.1), dict(activation="relu"), dict(init="he")]:
        check(Subject(gl, kernel), net.replace(**change), View(8, 8, center=(1, 2), extent=0.3, time=4.0))
    assert gl.compiles == before
    other = net.replace(depth=8)   # a new architecture does compile, once
    gl.render(other, View(4, 4), kernel=kernel)
    gl.render(other, View(4, 4), kernel=kernel)
    assert gl.compiles - before == (0 if K.KERNELS[kernel].path == "layered" else 1)


def test_chaotic_network_agrees_statistically(default):
    """Large scale, deep: rounding is amplified (docs/contract.md, accuracy), so compare by statistics."""
    net = Network(seed=3, depth=27, width=30, scale=1.0)
    view = View(48, 48)
    ref, got = reference.evaluate(net, view), default.render(net, view)
    d = np.abs(ref - got)
    assert np.median(d) < 1e-3 and np.mean(d < 0.05) > 0.97
    assert abs(float(ref.mean() - got.mean())) < 0.01


def test_cpu_chunks_and_threads_agree():
    """Different chunk sizes and thread counts: the same picture within float32 noise (BLAS call shapes differ)."""
    net = Network(seed=9, depth=5, width=11)
    view = View(50, 31, center=(0.2, 0.3))
    a = CPUBackend(threads=1, chunk_pixels=100).render(net, view)
    b = CPUBackend(threads=2, chunk_pixels=4096).render(net, view)
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-6)


def test_kernel_choice(engine, gl):
    narrow, wide = Network(seed=1, depth=3, width=8), Network(seed=1, depth=3, width=300)
    assert gl.kernel(wide).name == "gemm"
    with pytest.raises(ValueError, match="too wide"):
        gl.kernel(wide, "shared")
    with pytest.raises(ValueError, match="unknown GL kernel"):
        gl.kernel(narrow, "fast")
    # software GL keeps compute (fastest to compile); a GPU's measured preference is honoured where it can draw
    assert gl.kernel(narrow).name == ("compute" if engine.fused_kernel() is None else engine.fused_kernel())
    from glnn.gl.backend import GLBackend

    prefers_shared = GLBackend(gl.ctx, preferred_fused=lambda: "shared")
    assert prefers_shared.kernel(narrow).name == "shared" and prefers_shared.kernel(wide).name == "gemm"
    prefers_shared.close()


def test_gpus_race_the_fused_kernels(engine, gl):
    """On a GPU the engine races the fused kernels; software GL keeps the default without measuring."""
    if not gl.caps.unroll:   # software GL (llvmpipe in CI)
        assert engine.fused_kernel() is None
    best, why = engine.time_kernels(gl, View(8, 8))
    assert best in ("shared", "compute", "fragment")
    assert all(k in why for k in ("shared", "compute", "fragment"))


def test_supersample_averages_the_sub_pixels(default, monkeypatch):
    """k x k samples per pixel, averaged: the reference at k times the size, averaged in blocks; in bands too."""
    from glnn.backends import base

    net = Network(seed=3, depth=8, width=12, scale=0.5)
    view = View(20, 14, center=(0.1, 0.2), extent=1.3)
    fine = reference.evaluate(net, view.replace(width=60, height=42))
    expected = fine.reshape(14, 3, 20, 3, 3).mean(axis=(1, 3))
    monkeypatch.setattr(base, "SUPERSAMPLE_BAND_PIXELS", 60 * 3 * 4)   # bands of 4 output rows
    got = base.supersampled(default.backend, net, view, 3)
    assert got.shape == (14, 20, 3) and np.abs(got - expected).max() <= TOL
    # not the plain picture: it differs from it far more than from the average it should be
    assert np.abs(got - reference.evaluate(net, view)).max() > 10 * np.abs(got - expected).max()
    from glnn.errors import GlnnError

    for bad in (0, 9, 2.0):
        with pytest.raises(GlnnError, match="supersample"):
            base.supersampled(default.backend, net, view, bad)
