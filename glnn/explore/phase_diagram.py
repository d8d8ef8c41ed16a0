"""The phase diagram of `glnn phase`: the (sigma_w, sigma_b) plane of one activation with thumbnails of real
pictures laid over it (the same network, seed and depth, at each cell's weight and bias variances), the edge
of chaos (chi_1 = 1, glnn/model/theory.py) drawn across it, and glnn's own settings marked. Cells whose outputs are
saturated (a flat corner colour: white, yellow, ...) are hatched, and a legend under the axes says why: for relu,
right of the edge the layers' values grow without bound and the sigmoid readout sees huge inputs.

Cells are rendered by glnn/rendering/pipeline.py and composed by glnn/rendering/sheet.py; the line, the marks and the axes are drawn
over the composed sheet.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image, ImageDraw

from ..model import activations, inits, theory
from ..rendering import pipeline
from ..errors import GlnnError
from ..model.network import Network
from ..io.plots import font, wrap_text
from ..io.recipe import Recipe
from ..rendering.sheet import Layout, compose, text_strip
from ..model.view import View

LINE = (230, 30, 30)
MARK = (255, 255, 255)
SATURATED = 0.8        # a cell with at least this share of its output values at 0 or 1 (in 8 bits) is hatched
HATCH_STEP = 8         # pixels between the hatch's diagonals
HATCH = (70, 70, 200)  # their colour (each with a white line beside it: seen on any cell)


@dataclass(frozen=True)
class Plane:
    activation: str
    init: str
    width: int
    depth: int
    seed: int
    cols: int
    rows: int
    sigma_w: float          # the plane's right edge (its left edge is 0)
    sigma_b: float          # its top edge (the bottom is 0)

    def cell_sigmas(self, i: int) -> Tuple[float, float]:
        """(sigma_w, sigma_b) at cell i's centre (reading order: sigma_b falls down the rows)."""
        r, c = divmod(i, self.cols)
        return ((c + 0.5) * self.sigma_w / self.cols, (self.rows - r - 0.5) * self.sigma_b / self.rows)

    def network(self, sw: float, sb: float) -> Network:
        """The network at (sigma_w, sigma_b): the amount (scale, or gain) and bias scale that give them."""
        uses_gain = inits.uses_gain(self.init)
        amount = sw / math.sqrt(theory.sigma_w2(self.init, 1.0, self.width))
        bias = sb / math.sqrt(inits.BY_NAME[self.init].unit_variance)
        kw = {"gain": round(amount, 6)} if uses_gain else {"scale": round(amount, 6)}
        return Network(seed=self.seed, depth=self.depth, width=self.width, activation=self.activation,
                       init=self.init, bias_scale=round(bias, 6), **kw)


def sigmas(net: Network) -> Tuple[float, float]:
    sw2, sb2 = theory.network_variances(net)
    return math.sqrt(sw2), math.sqrt(sb2)


def marks(activation: str, width: int, init: str) -> List[Tuple[str, Tuple[float, float]]]:
    """glnn's own settings in this plane: the activation's defaults (at this width), and for tanh the article's
    favourite 0.65 (figure 11)."""
    out = []
    d = Network(activation=activation, width=width)
    if d.init == init:
        out.append(("default", sigmas(d)))
    if activation == "tanh" and init == "uniform":
        out.append(("0.65", sigmas(Network(activation="tanh", width=width, scale=0.65))))
    return out


def plan(activation: str, width: int = 30, depth: int = 12, seed: int = 0, init: Optional[str] = None,
         cols: int = 7, rows: int = 5, sigma_w: Optional[float] = None, sigma_b: Optional[float] = None) -> Plane:
    if activation not in activations.NAMES:
        raise GlnnError(f"glnn phase draws one activation (one of {', '.join(activations.NAMES)}), not {activation!r}")
    init = init or activations.DEFAULTS[activation].init
    Network(activation=activation, width=width, depth=depth, seed=seed, init=init)   # the checks' messages
    if not (1 <= cols <= 40 and 1 <= rows <= 40):
        raise GlnnError("--cells must be from 1x1 to 40x40")
    edge = theory.critical_sigma_w2(activation, 0.0)
    taken = [s for _, s in marks(activation, width, init)]
    if sigma_w is None:
        sigma_w = max([3 * math.sqrt(edge) if edge else 3.0] + [1.2 * s[0] for s in taken])
    if sigma_b is None:
        sigma_b = max([1.0] + [1.2 * s[1] for s in taken])
    for name, v in (("--sigma-w", sigma_w), ("--sigma-b", sigma_b)):
        if not (math.isfinite(v) and 0 < v <= 1e3):
            raise GlnnError(f"{name} must be a number from 0 to 1000 (the plane's far edge), not {v!r}")
    return Plane(activation, init, width, depth, seed, cols, rows, float(sigma_w), float(sigma_b))


def edge_points(plane: Plane) -> List[Tuple[float, float]]:
    """The chi_1 = 1 line as (sigma_w, sigma_b) points inside the plane."""
    if theory.homogeneous(plane.activation):
        sw = math.sqrt(theory.critical_sigma_w2(plane.activation, 0.0))
        return [(sw, 0.0), (sw, plane.sigma_b)]
    # the line parametrised by q*: a coarse pass finds the lengths whose sigma_b falls in the plane (for sigmoid
    # a narrow band of q*), a fine one draws them
    coarse = np.geomspace(1e-8, 1e6, 600)
    sw2, sb2 = theory.critical_line(plane.activation, coarse)
    inside = set(_qs_inside(plane, coarse))
    wanted = [i for i, q in enumerate(coarse) if q in inside]
    if wanted:
        lo, hi = coarse[max(0, wanted[0] - 1)], coarse[min(len(coarse) - 1, wanted[-1] + 1)]
        sw2, sb2 = theory.critical_line(plane.activation, np.geomspace(lo, hi, 800))
    pts = [(math.sqrt(a), math.sqrt(b)) for a, b in zip(sw2, sb2)]
    return [(a, b) for a, b in pts if b <= plane.sigma_b * 1.02 and a <= plane.sigma_w * 1.02]


def _qs_inside(plane: Plane, qs: np.ndarray) -> List[float]:
    """The lengths q* of the chi_1 = 1 line (among qs) whose sigma_b lies in the plane."""
    sw2, sb2 = theory.critical_line_raw(plane.activation, qs)
    ok = np.isfinite(sw2) & (sb2 >= -1e-12) & (sb2 <= (1.05 * plane.sigma_b) ** 2) & (sw2 <= (1.05 * plane.sigma_w) ** 2)
    return [float(q) for q in qs[ok]]


def saturated_share(px: np.ndarray) -> float:
    """The share of a cell's 8-bit colour values (pipeline.pixels) at 0 or 255: outputs pinned at the sigmoid's
    ends."""
    v = np.asarray(px)
    return float(np.mean((v == 0) | (v == 255)))


def explodes(plane: Plane, sw: float, sb: float) -> bool:
    """Whether the mean-field length q grows without bound with depth at (sigma_w, sigma_b) (relu past its edge)."""
    return not math.isfinite(theory.fixed_length(plane.activation, sw * sw, sb * sb))


def explain(plane: Plane, shares: Sequence[float]) -> List[str]:
    """What the hatched cells are, and why, in lines for people (the figure's legend and the command's summary);
    for relu also what depth does to its linear regions."""
    out = []
    hatched = [i for i, f in enumerate(shares) if f >= SATURATED]
    if hatched:
        out.append(f"hatched ({len(hatched)} of {len(shares)} cells): saturated outputs, {SATURATED:.0%} or more of "
                   "the values at 0 or 1: flat corner colours (white, yellow, blue, black, ...)")
        grow = [i for i in hatched if explodes(plane, *plane.cell_sigmas(i))]
        if grow and theory.homogeneous(plane.activation):
            edge = math.sqrt(theory.critical_sigma_w2(plane.activation, 0.0))
            sw = min(plane.cell_sigmas(i)[0] for i in grow)
            per_layer = theory.chi_1(plane.activation, sw * sw, 0.0)
            out.append(f"why: right of sigma_w = {edge:.3g} (chi_1 = 1) each {plane.activation} layer multiplies the "
                       f"mean square by about {per_layer:.3g} (at sigma_w {sw:.2g}), {per_layer ** (plane.depth - 1):.2g}"
                       f" over {plane.depth - 1} layers: the values grow without bound and the sigmoid readout "
                       "sees huge inputs")
        elif grow:
            out.append("why: there the layers' mean square grows without bound with depth (mean field: no fixed "
                       "q*), and the sigmoid readout sees huge inputs")
        else:
            out.append("why: the readout's pre-activations are large there (its weights grow with sigma_w): the "
                       "sigmoid pins them at 0 or 1")
    if activations.BY_NAME[plane.activation].kink is not None:   # relu, leaky relu
        out.append("relu regions: their number follows the count of neurons, not the depth (Hanin & Rolnick 2019): "
                   "adding layers at the same number of neurons does not add relu regions")
    return out


def _hatch(d: ImageDraw.ImageDraw, box: Tuple[int, int, int, int]) -> None:
    """Diagonals across box (x0, y0, x1, y1), each a dark line beside a light one: seen on any colour."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    for k in range(-h, w, HATCH_STEP):   # the line x - x0 = k + (y - y0), clipped to the box
        a = (x0 + max(k, 0), y0 + max(-k, 0))
        n = min(w - max(k, 0), h - max(-k, 0))
        if n <= 1:
            continue
        b = (a[0] + n - 1, a[1] + n - 1)
        d.line([a, b], fill=HATCH, width=1)
        if n > 2:
            d.line([(a[0] + 1, a[1]), (b[0], b[1] - 1)], fill=(250, 250, 250), width=1)


def draw(plane: Plane, thumb: int = 64, backend: str = "cpu", engine=None, progress=None) -> Image.Image:
    """The diagram as an RGB image."""
    return diagram(plane, thumb, backend, engine, progress)[0]


def diagram(plane: Plane, thumb: int = 64, backend: str = "cpu", engine=None,
            progress=None) -> Tuple[Image.Image, List[float]]:
    """The diagram as an RGB image, and each cell's saturated share (saturated_share; hatched at SATURATED)."""
    n = plane.cols * plane.rows
    gutter, left, top, bottom = 2, 56, 30, 40
    layout = Layout(n, plane.cols, (thumb, thumb), gutter, margin=0, left=left, top=top)
    view = View(thumb, thumb)
    shares: List[float] = []

    def cells():
        for i in range(n):
            net = plane.network(*plane.cell_sigmas(i))
            px = pipeline.pixels(Recipe(net, view, backend=backend), engine)
            shares.append(saturated_share(px))
            yield px if px.ndim == 3 else px[..., None]
            if progress:
                progress(i + 1)

    title = f"{plane.activation}, {plane.init}, {plane.depth} x {plane.width}, seed {plane.seed}; red: chi_1 = 1"
    W = layout.size[0]
    sheet = compose(layout, cells(), strips=[text_strip(W, top, [((W / 2, top / 2), title)],
                                                         max(8, min(13, int(W / (0.56 * len(title))))))])
    f = font(12)
    swatch = 14
    legend = [wrap_text(t, f, W - left - swatch - 12) for t in explain(plane, shares)]
    line_h = 15
    extra = sum(len(ls) for ls in legend) * line_h + (6 if legend else 0)
    img = Image.new("RGB", (W, sheet.shape[0] + bottom + extra), "white")
    img.paste(Image.fromarray(sheet), (0, 0))
    d = ImageDraw.Draw(img)
    step = thumb + gutter
    for i, share in enumerate(shares):
        if share >= SATURATED:
            r, c = divmod(i, plane.cols)
            x, y = left + c * step, top + r * step
            _hatch(d, (x, y, x + thumb, y + thumb))
    y = sheet.shape[0] + bottom
    for k, lines in enumerate(legend):
        if k == 0 and lines[0].startswith("hatched"):
            d.rectangle([left, y + 1, left + swatch, y + 1 + swatch], fill=(255, 255, 255), outline=(40, 40, 40))
            _hatch(d, (left + 1, y + 2, left + swatch, y + 1 + swatch))
        for line in lines:
            d.text((left + swatch + 8, y), line, fill=(40, 40, 40), font=f, anchor="lt")
            y += line_h

    def to_px(sw, sb):   # cell centres sit at their sigmas; linear across the gutters
        return (left + sw / plane.sigma_w * plane.cols * step - gutter / 2,
                top + (plane.sigma_b - sb) / plane.sigma_b * plane.rows * step - gutter / 2)

    pts = [to_px(*p) for p in edge_points(plane)]
    if len(pts) > 1:
        d.line(pts, fill=LINE, width=3, joint="curve")
    for label, (sw, sb) in marks(plane.activation, plane.width, plane.init):
        if sw <= plane.sigma_w and sb <= plane.sigma_b:
            x, y = to_px(sw, sb)
            d.ellipse([x - 6, y - 6, x + 6, y + 6], outline=(0, 0, 0), width=4)
            d.ellipse([x - 6, y - 6, x + 6, y + 6], outline=MARK, width=2)
            d.text((x + 9, y), label, fill=MARK, font=f, anchor="lm", stroke_width=2, stroke_fill=(0, 0, 0))
    y0 = top + plane.rows * step - gutter
    for t in _ticks(plane.sigma_w):
        x, _ = to_px(t, 0)
        d.line([(x, y0), (x, y0 + 4)], fill=(90, 90, 90))
        d.text((x, y0 + 6), f"{t:g}", fill=(40, 40, 40), font=f, anchor="mt")
    sides = "ordered | exploding" if theory.homogeneous(plane.activation) else "ordered | chaotic"
    d.text((left + plane.cols * step / 2, y0 + 22), f"sigma_w ({sides})",
           fill=(40, 40, 40), font=f, anchor="mt")
    for t in _ticks(plane.sigma_b):
        _, y = to_px(0, t)
        d.line([(left - 4, y), (left, y)], fill=(90, 90, 90))
        d.text((left - 6, y), f"{t:g}", fill=(40, 40, 40), font=f, anchor="rm")
    d.text((4, top + 2), "sigma_b", fill=(40, 40, 40), font=f, anchor="lt")
    return img, shares


def _ticks(top: float) -> Sequence[float]:
    raw = top / 5
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    return [round(k * step, 10) for k in range(0, int(top / step + 1e-9) + 1)]
