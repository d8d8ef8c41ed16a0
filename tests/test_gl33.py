"""A GL 3.3 core context (what macOS and older GPUs give) renders correctly: simulated with Mesa's overrides."""
import os
import subprocess
import sys

SCRIPT = r"""
import numpy as np
from glnn import Network, View, reference
from glnn.render import gl_renderer
r = gl_renderer()
assert r.ctx.version_code == 330 and not r.use_compute, r.ctx.version_code
worst = 0.0
for net, view, path in [(Network(seed=3, depth=9, width=20, scale=0.6), View(37, 23, center=(0.2, 0.1)), "fused"),
                        (Network(seed=3, depth=9, width=20, scale=0.6), View(37, 23, center=(0.2, 0.1)), "fragment"),
                        (Network(seed=3, depth=9, width=20, scale=0.6), View(37, 23, center=(0.2, 0.1)), "layered"),
                        (Network(seed=4, depth=4, width=200, init="he"), View(16, 12), "layered"),
                        (Network(seed=5, depth=6, width=12, inputs=7, channels=1), View(20, 20, time=1.0), "fused")]:
    d = float(np.abs(r.render(net, view, path=path) - reference.evaluate(net, view)).max())
    worst = max(worst, d)
assert worst <= 1e-4, worst
# a GPU's measured choice of the compute-only shared kernel falls back to fragments here
narrow = Network(seed=1, depth=3, width=8)
assert r.kernels(narrow) == ["fragment", "layered"], r.kernels(narrow)
r.fused_kernel = "shared"
assert r.resolve_path(narrow) == "fragment"
for kernel in ("shared", "compute", "gemm"):
    try:
        r.resolve_path(narrow, kernel)
        raise SystemExit(kernel + " accepted on GL 3.3")
    except ValueError as e:
        assert "4.3" in str(e), e
print("ok", r.ctx.info["GL_VERSION"])
"""


def test_gl33_core_context_renders_like_the_reference(tmp_path):
    env = dict(os.environ, MESA_GL_VERSION_OVERRIDE="3.3", MESA_GLSL_VERSION_OVERRIDE="330")
    r = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300,
                       cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ok 3.3")
