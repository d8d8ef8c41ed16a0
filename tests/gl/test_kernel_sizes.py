"""Kernels built with workgroup and block sizes other than the defaults (the defines glnn/gl/kernels.py passes
to the compute shaders) still draw the reference picture; a size the shader cannot take is refused by name;
and a frame drawn without waiting is whole once the caller synchronises."""
from __future__ import annotations

import numpy as np
import pytest

from glnn import Network, View
from glnn.backends import reference
from glnn.gl import kernels as K
from glnn.gl.shader_source import ShaderError

NARROW = Network(seed=3, depth=5, width=20, inputs=3, scale=0.6)
WIDE = Network(seed=4, depth=3, width=130, init="he", bias_scale=0.2)


@pytest.fixture
def compute(gl):
    if not gl.caps.compute:
        pytest.skip("GL 4.3 compute shaders are not available on this context")
    return gl


@pytest.mark.parametrize("kernel,net", [
    (K.ComputeKernel(local_size=(16, 4)), NARROW),
    (K.ComputeKernel(local_size=(3, 5), tile=16), NARROW),          # sizes that divide nothing, and small tiles
    (K.SharedKernel(local=32, ppt=1), NARROW),
    (K.GemmKernel(block=(64, 32, 8), io_local=32), WIDE),
    (K.GemmKernel(block=(32, 64, 16), io_local=48, tile_bytes=4 * 130 * 37 * 5), WIDE),   # 5-row tiles
    (K.GemmKernel(block=(64, 32, 8)), NARROW),
], ids=lambda v: repr(v) if isinstance(v, K.Kernel) else f"{v.depth}x{v.width}")
def test_non_default_sizes_match_the_reference(compute, kernel, net):
    view = View(37, 23, center=(0.2, 0.1), time=0.5)
    assert kernel.programs(net, compute.device) != type(kernel)().programs(net, compute.device)   # its own defines
    got = compute.render(net, view, kernel=kernel)
    ref = reference.evaluate(net, view)
    assert np.abs(got - ref).max() <= 1e-4
    default = compute.render(net, view, kernel=type(kernel)())
    assert np.abs(got - default).max() <= 1e-5


def test_a_block_gemm_cannot_take_is_refused_by_the_shader(compute):
    bad = K.GemmKernel(block=(128, 64, 4))   # 16 x BK must be a multiple of BM and BN
    with pytest.raises(ShaderError, match=r"shaders/gemm\.comp line \d+: error: #error gemm\.comp needs .*16 \* BK"):
        compute.render(WIDE, View(8, 8), kernel=bad)
    compute.ctx.error   # a failed compile may leave a GL error behind: clear it


def test_a_frame_is_complete_after_the_caller_synchronises(gl):
    """frame() queues every tile of the picture (no kernel waits per tile); after the caller's finish() the
    texture holds what render() reads back, for every kernel."""
    view = View(45, 31, center=(-0.1, 0.3))
    for kernel in gl.kernels_for(NARROW):
        texture = gl.frame(NARROW, view, kernel=kernel)
        gl.finish()
        raw = np.frombuffer(texture.read(), np.float32).reshape(view.height, view.width, 4)
        assert np.abs(raw[:, :, :3] - gl.render(NARROW, view, kernel=kernel)).max() <= 1e-6, kernel.name
