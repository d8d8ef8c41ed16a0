"""An x-y chart drawn with Pillow: measured points with spread bars beside predicted lines, on linear or log axes
(figures 27 and 28 of `glnn figures`: glnn/article/line_figures.py).

    chart(series, size, title, xlabel, ylabel, log_y=False, legend=()) -> PIL.Image

A Series is points (a dot at each (x, y), and a bar from lo to hi where `spread` gives one) or a line (through
its points, drawn first, under the points). The axes run between round ticks (glnn/io/plots.py's nice_ticks; on
a log axis, whole powers of ten), widened to hold every value, spread included. The legend sits in the plot's
top-left (or bottom-left) corner on white. Drawn at 3x and downsampled, like the other plots; a size too small for the axes and
labels (a reduced --resolution-scale) is drawn larger, then scaled down to it. No GL, no files.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

from PIL import Image, ImageDraw

from .plots import AXIS, SS, font, nice_ticks

MIN_SIZE = (560, 300)   # the smallest size the chart is drawn at (pixels at 1x): smaller ones are its miniature


@dataclass(frozen=True)
class Series:
    x: Sequence[float]
    y: Sequence[float]
    colour: Tuple[int, int, int]
    line: bool = False                                        # a line through the points (else dots)
    spread: Optional[Sequence[Tuple[float, float]]] = None    # dots: a bar from lo to hi at each point
    dashed: bool = False                                      # lines: dashed


def _log_ticks(lo: float, hi: float) -> list:
    a, b = math.floor(math.log10(lo) + 1e-9), math.ceil(math.log10(hi) - 1e-9)
    step = max(1, math.ceil((b - a) / 6))   # at most about 7 labels
    a = step * math.floor(a / step)
    return [10.0 ** k for k in range(a, b + step, step)]


def tick_label(v: float) -> str:
    """1e-3 -> 0.001, 1e4 -> 10000; past that, 1e5."""
    if v == 0:
        return "0"
    if 1e-3 <= abs(v) < 1e5:
        return f"{v:.10g}" if abs(v) >= 1 else f"{v:.3g}"
    return f"{v:.0e}".replace("e+0", "e").replace("e-0", "e-")


def chart(series: Sequence[Series], size: Tuple[int, int], title: str = "", xlabel: str = "", ylabel: str = "",
          log_y: bool = False, legend: Sequence[Tuple[str, Tuple[int, int, int], str]] = (),
          x_ticks: int = 6, legend_at: str = "top") -> Image.Image:
    """The series on one pair of axes. legend: (label, colour, "dot" | "line" | "dash") entries, in the plot's
    left corner at `legend_at` (top or bottom); x_ticks: about how many ticks the x axis has."""
    if size[0] < MIN_SIZE[0] or size[1] < MIN_SIZE[1]:
        k = max(MIN_SIZE[0] / size[0], MIN_SIZE[1] / size[1])
        big = (math.ceil(size[0] * k), math.ceil(size[1] * k))
        return chart(series, big, title, xlabel, ylabel, log_y, legend, x_ticks, legend_at).resize(size, Image.LANCZOS)
    xs = [x for s in series for x in s.x]
    ys = [y for s in series for y in s.y] + [v for s in series if s.spread for lo_hi in s.spread for v in lo_hi]
    if log_y:
        ys = [y for y in ys if y > 0]
    if not xs or not ys:
        raise ValueError("a chart needs points")
    xt = nice_ticks(min(xs), max(xs), x_ticks)
    yt = _log_ticks(min(ys), max(ys)) if log_y else nice_ticks(min(ys), max(ys), 6)
    fy = (lambda v: math.log10(v) if v > 0 else math.log10(yt[0]) - 1) if log_y else (lambda v: v)  # noqa: E731

    W, H = size[0] * SS, size[1] * SS
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    small, big = font(11 * SS), font(13 * SS)
    left, right = 62 * SS, 14 * SS
    top = (26 if title else 10) * SS
    bottom = (40 if xlabel else 24) * SS
    x0, x1, y0, y1 = xt[0], xt[-1], fy(yt[0]), fy(yt[-1])

    def at(x, y):
        px = left + (x - x0) / (x1 - x0) * (W - left - right)
        py = H - bottom - (min(max(fy(y), y0 - 0.05 * (y1 - y0)), y1 + 0.05 * (y1 - y0)) - y0) / (y1 - y0) \
            * (H - top - bottom)
        return px, py

    if title:
        d.text((W // 2, 6 * SS), title, fill=(30, 30, 30), font=big, anchor="mt")
    d.rectangle([left, top, W - right, H - bottom], outline=AXIS, width=SS)
    for v in yt:
        _, py = at(x0, v)
        d.line([(left - 4 * SS, py), (left, py)], fill=AXIS, width=SS)
        if v not in (yt[0], yt[-1]):
            d.line([(left + SS, py), (W - right - SS, py)], fill=(236, 236, 236), width=SS)
        d.text((left - 6 * SS, py), tick_label(v), fill=AXIS, font=small, anchor="rm")
    for v in xt:
        px, _ = at(v, yt[0])
        d.line([(px, H - bottom), (px, H - bottom + 4 * SS)], fill=AXIS, width=SS)
        d.text((px, H - bottom + 6 * SS), tick_label(v), fill=AXIS, font=small, anchor="mt")
    if xlabel:
        d.text(((left + W - right) // 2, H - 4 * SS), xlabel, fill=(40, 40, 40), font=big, anchor="mb")
    if ylabel:
        label = Image.new("RGB", (H, 16 * SS), "white")
        ImageDraw.Draw(label).text((bottom + (H - top - bottom) // 2, 8 * SS), ylabel, fill=(40, 40, 40),
                                   font=big, anchor="mm")
        img.paste(label.rotate(90, expand=True), (0, 0))
        d = ImageDraw.Draw(img)

    for s in sorted(series, key=lambda s: not s.line):   # lines first, points over them
        pts = [at(x, y) for x, y in zip(s.x, s.y) if not (log_y and y <= 0)]
        if s.line:
            if s.dashed:
                _dashed(d, pts, s.colour, 2 * SS)
            elif len(pts) > 1:
                d.line(pts, fill=s.colour, width=2 * SS, joint="curve")
            continue
        light = tuple(int(c + 0.45 * (255 - c)) for c in s.colour)
        for i, (px, py) in enumerate(pts):
            if s.spread is not None:
                lo, hi = s.spread[i]
                _, plo = at(s.x[i], lo if not log_y or lo > 0 else yt[0])
                _, phi = at(s.x[i], hi)
                d.line([(px, plo), (px, phi)], fill=light, width=2 * SS)
                d.line([(px - 2 * SS, plo), (px + 2 * SS, plo)], fill=light, width=SS)
                d.line([(px - 2 * SS, phi), (px + 2 * SS, phi)], fill=light, width=SS)
        r = 3 * SS
        for px, py in pts:
            d.ellipse([px - r, py - r, px + r, py + r], fill=s.colour)

    if legend:   # in a left corner, on white, one entry a line
        row = 16 * SS
        width = max(d.textlength(t, font=big) for t, _, _ in legend) + 34 * SS
        lx, ly = left + 8 * SS, top + 8 * SS
        if legend_at == "bottom":
            ly = H - bottom - 8 * SS - row * len(legend) - 6 * SS
        d.rectangle([lx, ly, lx + width, ly + row * len(legend) + 6 * SS], fill="white", outline=(210, 210, 210))
        for i, (text, colour, kind) in enumerate(legend):
            cy = ly + 3 * SS + row * i + row // 2
            if kind == "dot":
                d.ellipse([lx + 12 * SS - 3 * SS, cy - 3 * SS, lx + 12 * SS + 3 * SS, cy + 3 * SS], fill=colour)
            elif kind == "dash":
                _dashed(d, [(lx + 4 * SS, cy), (lx + 22 * SS, cy)], colour, 2 * SS)
            else:
                d.line([(lx + 4 * SS, cy), (lx + 22 * SS, cy)], fill=colour, width=2 * SS)
            d.text((lx + 28 * SS, cy), text, fill=(40, 40, 40), font=big, anchor="lm")
    return img.resize(size, Image.LANCZOS)


def _dashed(d: ImageDraw.ImageDraw, pts, colour, width: int, dash: float = 7 * SS, gap: float = 5 * SS) -> None:
    """A dashed polyline: the dash pattern runs on across the points."""
    on, left = True, dash
    for (ax, ay), (bx, by) in zip(pts, pts[1:]):
        seg = math.hypot(bx - ax, by - ay)
        pos = 0.0
        while seg - pos > 1e-9:
            step = min(left, seg - pos)
            if on:
                t0, t1 = pos / seg, (pos + step) / seg
                d.line([(ax + (bx - ax) * t0, ay + (by - ay) * t0), (ax + (bx - ax) * t1, ay + (by - ay) * t1)],
                       fill=colour, width=width)
            pos += step
            left -= step
            if left <= 1e-9:
                on = not on
                left = dash if on else gap
