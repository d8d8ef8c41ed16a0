"""Curves and heightmaps for the article's explanatory figures (3, 4, 5, 13), drawn with Pillow.

Curves are antialiased by drawing at 3x and downsampling. Surfaces are shaded
height-displaced grid meshes drawn back to front (the painter's algorithm):
flat-shaded quads lit by one light, with a floor frame for the axes. This
needs no GL context, so the figures come out the same on every machine.
"""
from __future__ import annotations

import math
from typing import Callable, List, Sequence, Tuple

import numpy as np
from PIL import Image, ImageDraw, ImageFont

SS = 3  # supersampling factor
AXIS = (90, 90, 90)
COLOURS = [(220, 50, 47), (40, 160, 60), (38, 110, 210), (120, 70, 170)]


def font(px: int):
    try:
        return ImageFont.load_default(size=px)
    except TypeError:  # Pillow < 10.1
        return ImageFont.load_default()


def wrap_text(text: str, font, width: float) -> List[str]:
    """Words of `text` (split at single spaces) in lines no wider than `width` (a word longer than that is cut where it must be)."""
    out, line = [], ""
    for word in text.split(" "):
        trial = word if not line else line + " " + word
        if font.getlength(trial) <= width or not line:
            line = trial
        else:
            out.append(line)
            line = word
        while font.getlength(line) > width and len(line) > 1:   # a single word too long: cut it
            cut = max(1, int(len(line) * width / font.getlength(line)))
            out.append(line[:cut])
            line = line[cut:]
    out.append(line)
    return out


def curves(funcs: Sequence[Tuple[Callable[[np.ndarray], np.ndarray], tuple]], xr: Tuple[float, float],
           yr: Tuple[float, float], size: Tuple[int, int], label: str = "") -> Image.Image:
    """Line plot of several functions with x and y axes through 0 (where visible)."""
    W, H = size[0] * SS, size[1] * SS
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    m = int(0.08 * min(W, H))

    def to_px(x, y):
        return (m + (x - xr[0]) / (xr[1] - xr[0]) * (W - 2 * m), H - m - (y - yr[0]) / (yr[1] - yr[0]) * (H - 2 * m))

    # axes and ticks
    x0 = 0.0 if xr[0] <= 0 <= xr[1] else xr[0]
    y0 = 0.0 if yr[0] <= 0 <= yr[1] else yr[0]
    d.line([to_px(xr[0], y0), to_px(xr[1], y0)], fill=AXIS, width=SS)
    d.line([to_px(x0, yr[0]), to_px(x0, yr[1])], fill=AXIS, width=SS)
    small = font(11 * SS)
    for t in range(math.ceil(xr[0]), math.floor(xr[1]) + 1):
        if t:
            px, py = to_px(t, y0)
            d.line([(px, py - 3 * SS), (px, py + 3 * SS)], fill=AXIS, width=SS)
            d.text((px, py + 5 * SS), str(t), fill=AXIS, font=small, anchor="mt")
    step = 0.5 if yr[1] - yr[0] <= 3 else 1.0
    for t in np.arange(math.ceil(yr[0] / step) * step, yr[1] + 1e-9, step):
        if abs(t) > 1e-9:
            px, py = to_px(x0, t)
            d.line([(px - 3 * SS, py), (px + 3 * SS, py)], fill=AXIS, width=SS)
            d.text((px - 5 * SS, py), f"{t:g}", fill=AXIS, font=small, anchor="rm")
    xs = np.linspace(xr[0], xr[1], 600)
    for f, colour in funcs:
        ys = np.clip(f(xs), yr[0] - 1, yr[1] + 1)
        d.line([to_px(x, y) for x, y in zip(xs, ys)], fill=colour, width=3 * SS, joint="curve")
    if label:
        d.text((W - m, m // 2), label, fill=(40, 40, 40), font=font(13 * SS), anchor="rt")
    return img.resize(size, Image.LANCZOS)


def surfaces(funcs: Sequence[Tuple[Callable[[np.ndarray, np.ndarray], np.ndarray], tuple]],
             xr: Tuple[float, float], zr: Tuple[float, float], size: Tuple[int, int], n: int = 48,
             azimuth: float = -55.0, elevation: float = 28.0) -> Image.Image:
    """Shaded 3D heightmaps z = f(x, y) over the square xr x xr, all in one box."""
    W, H = size[0] * SS, size[1] * SS
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    az, el = math.radians(azimuth), math.radians(elevation)

    def project(x, y, z):
        # normalise into the unit box [-1, 1]^2 x [0, 1] scaled, rotate about z, tilt, orthographic
        u = 2 * (x - xr[0]) / (xr[1] - xr[0]) - 1
        v = 2 * (y - xr[0]) / (xr[1] - xr[0]) - 1
        w = 1.1 * ((z - zr[0]) / (zr[1] - zr[0]) - 0.5)
        rx = u * math.cos(az) - v * math.sin(az)
        ry = u * math.sin(az) + v * math.cos(az)
        sx = rx
        sy = ry * math.sin(el) + w * math.cos(el)
        depth = ry * math.cos(el) - w * math.sin(el)   # larger is farther
        scale = 0.30 * min(W, H)
        return W / 2 + sx * scale, H / 2 - sy * scale + 0.05 * H, depth

    quads: List[tuple] = []
    g = np.linspace(xr[0], xr[1], n + 1)
    X, Y = np.meshgrid(g, g)
    light = np.array([-0.4, -0.5, 0.8])
    light /= np.linalg.norm(light)
    for f, colour in funcs:
        Z = np.clip(f(X, Y), zr[0], zr[1])
        P = [[project(X[i, j], Y[i, j], Z[i, j]) for j in range(n + 1)] for i in range(n + 1)]
        dzdx = np.gradient(Z, g, axis=1) * (xr[1] - xr[0]) / (zr[1] - zr[0]) / 2
        dzdy = np.gradient(Z, g, axis=0) * (xr[1] - xr[0]) / (zr[1] - zr[0]) / 2
        for i in range(n):
            for j in range(n):
                nx, ny = -(dzdx[i, j] + dzdx[i + 1, j + 1]) / 2, -(dzdy[i, j] + dzdy[i + 1, j + 1]) / 2
                normal = np.array([nx, ny, 1.0])
                shade = 0.35 + 0.65 * max(0.0, float(normal @ light) / float(np.linalg.norm(normal)))
                pts = [P[i][j], P[i][j + 1], P[i + 1][j + 1], P[i + 1][j]]
                depth = sum(p[2] for p in pts) / 4
                fill = tuple(int(c * shade) for c in colour)
                quads.append((depth, [(p[0], p[1]) for p in pts], fill))
    # floor frame and the vertical axis, behind everything
    corners = [(xr[0], xr[0]), (xr[1], xr[0]), (xr[1], xr[1]), (xr[0], xr[1])]
    floor = [project(x, y, zr[0])[:2] for x, y in corners]
    d.polygon(floor, outline=AXIS, fill=(246, 246, 246))
    back = max(corners, key=lambda c: project(c[0], c[1], zr[0])[2])
    d.line([project(back[0], back[1], zr[0])[:2], project(back[0], back[1], zr[1])[:2]], fill=AXIS, width=SS)
    for depth, pts, fill in sorted(quads, key=lambda q: -q[0]):
        d.polygon(pts, fill=fill, outline=fill)
    return img.resize(size, Image.LANCZOS)


def arrow(size: Tuple[int, int], colour=(210, 210, 210)) -> Image.Image:
    """A white cell with a light gray arrow pointing right across its middle (figure 6: "added into")."""
    W, H = size[0] * SS, size[1] * SS
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    cy, x0, x1 = H / 2, 0.18 * W, 0.82 * W
    shaft, head = 0.045 * W, 0.13 * W
    d.rectangle([x0, cy - shaft / 2, x1 - head, cy + shaft / 2], fill=colour)
    d.polygon([(x1 - head - 1, cy - head * 0.85), (x1, cy), (x1 - head - 1, cy + head * 0.85)], fill=colour)
    return img.resize(size, Image.LANCZOS)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def nice_ticks(lo: float, hi: float, n: int = 5) -> List[float]:
    """About n round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) covering [lo, hi]: the first at
    or below lo, the last at or above it, so an axis from the first to the last shows whole numbers."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo, hi if hi > lo else lo + 1.0]
    raw = (hi - lo) / max(n - 1, 1)
    mag = 10.0 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw * (1 - 1e-9))
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [round(k * step, 10) for k in range(first, last + 1)]


def layer_plot(panels: Sequence[Tuple[str, Sequence[Tuple[str, Sequence[float]]], Tuple[float, float]]],
               size: Tuple[int, int] = (720, 480), title: str = "") -> Image.Image:
    """Per-layer statistics: one panel per (y label, [(series label, values at layers 1..n)], y range), stacked,
    layers on the x axis, a legend of the series (glnn stats --plot). Each panel's label, and over the first the
    legend, sit in a strip above its box, never under a curve; the y axis runs between round ticks (the range
    widened to them); earlier series are drawn wider, so one that another covers still shows round it. A size
    too small for the axes and labels (a reduced --resolution-scale) is drawn larger, then scaled down to it."""
    need_w, need_h = 62 + 16 + 120, (26 if title else 8) + (30 + 18 + 40) * len(panels)   # margins + the smallest plot
    if size[0] < need_w or size[1] < need_h:
        k = max(need_w / size[0], need_h / size[1])
        return layer_plot(panels, (math.ceil(size[0] * k), math.ceil(size[1] * k)), title).resize(size, Image.LANCZOS)
    W, H = size[0] * SS, size[1] * SS
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    small, big = font(11 * SS), font(13 * SS)
    top = 26 * SS if title else 8 * SS
    if title:
        d.text((W // 2, 8 * SS), title, fill=(30, 30, 30), font=big, anchor="mt")
    left, right, gap, head = 62 * SS, 16 * SS, 30 * SS, 18 * SS
    ph = (H - top - (gap + head) * len(panels)) // len(panels)
    for p, (ylabel, series, (y0, y1)) in enumerate(panels):
        t = top + p * (ph + gap + head) + head
        n = max(len(v) for _, v in series)
        ticks = nice_ticks(y0, y1)
        y0, y1 = ticks[0], ticks[-1]

        def at(i, v):
            x = left + (i / max(n - 1, 1)) * (W - left - right)
            return x, t + ph - (min(max(v, y0), y1) - y0) / (y1 - y0) * ph

        d.rectangle([left, t, W - right, t + ph], outline=AXIS, width=SS)
        for v in ticks:
            _, py = at(0, v)
            d.line([(left - 4 * SS, py), (left, py)], fill=AXIS, width=SS)
            d.text((left - 6 * SS, py), f"{v:g}", fill=AXIS, font=small, anchor="rm")
        for i in range(n):
            px, _ = at(i, y0)
            if n <= 30 or i % max(1, n // 15) == 0:
                d.text((px, t + ph + 4 * SS), str(i + 1), fill=AXIS, font=small, anchor="mt")
        d.text((left, t - 4 * SS), ylabel, fill=(40, 40, 40), font=big, anchor="ls")
        x_legend = W - right
        for s in reversed(range(len(series))) if p == 0 else ():   # the legend in a row, right-aligned
            label = series[s][0]
            if label:
                colour = COLOURS[s % len(COLOURS)]
                d.text((x_legend, t - 4 * SS), label, fill=colour, font=big, anchor="rs")
                x_legend -= d.textlength(label, font=big) + 8 * SS
                d.ellipse([x_legend - 5 * SS, t - 13 * SS, x_legend + 3 * SS, t - 5 * SS], fill=colour)
                x_legend -= 16 * SS
        for s, (label, values) in enumerate(series):
            colour = COLOURS[s % len(COLOURS)]
            wider = len(series) - 1 - s   # the first series widest: covered by a later one, it shows as a rim
            pts = [at(i, v) for i, v in enumerate(values)]
            if len(pts) > 1:
                d.line(pts, fill=colour, width=round((3 + 1.5 * wider) * SS), joint="curve")
            r = (4 + wider) * SS
            for x, y in pts:
                d.ellipse([x - r, y - r, x + r, y + r], fill=colour)
    d.text((W // 2, H - 4 * SS), "layer", fill=AXIS, font=small, anchor="mb")
    return img.resize(size, Image.LANCZOS)


def with_legend(values: np.ndarray, label: str) -> np.ndarray:
    """A heat map's values (H, W, 1) in [0, 1], stretched over their own range (the 1st to 99th percentile,
    widened to round ticks), with a legend strip over its bottom rows: a bar from the range's low end to its
    high end with the ticks' values, and the label. The strip is in the same values (the colour mode colours
    it: 0 behind, 1 for the text), so the picture stays one channel. A picture too small for a legend is left
    as it is."""
    h, w = values.shape[:2]
    strip = min(max(20, h // 16), 40)
    if h < 4 * strip or w < 160:
        return values
    v = values[..., 0].astype(np.float64)
    lo, hi = (float(np.clip(q, 0.0, 1.0)) for q in np.percentile(v[:h - strip], [1, 99]))
    if hi - lo < 0.02:
        lo, hi = max(0.0, lo - 0.05), min(1.0, hi + 0.05)
    ticks = [t for t in nice_ticks(lo, hi, 4) if 0.0 <= t <= 1.0]
    t0, t1 = ticks[0], ticks[-1]
    out = np.clip((v - t0) / (t1 - t0), 0.0, 1.0)
    img = Image.new("L", (w * SS, strip * SS), 0)
    d = ImageDraw.Draw(img)
    px = int(strip * 0.42) * SS
    small = font(px)
    d.text((4 * SS, strip * SS // 2), label, fill=255, font=small, anchor="lm")
    x0 = max(d.textlength(label, font=small) + 14 * SS, 0.3 * w * SS)
    x1 = w * SS - 12 * SS
    y0, y1 = 3 * SS, int(strip * 0.45) * SS
    for x in range(int(x0), int(x1)):
        d.line([(x, y0), (x, y1)], fill=int(round(255 * (x - x0) / (x1 - x0))))
    for t in ticks:
        x = x0 + (t - t0) / (t1 - t0) * (x1 - x0)
        d.line([(x, y1), (x, y1 + 2 * SS)], fill=255, width=SS)
        d.text((x, y1 + 3 * SS), f"{t:g}", fill=255, font=small, anchor="mt")
    out[h - strip:] = np.asarray(img.resize((w, strip), Image.LANCZOS), np.float64) / 255.0
    return out[..., None].astype(np.float32)
