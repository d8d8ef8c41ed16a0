"""An independent count of the linear regions a segment crosses, and of curve lengths, in plain numpy: a dense grid
of points on the segment, each layer's on/off pattern (pre-activation > 0) at every point, and a region change
wherever the patterns of layers 1..K differ between neighbouring points. It knows nothing of glnn but the
weights (W of shape (out, in), b) and the activations' names; and it makes its own He networks (any width)."""
import numpy as np

ACTS = {"relu": lambda v: np.maximum(v, 0.0), "leaky_relu": lambda v: np.where(v > 0, v, 0.1 * v),
        "identity": lambda v: v, "tanh": np.tanh, "sigmoid": lambda v: 1 / (1 + np.exp(-v))}
KINKED = ("relu", "leaky_relu")
FEATURES = {"x": lambda x, y: x, "y": lambda x, y: y, "bias": lambda x, y: np.ones_like(x),
            "ax": lambda x, y: np.abs(x), "ay": lambda x, y: np.abs(y), "r": lambda x, y: np.hypot(x, y)}


def segment_inputs(p0, p1, n, features=("x", "y"), z=()):
    """(n, inputs) rows at n points evenly spaced from p0 to p1 (both ends included)."""
    t = np.linspace(0.0, 1.0, n)
    x, y = p0[0] + t * (p1[0] - p0[0]), p0[1] + t * (p1[1] - p0[1])
    cols = [FEATURES[f](x, y) for f in features] + [np.full(n, v) for v in z]
    return np.stack(cols, axis=1)


def _unit_acts(act, width):
    return [act] * width if isinstance(act, str) else list(act)


def dense_regions(layers, inputs):
    """Per layer: 1 + the neighbouring points whose patterns of layers 1..K differ. `layers`: (W, b, activation)
    with activation a name or one per unit; layers past the first not piecewise linear get None."""
    y = inputs.astype(np.float64)
    changed = np.zeros(len(y) - 1, bool)
    out, linear = [], True
    for W, b, act in layers:
        pre = y @ np.asarray(W, np.float64).T + np.asarray(b, np.float64)
        names = _unit_acts(act, pre.shape[1])
        linear = linear and all(a in ("relu", "leaky_relu", "identity") for a in names)
        kinked = np.array([a in KINKED for a in names])
        on = pre[:, kinked] > 0
        changed |= (on[1:] != on[:-1]).any(axis=1)
        out.append(1 + int(changed.sum()) if linear else None)
        y = np.stack([ACTS[a](pre[:, j]) for j, a in enumerate(names)], axis=1)
    return out


def one_layer_regions(layer, p0, p1):
    """A single relu layer's count in closed form: unit j's kink crosses the segment where w_j . p(t) + b_j = 0,
    t = -(w_j . p0 + b_j) / (w_j . (p1 - p0)); 1 + the distinct t inside (0, 1)."""
    W, b, _ = layer
    p0, d = np.asarray(p0, np.float64), np.asarray(p1, np.float64) - np.asarray(p0, np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = -(W @ p0 + b) / (W @ d)
    return 1 + len(np.unique(t[(t > 0) & (t < 1)]))


def polyline_lengths(layers, inputs):
    """Per layer: the length of the polyline through the layer's values at the points."""
    y, out = inputs.astype(np.float64), []
    for W, b, act in layers:
        pre = y @ np.asarray(W, np.float64).T + np.asarray(b, np.float64)
        y = np.stack([ACTS[a](pre[:, j]) for j, a in enumerate(_unit_acts(act, pre.shape[1]))], axis=1)
        out.append(float(np.sqrt((np.diff(y, axis=0) ** 2).sum(axis=1)).sum()))
    return out


def he_layers(widths, seed, n_in=2, gain=1.0, bias=0.05):
    """relu layers of the given widths: weights gain sqrt(2 / fan-in) N(0, 1), biases bias N(0, 1)."""
    rng = np.random.default_rng(seed)
    out, fan_in = [], n_in
    for w in widths:
        out.append((gain * np.sqrt(2.0 / fan_in) * rng.standard_normal((w, fan_in)), bias * rng.standard_normal(w),
                    "relu"))
        fan_in = w
    return out


def glnn_layers(net):
    return [(l.W, l.b, l.activation) for l in net.layers]
