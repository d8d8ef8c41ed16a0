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

import dataclasses
import math
from typing import Callable, Dict, Iterator, List, Optional, Tuple

import numpy as np

from ..model import activations, colour as colours
from ..io import plots
from ..backends.base import Backend
from ..errors import GlnnError, TooSmall
from ..model.network import Network
from ..rendering.sheet import Layout
from ..model.probe import BAND_PIXELS, GUTTER, MAX_REGIONS, Probe, legend_applies, linear_part
from ..model.view import View
from .hidden import fold_layers

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


def mix_patterns(h: np.ndarray, bits: np.ndarray) -> np.ndarray:
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
            act = net.layers[probe.layer - 1].activation   # a name, or one per unit (mix-units)
            names = [act] * net.width if isinstance(act, str) else list(act)
            # the activation of each unit shown: peaks[i]'s
            self.acts = [activations.BY_NAME[n] for n in (names[probe.unit - 1:probe.unit] if probe.kind == "unit"
                                                          else names)]
            self.peaks = np.zeros(1 if probe.kind == "unit" else net.width)   # the largest |value| so far
            self.exact = all(a.bounds is not None for a in self.acts)
        if probe.kind == "units":
            cols, rows, tw, th = sheet_layout(net.width, view.size)
            self.layout = Layout(net.width, cols, (tw, th), GUTTER, margin=GUTTER, frame=view.size)
            self.tile_view = View(tw, th, view.center, view.extent, view.time)

    # ------------------------------------------------------------- gray levels
    def _bounds(self, peak: float, i: int) -> Tuple[float, float]:
        """The gray scale's range for shown unit i (peaks[i]) at the largest |value| `peak`."""
        act = self.acts[i]
        if act.bounds is not None:
            return act.bounds
        m = float(peak) or 1.0
        return (act.floor, m) if act.floor is not None else (-m, m)

    def _gray(self, peak: float, y: np.ndarray, i: int) -> np.ndarray:
        lo, hi = self._bounds(peak, i)
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
        return self._gray(self.peaks[0], y, 0).reshape(h, W, 1)

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
                band[a - r0:b - r0, x:x + tw, 0] = self._gray(self.peaks[u], y[:, j].reshape(b - a, tw), u)
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
                           lambda acc, k, pre, y: mix_patterns(acc, linear_part(net.layers[k - 1].activation, pre)))

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
                lo, hi = self._bounds(peaks[u], u)
                y = lo + picture[rows, cols, 0] * (hi - lo)
                picture[rows, cols, 0] = self._gray(self.peaks[u], y, u)
                changed = True
        self.used = []
        return changed


def probe_bands(probe: Probe, net: Network, view: View, backend: Backend,
                progress: Optional[Callable[[int], None]] = None,
                counted: Optional[Dict[str, int]] = None) -> Iterator[np.ndarray]:
    """The probe's picture as bands of rows, top to bottom, exact (measured first); progress(rows done). A
    regions picture, once whole, puts its number of patterns in `counted["patterns"]`."""
    bands = ProbeBands(probe, net, view, backend).measure()
    for r0, h in _row_bands(view):
        yield bands.rows(r0, h)
        if progress:
            progress(r0 + h)
    if counted is not None and probe.kind == "regions":
        counted["patterns"] = len(bands.known)


def regions_note(net: Network, view: View, patterns: int) -> str:
    """What `glnn render --probe regions` says beside its picture: the patterns (for a piecewise-linear network:
    the linear regions, as seen at the pixels' centres) per unit area of the input plane in view."""
    w, h = view.width * view.pixel_size, view.height * view.pixel_size
    kinds = {a for l in net.layers[:-1] for a in ([l.activation] if isinstance(l.activation, str) else l.activation)}
    what = ("linear regions" if kinds and all(activations.BY_NAME[a].piecewise_linear for a in kinds)
            else "activation patterns (near-linear part or not)")
    return (f"{patterns:,} {what} in the view, {patterns / (w * h):.4g} per unit area of the plane "
            f"({w:.4g} x {h:.4g}); along a line: glnn stats --line")


def probe_picture(probe: Probe, net: Network, view: View, backend: Backend,
                  counted: Optional[Dict[str, int]] = None) -> np.ndarray:
    """The probe's picture, float32 (H, W, 1 or 3) in [0, 1], shown through probe.colour."""
    picture = np.concatenate(list(probe_bands(probe, net, view, backend, counted=counted)), axis=0)
    if legend_applies(probe, view):
        # stretched over its range, with a legend of it: the fractions of a picture differ little (issue 23)
        return plots.with_legend(picture, "saturated units")
    return picture



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


@dataclasses.dataclass(frozen=True)
class ProbeOutputs:
    """The raw stage of a probe's picture (glnn/rendering/pipeline.py raw_stage): whole, or in bands; a
    saturation picture with a legend is made whole only (the legend needs its range)."""
    probe: Probe
    net: Network
    view: View
    backend: Backend
    counted: Dict[str, int] = dataclasses.field(default_factory=dict, compare=False, repr=False)   # once drawn

    @property
    def channels(self) -> int:
        return 3 if self.probe.kind == "regions" else 1

    def note(self) -> Optional[str]:
        """A line to say beside the picture once drawn (regions: how many per unit area), else None."""
        n = self.counted.get("patterns")
        return None if n is None else regions_note(self.net, self.view, n)

    @property
    def whole_only(self) -> bool:
        return legend_applies(self.probe, self.view)

    def whole(self) -> np.ndarray:
        return probe_picture(self.probe, self.net, self.view, self.backend, self.counted)

    def bands(self, progress=None, clock=None) -> Iterator[np.ndarray]:
        return probe_bands(self.probe, self.net, self.view, self.backend, progress, self.counted)
