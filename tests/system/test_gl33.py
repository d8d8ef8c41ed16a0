"""A GL 3.3 core context (what macOS and older GPUs give) renders correctly: simulated with Mesa's overrides."""
import os
import subprocess
import sys

SCRIPT = r"""
import numpy as np
from glnn import Engine, Network, View
from glnn.backends import reference
e = Engine(cache_dir=False)
gl = e.gl
assert gl.ctx.version_code == 330 and not gl.caps.compute, gl.ctx.version_code
worst = 0.0
net = Network(seed=3, depth=9, width=20, scale=0.6)
for net, view, kernel in [(net, View(37, 23, center=(0.2, 0.1)), None),
                          (net, View(37, 23, center=(0.2, 0.1)), "fragment"),
                          (net, View(37, 23, center=(0.2, 0.1)), "layered"),
                          (Network(seed=4, depth=4, width=200, init="he"), View(16, 12), None),
                          (Network(seed=5, depth=6, width=12, inputs=7, channels=1), View(20, 20, time=1.0), None)]:
    d = float(np.abs(gl.render(net, view, kernel=kernel) - reference.evaluate(net, view)).max())
    worst = max(worst, d)
assert worst <= 1e-4, worst
# the compute-only kernels are refused; a GPU's measured choice of the shared kernel falls back to fragments
narrow = Network(seed=1, depth=3, width=8)
assert [k.name for k in gl.kernels_for(narrow)] == ["fragment", "layered"]
from glnn.gl.backend import GLBackend
prefers_shared = GLBackend(gl.ctx, preferred_fused=lambda: "shared")
assert prefers_shared.kernel(narrow).name == "fragment"
assert prefers_shared.kernel(Network(seed=1, depth=3, width=300)).name == "layered"
for kernel in ("shared", "compute", "gemm"):
    try:
        gl.kernel(narrow, kernel)
        raise SystemExit(kernel + " accepted on GL 3.3")
    except ValueError as err:
        assert "4.3" in str(err), err
assert e.auto_choice()["fused"] in ("gl", "cpu")
print("ok", gl.ctx.info["GL_VERSION"])
"""


def test_gl33_core_context_renders_like_the_reference(tmp_path):
    env = dict(os.environ, MESA_GL_VERSION_OVERRIDE="3.3", MESA_GLSL_VERSION_OVERRIDE="330")
    r = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300,
                       cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ok 3.3")
