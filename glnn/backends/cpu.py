"""The fast CPU backend (`--backend cpu`): numpy float32 in cache-sized chunks of pixels, on every core.

The same arithmetic as the shaders (float32 weights, float32 accumulation),
laid out pixel-major so each layer is one small matrix product per chunk, with
activations applied in place. Threads split the chunks; numpy releases the GIL
inside matmul and ufuncs, so they run in parallel, with BLAS held to one thread
inside them so the threads do not fight over the cores.
"""
from __future__ import annotations

import contextlib
import ctypes
import functools
import glob
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

import numpy as np

from ..model import activations
from ..model.network import Network
from ..model.view import View
from .base import Backend, checked_rect, output_array

CHUNK_PIXELS = 4096


def find_openblas():
    """(get, set) of numpy's bundled OpenBLAS thread count, or None where it cannot be found."""
    libdir = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs")
    for path in glob.glob(os.path.join(libdir, "*openblas*")):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("scipy_openblas", "openblas"):
            for suffix in ("64_", ""):
                get = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
                put = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
                if get and put:
                    return get, put
    return None


@contextlib.contextmanager
def one_blas_thread(blas=None):
    """numpy's OpenBLAS held to one thread inside the block (`blas`: find_openblas()'s pair, found if not given):
    where threads of our own (or narrow products) fill the cores, BLAS's threads fight them."""
    blas = blas if blas is not None else find_openblas()
    saved = blas[0]() if blas else None
    if blas:
        blas[1](1)
    try:
        yield
    finally:
        if saved is not None:
            blas[1](saved)


def usable_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS
        return max(1, os.cpu_count() or 1)


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
            self.layers.append((m, functools.partial(activations.apply_inplace, l.activation)))
        self.z = net.extra_inputs(view.time)
        self.arch = net.architecture
        self.net, self.view = net, view

    def chunk(self, out: np.ndarray, start: int, stop: int) -> None:
        """Pixels start..stop-1 of the rectangle (row-major) into out[start:stop] (pixels x channels). Float32
        overflow (weights near 1e38) is silent here, as on the GPU: the pipeline says when outputs are not finite
        (glnn/rendering/pipeline.py). errstate is per thread: set here, in the thread that computes."""
        with np.errstate(over="ignore", invalid="ignore"):
            self._chunk(out, start, stop)

    def _chunk(self, out: np.ndarray, start: int, stop: int) -> None:
        c0, r0, w, _ = self.rect
        n, net = stop - start, self.net
        rows, cols = np.divmod(np.arange(start, stop), w)
        x, y = self.view.coords(rows + r0, cols + c0)
        k = net.n_inputs
        h = np.empty((n, k + 1), np.float32)
        self.arch.inputs(x, y, self.z, out=h[:, :k])   # straight into the float32 rows
        h[:, k] = 1.0
        states = [np.empty((n, net.width + 1), np.float32) for _ in range(min(2, net.depth - 1))]
        for i, (m, act) in enumerate(self.layers[:-1]):
            nxt = states[i % 2]
            np.matmul(h, m, out=nxt)
            act(nxt)   # per-unit activations touch only the units, not the column of ones
            nxt[:, -1] = 1.0
            h = nxt
        m, act = self.layers[-1]
        dst = out[start:stop]
        np.matmul(h, m, out=dst)
        act(dst)


class CPUBackend(Backend):
    name = "cpu"

    def __init__(self, threads: Optional[int] = None, chunk_pixels: int = CHUNK_PIXELS):
        # GLNN_THREADS: batch workers (glnn/explore/batch.py) run one thread each, the processes filling the cores
        self.threads = threads or int(os.environ.get("GLNN_THREADS") or 0) or usable_cpus()
        self.chunk_pixels = chunk_pixels
        self._pool: Optional[ThreadPoolExecutor] = None
        self._blas = find_openblas()

    def _single_threaded_blas(self):
        return one_blas_thread(self._blas or ())

    def render(self, net, view, rect=None, out=None):
        rect = checked_rect(view, rect)
        result = output_array(net, rect, out)
        n = rect[2] * rect[3]
        contiguous = result.flags.c_contiguous
        flat = result.reshape(n, net.channels) if contiguous else np.empty((n, net.channels), np.float32)
        plan = _Plan(net, view, rect)
        starts = range(0, n, self.chunk_pixels)
        step = lambda s: plan.chunk(flat, s, min(n, s + self.chunk_pixels))  # noqa: E731
        if len(starts) == 1 or self.threads == 1:
            for s in starts:
                step(s)
        else:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="glnn-cpu")
            with self._single_threaded_blas():
                list(self._pool.map(step, starts))
        if not contiguous:
            result[...] = flat.reshape(result.shape)
        return result

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
