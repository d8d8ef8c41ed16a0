"""The hidden layers' pre-activations at every pixel, band by band so that memory stays bounded: the numpy
backends by a forward pass (float64 for `numpy`, float32 for `cpu`), the GL one by drawing truncated networks whose
readout is three of the layer's units with no activation (so every GL kernel serves probes unchanged).
"""

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterator, List, Optional, Tuple

import numpy as np

from ..model import activations
from ..backends import registry as backend_registry
from ..backends.base import Backend
from ..backends.cpu import one_blas_thread, usable_cpus
from ..backends.reference import inputs_for, layer_states, step
from ..model.network import Layer, Network
from ..model.probe import BAND_PIXELS
from ..model.view import View

# ------------------------------------------------------------------ the hidden layers, band by band
def bands(view: View) -> Iterator[Tuple[int, int, int, int]]:
    rows = max(1, BAND_PIXELS // view.width)
    for r in range(0, view.height, rows):
        yield (0, r, view.width, min(rows, view.height - r))


def _truncated(net: Network, k: int, units: List[int]) -> Network:
    """Hidden layer k's units (0-based indices, up to 3) as the readout of a depth-k network, no activation."""
    layer = net.layers[k - 1]
    W = np.zeros((3, layer.W.shape[1]), np.float32)
    b = np.zeros(3, np.float32)
    W[:len(units)] = layer.W[units]
    b[:len(units)] = layer.b[units]
    layers = tuple(net.layers[:k - 1]) + (Layer(W, b, "identity"),)
    time = tuple(tuple(float(v) for v in a) for a in net.time_params())
    return dataclasses.replace(net, depth=k, channels=3, output_activation="identity", loaded_layers=layers,
                               loaded_time=time)


def _truncated_layer(backend: Backend, net: Network, view: View, k: int, rect,
                     units: Optional[List[int]] = None) -> np.ndarray:
    units = list(range(net.width)) if units is None else list(units)
    groups = [units[i:i + 3] for i in range(0, len(units), 3)]
    parts = [backend.render(_truncated(net, k, g), view, rect)[..., :len(g)] for g in groups]
    return np.concatenate(parts, axis=-1)


def hidden_layers(net: Network, view: View, backend: Backend, rect=None, layers: Optional[List[int]] = None,
                  units: Optional[List[int]] = None) -> Iterator[Tuple[int, np.ndarray, np.ndarray]]:
    """(k, pre, y) for hidden layers k = 1 .. depth - 1 (or `layers`) over `rect` (default: the view):
    pre-activations and values, (h, w, width) arrays (float64 from the numpy backend, else float32); `units`:
    only those (0-based) of each layer."""
    c0, r0, w, h = rect or (0, 0, view.width, view.height)
    wanted = layers or list(range(1, net.depth))
    if not wanted:   # a depth-1 network has no hidden layer
        return
    acts = [l.activation for l in net.layers]
    if backend_registry.entry(backend.name).hidden_layers:
        for k in wanted:
            pre = _truncated_layer(backend, net, view, k, (c0, r0, w, h), units)
            act = acts[k - 1]
            if units is not None and not isinstance(act, str):   # one per unit: the wanted units'
                act = tuple(act[u] for u in units)
            yield k, pre, activations.apply(act, pre).astype(np.float32)
        return
    dtype = np.float64 if backend_registry.entry(backend.name).float64 else np.float32
    rows, cols = np.arange(r0, r0 + h)[:, None], np.arange(c0, c0 + w)[None, :]
    states = layer_states(net, inputs_for(net, view, rows, cols), dtype, upto=max(wanted))
    for k, (pre, y) in enumerate(states, 1):
        if k in wanted:
            if units is not None:
                pre, y = pre[:, units], y[:, units]
            yield k, pre.reshape(h, w, -1), y.reshape(h, w, -1)


CHUNK_PIXELS = 8192   # pixels one thread folds at a time (their states stay in cache)


def fold_layers(net: Network, view: View, backend: Backend, rect, init: Callable[[int], object],
                fold: Callable[[object, int, np.ndarray, np.ndarray], object], layers: Optional[List[int]] = None,
                units: Optional[List[int]] = None):
    """Fold the hidden layers over rect's pixels (row-major): acc = init(n), then acc = fold(acc, k, pre, y) for
    each wanted layer k, pre and y (n, units) arrays; returns acc, one row per pixel. The numpy backends run
    chunks of pixels on every core (about the cost of a render); the GL one draws truncated networks."""
    c0, r0, w, h = rect
    n = w * h
    wanted = layers or list(range(1, net.depth))
    if backend_registry.entry(backend.name).hidden_layers:
        acc = init(n)
        for k, pre, y in hidden_layers(net, view, backend, rect, wanted, units):
            acc = fold(acc, k, pre.reshape(n, -1), y.reshape(n, -1))
        return acc
    dtype = np.float64 if backend_registry.entry(backend.name).float64 else np.float32

    last = max(wanted)

    def chunk(start: int):
        stop = min(n, start + CHUNK_PIXELS)
        rows, cols = np.divmod(np.arange(start, stop), w)
        acc = init(stop - start)
        y = inputs_for(net, view, rows + r0, cols + c0).astype(dtype, copy=False)
        for k, layer in enumerate(net.layers[:last], 1):
            if k == last and units is not None:   # the last layer wanted: only its units wanted
                act = layer.activation if isinstance(layer.activation, str) else \
                    tuple(layer.activation[u] for u in units)   # one per unit: the wanted units'
                pre, y = step(Layer(layer.W[units], layer.b[units], act), y, dtype)
                return fold(acc, k, pre, y)
            pre, y = step(layer, y, dtype)
            if k in wanted:
                acc = fold(acc, k, pre if units is None else pre[:, units], y if units is None else y[:, units])
        return acc

    starts = range(0, n, CHUNK_PIXELS)
    with one_blas_thread():   # the threads fill the cores: BLAS's own threads would fight them (10x slower)
        if len(starts) == 1:
            return chunk(0)
        with ThreadPoolExecutor(max_workers=usable_cpus()) as pool:
            return np.concatenate(list(pool.map(chunk, starts)))


