"""Mean-field signal propagation in wide random networks (Poole et al. 2016, "Exponential expressivity in deep
neural networks through transient chaos"; Schoenholz et al. 2017, "Deep information propagation"): why deep
pictures go flat, gain detail or turn to static, and where the edge between them lies (docs/activations.md).

With weights of variance sigma_w^2 / fan-in and biases of variance sigma_b^2, a unit's pre-activation variance
follows the length map

    q_l = sigma_w^2 E[phi(sqrt(q_{l-1}) z)^2] + sigma_b^2          (z standard normal)

to a fixed point q*, and a small difference between two inputs grows per layer by sqrt(chi) with

    chi_1 = sigma_w^2 E[phi'(sqrt(q*) z)^2]:

below 1 nearby inputs converge (ordered: flat pictures), above 1 they separate (chaotic: detail, then static).
The correlation map c -> (sigma_w^2 E[phi(u1) phi(u2)] + sigma_b^2) / q* has the fixed point c* (1 when
ordered, below 1 when chaotic), and correlations approach it over xi_c = -1 / log(chi_c) layers, chi_c its slope
at c*; the length converges over xi_q layers.

The expectations are quadrature sums (composite Gauss-Legendre against the normal density: see _normal_rule) of
the activation table's own float64 functions (glnn/model/activations.py);
derivatives are central differences of them. glnn's inits give sigma_w^2 = fan-in x the weights' variance:
uniform `scale * U(-1, 1)`: fan_in * scale^2 / 3; normal: fan_in * scale^2; he: 2 gain^2; glorot:
2 gain^2 fan_in / (fan_in + fan_out) (gain^2 in a hidden layer); and sigma_b^2 = bias_scale^2 times the unit
draws' variance (1/3 uniform, 1 normal).

Along a curve of inputs (issue 36, glnn/explore/line_stats.py measures): curve_moments carries a unit's
pre-activation z and its derivative z' along the curve through the layers (q = E z^2, c = E z z', v = E z'^2);
predict_line turns them into the linear regions a segment crosses (Hanin & Rolnick 2019's Kac-Rice density of
each unit's kink crossings, sqrt(q v - c^2) / (pi q)) and each layer's output curve length (its growth per layer
tends to sqrt(chi_1)); beta (Hanin 2018) and raghu_bound (Raghu et al. 2017) beside them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from . import activations, inits
from ..errors import GlnnError

def _normal_rule(panels: int, order: int) -> Tuple[np.ndarray, np.ndarray]:
    """Nodes and weights for E[f(z)], z standard normal: composite Gauss-Legendre on [-10, 10] (panels meet at 0,
    where relu-like functions have their kink), weighted by the normal density. Gauss-Hermite's nodes are too
    sparse near 0 for long lengths q (a sigmoid network's q* is in the hundreds: phi'(sqrt(q) z) is a spike of
    width 1 / sqrt(q) in z); this rule resolves features down to about 20 / (panels x order)."""
    x, w = np.polynomial.legendre.leggauss(order)
    edges = np.linspace(-10.0, 10.0, panels + 1)
    half = (edges[1] - edges[0]) / 2
    z = ((edges[:-1] + edges[1:])[:, None] / 2 + half * x[None, :]).ravel()
    wz = (half * w[None, :] * np.ones((panels, 1))).ravel() * np.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    wz = wz / wz.sum()
    z.flags.writeable = False
    wz.flags.writeable = False
    return z, wz


_Z, _W = _normal_rule(256, 6)      # one dimension: the length map and chi_1
_Z2, _W2 = _normal_rule(48, 4)     # each of two: the correlation map

Q_DIVERGED = 1e12          # a length past this has no fixed point (it grows without bound)
CRITICAL_TOL = 1e-9


# ----------------------------------------------------------------- the table's functions
def phi(name: str, x: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.asarray(activations.apply(name, np.asarray(x, np.float64)), np.float64)


def dphi(name: str, x: np.ndarray) -> np.ndarray:
    """phi'(x), a central difference of the table's function; the step never reaches a kink at 0."""
    x = np.asarray(x, np.float64)
    h = np.minimum(1e-5, 0.5 * np.abs(x)) + 1e-300
    return (phi(name, x + h) - phi(name, x - h)) / (2 * h)


def d2phi(name: str, x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, np.float64)
    h = np.minimum(1e-3, 0.5 * np.abs(x)) + 1e-300
    return (phi(name, x + h) - 2 * phi(name, x) + phi(name, x - h)) / (h * h)


def expect(f, q) -> np.ndarray:
    """E[f(sqrt(q) z)] for z standard normal, elementwise over the array q."""
    s = np.sqrt(np.maximum(np.asarray(q, np.float64), 0.0))
    return f(s[..., None] * _Z) @ _W


# ----------------------------------------------------------------- the maps
def length_map(name: str, q, sw2: float, sb2: float) -> np.ndarray:
    """q_l from q_{l-1}."""
    return sw2 * expect(lambda u: phi(name, u) ** 2, q) + sb2


def chi(name: str, q, sw2: float) -> np.ndarray:
    """sigma_w^2 E[phi'(sqrt(q) z)^2]: the factor by which a small difference's mean square grows in a layer
    whose pre-activations have length q (chi_1 at q*)."""
    return sw2 * expect(lambda u: dphi(name, u) ** 2, q)


def _pair(q: float, c: float):
    z1, z2 = np.meshgrid(_Z2, _Z2, indexing="ij")
    c = min(1.0, max(-1.0, c))
    s = math.sqrt(max(q, 0.0))
    u1, u2 = s * z1, s * (c * z1 + math.sqrt(max(0.0, 1 - c * c)) * z2)
    return u1, u2, np.outer(_W2, _W2)


def correlation_map(name: str, c: float, q: float, sw2: float, sb2: float) -> float:
    """The correlation of two inputs' pre-activations after a layer, from c before it (both of length q)."""
    if q <= 0:
        return 1.0
    u1, u2, w = _pair(q, c)
    return float(((sw2 * (phi(name, u1) * phi(name, u2) * w).sum()) + sb2) / q)


def correlation_slope(name: str, c: float, q: float, sw2: float) -> float:
    """chi_c: sigma_w^2 E[phi'(u1) phi'(u2)], the correlation map's slope at c."""
    u1, u2, w = _pair(q, c)
    return float(sw2 * (dphi(name, u1) * dphi(name, u2) * w).sum())


def _bisect_sign(g, lo: float, hi: float, log: bool, steps: int = 60) -> float:
    """x in [lo, hi] where g changes sign (g(lo) >= 0 > g(hi))."""
    for _ in range(steps):
        m = math.sqrt(lo * hi) if log else (lo + hi) / 2
        if g(m) >= 0:
            lo = m
        else:
            hi = m
    return math.sqrt(lo * hi) if log else (lo + hi) / 2


_Q_GRID = np.geomspace(1e-12, Q_DIVERGED, 481)


def fixed_length(name: str, sw2: float, sb2: float, q0: float = 1.0) -> float:
    """q*: where the length map iterated from q0 goes (0 where it dies out, math.inf where it grows without bound;
    q0 itself where every length is a fixed point: relu at sigma_w^2 = 2, sigma_b = 0). Found as the stable
    crossing of q_map(q) - q on a log grid, then bisection."""
    g = lambda q: float(length_map(name, q, sw2, sb2)) - q   # noqa: E731
    q = float(q0)
    for _ in range(60):   # most settings converge fast from q0
        nq = q + g(q)
        if abs(nq - q) <= 1e-12 * max(q, 1e-300) and nq > 0:
            return nq
        if not math.isfinite(nq) or nq > Q_DIVERGED:
            break
        q = nq
    gs = length_map(name, _Q_GRID, sw2, sb2) - _Q_GRID
    if np.all(np.abs(gs) <= 1e-9 * _Q_GRID):
        return float(q0)
    down = [i for i in range(len(gs) - 1) if gs[i] >= 0 > gs[i + 1]]   # stable fixed points
    if g(q0) >= 0:
        above = [i for i in down if _Q_GRID[i + 1] > q0]
        if not above:
            return math.inf if gs[-1] >= 0 else float(q0)
        i = above[0]
    else:
        below = [i for i in down if _Q_GRID[i] < q0]
        if not below:
            return 0.0
        i = below[-1]
    return _bisect_sign(g, float(_Q_GRID[i]), float(_Q_GRID[i + 1]), log=True)


def fixed_correlation(name: str, q: float, sw2: float, sb2: float) -> float:
    """c* below 1 (the chaotic phase: c = 1 is unstable): the crossing of c_map(c) - c in [0, 1)."""
    h = lambda c: correlation_map(name, c, q, sw2, sb2) - c   # noqa: E731
    cs = [0.0, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999]
    prev = cs[0]
    if h(prev) < 0:
        return 0.0
    for c in cs[1:]:
        if h(c) < 0:
            return _bisect_sign(h, prev, c, log=False, steps=40)
        prev = c
    return 1.0


def chi_1(name: str, sw2: float, sb2: float, q0: float = 1.0) -> float:
    q = fixed_length(name, sw2, sb2, q0)
    return float(chi(name, q if math.isfinite(q) else Q_DIVERGED, sw2))


@dataclass(frozen=True)
class MeanField:
    """The mean-field numbers of one activation at (sigma_w^2, sigma_b^2)."""
    activation: str
    sigma_w2: float
    sigma_b2: float
    q_star: float       # inf: the length grows without bound
    chi_1: float        # < 1 ordered, > 1 chaotic
    c_star: float       # 1 when ordered
    chi_c: float        # the correlation map's slope at c*
    xi_c: float         # layers over which correlations approach c* (inf at the edge of chaos)
    xi_q: float         # layers over which the length approaches q*

    @property
    def phase(self) -> str:
        if abs(self.chi_1 - 1.0) < 1e-3:
            return "critical"
        return "ordered" if self.chi_1 < 1.0 else "chaotic"

    @property
    def growth(self) -> float:
        """sqrt(chi_1): how much a small difference between inputs grows per layer."""
        return math.sqrt(self.chi_1)


def _depth_scale(slope: float) -> float:
    if not math.isfinite(slope) or slope <= 0:
        return 0.0
    return math.inf if abs(slope - 1.0) < 1e-12 else (-1.0 / math.log(slope) if slope < 1 else 1.0 / math.log(slope))


def mean_field(name: str, sw2: float, sb2: float, q0: float = 1.0) -> MeanField:
    """q*, chi_1, c*, chi_c, xi_c and xi_q of activation `name` at (sigma_w^2, sigma_b^2)."""
    if name not in activations.BY_NAME:
        raise GlnnError(f"no mean-field theory for activation {name!r} (one of: {', '.join(activations.NAMES)})")
    q = fixed_length(name, sw2, sb2, q0)
    qe = q if math.isfinite(q) else Q_DIVERGED
    x1 = float(chi(name, qe, sw2))
    c = 1.0 if x1 <= 1.0 + 1e-9 or not math.isfinite(q) or qe <= 0 else fixed_correlation(name, qe, sw2, sb2)
    xc = x1 if c >= 1.0 else correlation_slope(name, c, qe, sw2)
    xq = x1 + sw2 * float(expect(lambda u: d2phi(name, u) * phi(name, u), qe))
    return MeanField(name, sw2, sb2, q, x1, c, xc, _depth_scale(xc), _depth_scale(abs(xq)) if abs(xq) < 1 else math.inf)


# ----------------------------------------------------------------- glnn's inits
def weight_variance(init: str, amount: float, fan_out: int, fan_in: int) -> float:
    """The variance of one weight of a layer (amount: the gain for he/glorot, else the scale)."""
    i = inits.BY_NAME[init]
    return i.multiplier(amount, fan_out, fan_in) ** 2 * i.unit_variance


def sigma_w2(init: str, amount: float, width: int) -> float:
    """sigma_w^2 of a hidden layer of `width` units fed by `width` units (fan-in times a weight's variance)."""
    return width * weight_variance(init, amount, width, width)


def sigma_b2(init: str, bias_scale: float) -> float:
    return bias_scale ** 2 * inits.BY_NAME[init].unit_variance


def network_variances(net) -> Tuple[float, float]:
    """(sigma_w^2, sigma_b^2) of a network's hidden layers."""
    init = inits.BY_NAME[net.init]
    return (sigma_w2(net.init, net.gain if init.uses_gain else net.scale, net.width),
            sigma_b2(net.init, net.effective_bias_scale))


def network_mean_field(net) -> MeanField:
    """The mean-field numbers of a network's hidden layers (one activation: not a list, mix or mix-units)."""
    name = activations.single(net.activation)
    if name is None:
        raise GlnnError(f"no single mean-field fixed point for activation {net.activation} (its layers differ)")
    sw2, sb2 = network_variances(net)
    return mean_field(name, sw2, sb2)


# ----------------------------------------------------------------- the edge of chaos
def _crossing(f, lo: float, hi: float, points: int = 49) -> Optional[float]:
    """The least x in [lo, hi] (a log scan, then bisection) where f(x) - 1 changes sign from below."""
    xs = np.geomspace(lo, hi, points)
    prev = None
    for x in xs:
        v = f(x) - 1.0
        if prev is not None and prev[1] < 0 <= v:
            a, b = prev[0], x
            for _ in range(80):
                m = math.sqrt(a * b)
                if f(m) - 1.0 < 0:
                    a = m
                else:
                    b = m
                if b / a - 1 < CRITICAL_TOL:
                    break
            return math.sqrt(a * b)
        prev = (x, v)
    return None


def critical_line(name: str, qs: Optional[np.ndarray] = None) -> Tuple[np.ndarray, np.ndarray]:
    """The chi_1 = 1 line as (sigma_w^2, sigma_b^2) arrays, parametrised by its q* (Poole et al.): chi_1 = 1 at q*
    gives sigma_w^2 = 1 / E[phi'^2], and q* a fixed point gives sigma_b^2 = q* - sigma_w^2 E[phi^2] (points with
    sigma_b^2 < 0 left out). For a homogeneous activation (identity, relu, leaky relu) it is the one sigma_w^2
    at every sigma_b^2."""
    sw2, sb2 = _line(name, np.geomspace(1e-8, 1e6, 400) if qs is None else qs)
    ok = np.isfinite(sw2) & (sb2 >= -1e-12 * qs)
    return sw2[ok], np.maximum(sb2[ok], 0.0)


def critical_line_raw(name: str, q):
    """critical_line's (sigma_w^2, sigma_b^2) at every length in q, negative sigma_b^2 and all."""
    return _line(name, q)


def _line(name: str, q):
    with np.errstate(all="ignore"):
        d2 = expect(lambda u: dphi(name, u) ** 2, q)
        sw2 = 1.0 / np.where(d2 > 0, d2, np.nan)
        return sw2, q - sw2 * expect(lambda u: phi(name, u) ** 2, q)


def homogeneous(name: str) -> bool:
    """Whether E[phi'(sqrt(q) z)^2] is the same at every q (identity, relu, leaky relu: one critical sigma_w)."""
    a, b = expect(lambda u: dphi(name, u) ** 2, np.array([0.5, 4.0]))
    return abs(a - b) < 1e-9 * max(abs(a), 1e-300)


def critical_sigma_w2(name: str, sb2: float) -> Optional[float]:
    """sigma_w^2 where chi_1 = 1 at this sigma_b^2 (the least one; None where chi_1 never reaches 1)."""
    if homogeneous(name):
        d2 = float(expect(lambda u: dphi(name, u) ** 2, 1.0))
        return 1.0 / d2 if d2 > 0 else None
    qs = np.geomspace(1e-10, 1e8, 900)
    sw2s, sb2s = _line(name, qs)
    if not np.any(np.isfinite(sw2s)):
        return None
    if sb2 <= sb2s[0]:
        return float(sw2s[0])
    found = []
    for i in np.nonzero((sb2s[:-1] - sb2) * (sb2s[1:] - sb2) <= 0)[0]:
        up = sb2s[i + 1] > sb2s[i]
        q = _bisect_sign(lambda q: (sb2 - _line(name, q)[1]) * (1 if up else -1), qs[i], qs[i + 1], log=True, steps=50)
        found.append(float(_line(name, q)[0]))
    found = [f for f in found if math.isfinite(f)]
    return min(found) if found else None


def critical_amount(activation: str, init: str, width: int, bias_scale: Optional[float]) -> float:
    """The scale (uniform, normal) or gain (he, glorot) that puts a network's hidden layers on the edge of chaos
    (chi_1 = 1); bias_scale None: equal to the scale (it moves with it). GlnnError where there is none."""
    if activation in activations.DRAWN or activations.single(activation) is None:
        raise GlnnError(f"no critical scale for activation {activation} (its layers differ)")
    activation = activations.single(activation)
    if activation not in activations.BY_NAME:
        raise GlnnError(f"unknown activation {activation!r}")
    if init not in inits.BY_NAME:
        raise GlnnError(f"unknown init {init!r} (choose from {', '.join(inits.NAMES)})")
    uses_gain = inits.BY_NAME[init].uses_gain
    what = "gain" if uses_gain else "scale"

    def chi_at(amount: float) -> float:
        b = amount if bias_scale is None and not uses_gain else (bias_scale or 0.0)
        if bias_scale is None and uses_gain:
            raise GlnnError("critical gain with bias scale = scale: give --bias-scale")
        return chi_1(activation, sigma_w2(init, amount, width), sigma_b2(init, b))

    found = _crossing(chi_at, 1e-4, 1e4)
    if found is None:
        raise GlnnError(f"no critical {what} for {activation}, init {init}, width {width}: chi_1 never reaches 1")
    return float(f"{found:.6g}")


def parse_critical(text: str) -> Optional[float]:
    """'critical' -> 1.0, 'critical:1.2' -> 1.2 (the factor times the critical scale); None for anything else
    that is not 'critical...'; GlnnError for a bad factor."""
    t = text.strip().lower()
    if t == "critical":
        return 1.0
    if t.startswith("critical:"):
        try:
            k = float(t.split(":", 1)[1])
        except ValueError:
            k = math.nan
        if not (math.isfinite(k) and 0 < k <= 1e3):
            raise GlnnError(f"--scale {text!r}: critical:K takes a factor K > 0, like critical:1.2")
        return k
    return None


# ----------------------------------------------------------------- a network, layer by layer
def _layer_sigmas(net) -> List[Tuple[float, float]]:
    """(weight variance, sigma_b^2) of each layer, the readout last."""
    init = inits.BY_NAME[net.init]
    amount = net.gain if init.uses_gain else net.scale
    sb2 = sigma_b2(net.init, net.effective_bias_scale)
    return [(weight_variance(net.init, amount, o, i), sb2) for o, i in net.layer_shapes()]


def _mean_square(f, act):
    """u -> f(act, u)^2, averaged over the units for a layer of one activation per unit (mix-units)."""
    if isinstance(act, str):
        return lambda u: f(act, u) ** 2
    counts = [(name, len(units)) for name, units in activations.unit_groups(act)]
    return lambda u: sum(c * f(name, u) ** 2 for name, c in counts) / len(act)


# predict_layers evaluates its integrals at this many first-layer lengths at most, whatever the number of inputs
PREDICT_NODES = 513


def _length_nodes(q1: np.ndarray, nodes: int) -> Tuple[np.ndarray, np.ndarray]:
    """(lengths, shares): the distinct first-layer lengths q1 and the share of the rows at each; where there are
    more than `nodes`, a grid even in sqrt(q1) over their range, each row's share split over the three nodes
    nearest it by quadratic (Lagrange) interpolation: a smooth function's mean over the rows is then
    shares @ f(lengths) (within 1e-8 relative of the row by row mean at 257 nodes, on six activations)."""
    u, counts = np.unique(q1, return_counts=True)
    if len(u) <= nodes:
        return u, counts / len(q1)
    lo, hi = math.sqrt(u[0]), math.sqrt(u[-1])
    grid = np.linspace(lo, hi, nodes) ** 2
    t = (np.sqrt(q1) - lo) / (hi - lo) * (nodes - 1)
    j = np.clip(np.rint(t).astype(np.int64), 1, nodes - 2)
    s = t - j
    shares = (np.bincount(j - 1, s * (s - 1) / 2, nodes) + np.bincount(j, (1 - s) * (1 + s), nodes)
              + np.bincount(j + 1, s * (s + 1) / 2, nodes))
    return grid, shares / len(q1)


def predict_layers(net, inputs: np.ndarray, nodes: int = PREDICT_NODES) -> List[Dict[str, float]]:
    """Layer by layer (hidden layers, then the readout), the mean-field prediction averaged over the rows of
    (N, inputs) network inputs: q (the mean square pre-activation) and growth, how much a small difference
    between nearby inputs grows in the layer (the RMS over units of the values' difference, over that of the
    layer before; layer 1: over the length of the inputs' difference).

    Every layer's numbers are functions of a row's first-layer length q1 alone (the first layer's weights share
    one variance), so they are evaluated at most at `nodes` lengths (_length_nodes): the time does not grow with
    the number of rows (a 1024x1024 view's 262,144 rows took minutes one by one)."""
    x = np.asarray(inputs, np.float64)
    q = prev = None
    out = []
    acts = net.layer_activations()
    for k, ((var_w, sb2), act) in enumerate(zip(_layer_sigmas(net), acts), start=1):
        if k == 1:
            q, share = _length_nodes(var_w * (x * x).sum(axis=1) + sb2, nodes)
            fan_in = 1   # the inputs' difference counts as its length, not per unit
        else:
            fan_in = net.width
            q = fan_in * var_w * expect(_mean_square(phi, prev), q) + sb2
        g2 = fan_in * var_w * expect(_mean_square(dphi, act), q)
        out.append({"layer": k, "activation": act if isinstance(act, str) else "per unit", "q": float(share @ q),
                    "growth": float(math.sqrt(share @ g2))})
        prev = act
    return out


def edge_of_chaos(name: str, sigma_bs: Sequence[float]) -> List[Optional[float]]:
    """sigma_w (not squared) on the chi_1 = 1 line at each sigma_b."""
    out = []
    for sb in sigma_bs:
        s = critical_sigma_w2(name, sb * sb)
        out.append(None if s is None else math.sqrt(s))
    return out


# ----------------------------------------------------------------- a line through the network (issue 36)
REGIONS_SOURCE = "Hanin & Rolnick 2019 (Kac-Rice count of each unit's zero crossings), mean-field moments"
LENGTH_SOURCE = "mean field of the curve's tangent (Poole et al. 2016; Raghu et al. 2017): x sqrt(chi_1) a layer"
BETA_SOURCE = "Hanin 2018: sum over hidden layers of 1/width"


def _unit_groups(act, u: np.ndarray) -> List[Tuple[float, np.ndarray, np.ndarray]]:
    """(share of the layer's units, phi(u), phi'(u)) for each activation of a layer (one, or one per unit): a
    mean over the units of a product of phi and phi' is the shares' weighted sum."""
    if isinstance(act, str):
        return [(1.0, phi(act, u), dphi(act, u))]
    return [(len(units) / len(act), phi(name, u), dphi(name, u)) for name, units in activations.unit_groups(act)]


MOMENT_GRID = 129   # curve_moments' expectations: at this many lengths q (geometric), interpolated in log q


def _layer_moments(act, q: np.ndarray) -> Dict[str, np.ndarray]:
    """E over a unit's pre-activation u ~ N(0, q) (and over the layer's units) of phi^2, u phi phi', phi'^2 and
    u^2 phi'^2, elementwise over the array q: the four numbers the curve's moments need. Many lengths within a
    factor 1e6 of each other are computed at MOMENT_GRID of them and interpolated linearly in log q (they are
    smooth in q: relative error under 1e-4 over a factor 12, the first layer's range on [-1, 1] x 0.3)."""
    q = np.asarray(q, np.float64)
    lo, hi = (float(q.min()), float(q.max())) if q.size else (0.0, 0.0)
    if q.size > MOMENT_GRID and lo > 0 and hi / lo < 1e6:
        if hi / lo < 1 + 1e-12:
            one = _exact_moments(act, np.array([lo]))
            return {k: np.full(q.shape, v[0]) for k, v in one.items()}
        grid = np.geomspace(lo, hi, MOMENT_GRID)
        at = _exact_moments(act, grid)
        x, g = np.log(q), np.log(grid)
        return {k: np.interp(x, g, v) for k, v in at.items()}
    return _exact_moments(act, q)


def _exact_moments(act, q: np.ndarray) -> Dict[str, np.ndarray]:
    s = np.sqrt(np.maximum(np.asarray(q, np.float64), 0.0))
    u = s[..., None] * _Z
    out = {"phi2": 0.0, "u_phi_dphi": 0.0, "dphi2": 0.0, "u2_dphi2": 0.0}
    for w, p, d in _unit_groups(act, u):
        out["phi2"] = out["phi2"] + w * ((p * p) @ _W)
        out["u_phi_dphi"] = out["u_phi_dphi"] + w * ((u * p * d) @ _W)
        out["dphi2"] = out["dphi2"] + w * ((d * d) @ _W)
        out["u2_dphi2"] = out["u2_dphi2"] + w * ((u * u * d * d) @ _W)
    return out


def kink_mask(act, width: int) -> np.ndarray:
    """Which of a layer's `width` units have a kink (relu, leaky relu: a pattern that changes where x = 0)."""
    names = [act] * width if isinstance(act, str) else list(act)
    return np.array([activations.BY_NAME[a].kink is not None for a in names], bool)


def kinked_units(act, width: int) -> int:
    """How many of a layer's `width` units have a kink."""
    return int(kink_mask(act, width).sum())


def piecewise_linear(act) -> bool:
    """Whether a layer's activation (a name or one per unit) is piecewise linear in every unit."""
    names = [act] if isinstance(act, str) else list(act)
    return all(activations.BY_NAME[a].piecewise_linear for a in names)


def crossing_density(q: np.ndarray, c: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The expected number of zero crossings per unit of t of a centred Gaussian process z(t) with Var z = q,
    Cov(z, z') = c and Var z' = v (Kac-Rice: p_z(0) E[|z'| | z = 0] = sqrt(q v - c^2) / (pi q))."""
    q, c, v = (np.asarray(a, np.float64) for a in (q, c, v))
    with np.errstate(all="ignore"):
        d = np.sqrt(np.maximum(q * v - c * c, 0.0)) / (math.pi * q)
    return np.where(q > 0, d, 0.0)


def curve_moments(net, inputs: np.ndarray, slopes: np.ndarray) -> List[Dict[str, np.ndarray]]:
    """The mean field of a curve X(t) of network inputs (rows `inputs`, their derivatives in t `slopes`, at
    points of the curve), layer by layer (hidden layers, then the readout). A unit's pre-activation z and its
    derivative z' along the curve are taken as jointly Gaussian (exact in layer 1 for normal draws, given the
    layer before in every layer, and the mean field's assumption beyond), with per-unit

        q = E z^2,  c = E z z',  v = E z'^2;          layer 1: q = s_w |X|^2 + s_b^2, c = s_w X.X', v = s_w |X'|^2

    (s_w one weight's variance) and, through a layer of fan-in n (E over u ~ N(0, q), and the layer's units):

        q+ = n s_w E[phi^2] + s_b^2
        c+ = n s_w (c / q) E[u phi phi']
        v+ = n s_w m,   m = (v - c^2 / q) E[phi'^2] + (c / q)^2 E[u^2 phi'^2]

    since E[z' | z] = (c / q) z and Var[z' | z] = v - c^2 / q. m is the mean square of a unit's value's derivative
    phi'(z) z', so the layer's output curve moves at speed sqrt(width m): where q has settled (c = 0) that grows
    by sqrt(chi_1) a layer (Poole et al. 2016). Returns per layer the arrays q, c, v, m (per point) and the
    layer's activation and width."""
    X, dX = np.asarray(inputs, np.float64), np.asarray(slopes, np.float64)
    out = []
    q = c = v = None
    for k, ((var_w, sb2), act, (fan_out, fan_in)) in enumerate(
            zip(_layer_sigmas(net), net.layer_activations(), net.layer_shapes()), start=1):
        if k == 1:
            q = var_w * (X * X).sum(axis=1) + sb2
            c = var_w * (X * dX).sum(axis=1)
            v = var_w * (dX * dX).sum(axis=1)
        else:
            s, prev = fan_in * var_w, out[-1]
            with np.errstate(all="ignore"):
                r = np.where(prev["q"] > 0, prev["c"] / prev["q"], 0.0)
            q = s * prev["moments"]["phi2"] + sb2
            c = s * r * prev["moments"]["u_phi_dphi"]
            v = s * prev["m"]
        e = _layer_moments(act, q)
        with np.errstate(all="ignore"):
            r = np.where(q > 0, c / q, 0.0)
        m = np.maximum(v - c * r, 0.0) * e["dphi2"] + r * r * e["u2_dphi2"]
        out.append({"layer": k, "activation": act, "width": fan_out, "q": q, "c": c, "v": v, "m": m, "moments": e})
    return out


def predict_line(net, inputs: np.ndarray, slopes: np.ndarray, weights: np.ndarray) -> List[Dict[str, object]]:
    """The mean-field predictions along a curve of the input plane, per layer (hidden layers, then the readout),
    as integrals over t with quadrature `weights` at the points whose network inputs and their t-derivatives are
    the rows of `inputs` and `slopes` (glnn/explore/line_stats.py takes t as arc length in the plane):

    - crossings: the expected number of zero crossings of the layer's kinked units (relu, leaky relu) along the
      curve, width_kinked x integral of crossing_density (Hanin & Rolnick 2019, "Complexity of linear regions in
      deep networks", Theorem 6 for a curve: a unit's pre-activation crosses its kink at density
      p_z(0) E[|z'| | z = 0]; their constants C_bias C_grad are here the mean field's sqrt(q v - c^2) / (pi q));
    - regions: 1 + the crossings of layers 1..K, the linear regions of input -> layer K the curve crosses when
      every layer up to K is piecewise linear (else None). With small biases every layer's units cross about
      as often as the first layer's (q, c and v scale alike through a relu layer, so the density is the same):
      the count grows with the number of neurons, not exponentially with depth (Hanin & Rolnick 2019);
    - length: the layer's output curve's expected length, integral of sqrt(width m) (curve_moments), and
      growth, its ratio to the layer before's (layer 1: to the input curve's length, integral of |X'|).
    The theory is for wide layers: narrow ones (width under ~30) cross fewer regions than predicted (a unit's
    inputs are few and correlated, and whole layers switch off together)."""
    w = np.asarray(weights, np.float64)
    dX = np.asarray(slopes, np.float64)
    prev_len = float(np.sqrt((dX * dX).sum(axis=1)) @ w)
    out, total, pl = [], 1.0, True
    for layer in curve_moments(net, inputs, slopes):
        act, width = layer["activation"], layer["width"]
        kinked = kinked_units(act, width)
        crossings = float(kinked * (crossing_density(layer["q"], layer["c"], layer["v"]) @ w)) if kinked else 0.0
        pl = pl and piecewise_linear(act)
        total += crossings
        length = float(np.sqrt(width * layer["m"]) @ w)
        out.append({"layer": layer["layer"], "crossings": crossings, "regions": total if pl else None,
                    "length": length, "growth": length / prev_len if prev_len > 0 else math.nan})
        prev_len = length
    return out


def beta(net) -> float:
    """Hanin (2018), "Which neural net architectures give rise to exploding and vanishing gradients?": the sum
    over the hidden layers of 1 / width, the size of the fluctuations between networks of one architecture
    (of a squared gradient's log, and so of a curve's length through it): (depth - 1) / width for glnn's
    networks (the readout's 1 or 3 channels are not counted). Small (14 x 400: 0.0325) means every seed
    behaves like the mean field; near 1 (27 x 30: 0.867) seeds differ by factors."""
    return float(sum(1.0 / o for o, _ in net.layer_shapes()[:-1]))


def raghu_bound(sw2: float, sb2: float, width: int) -> float:
    """Raghu et al. 2017 ("On the expressive power of deep neural networks", Theorem 1b): a hard-tanh network
    of `width` units with weights N(0, sigma_w^2 / width) stretches a curve by at least a constant times this
    factor per layer, sigma_w sqrt(k) / sqrt(sigma_w^2 + sigma_b^2 + k sqrt(sigma_w^2 + sigma_b^2)): a lower
    bound at finite width (for tanh: a guide; predict_line's growth is the estimate)."""
    t = sw2 + sb2
    return math.sqrt(sw2 * width) / math.sqrt(t + width * math.sqrt(t)) if t > 0 else 0.0
