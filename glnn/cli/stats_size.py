"""How much glnn stats measures: its default size (a --from picture's view at fewer pixels), what the output says
about it, and the estimate and progress of a long request (issue 36: `glnn stats --from fig11.png --json` ran
562 s here, silent, over the picture's 1024x1024 pixels)."""
from __future__ import annotations

import sys
import time

from ..rendering.progress import Progress

# the view measured when --size is not given: at most this many pixels (a --from picture's view at fewer pixels, its
# aspect and its region of the plane kept): a 27 x 30 network's numbers in seconds, not the minutes of 1024x1024
STATS_SIZE = (256, 256)
STATS_PIXELS = STATS_SIZE[0] * STATS_SIZE[1]
LONG_S = 10.0   # a request estimated to take longer says so on stderr (and shows its progress on a terminal)
THEORY_SHARE = 0.3   # the measured mean-field columns (float64, every other pixel) after the table: about this share


def sized(args, view):
    """(the view to measure, what chose its size: "--size", "default" or "picture", the picture's size when it
    was more than STATS_PIXELS)."""
    from ..explore.layer_stats import fewer_pixels   # (as glnn stats imports it: when it runs)

    if args.size is not None:
        return view, "--size", None
    if not (getattr(args, "source", None) or getattr(args, "network", None)):
        return view, "default", None
    small = fewer_pixels(view, STATS_PIXELS)
    return small, "picture", (None if small is view else view.size)


def size_note(chosen: str, picture) -> str:
    """The text header's word on the size measured."""
    if chosen == "default":
        return " (the default: --size for more)"
    if picture:
        return (f" (the picture's {picture[0]}x{picture[1]} view at most {STATS_PIXELS:,} pixels, the default: "
                "--size for more)")
    return ""


def measuring(args, view, nets, backend):
    """progress(i, rows): network i's rows done (of each network's view.height), for stats(); a progress bar on
    a terminal, and (unless -q) one line on stderr saying about how long the whole will take when that is more
    than LONG_S, from the pace of its first band. Returns (progress, the Progress to close)."""
    total = view.height * len(nets)
    bar = Progress(total, "rows", enabled=False if args.quiet else None)
    start, told = time.perf_counter(), []

    def progress(i: int, rows: int) -> None:
        done = i * view.height + rows
        if not (told or args.quiet or done >= total):   # before the bar's first line: the estimate on its own
            told.append(True)
            whole = (time.perf_counter() - start) / done * total * (1 + THEORY_SHARE)
            if whole > LONG_S:
                n = nets[0]
                what = f"{len(nets)} networks" if len(nets) > 1 else "a network"
                print(f"glnn stats: about {whole:.0f} s for {view.width}x{view.height} pixels of {what} of {n.depth} "
                      f"x {n.width} (--backend {backend.name}, at the pace of its first {rows} rows); a smaller "
                      "--size answers sooner", file=sys.stderr, flush=True)
        bar.update(done)
    return progress, bar
