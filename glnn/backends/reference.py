"""The numpy reference: the oracle every other backend is tested against (`--backend numpy`).

It computes in float64 from the network's float32 weights, so it is what the
GPU would give with exact arithmetic.
"""
from __future__ import annotations

from typing import Iterator, Optional, Tuple

import numpy as np

from ..model import activations
from ..model.network import Layer, Network
from ..model.view import View
from .base import Backend, Rect, checked_rect, output_array

CHUNK_PIXELS = 1 << 16


def inputs_for(net: Network, view: View, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """(N, n_inputs) float64 network inputs for the given pixels: the features (x, y, ...), then z_1..z_k(time)
    (the architecture builds them: glnn/model/architecture.py)."""
    x, y = view.coords(rows, cols)
    return net.architecture.inputs(x, y, net.extra_inputs(view.time).astype(np.float64))


def step(layer: Layer, y: np.ndarray, dtype=np.float64) -> Tuple[np.ndarray, np.ndarray]:
    """One layer on (N, in) rows, in `dtype`: (pre-activations W y + b, values act(pre))."""
    pre = y @ layer.W.T.astype(dtype) + layer.b.astype(dtype)
    return pre, activations.apply(layer.activation, pre).astype(dtype, copy=False)


def layer_states(net: Network, inputs: np.ndarray, dtype=np.float64, upto: Optional[int] = None
                 ) -> Iterator[Tuple[np.ndarray, np.ndarray]]:
    """The one numpy forward pass: (pre, values) of layers 1 .. upto (default: all) on (N, inputs) rows, in
    `dtype` (the reference's float64; probes on a float32 backend ask for float32)."""
    y = inputs.astype(dtype, copy=False)
    for layer in net.layers[:upto]:
        pre, y = step(layer, y, dtype)
        yield pre, y


def forward(net: Network, inputs: np.ndarray) -> np.ndarray:
    """Evaluate the network on (N, inputs) float64 rows; returns (N, channels) float64."""
    y = inputs
    for _, y in layer_states(net, inputs):
        pass
    return y


def evaluate(net: Network, view: View, rect: Optional[Rect] = None, out: Optional[np.ndarray] = None) -> np.ndarray:
    """The picture (or its sub-rectangle `rect`) as float32 (h, w, C), row 0 at the top (raw, not clamped)."""
    c0, r0, w, h = rect = checked_rect(view, rect)
    out = output_array(net, rect, out)
    rows_per_chunk = max(1, CHUNK_PIXELS // w)
    cols = np.arange(c0, c0 + w)
    with np.errstate(over="ignore", invalid="ignore"):   # overflow is silent; the pipeline says so (non-finite)
        for r in range(0, h, rows_per_chunk):
            rows = np.arange(r0 + r, r0 + min(h, r + rows_per_chunk))
            x = inputs_for(net, view, rows[:, None], cols[None, :])
            out[r:r + rows.size] = forward(net, x).reshape(rows.size, w, net.channels)
    return out


class ReferenceBackend(Backend):
    name = "numpy"

    def render(self, net, view, rect=None, out=None):
        return evaluate(net, view, rect, out)
