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

import contextlib
import dataclasses
import functools
import math
from dataclasses import dataclass
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict, Iterator, List, Optional, Tuple

import numpy as np

from . import activations, colour as colours, plots
from .backends import registry as backend_registry
from .backends.base import Backend
from .backends.cpu import find_openblas, usable_cpus
from .backends.reference import inputs_for, layer_states, step
from .errors import GlnnError, TooSmall
from .network import Layer, Network
from .sheet import Layout
from .view import View

KINDS = ("units", "unit", "regions", "saturation")
SATURATED_SLOPE = 1.0 - math.tanh(1.0) ** 2   # 0.42: tanh's slope at |x| = 1, relative to its steepest
MAX_REGIONS = 4096          # distinct patterns a picture can colour apart
BAND_PIXELS = 1 << 16       # pixels per band: bounds the states held at once
GUTTER = 2                  # white pixels between the tiles of a units sheet
HEAT = "palette:magma"
LEGEND_MAX_PIXELS = 4096 * 4096   # saturation pictures up to this size are held whole for their legend


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


def _linear_exact(name: str, x: np.ndarray) -> np.ndarray:
    f, h = activations.BY_NAME[name].f64, 1e-3
    x = x.astype(np.float64)
    return np.abs(f(x + h) - f(x - h)) / (2 * h) >= SATURATED_SLOPE * _steepest(name)


TABLE_RANGE = 32.0          # linear_part looks pre-activations within +-TABLE_RANGE up in a table ...
TABLE_STEPS = 4096          # ... of this many entries per unit of x (outside it: computed)


@functools.lru_cache(maxsize=None)
def _linear_table(name: str) -> np.ndarray:
    x = np.arange(-TABLE_RANGE * TABLE_STEPS, TABLE_RANGE * TABLE_STEPS + 1) / TABLE_STEPS
    table = _linear_exact(name, x)
    table.flags.writeable = False
    return table


@functools.lru_cache(maxsize=None)
def _linear_intervals(name: str) -> Optional[Tuple[Tuple[float, float], ...]]:
    """The linear part as at most two intervals of x (ends may be infinite), read off the table; None where it
    has more (sin) or may change beyond the table."""
    table = _linear_table(name)
    far = np.array([TABLE_RANGE * 2, 1e3, 1e6, 1e30])
    if not (np.all(_linear_exact(name, far) == table[-1]) and np.all(_linear_exact(name, -far) == table[0])):
        return None
    flips = np.flatnonzero(table[1:] != table[:-1])   # the last index before each change
    edges = []
    for i in flips:   # each change bisected to the double next to it
        lo, hi = i / TABLE_STEPS - TABLE_RANGE, (i + 1) / TABLE_STEPS - TABLE_RANGE
        left = bool(table[i])
        for _ in range(40):
            mid = 0.5 * (lo + hi)
            if bool(_linear_exact(name, np.array([mid]))[0]) == left:
                lo = mid
            else:
                hi = mid
        edges.append(lo if left else hi)   # the last x still in (or the first x in) the linear part
    bounds = ([-np.inf] if table[0] else []) + list(edges) + ([np.inf] if table[-1] else [])
    if len(bounds) > 4:
        return None
    return tuple((float(bounds[i]), float(bounds[i + 1])) for i in range(0, len(bounds), 2))


def linear_part(name: str, pre: np.ndarray) -> np.ndarray:
    """True where a unit is in its near-linear part: slope at least SATURATED_SLOPE of its steepest (a piecewise
    linear activation with a kink, like relu: past the kink, on). The slope criterion is tabulated, 1/4096 apart
    (a unit that near the threshold may fall either side), and where it is one or two intervals compared against
    their ends: a pass or two over the array (computing the slope took 4x a whole render)."""
    act = activations.BY_NAME[name]
    if act.kink is not None:
        return pre > act.kink
    x = np.asarray(pre)
    spans = _linear_intervals(name)
    if spans is not None:
        symmetric = all(abs(a + b) < 1e-9 for a, b in zip([s[0] for s in spans], [s[1] for s in reversed(spans)]))
        if symmetric and len(spans) == 1:       # tanh, sigmoid's centred one, softsign: |x| <= a
            return np.abs(x) <= spans[0][1]
        if symmetric and len(spans) == 2 and np.isfinite(spans[1][0]) and spans[1][0] > 0:   # gaussian: a <= |x| <= b
            ax = np.abs(x)
            return (ax >= spans[1][0]) & (ax <= spans[1][1])
        out = np.zeros(x.shape, bool)
        for a, b in spans:
            out |= (x >= a) & (x <= b)
        return out
    table = _linear_table(name)
    idx = (x.astype(np.float32, copy=False) + np.float32(TABLE_RANGE)) * np.float32(TABLE_STEPS)
    np.rint(idx, out=idx)
    outside = ~((idx >= 0) & (idx < table.size))   # also NaN
    np.clip(idx, 0, table.size - 1, out=idx)
    out = table[np.nan_to_num(idx).astype(np.int32)]
    if outside.any():
        out[outside] = _linear_exact(name, x[outside])
    return out


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
            yield k, pre, activations.apply(acts[k - 1], pre).astype(np.float32)
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
                pre, y = step(Layer(layer.W[units], layer.b[units], layer.activation), y, dtype)
                return fold(acc, k, pre, y)
            pre, y = step(layer, y, dtype)
            if k in wanted:
                acc = fold(acc, k, pre if units is None else pre[:, units], y if units is None else y[:, units])
        return acc

    starts = range(0, n, CHUNK_PIXELS)
    with _one_blas_thread():   # the threads fill the cores: BLAS's own threads would fight them (10x slower)
        if len(starts) == 1:
            return chunk(0)
        with ThreadPoolExecutor(max_workers=usable_cpus()) as pool:
            return np.concatenate(list(pool.map(chunk, starts)))


@contextlib.contextmanager
def _one_blas_thread():
    blas = find_openblas()
    saved = blas[0]() if blas else None
    if blas:
        blas[1](1)
    try:
        yield
    finally:
        if saved is not None:
            blas[1](saved)


# ------------------------------------------------------------------ pictures
def sheet_layout(n: int, size: Tuple[int, int]) -> Tuple[int, int, int, int]:
    """(columns, rows, tile width, tile height) for n tiles in a sheet of `size`, tiles shaped like the sheet."""
    W, H = size
    cols = max(1, min(n, round(math.sqrt(n * W / H))))
    rows = math.ceil(n / cols)
    tw, th = (W - (cols + 1) * GUTTER) // cols, (H - (rows + 1) * GUTTER) // rows
    if tw < 1 or th < 1:
        raise TooSmall(f"a sheet of {n} tiles needs more than {W}x{H} pixels")
    return cols, rows, tw, th


def _mix(h: np.ndarray, bits: np.ndarray) -> np.ndarray:
    """Fold a (n, b) bool array of unit states into the running 64-bit hashes h (n,)."""
    with np.errstate(over="ignore"):
        for start in range(0, bits.shape[1], 52):   # 52 bits a word: a float64 matrix product packs them exactly
            chunk = bits[:, start:start + 52]
            word = (chunk.astype(np.float64) @ (2.0 ** np.arange(chunk.shape[1]))).astype(np.uint64)
            h = (h ^ word) * np.uint64(0x100000001B3) + np.uint64(0x9E3779B97F4A7C15)
            h ^= h >> np.uint64(29)
    return h


def region_colours(ids: np.ndarray) -> np.ndarray:
    """Distinct colours for region ids (golden-ratio steps in hue, saturation and value)."""
    i = ids.astype(np.float64)
    hue, sat, val = (i * 0.6180339887) % 1, 0.45 + 0.45 * ((i * 0.3819660113) % 1), 0.6 + 0.35 * ((i * 0.7548776662) % 1)
    return colours.hsv_to_rgb(hue[..., None], sat[..., None], val[..., None]).astype(np.float32)


def _aligned_sample(view: View, every: int) -> Optional[View]:
    """A view of every `every`-th pixel of `view` (their centres exactly), or None where that is under 2x2."""
    o = every // 2
    w, h = -(-(view.width - o) // every), -(-(view.height - o) // every)
    if w < 2 or h < 2:
        return None
    ps = view.pixel_size
    cx = view.center[0] + (o + 0.5 - view.width / 2) * ps - (0.5 - w / 2) * every * ps
    cy = view.center[1] + (view.height / 2 - o - 0.5) * ps - (h / 2 - 0.5) * every * ps
    return View(w, h, (cx, cy), every * ps * min(w, h) / 2, view.time)


def _row_bands(view: View, rows: Optional[int] = None) -> Iterator[Tuple[int, int]]:
    rows = rows or max(1, BAND_PIXELS // view.width)
    for r in range(0, view.height, rows):
        yield r, min(rows, view.height - r)


SAMPLE_EVERY = 8   # regions first counts the patterns of every 8th pixel each way: too many there, refused at once


class ProbeBands:
    """A probe's picture band by band, top to bottom: rows(r0, h) is float32 (h, W, 1 or 3) in [0, 1], memory
    bounded by a band at any size (the window's bands and glnn render's). Called in order from row 0: regions
    numbers its patterns as they first appear, and refuses (GlnnError) the moment it finds more than MAX_REGIONS,
    after counting a 1-in-64 sample first. Gray levels of an activation unbounded above (relu) need the largest
    value in view: measure() finds it first (files), else each band uses the largest so far and renormalise()
    corrects the whole picture at the end (the window)."""

    def __init__(self, probe: Probe, net: Network, view: View, backend: Backend, sample: bool = True):
        self.probe, self.net, self.view, self.backend, self.sample = probe, net, view, backend, sample
        self.channels = 3 if probe.kind == "regions" else 1
        self.next_row = 0
        self.known: Dict[int, int] = {}   # regions: pattern hash -> its colour's number
        self.used: List[Tuple[int, int, np.ndarray]] = []   # (first row, rows, peaks) a band was drawn with
        if probe.kind in ("unit", "units"):
            self.act = activations.BY_NAME[net.layers[probe.layer - 1].activation]
            self.peaks = np.zeros(1 if probe.kind == "unit" else net.width)   # the largest |value| so far
            self.exact = self.act.bounds is not None
        if probe.kind == "units":
            cols, rows, tw, th = sheet_layout(net.width, view.size)
            self.layout = Layout(net.width, cols, (tw, th), GUTTER, margin=GUTTER, frame=view.size)
            self.tile_view = View(tw, th, view.center, view.extent, view.time)

    # ------------------------------------------------------------- gray levels
    def _bounds(self, peak: float) -> Tuple[float, float]:
        if self.act.bounds is not None:
            return self.act.bounds
        m = float(peak) or 1.0
        return (self.act.floor, m) if self.act.floor is not None else (-m, m)

    def _gray(self, peak: float, y: np.ndarray) -> np.ndarray:
        lo, hi = self._bounds(peak)
        return np.clip((y - lo) / (hi - lo), 0.0, 1.0)

    def _values(self, view: View, rect, units: List[int]) -> np.ndarray:
        """Units' values at the probed layer over rect: (n, len(units))."""
        return fold_layers(self.net, view, self.backend, rect, lambda n: None,
                           lambda acc, k, pre, y: y.astype(np.float32), [self.probe.layer], units)

    def _units_of_row(self, i: int) -> List[int]:
        cols = self.layout.cols
        return list(range(i * cols, min((i + 1) * cols, self.net.width)))

    def measure(self) -> "ProbeBands":
        """The largest values in view first (a pass over the probed layer, band by band), so that every band is
        drawn exactly and renormalise() has nothing to do."""
        if self.probe.kind not in ("unit", "units") or self.exact:
            return self
        if self.probe.kind == "unit":
            units, view = [self.probe.unit - 1], self.view
        else:
            units, view = list(range(self.net.width)), self.tile_view
        for r0, h in _row_bands(view):
            y = self._values(view, (0, r0, view.width, h), units)
            self.peaks = np.maximum(self.peaks, np.abs(y).max(axis=0))
        self.exact = True
        return self

    # ------------------------------------------------------------------ bands
    def rows(self, r0: int, h: int) -> np.ndarray:
        if r0 == 0:
            self.next_row, self.used = 0, []
            self.known = {}
            if self.probe.kind in ("unit", "units") and not self.exact:
                self.peaks[:] = 0.0
        if r0 != self.next_row:
            raise ValueError(f"probe bands come in order: row {self.next_row} next, not {r0}")
        h = min(h, self.view.height - r0)
        band = getattr(self, "_" + self.probe.kind)(r0, h)
        self.next_row = r0 + h
        return band.astype(np.float32, copy=False)

    def _unit(self, r0: int, h: int) -> np.ndarray:
        W = self.view.width
        y = self._values(self.view, (0, r0, W, h), [self.probe.unit - 1])[:, 0]
        if not self.exact:
            self.peaks[0] = max(self.peaks[0], float(np.abs(y).max()))
            self.used.append((r0, h, self.peaks.copy()))
        return self._gray(self.peaks[0], y).reshape(h, W, 1)

    def _tiles(self, r0: int, h: int):
        """(tile row, its first sheet row, the band's rows a..b of it) for the tile rows the band crosses."""
        th = self.layout.cell[1]
        for i in range(self.layout.rows):
            y0 = self.layout.rect(i * self.layout.cols)[1]
            a, b = max(r0, y0), min(r0 + h, y0 + th)
            if a < b:
                yield i, y0, a, b

    def _units(self, r0: int, h: int) -> np.ndarray:
        band = np.ones((h, self.view.width, 1), np.float32)
        tw = self.layout.cell[0]
        for i, y0, a, b in self._tiles(r0, h):
            units = self._units_of_row(i)
            y = self._values(self.tile_view, (0, a - y0, tw, b - a), units)
            if not self.exact:
                self.peaks[units] = np.maximum(self.peaks[units], np.abs(y).max(axis=0))
            for j, u in enumerate(units):
                x = self.layout.rect(u)[0]
                band[a - r0:b - r0, x:x + tw, 0] = self._gray(self.peaks[u], y[:, j].reshape(b - a, tw))
        if not self.exact:
            self.used.append((r0, h, self.peaks.copy()))
        return band

    def _saturation(self, r0: int, h: int) -> np.ndarray:
        W, net = self.view.width, self.net
        def fold(acc, k, pre, y):   # per unit first (a byte add), summed over the units once at the end
            linear = linear_part(net.layers[k - 1].activation, pre).view(np.uint8)
            if acc is None:
                return linear.copy()
            acc += linear
            return acc

        on = fold_layers(net, self.view, self.backend, (0, r0, W, h), lambda n: None, fold)
        count = (net.depth - 1) * net.width - on.sum(axis=1, dtype=np.int64)
        return (count / ((net.depth - 1) * net.width)).reshape(h, W, 1)

    def _hashes(self, view: View, rect) -> np.ndarray:
        net = self.net
        return fold_layers(net, view, self.backend, rect, lambda n: np.zeros(n, np.uint64),
                           lambda acc, k, pre, y: _mix(acc, linear_part(net.layers[k - 1].activation, pre)))

    def _refuse(self, n: int, where: str):
        raise GlnnError(f"the view holds at least {n:,} activation patterns, more than the {MAX_REGIONS:,} a picture "
                        f"can colour apart (counting stopped at {where}): zoom in (a smaller --extent), or probe a "
                        f"shallower or narrower network")

    def _precheck(self) -> None:
        coarse = _aligned_sample(self.view, SAMPLE_EVERY)
        if coarse is None:
            return
        seen: set = set()
        for r0, h in _row_bands(coarse):
            seen.update(np.unique(self._hashes(coarse, (0, r0, coarse.width, h))).tolist())
            if len(seen) > MAX_REGIONS:
                self._refuse(len(seen), f"a sample of 1 pixel in {SAMPLE_EVERY ** 2}")

    def _regions(self, r0: int, h: int) -> np.ndarray:
        W, H = self.view.width, self.view.height
        if r0 == 0 and self.sample:
            self._precheck()
        extra = 1 if r0 + h < H else 0        # the row below: the band's last row's edges
        hb = self._hashes(self.view, (0, r0, W, h + extra)).reshape(h + extra, W)
        uniq, first, inverse = np.unique(hb[:h].ravel(), return_index=True, return_inverse=True)
        ids = np.empty(uniq.size, np.int64)
        new = []
        for i, value in enumerate(uniq.tolist()):
            known = self.known.get(value)
            if known is None:
                new.append(i)
            else:
                ids[i] = known
        if len(self.known) + len(new) > MAX_REGIONS:
            self._refuse(len(self.known) + len(new), f"row {r0 + h} of {H}")
        for i in sorted(new, key=lambda i: first[i]):    # numbered in the order they first appear
            ids[i] = self.known[uniq[i].item()] = len(self.known)
        rgb = region_colours(ids[inverse.ravel()].reshape(h, W))
        edge = np.zeros((h, W), bool)
        edge[:, :-1] |= hb[:h, :-1] != hb[:h, 1:]
        edge[:h + extra - 1] |= hb[:h + extra - 1] != hb[1:h + extra]
        rgb[edge] *= 0.35
        return rgb

    # --------------------------------------------------------------- the end
    def renormalise(self, picture: np.ndarray) -> bool:
        """Correct a picture drawn band by band without measure() (its bands' gray levels used the largest
        value so far) to the gray levels of the whole view, in place; False when nothing changed."""
        if self.probe.kind not in ("unit", "units") or self.exact or not self.used:
            return False
        changed = False
        for r0, h, peaks in self.used:
            if self.probe.kind == "unit":
                parts = [(slice(r0, r0 + h), slice(None), 0)]
            else:
                tw = self.layout.cell[0]
                parts = [(slice(a, b), slice(self.layout.rect(u)[0], self.layout.rect(u)[0] + tw), u)
                         for i, y0, a, b in self._tiles(r0, h) for u in self._units_of_row(i)]
            for rows, cols, u in parts:
                if peaks[u] == self.peaks[u]:
                    continue
                lo, hi = self._bounds(peaks[u])
                y = lo + picture[rows, cols, 0] * (hi - lo)
                picture[rows, cols, 0] = self._gray(self.peaks[u], y)
                changed = True
        self.used = []
        return changed


def probe_bands(probe: Probe, net: Network, view: View, backend: Backend,
                progress: Optional[Callable[[int], None]] = None) -> Iterator[np.ndarray]:
    """The probe's picture as bands of rows, top to bottom, exact (measured first); progress(rows done)."""
    bands = ProbeBands(probe, net, view, backend).measure()
    for r0, h in _row_bands(view):
        yield bands.rows(r0, h)
        if progress:
            progress(r0 + h)


def probe_picture(probe: Probe, net: Network, view: View, backend: Backend) -> np.ndarray:
    """The probe's picture, float32 (H, W, 1 or 3) in [0, 1], shown through probe.colour."""
    picture = np.concatenate(list(probe_bands(probe, net, view, backend)), axis=0)
    if legend_applies(probe, view):
        # stretched over its range, with a legend of it: the fractions of a picture differ little (issue 23)
        return plots.with_legend(picture, "saturated units")
    return picture


def legend_applies(probe: Probe, view: View) -> bool:
    """Whether the probe's picture gets a legend over its own range (saturation, up to LEGEND_MAX_PIXELS: a
    larger one streams band by band as plain fractions, its memory bounded by a band)."""
    return probe.kind == "saturation" and view.width * view.height <= LEGEND_MAX_PIXELS


def patterns(net: Network, view: View, backend: Backend) -> np.ndarray:
    """Each pixel's activation pattern over every hidden unit, as a 64-bit hash (H, W) uint64."""
    bands = ProbeBands(Probe("regions"), net, view, backend)
    return np.concatenate([bands._hashes(view, (0, r0, view.width, h)).reshape(h, view.width)
                           for r0, h in _row_bands(view)], axis=0)


def regions(net: Network, view: View, backend: Backend) -> Tuple[np.ndarray, int]:
    """The regions picture (H, W, 3) in [0, 1] (dark lines where the pattern changes) and the count."""
    bands = ProbeBands(Probe("regions"), net, view, backend)
    rgb = np.concatenate([bands.rows(r0, h) for r0, h in _row_bands(view)], axis=0)
    return rgb, len(bands.known)


def saturation(net: Network, view: View, backend: Backend) -> np.ndarray:
    """The fraction of hidden units saturated at each pixel (H, W, 1) in [0, 1] (no legend)."""
    return np.concatenate(list(probe_bands(Probe("saturation"), net, view, backend)), axis=0)


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
