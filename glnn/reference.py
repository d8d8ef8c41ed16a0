"""The numpy reference: the oracle every other path is tested against, and the `numpy` backend.

evaluate(net, view) returns float32 (H, W, C), row 0 at the top. It computes
in float64 from the network's float32 weights, so it is what the GPU would
give with exact arithmetic.
"""
from __future__ import annotations

import numpy as np

from . import activations
from .network import Network
from .view import View


def inputs_for(net: Network, view: View, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """(N, inputs) float64 network inputs for the given pixels: x, y, then z_1..z_k(time)."""
    x, y = np.broadcast_arrays(*view.coords(rows, cols))
    x, y = x.ravel(), y.ravel()
    z = net.extra_inputs(view.time).astype(np.float64)
    out = np.empty((x.size, net.inputs), np.float64)
    out[:, 0] = x
    out[:, 1] = y
    out[:, 2:] = z
    return out


def forward(net: Network, inputs: np.ndarray) -> np.ndarray:
    """Evaluate the network on (N, inputs) float64 rows; returns (N, channels) float64."""
    y = inputs
    for layer in net.layers:
        y = activations.apply(layer.activation, y @ layer.W.T.astype(np.float64) + layer.b.astype(np.float64))
    return y


def evaluate(net: Network, view: View, chunk_pixels: int = 1 << 16) -> np.ndarray:
    """The picture as float32 (H, W, C), row 0 at the top (raw outputs, not clamped)."""
    H, W = view.height, view.width
    out = np.empty((H, W, net.channels), np.float32)
    rows_per_chunk = max(1, chunk_pixels // W)
    cols = np.arange(W)
    for r0 in range(0, H, rows_per_chunk):
        rows = np.arange(r0, min(H, r0 + rows_per_chunk))
        x = inputs_for(net, view, rows[:, None], cols[None, :])
        out[r0:r0 + rows.size] = forward(net, x).reshape(rows.size, W, net.channels)
    return out
