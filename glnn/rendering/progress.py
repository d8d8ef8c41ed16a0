"""Progress on a terminal: '[#####.....] cells 12/64, 8.3/s, 5 s left', rewritten in place, then one summary
line from the command. Off a terminal (or quiet) it prints nothing. The clock is passed in (tests)."""
from __future__ import annotations

import sys
import time as _time
from typing import Callable, Iterator, Optional, Tuple

PACE_S = 0.5   # paced(): bands of about this long, so a progress bar moves at least every second


class Progress:
    def __init__(self, total: int, unit: str = "items", enabled: Optional[bool] = None, stream=None,
                 clock: Callable[[], float] = _time.perf_counter):
        self.total, self.unit = total, unit
        self.stream = stream or sys.stderr
        self.enabled = (hasattr(self.stream, "isatty") and self.stream.isatty()) if enabled is None else enabled
        self.clock = clock
        self.start = clock()
        self.done = 0
        self._shown = -1.0

    def update(self, done: int) -> None:
        self.done = done
        if not self.enabled:
            return
        now = self.clock()
        if done < self.total and now - self._shown < 0.1:
            return   # at most ten redraws a second
        self._shown = now
        dt = now - self.start
        rate = done / dt if dt > 0 else 0.0
        left = (self.total - done) / rate if rate > 0 else 0.0
        width = 24
        filled = int(width * done / max(self.total, 1))
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.unit} {done}/{self.total}, "
                          f"{rate:.1f}/s, {left:.0f} s left ")
        self.stream.flush()

    def step(self) -> None:
        self.update(self.done + 1)

    def summary(self) -> str:
        dt = self.clock() - self.start
        return f"{self.done} {self.unit} in {dt:.1f} s" + (f", {self.done / dt:.1f}/s" if dt > 0 else "")

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def paced(total: int, most: int, seconds: float = PACE_S, clock: Callable[[], float] = _time.perf_counter,
          first: int = 8) -> Iterator[Tuple[int, int]]:
    """(first row, rows) of bands covering `total` rows, each sized by the time the consumer took on the last
    (between this generator's yields) to take about `seconds`, at most `most` rows: a slow picture in small
    bands, so its progress moves at least every second; a fast one in bands of `most`."""
    r0, n = 0, max(1, min(most, first))
    while r0 < total:
        n = min(n, total - r0)
        t0 = clock()
        yield r0, n
        dt = clock() - t0
        r0 += n
        n = max(1, min(most, int(n * seconds / dt) if dt > 0 else most))
