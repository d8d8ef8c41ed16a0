"""Workgroup and block sizes are written once, in Python (glnn/gl/kernels.py), and reach the compute shaders as
defines: no shader writes a size of its own, and every size a shader's layout names comes from its kernel.
No GL: the shaders are assembled (glnn/gl/shader_source.py), not compiled."""
from __future__ import annotations

import re

import pytest

from glnn import Network
from glnn.gl.context import Caps
from glnn.gl.kernels import KERNELS, ComputeKernel, GemmKernel, SharedKernel
from glnn.gl.programs import LAYOUT_DEFINES
from glnn.gl.shader_source import ShaderSource, shader_dir

LAYOUT = re.compile(r"layout\s*\(([^)]*)\)\s*in\s*;")
SIZE = re.compile(r"local_size_[xyz]\s*=\s*(\w+)")


class Device:
    """What a kernel reads to describe its programs: a context's capabilities (plain values, no context)."""

    def __init__(self, unroll: bool):
        self.caps = Caps(compute=True, unroll=unroll, max_texture=16384, renderer="none")


def test_no_compute_shader_writes_its_own_workgroup_size():
    shaders = sorted(shader_dir().glob("*.comp"))
    assert {p.name for p in shaders} >= {"fused.comp", "fused_shared.comp", "gemm.comp", "gemm_io.comp"}
    for path in shaders:
        layouts = LAYOUT.findall(path.read_text(encoding="utf-8"))
        assert layouts, path.name
        sizes = [s for layout in layouts for s in SIZE.findall(layout)]
        assert sizes and not [s for s in sizes if s.isdigit()], f"{path.name}: literal workgroup size {sizes}"
        text = path.read_text(encoding="utf-8")
        for name in ("BM", "BN", "BK", "PPT", "LOCAL", "LOCAL_X", "LOCAL_Y"):
            assert not re.search(rf"^\s*#\s*define\s+{name}\b", text, re.M), f"{path.name} defines {name} itself"


@pytest.mark.parametrize("unroll", [False, True])
@pytest.mark.parametrize("net", [Network(seed=1, depth=3, width=8), Network(seed=2, depth=4, width=300)])
def test_every_compute_program_gets_its_sizes_from_its_kernel(net, unroll):
    device = Device(unroll)
    kernels = [k for k in KERNELS.values() if k.needs_compute and k.refuse(net, device) is None] + \
        [ComputeKernel(local_size=(16, 4)), GemmKernel(block=(64, 32, 8), io_local=32), SharedKernel(local=32)]
    seen = set()
    for kernel in kernels:
        if kernel.refuse(net, device) is not None:
            continue
        for desc in kernel.programs(net, device):
            defines = dict(LAYOUT_DEFINES, **dict(desc.defines))
            source = ShaderSource(desc.files[0], defines).source
            for layout in LAYOUT.findall(source):
                for name in SIZE.findall(layout):
                    assert name in dict(desc.defines), f"{desc.files[0]}: {name} is not set by {kernel!r}"
                    seen.add((desc.files[0], name, dict(desc.defines)[name]))
    if net.width == 8:
        assert ("fused.comp", "LOCAL_X", 16) in seen and ("fused.comp", "LOCAL_Y", 4) in seen
        assert ("fused.comp", "LOCAL_X", 8) in seen and ("fused_shared.comp", "LOCAL", 32) in seen
    else:
        assert ("gemm.comp", "LOCAL", 128) in seen and ("gemm.comp", "LOCAL", 32) in seen   # (64 / 8) x (32 / 8)
        assert ("gemm_io.comp", "LOCAL", 64) in seen and ("gemm_io.comp", "LOCAL", 32) in seen


def test_gemm_block_defines_follow_the_fields():
    desc = GemmKernel(block=(32, 64, 16)).programs(Network(seed=1, depth=2, width=100), Device(False))[0]
    assert dict(desc.defines) == {"BM": 32, "BN": 64, "BK": 16, "LOCAL": 32}
    assert GemmKernel().local == 128
