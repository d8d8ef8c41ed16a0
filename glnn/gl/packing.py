"""How the weights are laid out for each kernel (numpy only, no GL): texels for the texture kernels,
rows for the shared kernel, a flat float array for the matrix kernel; and the input vector.

Per-unit activations (a layer whose activation is a tuple, one name per unit: `--activation mix-units`), in
every layout (docs/contract.md, "GL layout of per-unit activations"; the page's JavaScript mirrors it):
- Grouped by activation: the output units of a per-unit layer other than the readout are put in the stable
  order of their activation ids (activations.IDS), the permutation P = argsort(ids, stable). The layer's W rows
  and b entries are permuted by P, the next layer's W columns by P: the network computes the same function,
  and the readout's rows are never permuted. So nearly every group of 4 units has one activation.
- After a per-unit layer's biases come its (permuted) units' activation ids as floats: in the texel layouts
  (pack_weights, mat4_layers, pack_rows) ceil(out / 4) "activation texels", lane k of texel o the id of unit
  4o + k, padded lanes identity's id; in pack_gemm `out` floats, one per output row.
- The layer's entry in the shaders' per-layer ids (u_act, LAYER_ACTS) is ACT_UNITS (activations.UNITS_ID):
  "read the units' ids"; the shaders are built with UNIT_ACTS defined (kernels.unit_defines).
Layers of one activation are packed exactly as before, with no activation texels.
"""
from __future__ import annotations

import math
from typing import List, NamedTuple, Optional, Tuple

import numpy as np

from ..model import activations
from ..model.network import Network

WEIGHT_TEX_WIDTH = 1024


def groups(n: int) -> int:
    """Groups of 4 (vec4s) that hold n values."""
    return (n + 3) // 4


class PackedLayer(NamedTuple):
    """A layer as the shaders see it: W and b with per-unit layers' units grouped by activation, and
    the units' activation ids (None for a layer of one activation). order: the permutation of its outputs
    (packed unit i is the layer's unit order[i]; None: not permuted)."""
    W: np.ndarray
    b: np.ndarray
    ids: Optional[np.ndarray]
    order: Optional[np.ndarray]


def per_unit(net: Network) -> bool:
    """Whether any layer of `net` has one activation per unit."""
    return any(not isinstance(l.activation, str) for l in net.layers)


def packed_layers(net: Network) -> List[PackedLayer]:
    """The layers as packed: per-unit layers (not the readout) grouped by activation (the module's docstring).
    A network of one activation per layer comes back as it is (the same arrays)."""
    if not per_unit(net):
        return [PackedLayer(l.W, l.b, None, None) for l in net.layers]
    out, prev = [], None
    for i, layer in enumerate(net.layers):
        W, b, ids, order = layer.W, layer.b, None, None
        if prev is not None:
            W = W[:, prev]
        if not isinstance(layer.activation, str):
            ids = activations.unit_ids(layer.activation)
            if i < len(net.layers) - 1:
                order = np.argsort(ids, kind="stable")
                W, b, ids = W[order], b[order], ids[order]
        out.append(PackedLayer(np.ascontiguousarray(W), np.ascontiguousarray(b), ids, order))
        prev = order
    return out


def unit_slots(net: Network) -> List[np.ndarray]:
    """Each hidden layer's packed position of its units: slots[k][j] = where unit j of hidden layer k + 1 is in
    the packed layer (the identity for a layer of one activation). Probes of a unit read that slot."""
    slots = []
    for layer, p in zip(net.layers[:-1], packed_layers(net)[:-1]):
        n = layer.W.shape[0]
        s = np.arange(n)
        if p.order is not None:
            s[p.order] = np.arange(n)
        slots.append(s)
    return slots


def _activation_texels(ids: np.ndarray) -> np.ndarray:
    """ceil(n / 4) texels of float ids, lane k of texel o unit 4o + k's, padded lanes identity's."""
    lanes = np.full(groups(len(ids)) * 4, activations.IDS["identity"], np.float32)
    lanes[:len(ids)] = ids
    return lanes.reshape(-1, 4)


def _layer_texels(net: Network, blocks) -> Tuple[List[np.ndarray], List[int]]:
    """Each layer as texels: blocks(Wp) for W zero-padded to whole groups of 4 both ways, then one
    bias texel per output group, then (per-unit layers) one activation texel per output group; and each
    layer's first texel. Padded units never reach a real output."""
    chunks, offsets, at = [], [], 0
    for layer in packed_layers(net):
        out, inn = layer.W.shape
        Wp = np.zeros((groups(out) * 4, groups(inn) * 4), np.float32)
        Wp[:out, :inn] = layer.W
        bp = np.zeros(groups(out) * 4, np.float32)
        bp[:out] = layer.b
        parts = [blocks(Wp), bp.reshape(-1, 4)]
        if layer.ids is not None:
            parts.append(_activation_texels(layer.ids))
        texels = np.concatenate(parts)
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
    4j..4j+3 to outputs 4o..4o+3; then one bias texel per output group; then, for a layer with one activation
    per unit, one activation texel per output group (its units grouped by activation: the module's docstring).
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
    ceil(out / 4) bias texels, then (per-unit layers) ceil(out / 4) activation texels, as pack_weights().
    """
    chunks, offsets = _layer_texels(net, lambda Wp: Wp.reshape(-1, 4))
    return np.concatenate(chunks), offsets, max(c.shape[0] for c in chunks)


def pack_gemm(net: Network) -> Tuple[np.ndarray, List[int]]:
    """The weights for the matrix kernel (gemm.comp) as floats: per layer W transposed (in rows of out),
    then the biases, then (per-unit layers, grouped by activation) each output row's activation id; and each
    layer's first float."""
    parts = [[l.W.T.ravel(), l.b] + ([l.ids.astype(np.float32)] if l.ids is not None else [])
             for l in packed_layers(net)]
    flat = np.concatenate([np.concatenate(p) for p in parts]).astype(np.float32)
    offsets = np.cumsum([0] + [sum(a.size for a in p) for p in parts])[:-1]
    return flat, [int(o) for o in offsets]


def shared_texels(net: Network) -> int:
    """The shared kernel's staging array: the largest layer in pack_rows() texels."""
    return max(groups(l.W.shape[0]) * (4 * groups(l.W.shape[1]) + (1 if isinstance(l.activation, str) else 2))
               for l in net.layers)


def input_groups(net: Network, time: float) -> np.ndarray:
    """u_in: the input vector as (4, 4) float32 groups: constant features and z_j(time) in their slots, the
    per-pixel features' slots 0 (the shaders fill them: PIXEL_INPUTS)."""
    return net.architecture.constant_inputs(net.extra_inputs(time)).reshape(4, 4)
