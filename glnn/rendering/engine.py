"""The engine: one object that owns the GL context, the backends and the measured `auto` choice.

Every renderer in glnn (the API's render(), the CLI, the window, animations,
figures, the bench) goes through an Engine. It holds at most one GL context
(made offscreen on first use, or the window's, handed in), so the window's
offscreen work shares the window's context and programs compile once. The
registry of backends is glnn/backends/registry.py: a new backend is a class
and a row there.

`auto` picks by measurement, once per machine (cached in
$XDG_CACHE_HOME/glnn/auto-backend.json): on a GPU the fused GL kernels are
raced first and the fastest is preferred; then every backend that takes part
in auto (registry: races_in_auto; today gl and cpu) and works here is timed on
a narrow and a wide network, and the fastest is used for each kind of network.
The timing is the engine's `measure` (tests hand in a fake one).
"""
from __future__ import annotations

import functools
import json
import os
import stat
import sys
import time
from pathlib import Path
from typing import Callable, Dict, Optional, Tuple

import numpy as np

from ..backends import registry
from ..backends.base import Backend, Rect, supersampled
from ..io import safe_json
from ..errors import GLUnavailable, GlnnError, printable
from ..io.files import atomic_path
from ..gl.backend import GLBackend
from ..gl.context import create_offscreen_context
from ..gl.kernels import path_of
from ..model.network import Network
from ..version import __version__
from ..model.view import View

# The backends are the registry's (glnn/backends/registry.py: each class loaded when first used). `auto` is not
# a backend but a choice among those that take part in it.
CHOICES = registry.CHOICES
RACED_KERNELS = ("shared", "compute", "fragment")
MAX_CACHE_BYTES = 1 << 16   # the auto cache is a few hundred bytes
# auto's probes: (kind of network, its depth and width, picture size); networks are made per measurement
AUTO_PROBES = (("fused", 12, 30, 128), ("layered", 4, 256, 48))


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "glnn"


def median_seconds(fn: Callable[[], object], repeats: int = 3,
                   clock: Callable[[], float] = time.perf_counter) -> float:
    """Median time of `repeats` calls of fn, after one warm-up call (compiles, allocations)."""
    fn()
    times = []
    for _ in range(repeats):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return sorted(times)[len(times) // 2]


def measure_render(backend: Backend, net: Network, view: View) -> float:
    """Seconds `backend` takes to render `net` in `view` (the median of three, after a warm-up): auto's timer."""
    return median_seconds(lambda: backend.render(net, view))


class Engine:
    """Backends on one GL context (or none), and the choice among them.

    ctx: a moderngl context to use (a window's); None makes a headless one on first GL use. A process should
    make one context: use default_engine(), or hand other engines the same context (moderngl's headless
    contexts do not switch by themselves, so a second one would take over the first's calls).
    cache_dir: where the measured auto choice is kept (None: $XDG_CACHE_HOME/glnn; False: not kept).
    log: where one-line notices go (the fallback to cpu without GL).
    measure: auto's timer, measure(backend, net, view) -> seconds (default: measure_render; tests pass a fake).
    """

    def __init__(self, ctx=None, cache_dir=None, log: Callable[[str], None] = None,
                 measure: Callable[[Backend, Network, View], float] = measure_render):
        self._ctx = ctx
        self.measure = measure
        self._gl_failure: Optional[str] = None
        self._backends: Dict[str, Backend] = {}
        self.cache_dir = default_cache_dir() if cache_dir is None else cache_dir
        self.log = log or (lambda message: print(message, file=sys.stderr))
        self._auto: Optional[dict] = None
        self._kernel: Optional[Tuple[Optional[str], str]] = None
        self._notified = False
        self._warned = False

    # -------------------------------------------------------------- context
    @property
    def context(self):
        """The GL context (made on first use); GLUnavailable with the reason when none can be made."""
        if self._ctx is None:
            if self._gl_failure is not None:
                raise GLUnavailable(self._gl_failure)
            try:
                self._ctx = create_offscreen_context()
            except GLUnavailable as e:
                self._gl_failure = str(e)
                raise
        return self._ctx

    # ------------------------------------------------------------- backends
    def backend(self, name: str) -> Backend:
        """The backend called `name` (one instance per engine); GLUnavailable for gl without GL."""
        backend = self._backends.get(name)
        if backend is None:
            if name not in registry.BY_NAME:
                raise GlnnError(f"unknown backend {name!r} (choose from {', '.join(registry.CHOICES)})")
            backend = registry.BY_NAME[name].load().create(self)
            self._backends[name] = backend
        return backend

    @property
    def gl(self) -> GLBackend:
        return self.backend("gl")

    def unavailable(self, name: str) -> Optional[str]:
        """None when backend `name` works here, else why not."""
        try:
            return self.backend(name).unavailable()
        except GLUnavailable as e:
            return str(e)

    def availability(self) -> Dict[str, Optional[str]]:
        """Each backend: None when it works here, else why not."""
        return {name: self.unavailable(name) for name in registry.NAMES}

    def choose(self, requested: str = "auto", net: Optional[Network] = None) -> Backend:
        """The backend for `requested` ('auto' picks among registry.racers() by measurement, per kind of
        network)."""
        if requested not in registry.CHOICES:
            raise GlnnError(f"unknown backend {requested!r} (choose from {', '.join(registry.CHOICES)})")
        if requested != "auto":
            return self.backend(requested)
        choice = self.auto_choice()
        if choice.get("missing") and not self._notified:
            self.log(f"glnn: {choice['why']}; using the {choice['fused']} backend")
            self._notified = True
        return self.backend(choice[path_of(net) if net is not None else "fused"])

    def render(self, net: Network, view: View, backend: str = "auto", rect: Optional[Rect] = None,
               out: Optional[np.ndarray] = None, supersample: int = 1) -> np.ndarray:
        """Raw outputs of `net` in `view` (or its sub-rectangle `rect`), float32 (h, w, C), row 0 at the top;
        supersample k: k x k samples per pixel, averaged (whole pictures only)."""
        chosen = self.choose(backend, net)
        if supersample != 1:
            if rect is not None or out is not None:
                raise ValueError("supersample renders whole pictures (no rect or out)")
            return supersampled(chosen, net, view, supersample)
        return chosen.render(net, view, rect, out)

    # ---------------------------------------------------------- measurement
    def _cache_key(self, gl_name: str) -> str:
        """What a cached auto choice holds for: the GL renderer, the CPU count, glnn's version, the raced backends."""
        return f"{gl_name} | {os.cpu_count()} cpus | glnn {__version__} | {','.join(registry.racers())}"

    def _read_cache(self, key: str) -> Optional[dict]:
        """The cached auto choice for `key`, or None. A cache for another machine or version is silently
        measured again; a damaged one (not a regular file, not JSON, nested, wrong types, a backend that does
        not race) is ignored with one warning line. Never opens anything but a regular file (a FIFO would hang)."""
        if self.cache_dir is False:
            return None
        path = Path(self.cache_dir) / "auto-backend.json"
        try:
            info = os.stat(path)
        except OSError:
            return None   # not there yet: measured and written
        try:
            if not stat.S_ISREG(info.st_mode):
                raise ValueError("not a regular file")
            if info.st_size > MAX_CACHE_BYTES:
                raise ValueError(f"too large: {info.st_size:,} bytes")
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))   # replaced by a FIFO meanwhile: no wait
            with os.fdopen(fd, "rb") as f:
                if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                    raise ValueError("not a regular file")
                cached = safe_json.loads(f.read(MAX_CACHE_BYTES + 1).decode("utf-8"))
            if not isinstance(cached, dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError) as e:
            self._warn_once(f"glnn: warning: ignoring the damaged auto cache {str(path)!r} ({e}); "
                            "measuring again")
            return None
        if cached.get("key") != key:
            return None
        racers = registry.racers()
        ok = cached.get("fused") in racers and cached.get("layered") in racers and \
            isinstance(cached.get("fused"), str) and isinstance(cached.get("layered"), str) and \
            cached.get("fused_kernel", "") in (None,) + RACED_KERNELS and isinstance(cached.get("why"), str) and \
            isinstance(cached.get("kernel_why", ""), str) and isinstance(cached.get("gl"), (str, type(None)))
        if not ok:
            self._warn_once(f"glnn: warning: ignoring the damaged auto cache {str(path)!r} (unexpected fields); "
                            "measuring again")
            return None
        return cached

    def _warn_once(self, message: str) -> None:
        if not self._warned:
            self._warned = True
            self.log(printable(message))

    def _write_cache(self, choice: dict) -> None:
        if self.cache_dir is False:
            return
        path = Path(self.cache_dir) / "auto-backend.json"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_path(path, own=True) as tmp:   # a FIFO there is replaced (tests/unit)
                Path(tmp).write_text(json.dumps(choice, indent=1))
        except (OSError, GlnnError) as e:   # a read-only home: say once where it would have gone
            self._warn_once(f"glnn: warning: cannot keep the auto choice in {str(path)!r} "
                            f"({getattr(e, 'strerror', None) or e}): it is measured again on every run")

    def fused_kernel(self) -> Optional[str]:
        """The fused GL kernel measured fastest here (GPUs only; None on software GL: its default, the kernel
        that compiles fastest)."""
        return self.race_fused_kernels()[0]

    def race_fused_kernels(self, view: View = View(1024, 1024)) -> Tuple[Optional[str], str]:
        """(fastest fused kernel or None, why). On a GPU, 12 x 30 at 1024x1024 with frames left on the GPU."""
        if self._kernel is not None:
            return self._kernel
        gl = self.gl
        if not gl.caps.unroll:
            self._kernel = (None, "software GL: fused kernel 'compute' or 'fragment' (fastest to compile)")
            return self._kernel
        cached = self._read_cache(self._cache_key(gl.caps.renderer))
        if cached is not None:
            self._kernel = (cached["fused_kernel"], cached.get("kernel_why", ""))
            return self._kernel
        self._kernel = self.time_kernels(gl, view)
        return self._kernel

    @staticmethod
    def time_kernels(gl: GLBackend, view: View) -> Tuple[Optional[str], str]:
        net = Network(seed=1, depth=12, width=30)
        times = {k.name: median_seconds(lambda: (gl.frame(net, view, kernel=k), gl.finish()))
                 for k in gl.kernels_for(net) if k.name in RACED_KERNELS}
        best = min(times, key=times.get)
        return best, f"fused kernels at {view.width}x{view.height}: " + ", ".join(
            f"{k} {1000 * t:.1f} ms" for k, t in times.items())

    def auto_choice(self) -> dict:
        """What `auto` uses here, per GL path ('fused', 'layered': a backend that takes part in auto), the
        preferred fused kernel, and why: measured once, then cached (keyed by the GL renderer, the CPU count, the
        glnn version and the backends raced). Where some of them cannot run ('missing' says why), the others are
        used, and nothing is cached."""
        if self._auto is not None:
            return self._auto
        names = registry.racers()
        why_not = {name: self.unavailable(name) for name in names}
        usable = [name for name in names if why_not[name] is None]
        missing = [f"{name} unavailable ({why_not[name]})" for name in names if why_not[name] is not None]
        if not usable:
            raise GlnnError("; ".join(missing) or "no backend takes part in auto")
        gl = next((self.backend(name) for name in usable if registry.entry(name).gl_kernels), None)
        renderer = gl.caps.renderer if gl is not None else None
        key = self._cache_key(renderer or "no GL")   # read and written only when every racer is usable
        if len(usable) == 1:
            self._auto = {"fused": usable[0], "layered": usable[0], "why": "; ".join(missing), "gl": renderer,
                          "fused_kernel": None, "missing": missing}
            return self._auto
        cached = None if missing else self._read_cache(key)
        if cached is not None:
            self._auto = cached
            return cached
        kernel, kernel_why = self.race_fused_kernels() if gl is not None else (None, "")
        choice = {"key": key, "gl": renderer, "fused_kernel": kernel, "kernel_why": kernel_why}
        why = [kernel_why] if kernel_why else []
        for kind, depth, width, side in AUTO_PROBES:
            net, view = Network(seed=1, depth=depth, width=width), View(side, side)
            times = {name: self.measure(self.backend(name), net, view) for name in usable}
            choice[kind] = min(times, key=times.get)
            why.append(f"{kind} probe {net.depth}x{net.width} at {view.width}x{view.height}: " + ", ".join(
                f"{self.backend(name).label(net)} {1000 * t:.1f} ms" for name, t in times.items()))
        choice["why"] = "; ".join(missing + why)
        if missing:
            choice["missing"] = missing
        else:
            self._write_cache(choice)
        self._auto = choice
        return choice

    def close(self) -> None:
        for backend in self._backends.values():
            backend.close()
        self._backends.clear()


@functools.lru_cache(maxsize=None)
def default_engine() -> Engine:
    """The engine behind glnn.render() and the CLI: made on first use, one per process."""
    return Engine()
