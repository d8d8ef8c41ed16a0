"""A throwaway GL kernel: a class (here the compute kernel under another name) and a line in
glnn/gl/kernels.py's KERNELS, added in the test only (monkeypatch: no module state). The gl backend draws with it
by name, as the float64 reference does; `glnn bench --kernels` (in this process, a tiny case) takes it and times
it; an unknown kernel name is refused with one clear error.

How the registry is read: KERNELS is a dict that glnn/gl/backend.py and glnn/bench.py import by name
(`from .kernels import KERNELS`), so the entry is added to that one dict in place (monkeypatch.setitem): setting
kernels.KERNELS to a new dict would not reach them. kernels.NAMES and glnn/cli/bench.py's KERNEL_NAMES (the
`--kernels` help) are tuples made from it at import, so they are patched too."""
import json
import os
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pytest

from glnn import bench
from glnn.rendering import engine as engine_module
from glnn.backends import reference
from glnn.cli import bench as cli_bench
from glnn.errors import GlnnError
from glnn.gl import kernels
from glnn.model.network import Network
from glnn.model.view import View

DRAWN = []   # the networks Compute2Kernel drew (a frozen dataclass keeps no state of its own)


@dataclass(frozen=True)
class Compute2Kernel(kernels.ComputeKernel):
    name: ClassVar[str] = "compute2"
    description: ClassVar[str] = "the compute kernel under another name"

    def draw(self, device, net, view, fbo, rect, dst):
        DRAWN.append((net.depth, net.width, rect))
        super().draw(device, net, view, fbo, rect, dst)


def add_kernel(monkeypatch, kernel):
    monkeypatch.setitem(kernels.KERNELS, kernel.name, kernel)
    names = tuple(kernels.KERNELS)
    monkeypatch.setattr(kernels, "NAMES", names)
    monkeypatch.setattr(cli_bench, "KERNEL_NAMES", names)


@pytest.fixture
def fresh(ctx, monkeypatch):
    """An engine of the test's own on the session's context (a fixed `auto`: no measuring), standing in for the
    default engine of the CLI and of glnn bench; closed at the end."""
    e = engine_module.Engine(ctx=ctx, cache_dir=False, log=lambda m: None,
                             measure=lambda backend, net, view: {"gl": 1.0}.get(backend.name, 2.0))
    if not e.backend("gl").caps.compute:
        e.close()
        pytest.skip("the throwaway kernel is a compute kernel: this context has no OpenGL 4.3")
    monkeypatch.setattr(engine_module, "default_engine", lambda: e)
    monkeypatch.setattr(bench, "default_engine", lambda: e)
    DRAWN.clear()
    yield e
    e.close()


def test_the_gl_backend_draws_with_it_by_name(monkeypatch, fresh):
    gl = fresh.backend("gl")
    net = Network(seed=7, depth=4, width=9, scale=0.8)
    with pytest.raises(ValueError, match="unknown GL kernel 'compute2'"):   # not until its line is added
        gl.render(net, View(4, 4), kernel="compute2")
    add_kernel(monkeypatch, Compute2Kernel())
    assert "compute2" in kernels.NAMES and "compute2" in [k.name for k in gl.kernels_for(net)]
    assert gl.kernel(net, "compute2") == Compute2Kernel()
    for view in (View(21, 15, extent=1.3), View(40, 24, center=(0.3, -0.2), extent=0.7, time=0.5)):
        DRAWN.clear()
        got = gl.render(net, view, kernel="compute2")
        assert DRAWN == [(4, 9, (0, 0, view.width, view.height))]   # drawn by it, not by another kernel
        np.testing.assert_allclose(got, reference.evaluate(net, view), rtol=1e-4, atol=1e-4)
    # a sub-rectangle, into a given array
    view = View(21, 15)
    out = np.zeros((5, 6, 3), np.float32)
    gl.render(net, view, rect=(3, 4, 6, 5), out=out, kernel="compute2")
    np.testing.assert_allclose(out, reference.evaluate(net, view)[4:9, 3:9], rtol=1e-4, atol=1e-4)
    # it refuses what its path cannot draw, like the kernel it is made from
    wide = Network(seed=1, depth=2, width=100)
    assert "compute2" not in [k.name for k in gl.kernels_for(wide)]
    with pytest.raises(ValueError, match="'compute2' kernel cannot draw a 2 x 100 network"):
        gl.render(wide, View(4, 4), kernel="compute2")


def test_glnn_bench_lists_and_times_it(monkeypatch, fresh, cli):
    add_kernel(monkeypatch, Compute2Kernel())
    monkeypatch.setenv("MESA_SHADER_CACHE_DISABLE", os.environ.get("MESA_SHADER_CACHE_DISABLE", "true"))
    status, out, _ = cli("bench", "--help")
    assert status == 0 and "compute2" in out
    assert bench.parse_kernels("compute2,gemm") == ["compute2", "gemm"]
    status, out, err = cli("bench", "--case", "3x6@24x16", "--kernels", "compute2", "--budget", "1",
                           "--no-process", "--json")
    assert status == 0, err
    rows = json.loads(out)["results"]
    gl_rows = [r for r in rows if r["backend"].startswith("gl:")]
    assert [r["backend"] for r in gl_rows] == ["gl:compute2"]   # the kernels asked for, and only those
    row = gl_rows[0]
    assert row["path"] == "compute2" and row["ms"] > 0 and row["ref_max_diff"] < 1e-4 and not row["recompiled"]
    assert any(depth == 3 and width == 6 for depth, width, _ in DRAWN)
    assert {"numpy", "cpu", "plain numpy"} <= {r["backend"] for r in rows}


def test_an_unknown_kernel_is_refused_with_a_clear_error(monkeypatch, fresh, cli):
    add_kernel(monkeypatch, Compute2Kernel())
    gl, net = fresh.backend("gl"), Network(depth=2, width=4)
    with pytest.raises(ValueError) as caught:
        gl.render(net, View(4, 4), kernel="compute3")
    assert str(caught.value) == f"unknown GL kernel 'compute3' (choose from {', '.join(kernels.KERNELS)})"
    assert "compute2" in str(caught.value)
    with pytest.raises(GlnnError, match=r"--kernels must be auto, all or names from .*compute2, not 'compute2,compute3'"):
        bench.parse_kernels("compute2,compute3")
    status, out, err = cli("bench", "--case", "2x4@8x8", "--kernels", "compute3", "--no-process")
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "--kernels must be auto, all or names from" in lines[0] and "'compute3'" in lines[0]
