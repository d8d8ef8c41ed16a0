"""The window's render scheduler: what to compute this frame so the window stays responsive.

After a change it asks for a reduced-resolution draft sized to fit a frame
budget, then, once the user pauses, for the full picture in bands of rows
across frames, each band sized so that it and the rest of its frame (as the
viewer measures it) take about BAND_BUDGET_S. It learns the speed of each kind of network (seconds per pixel
per weight) from the frames it is told about. Pure logic: no GL, and the clock
is passed in, so tests drive it with a fake one.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Dict, Hashable, Optional, Tuple

from .interaction import BAND_BUDGET_S, BAND_MIN_S, DRAFT_BUDGET_S, DRAFT_MAX_FACTOR, FIRST_DRAFT, SETTLE_S


@dataclass(frozen=True)
class Step:
    """One piece of work: a whole draft of `size`, or `rows` full-resolution rows from row `first`."""
    kind: str                          # "draft" or "band"
    size: Tuple[int, int]              # the target's size: the draft's, or the full picture's
    first: int = 0
    rows: int = 0


class Scheduler:
    def __init__(self, clock: Callable[[], float]):
        self.clock = clock
        self.key: Hashable = None
        self.size: Tuple[int, int] = (0, 0)
        self.rows_done = 0
        self.shown: Optional[str] = None      # what the screen shows: "draft" or "full"
        self.draft_key: Hashable = None       # what the draft on screen shows
        self.last_change = -math.inf
        self.abandoned = False                # no more bands of this key (abandon())
        self._speed: Dict[Hashable, float] = {}   # kind of network -> seconds per pixel per weight
        self.overhead = 0.0   # seconds a frame takes besides its step (drawing, the HUD, the swap): told by the viewer

    def tell_overhead(self, seconds: float) -> None:
        """A frame's time besides its step, as measured: bands leave room for it in BAND_BUDGET_S."""
        self.overhead = 0.5 * (self.overhead + max(0.0, seconds))

    @property
    def band_budget(self) -> float:
        """A band's seconds: what the frame leaves, and at least twice the rest of the frame (a loaded machine
        draws slowly: bands shrunk to fit 100 ms would spend most of the time drawing, not computing)."""
        return max(BAND_MIN_S, BAND_BUDGET_S - self.overhead, 2.0 * self.overhead)

    @property
    def refining(self) -> bool:
        return self.key is not None and self.rows_done < self.size[1] and not self.abandoned

    def guess(self, kind: Hashable, like: Hashable, factor: float) -> None:
        """A kind never measured starts at `factor` times the speed of a measured one (a probe: of the outputs)."""
        if kind not in self._speed and like in self._speed:
            self._speed[kind] = factor * self._speed[like]

    def seconds_per_pixel(self, kind: Hashable, weights: int) -> Optional[float]:
        spw = self._speed.get(kind)
        return None if spw is None else spw * weights

    def next_step(self, key: Hashable, size: Tuple[int, int], kind: Hashable, weights: int,
                  force_full: bool = False, rows_multiple: int = 1) -> Optional[Step]:
        """The work for this frame, or None. `key` identifies what is shown (network, view, size): a new key
        starts over; `kind` and `weights` say how fast it will be; bands are a multiple of `rows_multiple` rows
        (GL shades pixels in 2x2 quads: a band of one row costs what two do)."""
        fw, fh = size
        now = self.clock()
        spp = self.seconds_per_pixel(kind, weights)
        if key != self.key:
            self.key, self.size, self.rows_done, self.last_change = key, size, 0, now
            self.abandoned = False
            if not force_full and (spp is None or spp * fw * fh > DRAFT_BUDGET_S):
                d = FIRST_DRAFT if spp is None else \
                    min(DRAFT_MAX_FACTOR, max(2, math.ceil(math.sqrt(spp * fw * fh / DRAFT_BUDGET_S))))
                return Step("draft", (max(1, math.ceil(fw / d)), max(1, math.ceil(fh / d))))
        if self.rows_done >= fh or self.abandoned:
            return None
        if not force_full and self.shown == "draft" and self.draft_key == key and now - self.last_change < SETTLE_S:
            return None   # the user may still be moving: keep the draft until they pause
        left = fh - self.rows_done
        rows = left if (force_full or not spp) else max(1, min(left, int(self.band_budget / (spp * fw))))
        if rows < left and rows_multiple > 1:
            rows = min(left, max(rows_multiple, rows // rows_multiple * rows_multiple))
        return Step("band", size, self.rows_done, rows)

    def abandon(self) -> None:
        """No more bands of this picture (a probe that refused): what is shown stays, rows_done as far as it got."""
        self.abandoned = True

    def finished(self, step: Step, kind: Hashable, weights: int, seconds: float, compiled: bool) -> bool:
        """Record a step's work; returns True when the screen should show something new."""
        if not compiled:   # a compile is not the network's speed
            pixels = step.size[0] * step.size[1] if step.kind == "draft" else step.size[0] * step.rows
            spw = seconds / max(pixels, 1) / max(weights, 1)
            old = self._speed.get(kind)
            self._speed[kind] = spw if old is None else 0.5 * (old + spw)
        if step.kind == "draft":
            self.shown, self.draft_key = "draft", self.key
            return True
        self.rows_done = step.first + step.rows
        if self.rows_done >= step.size[1]:
            self.shown = "full"
        return True   # the band's rows are shown as they finish (over the draft while refining)
