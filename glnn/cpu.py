"""The fast CPU backend: numpy float32 in cache-sized chunks of pixels, on every core.

The same arithmetic as the shaders (float32 weights, float32 accumulation),
laid out pixel-major so each layer is one small matrix product per chunk, with
activations applied in place. Threads split the chunks; numpy releases the GIL
inside matmul and ufuncs, so they run in parallel.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

import numpy as np

from . import activations
from .network import Network
from .view import View

CHUNK_PIXELS = 4096
_pool: Optional[ThreadPoolExecutor] = None
_blas = None


def _openblas():
    """(get, set) of numpy's bundled OpenBLAS thread count, or None where it cannot be found."""
    global _blas
    if _blas is None:
        _blas = False
        try:
            import ctypes
            import glob

            libdir = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs")
            for path in glob.glob(os.path.join(libdir, "*openblas*")):
                lib = ctypes.CDLL(path)
                for prefix in ("scipy_openblas", "openblas"):
                    for suffix in ("64_", ""):
                        get = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
                        put = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
                        if get and put:
                            _blas = (get, put)
                            return _blas
        except OSError:
            pass
    return _blas or None


class _SingleThreadedBlas:
    """Our threads split the pixels; BLAS threads inside them would only fight over the cores."""

    def __enter__(self):
        blas = _openblas()
        self.saved = blas[0]() if blas else None
        if blas:
            blas[1](1)

    def __exit__(self, *exc):
        if self.saved is not None:
            _openblas()[1](self.saved)


def _threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS
        return max(1, os.cpu_count() or 1)


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=_threads(), thread_name_prefix="glnn-cpu")
    return _pool


def _activate_inplace(name: str, y: np.ndarray) -> None:
    if name == "tanh":
        np.tanh(y, out=y)
    elif name == "sigmoid":
        # 1 / (1 + exp(-y)); exp overflow gives inf and then 0, as in the shader
        np.negative(y, out=y)
        with np.errstate(over="ignore"):
            np.exp(y, out=y)
        y += 1.0
        np.reciprocal(y, out=y)
    elif name == "relu":
        np.maximum(y, 0.0, out=y)
    elif name == "identity":
        pass
    elif name == "sin":
        np.sin(y, out=y)
    elif name == "gaussian":
        np.square(y, out=y)
        np.negative(y, out=y)
        np.exp(y, out=y)
    elif name == "softsign":
        y /= 1.0 + np.abs(y)
    else:
        y[...] = activations.apply(name, y)


class _Plan:
    """Weights laid out for the chunk loop: each layer as one matrix [W^T; b] (in + 1, out + 1), float32.

    The states carry a column of ones, so one matrix product adds the biases too (a separate
    broadcast add over rows of ~30 costs as much as the tanh). The extra output column, 0 * h + 1 * 1,
    keeps the ones for the next layer; it is reset to 1 after the activation. The readout has no
    extra column.
    """

    def __init__(self, net: Network, view: View, rect):
        self.rect = rect
        self.layers = []
        for i, l in enumerate(net.layers):
            out, inn = l.W.shape
            last = i == net.depth - 1
            m = np.zeros((inn + 1, out + (0 if last else 1)), np.float32)
            m[:inn, :out] = l.W.T
            m[inn, :out] = l.b
            if not last:
                m[inn, out] = 1.0
            self.layers.append((m, l.activation))
        self.z = net.extra_inputs(view.time)
        self.net, self.view = net, view


def _chunk(plan: _Plan, out: np.ndarray, start: int, stop: int) -> None:
    c0, r0, w, _ = plan.rect
    n, net = stop - start, plan.net
    rows, cols = np.divmod(np.arange(start, stop), w)
    x, y = plan.view.coords(rows + r0, cols + c0)
    h = np.empty((n, net.inputs + 1), np.float32)
    h[:, 0] = x
    h[:, 1] = y
    h[:, 2:net.inputs] = plan.z
    h[:, net.inputs] = 1.0
    states = [np.empty((n, net.width + 1), np.float32) for _ in range(min(2, net.depth - 1))]
    for i, (m, act) in enumerate(plan.layers[:-1]):
        nxt = states[i % 2]
        np.matmul(h, m, out=nxt)
        _activate_inplace(act, nxt)
        nxt[:, -1] = 1.0
        h = nxt
    m, act = plan.layers[-1]
    dst = out[start:stop]
    np.matmul(h, m, out=dst)
    _activate_inplace(act, dst)


def evaluate(net: Network, view: View, chunk_pixels: int = CHUNK_PIXELS, rect=None) -> np.ndarray:
    """The picture as float32 (H, W, C), row 0 at the top: float32 arithmetic, all cores.

    rect = (c0, r0, w, h) evaluates only those pixels of the picture, as (h, w, C).
    """
    rect = rect or (0, 0, view.width, view.height)
    n = rect[2] * rect[3]
    out = np.empty((n, net.channels), np.float32)
    plan = _Plan(net, view, rect)
    starts = range(0, n, chunk_pixels)
    if len(starts) == 1 or _threads() == 1:
        for s in starts:
            _chunk(plan, out, s, min(n, s + chunk_pixels))
    else:
        with _SingleThreadedBlas():
            list(_executor().map(lambda s: _chunk(plan, out, s, min(n, s + chunk_pixels)), starts))
    return out.reshape(rect[3], rect[2], net.channels)
