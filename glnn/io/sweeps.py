"""Sweeps: how parameters move over the frames of an animation (`glnn animate --sweep PARAM:FROM:TO`).

A sweep is PARAM:FROM:TO; all sweeps run together over the frames. `seed:A:B` morphs network A into
network B (Network.morph: great circles between their unit draws), `seed:A,B,C,...` through a chain of
networks (a loop when it ends where it began). Pure data and arithmetic (no rendering), so recipes can
validate an animation's sweeps too.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple, Union

from .command import number, sweep_param
from ..errors import GlnnError
from ..model.network import HYPERPARAMETERS, MAX_DEPTH, NAMES as NETWORK_NAMES, Network
from ..model.view import View

# the network's sweepable hyperparameters (network.HYPERPARAMETERS: seed, depth, scale, bias_scale, gain), then the view's
PARAMS = tuple(h.name for h in HYPERPARAMETERS if h.sweepable) + ("extent", "center", "time")
_AMOUNTS = tuple(h.name for h in HYPERPARAMETERS if h.sweepable and h.kind is float)   # never negative
EASES = ("linear", "smooth")
MAX_FRAMES = 100000   # an animation's frames: counted before any list of them is made
Value = Union[float, Tuple[float, float]]


@dataclass(frozen=True)
class Sweep:
    param: str
    start: Value
    end: Value
    chain: Tuple[int, ...] = ()   # seed sweeps: the networks in order (start and end are its first and last)

    @property
    def text(self) -> str:
        """PARAM:FROM:TO, as --sweep takes it (exact: numbers as glnn's commands write them)."""
        if self.param == "seed":
            seeds = [str(k) for k in self.chain]
            return "seed:" + (":".join(seeds) if len(seeds) == 2 else ",".join(seeds))
        def value(v):
            return ",".join(number(float(c)) for c in v) if isinstance(v, tuple) else number(float(v))
        return f"{self.param}:{value(self.start)}:{value(self.end)}"

    @property
    def loops(self) -> bool:
        """A time sweep over a whole number of periods (2 pi), or a seed chain back to its first network, closes
        on itself."""
        if self.param == "seed":
            return len(self.chain) > 2 and self.chain[0] == self.chain[-1]
        if self.param != "time":
            return False
        periods = abs(self.end - self.start) / (2 * math.pi)
        return periods >= 0.999 and abs(periods - round(periods)) < 1e-3

    def value(self, u: float) -> Value:
        a, b = self.start, self.end
        if self.param == "center":
            return (a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u)
        if self.param == "extent":
            return a * (b / a) ** u            # zoom in geometric steps
        if self.param == "depth":
            return int(round(a + (b - a) * u))  # whole layers
        if self.param == "seed":                # (seed A, seed B, f): f of the way from network A to B
            p = u * (len(self.chain) - 1)
            k = min(int(p), len(self.chain) - 2)
            return (self.chain[k], self.chain[k + 1], p - k)
        return a + (b - a) * u


def _num(text: str, what: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise GlnnError(f"--sweep {what}: {text!r} is not a number")
    if not math.isfinite(v):
        raise GlnnError(f"--sweep {what}: {text!r} is not finite")
    return v


def _parse_seeds(text: str, words: Sequence[str]) -> Sweep:
    chain = []
    for w in words:
        try:
            k = int(w.strip())
        except ValueError:
            raise GlnnError(f"--sweep {text!r}: {w!r} is not a seed (a whole number)") from None
        if not 0 <= k < 2 ** 63:
            raise GlnnError(f"--sweep {text!r}: seeds are from 0 to 2^63-1, not {k}")
        chain.append(k)
    if len(chain) < 2 or len(set(chain)) < 2:
        raise GlnnError(f"--sweep {text!r}: a seed sweep needs two different seeds (seed:A:B or seed:A,B,C)")
    return Sweep("seed", float(chain[0]), float(chain[-1]), tuple(chain))


def parse_sweep(text: str) -> Sweep:
    """PARAM:FROM:TO, center:X1,Y1:X2,Y2, seed:A:B or seed:A,B,C,..."""
    parts = text.split(":")
    if parts[0].strip() == "seed":
        return _parse_seeds(text, parts[1].split(",") if len(parts) == 2 else parts[1:])
    if len(parts) != 3:
        raise GlnnError(f"--sweep {text!r}: expected PARAM:FROM:TO (like scale:0.4:0.8 or center:0,0:1,1)")
    param, a, b = sweep_param(text), parts[1], parts[2]
    if param not in PARAMS:
        raise GlnnError(f"--sweep {text!r}: unknown parameter {parts[0]!r} (choose from {', '.join(PARAMS)})")
    if param == "center":
        pts = []
        for p in (a, b):
            xy = p.split(",")
            if len(xy) != 2:
                raise GlnnError(f"--sweep {text!r}: a centre is X,Y, not {p!r}")
            pts.append((_num(xy[0], text), _num(xy[1], text)))
        return Sweep(param, pts[0], pts[1])
    start, end = _num(a, text), _num(b, text)
    if param == "extent" and not (start > 0 and end > 0):
        raise GlnnError(f"--sweep {text!r}: extents must be greater than 0")
    if param == "depth":
        if start != int(start) or end != int(end) or not (1 <= start <= MAX_DEPTH and 1 <= end <= MAX_DEPTH):
            raise GlnnError(f"--sweep {text!r}: depths must be whole numbers from 1 to {MAX_DEPTH}")
    if param in _AMOUNTS and (start < 0 or end < 0):
        raise GlnnError(f"--sweep {text!r}: {param} cannot be negative")
    return Sweep(param, start, end)


def as_sweep(value) -> Sweep:
    """A sweep from the forms people write: a Sweep, "PARAM:FROM:TO", or (PARAM, FROM, TO)."""
    if isinstance(value, Sweep):
        return value
    if isinstance(value, str):
        return parse_sweep(value)
    if isinstance(value, (tuple, list)) and len(value) == 3 and isinstance(value[0], str):
        ends = [",".join(str(c) for c in v) if isinstance(v, (tuple, list)) else str(v) for v in value[1:]]
        return parse_sweep(f"{value[0]}:{ends[0]}:{ends[1]}")
    raise GlnnError(f"a sweep is 'PARAM:FROM:TO' or (PARAM, FROM, TO), like ('scale', 0.4, 0.8), not {value!r}")


def check_sweeps(sweeps: Sequence[Sweep]) -> None:
    seen = set()
    for s in sweeps:
        if s.param in seen:
            raise GlnnError(f"--sweep {s.param} given twice")
        seen.add(s.param)


def frame_positions(n: int, sweep: Sweep, ease: str = "linear", pingpong: bool = False) -> List[float]:
    """The sweep's position u in [0, 1] at each frame.

    Endpoints are included (the first frame is FROM, the last TO) except for a
    time loop over whole periods, whose last frame leads back into the first.
    pingpong plays the frames forward, then backward without repeating the ends.
    """
    if not (isinstance(n, int) and not isinstance(n, bool)) or n < 1:
        raise GlnnError(f"--frames must be at least 1, not {n!r}")
    if n > MAX_FRAMES:
        raise GlnnError(f"--frames must be from 1 to {MAX_FRAMES}, not {n!r}")
    denom = n if (sweep.loops and not pingpong) else max(n - 1, 1)
    us = [i / denom for i in range(n)]
    if ease == "smooth":
        us = [u * u * (3 - 2 * u) for u in us]
    elif ease != "linear":
        raise GlnnError(f"unknown ease {ease!r} (choose from {', '.join(EASES)})")
    if pingpong and n > 2:
        us = us + us[-2:0:-1]
    return us


def frame_settings(sweeps: Sequence[Sweep], n: int, ease: str = "linear", pingpong: bool = False) -> List[Dict[str, Value]]:
    check_sweeps(sweeps)
    columns = {s.param: [s.value(u) for u in frame_positions(n, s, ease, pingpong)] for s in sweeps}
    count = len(next(iter(columns.values()))) if columns else (n if not pingpong or n <= 2 else 2 * n - 2)
    return [{p: col[i] for p, col in columns.items()} for i in range(count)]


def apply_settings(net: Network, view: View, settings: Dict[str, Value]) -> Tuple[Network, View]:
    morph = settings.get("seed")
    net_changes = {k: v for k, v in settings.items() if k in NETWORK_NAMES and k != "seed"}
    view_changes = {k: v for k, v in settings.items() if k not in NETWORK_NAMES}
    if net_changes or morph:
        net = net.replace(**net_changes, **({"seed": morph[0]} if morph else {}))
    if morph:
        net = net.morph(morph[1], morph[2])
    if view_changes:
        view = view.replace(**view_changes)
    return net, view
