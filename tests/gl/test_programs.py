"""Programs are cached by what they are built from (source files + defines), bindings come from one table,
and a uniform the source does not declare is reported, not silently dropped."""
import re
import warnings

import pytest

from glnn import Network, View
from glnn.gl.kernels import ComputeKernel, SharedKernel
from glnn.gl.programs import BINDINGS, ProgramDesc, UndeclaredUniform
from glnn.gl.shader_source import ShaderSource


def test_cache_key_is_source_and_defines(gl):
    programs = gl.device.programs
    a = ProgramDesc.compute("fused.comp", DEPTH=3, WIDTH=5, INPUTS=2, UNROLL=0, LOCAL_X=8, LOCAL_Y=8)
    # the order of the defines does not matter
    same = ProgramDesc.compute("fused.comp", LOCAL_Y=8, LOCAL_X=8, UNROLL=0, INPUTS=2, WIDTH=5, DEPTH=3)
    other = ProgramDesc.compute("fused.comp", DEPTH=3, WIDTH=6, INPUTS=2, UNROLL=0, LOCAL_X=8, LOCAL_Y=8)
    assert a == same and hash(a) == hash(same) and a != other
    before = programs.compiles
    assert programs.get(a) is programs.get(same)
    assert programs.get(other) is not programs.get(a)
    assert programs.compiles - before <= 2
    programs.forget([other])
    n = programs.compiles
    programs.get(other)
    assert programs.compiles == n + 1


def test_tuned_kernels_are_new_objects_with_their_own_programs(gl):
    net = Network(seed=1, depth=3, width=8)
    plain, tuned = SharedKernel(), SharedKernel(local=32, builtin_tanh=True)
    assert plain.programs(net, gl.device) != tuned.programs(net, gl.device)
    assert ("LOCAL", 32) in tuned.programs(net, gl.device)[0].defines
    assert SharedKernel().local == 64    # tuning never changed the shared default


def test_undeclared_uniform_warns_and_optimised_out_is_quiet(gl):
    prog = gl.device.programs.get(ComputeKernel().programs(Network(depth=2, width=4), gl.device)[0])
    with pytest.warns(UndeclaredUniform, match="u_centre"):
        prog["u_centre"] = (0.0, 0.0)     # a typo of u_center
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        prog["u_center"] = (0.0, 0.0)
        prog["u_hid4"] = 2                 # declared (for rolled loops); may be compiled out: no warning


def test_bindings_are_declared_once():
    src = ShaderSource("fused_shared.comp", dict(BINDINGS, DEPTH=2, WIDTH=4, INPUTS=2, PPT=1, LOCAL=64,
                                                 SMEM_TEXELS=8, WEIGHT_TEX_WIDTH=1024)).source
    assert "binding = SSBO_ROWS" in src and "binding = IMG_OUT" in src
    # the binding points reach the shader as #defines with the table's values
    assert f"#define SSBO_ROWS {BINDINGS['SSBO_ROWS']}\n" in src and f"#define IMG_OUT {BINDINGS['IMG_OUT']}\n" in src
    # every binding a compute shader declares is a name from the table: no number, no name the table lacks
    expected = {"fused.comp": {"IMG_OUT"}, "gemm.comp": {"SSBO_STATE_IN", "SSBO_STATE_OUT", "SSBO_WEIGHTS"},
                "gemm_io.comp": {"SSBO_STATE_IN", "SSBO_STATE_OUT", "IMG_OUT"},
                "fused_shared.comp": {"SSBO_ROWS", "IMG_OUT"}}
    for name, names in expected.items():
        text = ShaderSource(name, {}).source if name != "fused_shared.comp" else src
        assert set(re.findall(r"binding\s*=\s*(\w+)", text)) == names, name
    # and no two names of one kind (texture unit, image unit, storage buffer) share a binding point
    for kind in ("TEX_", "IMG_", "SSBO_"):
        points = [v for k, v in BINDINGS.items() if k.startswith(kind)]
        assert points and len(set(points)) == len(points), (kind, BINDINGS)
    assert all(k.startswith(("TEX_", "IMG_", "SSBO_")) for k in BINDINGS), BINDINGS


def test_every_kernel_renders_without_warnings(gl):
    net = Network(seed=2, depth=4, width=9, inputs=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for kernel in gl.kernels_for(net):
            gl.render(net, View(7, 5, time=1.0), kernel=kernel)
