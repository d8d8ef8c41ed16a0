"""The article's explanations made visible: what the hidden units do at each pixel.

Probes (`glnn render --probe ...`, the window's p key):
- units:K    every unit of hidden layer K (1 = the first) as a small gray tile of the same view, one sheet;
- unit:K:J   unit J (from 1) of layer K at full size;
- regions    each pixel coloured by its activation pattern: which units are in their near-linear part
             (for relu: which are on), so a relu network's convex linear regions show as a mosaic;
- saturation the fraction of hidden units saturated at each pixel, as a heat map.

A unit is saturated where its activation's slope is under SATURATED_SLOPE of its steepest (tanh: |x| > 1,
sigmoid: |x| > 2; relu: off). Every backend gives the hidden layers' pre-activations, band by band so that
memory stays bounded: the numpy ones by a forward pass (float64 for `numpy`, float32 for `cpu`), the GL
one by drawing truncated networks whose readout is three of the layer's units with no activation (so every
GL kernel serves probes unchanged). stats() reduces the same pre-activations to per-layer numbers.
"""
from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Tuple

import numpy as np

from . import activations, colour as colours, plots
from .backends import registry as backend_registry
from .backends.base import Backend
from .backends.reference import inputs_for, layer_states, step
from .errors import GlnnError
from .network import Layer, Network
from .sheet import Layout, compose
from .view import View

KINDS = ("units", "unit", "regions", "saturation")
SATURATED_SLOPE = 1.0 - math.tanh(1.0) ** 2   # 0.42: tanh's slope at |x| = 1, relative to its steepest
MAX_REGIONS = 4096          # distinct patterns a picture can colour apart
BAND_PIXELS = 1 << 16       # pixels per band: bounds the states held at once
GUTTER = 2                  # white pixels between the tiles of a units sheet
HEAT = "palette:magma"


@dataclass(frozen=True)
class Probe:
    kind: str
    layer: Optional[int] = None   # hidden layer, from 1
    unit: Optional[int] = None    # unit of that layer, from 1

    @property
    def text(self) -> str:
        return ":".join([self.kind] + [str(v) for v in (self.layer, self.unit) if v is not None])

    @property
    def colour(self) -> str:
        """The colour mode of the probe's picture."""
        return {"regions": "rgb", "saturation": HEAT}.get(self.kind, "gray")


def parse_probe(text: str, net: Network) -> Probe:
    """units:K, unit:K:J, regions or saturation, checked against the network (one-line GlnnError)."""
    parts = str(text).strip().split(":")
    kind, args = parts[0], parts[1:]
    want = {"units": 1, "unit": 2, "regions": 0, "saturation": 0}
    if kind not in want:
        raise GlnnError(f"--probe {text!r}: unknown probe (choose from units:K, unit:K:J, regions, saturation)")
    if len(args) != want[kind]:
        shape = {"units": "units:K", "unit": "unit:K:J"}.get(kind, kind)
        raise GlnnError(f"--probe {text!r}: expected {shape}")
    try:
        nums = [int(a) for a in args]
    except ValueError:
        raise GlnnError(f"--probe {text!r}: layers and units are whole numbers") from None
    if kind in ("units", "unit") and net.depth < 2:
        raise GlnnError(f"--probe {text!r}: a network of depth 1 has no hidden layer")
    if nums and not 1 <= nums[0] <= net.depth - 1:
        raise GlnnError(f"--probe {text!r}: layer {nums[0]} is not a hidden layer of this network "
                        f"(1 to {net.depth - 1}; depth {net.depth} counts the readout)")
    if len(nums) == 2 and not 1 <= nums[1] <= net.width:
        raise GlnnError(f"--probe {text!r}: unit {nums[1]} is not in layer {nums[0]} (1 to {net.width})")
    if kind in ("regions", "saturation") and net.depth < 2:
        raise GlnnError(f"--probe {text!r}: a network of depth 1 has no hidden units")
    return Probe(kind, *nums)


# ------------------------------------------------------------------ slopes
@functools.lru_cache(maxsize=None)
def _steepest(name: str) -> float:
    x = np.linspace(-8.0, 8.0, 32001)
    return float(np.abs(np.gradient(activations.BY_NAME[name].f64(x), x)).max())


def linear_part(name: str, pre: np.ndarray) -> np.ndarray:
    """True where a unit is in its near-linear part: slope at least SATURATED_SLOPE of its steepest (a piecewise
    linear activation with a kink, like relu: past the kink, on)."""
    act = activations.BY_NAME[name]
    if act.kink is not None:
        return pre > act.kink
    f, h = act.f64, 1e-3
    x = pre.astype(np.float64)
    slope = np.abs(f(x + h) - f(x - h)) / (2 * h)
    return slope >= SATURATED_SLOPE * _steepest(name)


# ------------------------------------------------------------------ the hidden layers, band by band
def _bands(view: View) -> Iterator[Tuple[int, int, int, int]]:
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


def _truncated_layer(backend: Backend, net: Network, view: View, k: int, rect) -> np.ndarray:
    groups = [list(range(u, min(u + 3, net.width))) for u in range(0, net.width, 3)]
    parts = [backend.render(_truncated(net, k, g), view, rect)[..., :len(g)] for g in groups]
    return np.concatenate(parts, axis=-1)


def hidden_layers(net: Network, view: View, backend: Backend, rect=None,
                  layers: Optional[List[int]] = None) -> Iterator[Tuple[int, np.ndarray, np.ndarray]]:
    """(k, pre, y) for hidden layers k = 1 .. depth - 1 (or `layers`) over `rect` (default: the view):
    pre-activations and values, (h, w, width) arrays (float64 from the numpy backend, else float32)."""
    c0, r0, w, h = rect or (0, 0, view.width, view.height)
    wanted = layers or list(range(1, net.depth))
    if not wanted:   # a depth-1 network has no hidden layer
        return
    acts = [l.activation for l in net.layers]
    if backend_registry.entry(backend.name).hidden_layers:
        for k in wanted:
            pre = _truncated_layer(backend, net, view, k, (c0, r0, w, h))
            yield k, pre, activations.apply(acts[k - 1], pre).astype(np.float32)
        return
    dtype = np.float64 if backend_registry.entry(backend.name).float64 else np.float32
    rows, cols = np.arange(r0, r0 + h)[:, None], np.arange(c0, c0 + w)[None, :]
    states = layer_states(net, inputs_for(net, view, rows, cols), dtype, upto=max(wanted))
    for k, (pre, y) in enumerate(states, 1):
        if k in wanted:
            yield k, pre.reshape(h, w, -1), y.reshape(h, w, -1)


# ------------------------------------------------------------------ pictures
def _gray(name: str, y: np.ndarray) -> np.ndarray:
    """A unit's values as gray levels: its activation's range where bounded, else 0 at the middle and the
    largest |value| in view at the ends (bounded below only, like relu: its floor to the largest)."""
    act = activations.BY_NAME[name]
    bounds = act.bounds
    if bounds is None:
        m = float(np.abs(y).max()) or 1.0
        bounds = (act.floor, m) if act.floor is not None else (-m, m)
    return np.clip((y - bounds[0]) / (bounds[1] - bounds[0]), 0.0, 1.0)


def sheet_layout(n: int, size: Tuple[int, int]) -> Tuple[int, int, int, int]:
    """(columns, rows, tile width, tile height) for n tiles in a sheet of `size`, tiles shaped like the sheet."""
    W, H = size
    cols = max(1, min(n, round(math.sqrt(n * W / H))))
    rows = math.ceil(n / cols)
    tw, th = (W - (cols + 1) * GUTTER) // cols, (H - (rows + 1) * GUTTER) // rows
    if tw < 1 or th < 1:
        raise GlnnError(f"a sheet of {n} tiles needs more than {W}x{H} pixels")
    return cols, rows, tw, th


def _units_sheet(net: Network, view: View, backend: Backend, k: int) -> np.ndarray:
    cols, rows, tw, th = sheet_layout(net.width, view.size)
    tile_view = View(tw, th, view.center, view.extent, view.time)
    _, _, y = next(hidden_layers(net, tile_view, backend, layers=[k]))
    name = net.layers[k - 1].activation
    layout = Layout(net.width, cols, (tw, th), GUTTER, margin=GUTTER, frame=view.size)
    return compose(layout, (_gray(name, y[..., j]) for j in range(net.width)), channels=1, dtype=np.float32,
                   fill=1.0)


def _mix(h: np.ndarray, bits: np.ndarray) -> np.ndarray:
    """Fold a (n, b) bool array of unit states into the running 64-bit hashes h (n,)."""
    with np.errstate(over="ignore"):
        for start in range(0, bits.shape[1], 64):
            chunk = bits[:, start:start + 64]
            word = (chunk.astype(np.uint64) << np.arange(chunk.shape[1], dtype=np.uint64)).sum(axis=1, dtype=np.uint64)
            h = (h ^ word) * np.uint64(0x100000001B3) + np.uint64(0x9E3779B97F4A7C15)
            h ^= h >> np.uint64(29)
    return h


def patterns(net: Network, view: View, backend: Backend) -> np.ndarray:
    """Each pixel's activation pattern over every hidden unit, as a 64-bit hash (H, W) uint64."""
    out = np.zeros((view.height, view.width), np.uint64)
    for rect in _bands(view):
        c0, r0, w, h = rect
        acc = np.zeros(w * h, np.uint64)
        for k, pre, _ in hidden_layers(net, view, backend, rect):
            acc = _mix(acc, linear_part(net.layers[k - 1].activation, pre.reshape(w * h, -1)))
        out[r0:r0 + h] = acc.reshape(h, w)
    return out


def region_colours(ids: np.ndarray) -> np.ndarray:
    """Distinct colours for region ids (golden-ratio steps in hue, saturation and value)."""
    i = ids.astype(np.float64)
    hue, sat, val = (i * 0.6180339887) % 1, 0.45 + 0.45 * ((i * 0.3819660113) % 1), 0.6 + 0.35 * ((i * 0.7548776662) % 1)
    return colours.hsv_to_rgb(hue[..., None], sat[..., None], val[..., None]).astype(np.float32)


def regions(net: Network, view: View, backend: Backend) -> Tuple[np.ndarray, int]:
    """The regions picture (H, W, 3) in [0, 1] (dark lines where the pattern changes) and the count."""
    h = patterns(net, view, backend)
    _, first, inverse = np.unique(h.ravel(), return_index=True, return_inverse=True)
    n = first.size
    if n > MAX_REGIONS:
        raise GlnnError(f"the view holds {n:,} activation patterns, more than the {MAX_REGIONS:,} a picture can colour "
                        f"apart: zoom in (a smaller --extent), or probe a shallower or narrower network")
    order = np.empty(n, np.int64)
    order[np.argsort(first, kind="stable")] = np.arange(n)    # ids in the order regions first appear
    ids = order[inverse].reshape(h.shape)
    rgb = region_colours(ids)
    edge = np.zeros(h.shape, bool)
    edge[:, :-1] |= h[:, :-1] != h[:, 1:]
    edge[:-1, :] |= h[:-1, :] != h[1:, :]
    rgb[edge] *= 0.35
    return rgb, n


def saturation(net: Network, view: View, backend: Backend) -> np.ndarray:
    """The fraction of hidden units saturated at each pixel (H, W, 1) in [0, 1]."""
    out = np.zeros((view.height, view.width, 1), np.float32)
    units = (net.depth - 1) * net.width
    for rect in _bands(view):
        c0, r0, w, h = rect
        count = np.zeros((h, w), np.int64)
        for k, pre, _ in hidden_layers(net, view, backend, rect):
            count += (~linear_part(net.layers[k - 1].activation, pre)).sum(axis=-1)
        out[r0:r0 + h, :, 0] = count / units
    return out


def probe_picture(probe: Probe, net: Network, view: View, backend: Backend) -> np.ndarray:
    """The probe's picture, float32 (H, W, 1 or 3) in [0, 1], shown through probe.colour."""
    if probe.kind == "units":
        return _units_sheet(net, view, backend, probe.layer)
    if probe.kind == "unit":
        _, _, y = next(hidden_layers(net, view, backend, layers=[probe.layer]))
        return _gray(net.layers[probe.layer - 1].activation, y[..., probe.unit - 1:probe.unit]).astype(np.float32)
    if probe.kind == "regions":
        return regions(net, view, backend)[0]
    # stretched over its range, with a legend of it: the fractions of a picture differ little (issue 23)
    return plots.with_legend(saturation(net, view, backend), "saturated units")


# ------------------------------------------------------------------ statistics
def stats(net: Network, view: View, backend: Backend) -> List[Dict[str, object]]:
    """Per layer (hidden layers, then the readout): mean |y|; RMS of the pre-activations; ||y_k|| / ||y_k-1||
    averaged over the view (y_0 the input vector: the article's equation 3); the fraction of saturated units
    (for relu and leaky relu: of active ones); the number of distinct activation patterns of the layer."""
    sums: Dict[int, Dict[str, float]] = {}
    hashes: Dict[int, set] = {}
    n = view.width * view.height
    for rect in _bands(view):
        c0, r0, w, h = rect
        rows, cols = np.arange(r0, r0 + h)[:, None], np.arange(c0, c0 + w)[None, :]
        prev = np.linalg.norm(inputs_for(net, view, rows, cols), axis=1)
        states = list(hidden_layers(net, view, backend, rect))
        readout = _readout(net, states[-1][2].reshape(w * h, -1) if states else
                           inputs_for(net, view, rows, cols))
        for k, pre, y in states + [readout]:
            name = net.layers[k - 1].activation
            pre2, y2 = pre.reshape(w * h, -1).astype(np.float64), y.reshape(w * h, -1).astype(np.float64)
            norm = np.linalg.norm(y2, axis=1)
            s = sums.setdefault(k, {"abs": 0.0, "sq": 0.0, "ratio": 0.0, "sat": 0.0})
            s["abs"] += np.abs(y2).mean(axis=1).sum()
            s["sq"] += (pre2 ** 2).mean(axis=1).sum()
            s["ratio"] += np.divide(norm, prev, out=np.zeros_like(norm), where=prev > 0).sum()
            on = linear_part(name, pre2)
            s["sat"] += (on if activations.BY_NAME[name].kink is not None else ~on).mean(axis=1).sum()
            if k < net.depth:
                hashes.setdefault(k, set()).update(np.unique(_mix(np.zeros(w * h, np.uint64), on)).tolist())
            prev = norm
    out = []
    for k in sorted(sums):
        s, name = sums[k], net.layers[k - 1].activation
        out.append({"layer": k, "activation": name, "mean_abs": s["abs"] / n, "rms_pre": math.sqrt(s["sq"] / n),
                    "norm_ratio": s["ratio"] / n, "saturated": s["sat"] / n,
                    "patterns": len(hashes[k]) if k in hashes else None})
    return out


def stats_panels(series: List[Tuple[str, List[Dict[str, object]]]], saturated: str = "saturated (relu: active)"):
    """plots.layer_plot's panels for labelled stats() results: the norm ratio and the saturated fraction of the
    hidden layers (the readout's numbers measure something else; a network of depth 1 keeps its one row)."""
    hidden = [(label, [r for r in rows if r["patterns"] is not None] or rows) for label, rows in series]
    top = max(2.0, max(r["norm_ratio"] for _, rows in hidden for r in rows))
    return [("|y_k| / |y_k-1|", [(label, [r["norm_ratio"] for r in rows]) for label, rows in hidden], (0.0, top)),
            (saturated, [(label, [r["saturated"] for r in rows]) for label, rows in hidden], (0.0, 1.0))]


def _readout(net: Network, y: np.ndarray):
    return (net.depth,) + step(net.layers[-1], y.astype(np.float64))


def stats_table(rows: List[Dict[str, object]]) -> str:
    """The statistics as an aligned text table."""
    head = ["layer", "activation", "mean |y|", "RMS pre", "|y|/|y-1|", "saturated*", "patterns"]
    lines = [head]
    for r in rows:
        lines.append([str(r["layer"]) + (" (readout)" if r["patterns"] is None else ""), r["activation"],
                      f"{r['mean_abs']:.4f}", f"{r['rms_pre']:.4f}", f"{r['norm_ratio']:.4f}",
                      f"{r['saturated']:.3f}", "" if r["patterns"] is None else f"{r['patterns']:,}"])
    widths = [max(len(l[i]) for l in lines) for i in range(len(head))]
    text = ["  ".join(c.rjust(wd) if i > 1 else c.ljust(wd) for i, (c, wd) in enumerate(zip(l, widths))) for l in lines]
    return "\n".join(text + ["* saturated: the fraction of units whose slope is under 0.42 of their steepest; "
                             "for relu and leaky relu, the fraction of active units"])
