"""How the weights are laid out for each kernel (numpy only, no GL): texels for the texture kernels,
rows for the shared kernel, a flat float array for the matrix kernel; and the input vector."""
from __future__ import annotations

import math
from typing import List, Tuple

import numpy as np

from ..model.network import Network

WEIGHT_TEX_WIDTH = 1024


def groups(n: int) -> int:
    """Groups of 4 (vec4s) that hold n values."""
    return (n + 3) // 4


def _layer_texels(net: Network, blocks) -> Tuple[List[np.ndarray], List[int]]:
    """Each layer as texels: blocks(Wp) for W zero-padded to whole groups of 4 both ways, then one
    bias texel per output group; and each layer's first texel. Padded units never reach a real output."""
    chunks, offsets, at = [], [], 0
    for layer in net.layers:
        out, inn = layer.W.shape
        Wp = np.zeros((groups(out) * 4, groups(inn) * 4), np.float32)
        Wp[:out, :inn] = layer.W
        bp = np.zeros(groups(out) * 4, np.float32)
        bp[:out] = layer.b
        texels = np.concatenate([blocks(Wp), bp.reshape(-1, 4)])
        offsets.append(at)
        chunks.append(texels)
        at += texels.shape[0]
    return chunks, offsets


def _mat4_columns(Wp: np.ndarray) -> np.ndarray:
    o4, i4 = Wp.shape[0] // 4, Wp.shape[1] // 4
    # blocks[o, j, k, :] = W[4o:4o+4, 4j+k]  (column k of block (o, j))
    return Wp.reshape(o4, 4, i4, 4).transpose(0, 2, 3, 1).reshape(-1, 4)


def mat4_layers(net: Network) -> List[np.ndarray]:
    """Each layer as texels (n, 4) in pack_weights()' layout (the web exports keep one array per layer)."""
    return _layer_texels(net, _mat4_columns)[0]


def pack_weights(net: Network, width: int = WEIGHT_TEX_WIDTH) -> Tuple[np.ndarray, List[int]]:
    """The network's weights as RGBA32F texels (rows, width, 4) and each layer's first texel.

    Layer block (o, j) holds 4 texels, the columns of the mat4 mapping inputs
    4j..4j+3 to outputs 4o..4o+3; then one bias texel per output group.
    """
    chunks, offsets = _layer_texels(net, _mat4_columns)
    data = np.concatenate(chunks)
    rows = max(1, math.ceil(len(data) / width))
    full = np.zeros((rows * width, 4), np.float32)
    full[:len(data)] = data
    return full.reshape(rows, width, 4), offsets


def pack_rows(net: Network) -> Tuple[np.ndarray, List[int], int]:
    """The weights for the shared-memory kernel (fused_shared.comp): texels (n, 4), each layer's first texel,
    and the largest layer's texel count.

    A layer is its rows, one per output, of ceil(in / 4) texels (inputs 4j..4j+3), the rows
    padded with zero rows to a multiple of 4 (the readout's padding rows are computed), then
    ceil(out / 4) bias texels.
    """
    chunks, offsets = _layer_texels(net, lambda Wp: Wp.reshape(-1, 4))
    return np.concatenate(chunks), offsets, max(c.shape[0] for c in chunks)


def pack_gemm(net: Network) -> Tuple[np.ndarray, List[int]]:
    """The weights for the matrix kernel (gemm.comp) as floats: per layer W transposed (in rows of out),
    then the biases; and each layer's first float."""
    flat = np.concatenate([np.concatenate([l.W.T.ravel(), l.b]) for l in net.layers]).astype(np.float32)
    offsets = np.cumsum([0] + [l.W.size + l.b.size for l in net.layers])[:-1]
    return flat, [int(o) for o in offsets]


def shared_texels(net: Network) -> int:
    """The shared kernel's staging array: the largest layer in pack_rows() texels."""
    return max(groups(out) * 4 * groups(inn) + groups(out) for out, inn in net.layer_shapes())


def input_groups(net: Network, time: float) -> np.ndarray:
    """u_in: the input vector as (4, 4) float32 groups: constant features and z_j(time) in their slots, the
    per-pixel features' slots 0 (the shaders fill them: PIXEL_INPUTS)."""
    return net.architecture.constant_inputs(net.extra_inputs(time)).reshape(4, 4)
