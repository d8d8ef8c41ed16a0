"""Rendering, whatever the backend: the Python API's render() and render_image().

Backends: "gl" (GLSL through moderngl), "cpu" (numpy float32 in chunks on
every core), "numpy" (the float64 reference), "auto" (whichever of gl and cpu
measured faster on this machine; cpu, with a one-line notice, without GL).
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Optional, Sequence, Tuple

import numpy as np

from . import reference
from .context import offscreen_context
from .errors import GLUnavailable, GlnnError
from .network import Network
from .view import View

BACKENDS = ("auto", "gl", "cpu", "numpy")
_renderer = None
_notified = False
_auto: Optional[dict] = None


def gl_renderer():
    """The offscreen GLRenderer (created on first use); raises GLUnavailable."""
    global _renderer
    if _renderer is None:
        from .gl_renderer import GLRenderer
        _renderer = GLRenderer(offscreen_context())
    return _renderer


def _cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "glnn" / "auto-backend.json"


def _probe_seconds(fn, repeats: int = 3) -> float:
    fn()  # warm up (compiles, allocations)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2]


def _pick_fused_kernel(renderer, view: View = View(1024, 1024)) -> Tuple[Optional[str], str]:
    """The fastest fused GL kernel here and why. Probed on GPUs only: on software GL the
    compute (or fragment) kernel stays, the one that compiles in well under a second."""
    if not renderer.unroll:
        return None, "software GL: fused kernel 'compute' or 'fragment' (fastest to compile)"
    net = Network(seed=1, depth=12, width=30)
    times = {}
    for kernel in renderer.kernels(net):
        if kernel in ("shared", "compute", "fragment"):
            # frames stay on the GPU: a readback would take longer than the frame
            times[kernel] = _probe_seconds(lambda: renderer.frame(net, view, path=kernel))
    best = min(times, key=times.get)
    return best, f"fused kernels at {view.width}x{view.height}: " + ", ".join(f"{k} {1000 * t:.1f} ms" for k, t in times.items())


def auto_choice() -> dict:
    """What `auto` uses on this machine, per GL path, and why: measured once, then cached.

    On a GPU the fused GL kernels are raced first (fused_kernel; 12 x 30 at 1024x1024). Then the probe renders a
    fused-path network (12 x 30) and a layered-path one (4 x 256) with the GL and CPU
    backends and keeps the faster for each. The cache is keyed by the GL renderer, the CPU
    count and the glnn version; the choice of kernel is applied to the GL renderer.
    """
    global _auto
    if _auto is not None:
        return _auto
    from . import __version__, cpu

    try:
        renderer = gl_renderer()
        gl_name = renderer.ctx.info.get("GL_RENDERER", "?")
    except GLUnavailable as e:
        _auto = {"fused": "cpu", "layered": "cpu", "why": f"OpenGL unavailable ({e})", "gl": None}
        return _auto
    key = f"{gl_name} | {os.cpu_count()} cpus | glnn {__version__}"
    path = _cache_file()
    try:
        cached = json.loads(path.read_text())
        if cached.get("key") == key and "fused_kernel" in cached:
            renderer.fused_kernel = cached["fused_kernel"]
            _auto = cached
            return _auto
    except (OSError, ValueError):
        pass
    choice = {"key": key, "gl": gl_name}
    choice["fused_kernel"], kernel_why = _pick_fused_kernel(renderer)
    renderer.fused_kernel = choice["fused_kernel"]
    why = [kernel_why]
    for kind, net, view in (("fused", Network(seed=1, depth=12, width=30), View(128, 128)),
                            ("layered", Network(seed=1, depth=4, width=256), View(48, 48))):
        t_gl = _probe_seconds(lambda: renderer.render(net, view))
        t_cpu = _probe_seconds(lambda: cpu.evaluate(net, view))
        choice[kind] = "gl" if t_gl < t_cpu else "cpu"
        why.append(f"{kind} probe {net.depth}x{net.width} at {view.width}x{view.height}: "
                   f"gl ({renderer.resolve_path(net)}) {1000 * t_gl:.1f} ms, cpu {1000 * t_cpu:.1f} ms")
    choice["why"] = "; ".join(why)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(choice, indent=1))
    except OSError:
        pass  # a read-only home: measure again next time
    _auto = choice
    return _auto


def resolve_backend(backend: str, net: Optional[Network] = None) -> str:
    """'gl', 'cpu' or 'numpy' for a requested backend; 'auto' picks by measurement (auto_choice)."""
    global _notified
    if backend not in BACKENDS:
        raise GlnnError(f"unknown backend {backend!r} (choose from {', '.join(BACKENDS)})")
    if backend in ("numpy", "cpu"):
        return backend
    if backend == "gl":
        if gl_renderer().unroll:   # a GPU: use the fused kernel measured fastest (cached after the first run)
            auto_choice()
        return "gl"
    choice = auto_choice()
    if choice.get("gl") is None and not _notified:
        print(f"glnn: {choice['why']}; using the cpu backend", file=sys.stderr)
        _notified = True
    from .gl_renderer import choose_path

    return choice[choose_path(net)] if net is not None else choice["fused"]


def render_view(net: Network, view: View, backend: str = "auto") -> np.ndarray:
    """The picture of `net` in `view` as float32 (H, W, C), row 0 at the top (raw, unclamped)."""
    chosen = resolve_backend(backend, net)
    if chosen == "gl":
        return gl_renderer().render(net, view)
    if chosen == "cpu":
        from . import cpu
        return cpu.evaluate(net, view)
    return reference.evaluate(net, view)


def render(net: Network, size: Tuple[int, int] = (512, 512), center: Sequence[float] = (0.0, 0.0),
           extent: float = 1.0, time: float = 0.0, backend: str = "auto") -> np.ndarray:
    """Render `net` at size=(W, H): float32 (H, W, C), row 0 at the top."""
    W, H = size
    return render_view(net, View(W, H, tuple(center), extent, time), backend)


def to_uint8(picture: np.ndarray) -> np.ndarray:
    """SPEC.md section 4: clamp to [0, 1], store round(255 * v)."""
    return np.rint(np.clip(picture, 0.0, 1.0) * 255.0).astype(np.uint8)


def to_image(picture: np.ndarray):
    from PIL import Image

    data = to_uint8(picture)
    if data.shape[2] == 1:
        return Image.fromarray(data[:, :, 0], mode="L")
    return Image.fromarray(data, mode="RGB")


def render_image(net: Network, size: Tuple[int, int] = (512, 512), center: Sequence[float] = (0.0, 0.0),
                 extent: float = 1.0, time: float = 0.0, backend: str = "auto"):
    """As render(), as a PIL.Image (RGB, or L for one channel): a notebook shows it inline."""
    return to_image(render(net, size, center, extent, time, backend))
