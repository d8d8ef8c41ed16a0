"""What a probe is (`--probe units:K`, `unit:K:J`, `regions`, `saturation`): its description, parsed and
checked against a network, and when a unit counts as saturated (its activation's slope under SATURATED_SLOPE of
its steepest). Pure numpy: recipes, the command writer and the playground's tables read it; the evaluation lives
in glnn/rendering/probes.py (pictures), glnn/rendering/hidden.py (the hidden states) and glnn/explore/layer_stats.py.
"""

import functools
import math
from dataclasses import dataclass
from typing import Optional, Tuple

import numpy as np

from ..model import activations
from ..errors import GlnnError
from ..model.network import Network
from ..model.view import View


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


def linear_part(name, pre: np.ndarray) -> np.ndarray:
    """True where a unit is in its near-linear part: slope at least SATURATED_SLOPE of its steepest (a piecewise
    linear activation with a kink, like relu: past the kink, on). The slope criterion is tabulated, 1/4096 apart
    (a unit that near the threshold may fall either side), and where it is one or two intervals compared against
    their ends: a pass or two over the array (computing the slope took 4x a whole render). `name`: one
    activation, or one per unit (the last axis)."""
    if not isinstance(name, str):
        out = np.empty(np.shape(pre), bool)
        for n, idx in activations.unit_groups(name):
            out[..., idx] = linear_part(n, pre[..., idx])
        return out
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



def legend_applies(probe: Probe, view: View) -> bool:
    """Whether the probe's picture gets a legend over its own range (saturation, up to LEGEND_MAX_PIXELS: a
    larger one streams band by band as plain fractions, its memory bounded by a band)."""
    return probe.kind == "saturation" and view.width * view.height <= LEGEND_MAX_PIXELS
