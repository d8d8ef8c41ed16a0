"""Along a segment of the input plane (`glnn stats --line X0,Y0:X1,Y1`, issue 36): per layer, the number of linear
regions the segment crosses and the length of the layer's output curve, measured on the network in float64,
beside the mean-field theory's predictions (glnn/model/theory.py: predict_line, beta).

    line_stats(net, (x0, y0), (x1, y1), time=0.0) -> LineStats
    python -m glnn.explore.line_stats      # the README's tables: regions per unit length, length growth

Regions (piecewise-linear layers: relu, leaky relu, identity, also one per unit). The regions of input -> layer K
are counted where the activation pattern of layers 1..K (each kinked unit on, x > 0, or off) changes along the
segment, exactly, not by sampling. Let T_0 be the segment's ends and the inputs' kinks (where ax, ay fold: the
input vector X(t) is affine between them). By induction, if layer K - 1's values are affine in t between the
consecutive points of T_(K-1), then so is every pre-activation z_K = W_K y_(K-1) + b_K, and an affine function
has a zero inside an interval exactly when its values at the interval's ends have opposite signs, at
t_a + z_a / (z_a - z_b) (t_b - t_a): every zero is found, none is guessed. T_K adds them (z_K between them is
the linear interpolation of its values, so each new point costs no network evaluation), and then every kinked
unit keeps one sign between consecutive points of T_K, so layer K's values are affine there too. A layer's
pattern on an interval is the sign at its midpoint; the cumulative pattern changes at a point where any layer's
midpoint pattern differs on its two sides (so several units crossing at one point, or a unit touching 0 at a
point without crossing, count right). Zeros within 1e-12 (of t in [0, 1]) of a point are taken to be at it.
Regions = 1 + the points where the pattern changes. The walk's work (points x weights, layer by layer) has a
budget, WALK_BUDGET: the widest and deepest relu networks (64 x 512: some 26,000 regions, minutes) stop counting
before the layer that would pass it. With feature r the inputs are not affine along a line, and
after the first smooth layer nothing is piecewise linear: regions is None there (smooth activations have no
linear regions; their near-linear-part pattern is what `glnn stats` and the regions probe count on a grid).

Lengths. Between the points of T_K a piecewise-linear layer's output is affine: its length is the exact sum of
chords. From the first smooth layer on, the length is the integral of |y_K'(s)| (s arc length in the plane),
with y_K' carried through the layers exactly (forward-mode: y' = phi'(z) W y'_(K-1)), by Gauss-Legendre
quadrature (4 nodes) on sub-intervals of the exact points (so a kink of an earlier layer is never inside one),
halved until every layer's length changes by under 1e-3 (relative) between two halvings; where the work
would pass a budget first, the layer says converged False.

The inputs at a point of the segment are the network's (features, then z_j at `time`, fixed along the line).
"""
from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..backends.cpu import one_blas_thread
from ..errors import GlnnError
from .propagation import check_label, check_network
from ..model import activations, theory
from ..model.network import Network

MERGE = 1e-12          # zeros closer than this in t (0..1) are one point
TOLERANCE = 1e-3       # a sampled length's relative change between two halvings, at convergence
FLOP_BUDGET = 2e10     # a sampled length's work at most (multiply-adds, x 2 for the tangent)
WALK_BUDGET = 2e10     # the exact walk's multiply-adds at most: past them, layers are left uncounted (sampled)
MAX_EXTENT = 1e6
ONE_BLAS_THREAD = 128  # layers no wider: BLAS on one thread (threads fight over products this small)


@dataclass(frozen=True)
class LineLayer:
    """One layer's numbers along the segment (layer D is the readout)."""
    layer: int
    activation: str                   # the name, or mix-units for one per unit
    regions: Optional[int]            # linear regions of input -> this layer crossed (None: not piecewise linear)
    regions_predicted: Optional[float]
    length: float                     # the layer's output curve's length
    length_predicted: float
    growth: float                     # length over the layer before's (layer 1: over the input curve's)
    growth_predicted: float
    exact: bool                       # length exact (piecewise linear) rather than sampled
    converged: bool                   # exact, or sampled to TOLERANCE
    change: float = 0.0               # a sampled length's relative change at its last halving (0: exact)


@dataclass(frozen=True)
class LineStats:
    p0: Tuple[float, float]
    p1: Tuple[float, float]
    time: float
    segment_length: float            # |p1 - p0| in the plane
    input_length: float              # the input vector's curve's length (= segment_length for features x, y)
    beta: float                      # theory.beta: sum over hidden layers of 1 / width
    layers: Tuple[LineLayer, ...]
    growth_rate: Optional[float] = None     # the mean field's sqrt(chi_1) (one hidden activation)
    raghu_bound: Optional[float] = None     # Raghu et al.'s finite-width lower bound per layer (tanh-like)
    samples: int = 0                 # points the sampled lengths used (0: all exact)
    uncounted: int = 0               # piecewise-linear layers past the exact walk's work budget (regions None)
    sources: Dict[str, str] = field(default_factory=lambda: {"regions": theory.REGIONS_SOURCE,
                                                             "length": theory.LENGTH_SOURCE,
                                                             "beta": theory.BETA_SOURCE})

    def per_length(self, value: Optional[float]) -> Optional[float]:
        """A count per unit length of the segment."""
        return None if value is None else value / self.segment_length

    def to_json(self) -> dict:
        finite = lambda v: v if v is None or math.isfinite(v) else None   # noqa: E731 - JSON has no NaN
        return {"from": list(self.p0), "to": list(self.p1), "time": self.time,
                "segment_length": self.segment_length, "input_length": self.input_length, "beta": self.beta,
                "growth_rate": finite(self.growth_rate), "raghu_bound": finite(self.raghu_bound),
                "samples": self.samples, "uncounted": self.uncounted, "sources": dict(self.sources),
                "layers": [{"layer": l.layer, "activation": l.activation, "regions": l.regions,
                            "regions_per_length": self.per_length(l.regions),
                            "regions_predicted": finite(l.regions_predicted),
                            "regions_predicted_per_length": finite(self.per_length(l.regions_predicted)),
                            "length": finite(l.length), "length_predicted": finite(l.length_predicted),
                            "growth": finite(l.growth), "growth_predicted": finite(l.growth_predicted),
                            "exact": l.exact, "converged": l.converged, "change": finite(l.change)}
                           for l in self.layers]}


# ------------------------------------------------------------------ the segment
def parse_segment(text: str) -> Tuple[Tuple[float, float], Tuple[float, float]]:
    """'X0,Y0:X1,Y1' -> ((x0, y0), (x1, y1)): finite numbers within 1e6, two different points (GlnnError)."""
    shown = repr(text) if len(str(text)) <= 60 else repr(str(text)[:60]) + "..."
    bad = GlnnError(f"--line {shown}: give the segment's ends as X0,Y0:X1,Y1, like -1,0.3:1,0.3")
    parts = str(text).split(":")
    if len(parts) != 2:
        raise bad
    ends = []
    for p in parts:
        xy = p.split(",")
        if len(xy) != 2:
            raise bad
        try:
            x, y = float(xy[0]), float(xy[1])
        except ValueError:
            raise bad from None
        if not (math.isfinite(x) and math.isfinite(y) and abs(x) <= MAX_EXTENT and abs(y) <= MAX_EXTENT):
            raise GlnnError(f"--line {shown}: the ends must be finite numbers within 1e6")
        ends.append((x, y))
    check_segment(*ends)
    return ends[0], ends[1]


def check_segment(p0, p1) -> float:
    length = math.hypot(p1[0] - p0[0], p1[1] - p0[1])
    if not length > 1e-9 * max(1.0, abs(p0[0]), abs(p0[1])):
        raise GlnnError(f"--line: the segment's ends {tuple(p0)} and {tuple(p1)} must differ")
    return length


class _Segment:
    """The segment p(t) = p0 + t (p1 - p0), t in [0, 1], and the network's inputs along it."""

    def __init__(self, net: Network, p0, p1, time: float):
        self.net, self.arch = net, net.architecture
        self.p0, self.p1 = np.asarray(p0, np.float64), np.asarray(p1, np.float64)
        self.d = self.p1 - self.p0
        self.length = float(np.hypot(*self.d))
        self.u = self.d / self.length
        self.z = net.extra_inputs(time).astype(np.float64)

    def points(self, t: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        t = np.asarray(t, np.float64)
        return self.p0[0] + t * self.d[0], self.p0[1] + t * self.d[1]

    def inputs(self, t: np.ndarray) -> np.ndarray:
        return self.arch.inputs(*self.points(t), self.z)

    def slopes(self, t: np.ndarray) -> np.ndarray:
        """dX/ds, s arc length (X' per unit length of the plane)."""
        return self.arch.slopes(*self.points(t), float(self.u[0]), float(self.u[1]))

    def kinks(self) -> List[float]:
        """t strictly inside (0, 1) where an input feature folds (x = 0 for ax, y = 0 for ay)."""
        out = []
        for axis in self.arch.kink_axes():
            if self.d[axis] != 0:
                t = -self.p0[axis] / self.d[axis]
                if MERGE < t < 1 - MERGE:
                    out.append(float(t))
        return out

    def edges(self) -> np.ndarray:
        """The segment's ends, the inputs' kinks and the point nearest the origin: t between which the inputs' speed
        is smooth (sorted)."""
        closest = self.closest()
        return np.array(sorted({0.0, 1.0, *self.kinks(), *([] if closest is None else [closest])}))

    def closest(self) -> Optional[float]:
        """t of the point nearest the origin, where the inputs' length turns (inside (0, 1)), else None."""
        t = -float(self.p0 @ self.d) / float(self.d @ self.d)
        return t if MERGE < t < 1 - MERGE else None


# ------------------------------------------------------------------ exact: the piecewise-linear layers
def _pl_prefix(net: Network, segment: _Segment) -> int:
    """How many layers from the first are piecewise linear (0 where the inputs are not affine along lines)."""
    if not segment.arch.piecewise_linear_inputs:
        return 0
    n = 0
    for layer in net.layers:
        if not theory.piecewise_linear(layer.activation):
            break
        n += 1
    return n


def _walk(net: Network, segment: _Segment, layers: int, budget: float = WALK_BUDGET):
    """The exact walk over the first `layers` (piecewise-linear) layers, or as many of them as `budget`
    multiply-adds allow (a layer costs its points x its weights): (t points, the last walked layer's values at
    them, regions of each walked layer, exact lengths of each). See the module's docstring."""
    t = np.array(sorted({0.0, 1.0, *segment.kinks()}))
    y = segment.inputs(t)
    changes = np.zeros(t.size, bool)
    regions, lengths = [], []
    for layer in net.layers[:layers]:
        budget -= t.size * layer.W.size
        if budget < 0 and regions:
            break
        z = y @ layer.W.T.astype(np.float64) + layer.b.astype(np.float64)
        mask = theory.kink_mask(layer.activation, z.shape[1])
        if mask.any():
            zk = z[:, mask]
            za, zb = zk[:-1], zk[1:]
            i, j = np.nonzero(za * zb < 0)
            a, b = za[i, j], zb[i, j]
            tc = t[i] + a / (a - b) * (t[i + 1] - t[i])
            keep = (tc - t[i] > MERGE) & (t[i + 1] - tc > MERGE)
            i, tc = i[keep], tc[keep]
            order = np.argsort(tc, kind="stable")
            i, tc = i[order], tc[order]
            if tc.size:
                first = np.concatenate([[True], np.diff(tc) > MERGE])
                i, tc = i[first], tc[first]
            w = ((tc - t[i]) / (t[i + 1] - t[i]))[:, None]
            z_new = z[i] + w * (z[i + 1] - z[i])
            t_all = np.concatenate([t, tc])
            order = np.argsort(t_all, kind="stable")
            t = t_all[order]
            z = np.concatenate([z, z_new])[order]
            changes = np.concatenate([changes, np.zeros(tc.size, bool)])[order]
            on = (z[:-1, mask] + z[1:, mask]) > 0          # each interval's pattern, at its midpoint
            changes[1:-1] |= (on[:-1] != on[1:]).any(axis=1)
        regions.append(1 + int(changes.sum()))
        y = activations.apply(layer.activation, z)
        lengths.append(float(np.sqrt((np.diff(y, axis=0) ** 2).sum(axis=1)).sum()))
    return t, y, regions, lengths


# ------------------------------------------------------------------ sampled: the smooth layers
_GL_X, _GL_W = np.polynomial.legendre.leggauss(4)


def _nodes(edges: np.ndarray, split: int) -> Tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes on every interval of `edges` (t) cut into `split` equal parts: (t, weights in t)."""
    lo, hi = edges[:-1], edges[1:]
    step = (hi - lo) / split
    starts = lo[:, None] + step[:, None] * np.arange(split)[None, :]
    centre = starts + step[:, None] / 2
    t = (centre[:, :, None] + (step[:, None, None] / 2) * _GL_X).ravel()
    w = np.broadcast_to((step[:, None, None] / 2) * _GL_W, centre.shape + (4,)).ravel()
    return t, w


def _sampled_lengths(net: Network, segment: _Segment, first: int, edges: np.ndarray,
                     values: Optional[np.ndarray]) -> Tuple[List[float], List[float], int]:
    """The lengths of layers first+1 .. D (1-based) by quadrature of |y'| over arc length. Layer `first`'s values
    are affine between `edges` (its values there: `values`), or first = 0 and the inputs are computed. The
    quadrature's intervals are those of `edges` (so no kink is inside one), thinned where that many would pass
    the work budget, and halved until every length changes by under TOLERANCE or the next halving would pass
    the budget. Returns the lengths, each one's relative change at the last halving, and the points used."""
    layers = net.layers[first:]
    per_point = 4 * sum(l.W.size for l in layers) + 8 * (values.shape[1] if first else 0)
    cells = edges
    most = max(8, int(FLOP_BUDGET / (3 * 4 * per_point)))     # two first levels within the budget
    if cells.size - 1 > most:
        cells = np.unique(cells[np.linspace(0, cells.size - 1, most + 1).round().astype(int)])
    split = max(1, -(-64 // (cells.size - 1)))    # at least 64 sub-intervals to start
    prev: Optional[np.ndarray] = None
    spent = 0.0
    while True:
        t, w = _nodes(cells, split)
        est = np.zeros(len(layers))
        for c0 in range(0, t.size, 8192):
            sl = slice(c0, c0 + 8192)
            ts = t[sl]
            if first:
                ix = np.clip(np.searchsorted(edges, ts, side="right") - 1, 0, edges.size - 2)
                h = (edges[ix + 1] - edges[ix])[:, None]
                slope = (values[ix + 1] - values[ix]) / h
                y = values[ix] + (ts - edges[ix])[:, None] * slope
                dy = slope / segment.length
            else:
                y, dy = segment.inputs(ts), segment.slopes(ts)
            for k, layer in enumerate(layers):
                W = layer.W.T.astype(np.float64)
                z = y @ W + layer.b.astype(np.float64)
                dz = dy @ W
                y, slope = _value_and_slope(layer.activation, z)
                dy = slope * dz
                est[k] += np.sqrt((dy * dy).sum(axis=1)) @ w[sl]
        est *= segment.length           # weights in t, lengths in arc length
        spent += t.size * per_point
        if prev is not None:
            change = np.abs(est - prev) / np.maximum(np.abs(est), 1e-300)
            if (change <= TOLERANCE).all() or spent + 2 * t.size * per_point > FLOP_BUDGET:
                return est.tolist(), change.tolist(), t.size
        prev = est
        split *= 2


def _blas_threads(widest: int):
    """BLAS held to one thread for narrow layers (a product of 8192 x 30 by 30 x 30 ran 15 times slower on two
    threads of a busy 2-core machine than on one); as it was for wide ones."""
    return one_blas_thread() if widest <= ONE_BLAS_THREAD else contextlib.nullcontext()


def _value_and_slope(act, z: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """(phi(z), phi'(z)) in float64 for a layer's activation (one name, or one per unit: the last axis)."""
    groups = [(act, slice(None))] if isinstance(act, str) else activations.unit_groups(act)
    y, d = (np.empty_like(z), np.empty_like(z)) if not isinstance(act, str) else (None, None)
    for name, idx in groups:
        a = activations.BY_NAME[name]
        zi = z[:, idx]
        yi = a.f64(zi)
        di = a.slope64(zi, yi) if a.slope64 is not None else theory.dphi(name, zi)
        if isinstance(act, str):
            return yi, di
        y[:, idx], d[:, idx] = yi, di
    return y, d


# ------------------------------------------------------------------ the theory's quadrature
def _theory_nodes(segment: _Segment) -> Tuple[np.ndarray, np.ndarray]:
    """t and weights (arc length) for the predictions' integrals: 32 equal intervals, the inputs' kinks, and
    intervals shrinking geometrically towards the point nearest the origin (where a line close to it turns a
    layer-1 unit's pre-activation fast: the density there is a spike as narrow as the distance)."""
    edges = set(np.linspace(0.0, 1.0, 33).tolist()) | set(segment.kinks())
    tc = segment.closest()
    if tc is not None:
        g = np.geomspace(1e-9, 1.0, 25)
        edges |= set(np.clip(np.concatenate([tc - g, tc + g]), 0.0, 1.0).tolist()) | {tc}
    edges = np.array(sorted(edges))
    edges = edges[np.concatenate([[True], np.diff(edges) > 0])]
    t, w = _nodes(edges, 1)
    return t, w * segment.length


# ------------------------------------------------------------------ the whole
def _measured(net: Network, seg: _Segment, n_pl: int, work: float):
    """The measured half of line_stats: per layer the exact region counts (None past the walk) and the lengths
    (exact over the first piecewise-linear layers the walk reached, sampled after them), each sampled length's
    last relative change, the points the sampling used, and how many layers the walk reached."""
    depth = net.depth
    regions: List[Optional[int]] = [None] * depth
    lengths: List[float] = [math.nan] * depth
    changes = [0.0] * depth
    edges, values = seg.edges(), None
    if n_pl:
        edges, values, counted, walked = _walk(net, seg, n_pl, work)
        n_pl = len(counted)
        regions[:n_pl], lengths[:n_pl] = counted, walked
    samples = 0
    if n_pl < depth:
        with _blas_threads(max(max(l.W.shape) for l in net.layers)):
            sampled, change, samples = _sampled_lengths(net, seg, n_pl, edges, values)
        lengths[n_pl:], changes[n_pl:] = sampled, change
    return regions, lengths, changes, samples, n_pl


def line_stats(net: Network, p0: Sequence[float], p1: Sequence[float], time: float = 0.0,
               work: float = WALK_BUDGET) -> LineStats:
    """Per layer along the segment p0 -> p1 of the input plane (inputs at `time`): the linear regions crossed
    and the output curve's length, measured (float64; exact where piecewise linear) and as the mean field
    predicts them, and beta (see the module's docstring and glnn/model/theory.py). The exact walk stops before
    a layer that would take it past `work` multiply-adds (the widest, deepest relu networks: 64 x 512 crosses
    some 26,000 regions): the layers after it have regions None and sampled lengths (LineStats.uncounted)."""
    check_segment(p0, p1)
    seg = _Segment(net, p0, p1, time)
    prefix = _pl_prefix(net, seg)
    depth = net.depth
    regions, lengths, changes, samples, n_pl = _measured(net, seg, prefix, work)
    exact = [k < n_pl for k in range(depth)]

    # the input curve's length: |X'| is constant between kinks for piecewise-linear features, smooth for r
    t, w = _nodes(seg.edges(), 256)
    input_length = float(np.sqrt((seg.slopes(t) ** 2).sum(axis=1)) @ w) * seg.length

    tt, ww = _theory_nodes(seg)
    predicted = theory.predict_line(net, seg.inputs(tt), seg.slopes(tt), ww)

    rows, prev = [], input_length
    for k in range(depth):
        act = net.layers[k].activation
        p = predicted[k]
        rows.append(LineLayer(k + 1, act if isinstance(act, str) else activations.MIX_UNITS, regions[k],
                              p["regions"],
                              lengths[k], p["length"], lengths[k] / prev if prev > 0 else math.nan, p["growth"],
                              exact[k], changes[k] <= TOLERANCE, changes[k]))
        prev = lengths[k]
    rate = bound = None
    name = activations.single(net.activation)
    if name is not None and depth > 1:
        mf = theory.network_mean_field(net)
        rate = mf.growth
        bound = theory.raghu_bound(mf.sigma_w2, mf.sigma_b2, net.width)
    uncounted = prefix - n_pl
    return LineStats(tuple(map(float, p0)), tuple(map(float, p1)), float(time), seg.length, input_length,
                     theory.beta(net), tuple(rows), rate, bound, samples, uncounted)


def regions_along(net: Network, p0: Sequence[float], p1: Sequence[float], time: float = 0.0,
                  work: float = WALK_BUDGET) -> List[Optional[int]]:
    """Only the exact counts of line_stats: per layer, the linear regions of input -> layer K the segment crosses
    (None from the first layer that is not piecewise linear, or everywhere with feature r, or past `work`)."""
    check_segment(p0, p1)
    seg = _Segment(net, p0, p1, time)
    n_pl = _pl_prefix(net, seg)
    counts = _walk(net, seg, n_pl, work)[2] if n_pl else []
    return counts + [None] * (net.depth - len(counts))


def lengths_along(net: Network, p0: Sequence[float], p1: Sequence[float], time: float = 0.0) -> List[float]:
    """Only the measured lengths of line_stats: per layer, the length of its output curve (exact where piecewise
    linear, else sampled as line_stats samples it), without the theory's predictions (which need no seed)."""
    check_segment(p0, p1)
    seg = _Segment(net, p0, p1, time)
    return _measured(net, seg, _pl_prefix(net, seg), WALK_BUDGET)[1]


# ------------------------------------------------------------------ as text
def _num(v: Optional[float], f: str) -> str:
    return "-" if v is None or not math.isfinite(v) else format(v, f)


def line_table(ls: LineStats, footnote: bool = True) -> str:
    """The per-layer table `glnn stats --line` prints."""
    (x0, y0), (x1, y1) = ls.p0, ls.p1
    head = (f"# along the line ({x0:g}, {y0:g}) -> ({x1:g}, {y1:g}), length {ls.segment_length:.6g}, time {ls.time:g}: "
            f"beta {ls.beta:.4g} ({ls.sources['beta']})")
    if ls.growth_rate is not None:
        head += (f"; mean-field growth per layer sqrt(chi_1) {ls.growth_rate:.4f} (Raghu et al. 2017's finite-width "
                 f"lower bound, hard tanh: {ls.raghu_bound:.4f})")
    lines = [["layer", "regions", "predicted", "per length", "predicted", "length", "predicted", "growth",
              "predicted"]]
    for l in ls.layers:
        mark = "" if l.converged else f" (~{l.change:.0e})"
        lines.append([f"{l.layer}" + (" (readout)" if l.layer == len(ls.layers) else ""),
                      "-" if l.regions is None else str(l.regions), _num(l.regions_predicted, ".1f"),
                      _num(ls.per_length(l.regions), ".1f"), _num(ls.per_length(l.regions_predicted), ".1f"),
                      _num(l.length, ".5g") + mark, _num(l.length_predicted, ".5g"), _num(l.growth, ".4f"),
                      _num(l.growth_predicted, ".4f")])
    widths = [max(len(row[i]) for row in lines) for i in range(len(lines[0]))]
    body = ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))) for row in lines]
    skipped = (f", or one of the last {ls.uncounted} layers, past the exact walk's work budget" if ls.uncounted
               else "")
    notes = [f"  regions: linear regions of input -> layer K the segment crosses (where the on/off pattern of layers "
             f"1..K changes), counted exactly (an exact walk over the piecewise-linear layers, not sampled; '-': not "
             f"piecewise linear{skipped}); predicted: {ls.sources['regions']}",
             f"  length: the layer's output curve's length ({'exact' if all(l.exact for l in ls.layers) else 'exact where piecewise linear, else quadrature of |dy/ds| to 1e-3'}"
             f"{'' if ls.samples == 0 else f', {ls.samples:,} points'}; '(~e)': not converged, e its last relative "
             f"change); predicted: {ls.sources['length']}, the RMS speed (an upper bound on a narrow layer's, like "
             f"the readout's); growth: over the layer before's (layer 1: over the input curve's, "
             f"{ls.input_length:.6g})"]
    return "\n".join([head] + body + (notes if footnote else []))


# ------------------------------------------------------------------ the checks behind the README's numbers
REGION_CHECKS = ((1, 512), (3, 270), (9, 90), (27, 30), (54, 15))   # hidden layers x width (glnn: width <= 512)
GROWTH_CHECKS = (("tanh", "uniform", 100, 0.3, None), ("tanh", "uniform", 100, 0.25, None),
                 ("tanh", "he", 200, 1.5, 0.1), ("tanh", "uniform", 400, 0.8, None), ("tanh", "uniform", 30, 0.8, None))


def region_check(hidden: int, width: int, seeds: int = 30) -> Tuple[float, float, float]:
    """(measured mean, its standard error, predicted) regions per unit length of y = 0.3, x in [-1, 1], of relu
    networks with He weights sigma_w^2 = 2 (--init he --gain 1), bias scale 0.05, over seeds 0..seeds-1."""
    counts = [regions_along(Network(seed=s, depth=hidden + 1, width=width, activation="relu", init="he", gain=1.0,
                                    bias_scale=0.05, channels=1), (-1, 0.3), (1, 0.3))[-2] / 2 for s in range(seeds)]
    net = Network(depth=hidden + 1, width=width, activation="relu", init="he", gain=1.0, bias_scale=0.05, channels=1)
    predicted = line_stats(net, (-1, 0.3), (1, 0.3)).layers[-2].regions_predicted / 2
    return float(np.mean(counts)), float(np.std(counts) / math.sqrt(seeds)), predicted


def growth_check(activation: str, init: str, width: int, amount: float, bias_scale: Optional[float],
                 seeds: int = 4, depth: int = 10) -> Tuple[float, float, float]:
    """(sqrt(chi_1), measured, predicted) growth per layer of a line's length (y = 0.3, x in [-1, 1]), the
    geometric mean over hidden layers 4 to depth - 1 and seeds."""
    meas, pred, rate = [], [], None
    for seed in range(seeds):
        ls = line_stats(check_network(activation, init, width, amount, bias_scale, seed, depth), (-1, 0.3), (1, 0.3))
        meas += [math.log(l.growth) for l in ls.layers[3:depth - 1]]
        pred += [math.log(l.growth_predicted) for l in ls.layers[3:depth - 1]]
        rate = ls.growth_rate
    return rate, math.exp(float(np.mean(meas))), math.exp(float(np.mean(pred)))


def check_tables() -> str:
    lines = ["| hidden layers x width | N | regions per unit length, measured (30 seeds) | predicted |",
             "| --- | --- | --- | --- |"]
    for hidden, width in REGION_CHECKS:
        m, se, p = region_check(hidden, width)
        lines.append(f"| {hidden} x {width} | {hidden * width} | {m:.0f} +- {se:.0f} | {p:.0f} |")
    lines += ["", "| network (depth 10) | sqrt(chi_1) | length growth per layer, measured (4 seeds, layers 4-9) | "
                  "predicted |", "| --- | --- | --- | --- |"]
    for act, init, width, amount, bias in GROWTH_CHECKS:
        rate, m, p = growth_check(act, init, width, amount, bias)
        lines.append(f"| {check_label(act, init, width, amount, bias)} | {rate:.3f} | {m:.3f} | {p:.3f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(check_tables())
