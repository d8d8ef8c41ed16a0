"""glnn stats: per-layer numbers over a view's pixels, reduced from the hidden layers' pre-activations
(glnn/rendering/hidden.py), as a table and as plot panels (docs/contract.md, probes and statistics).
"""

import math
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..model import activations
from ..backends.base import Backend
from ..backends.reference import inputs_for, step
from ..model.network import Network
from ..model.probe import linear_part
from ..model.view import View
from ..rendering import api
from ..rendering.engine import Engine, default_engine
from ..rendering.hidden import bands, hidden_layers
from ..rendering.probes import mix_patterns

def fewer_pixels(view: View, most: int) -> View:
    """`view` with at most `most` pixels: the same region of the plane (the shorter side spans the same extent)
    at fewer pixels, the aspect kept; the view itself where it fits (glnn stats' default over a --from picture)."""
    n = view.width * view.height
    if n <= most:
        return view
    f = math.sqrt(most / n)
    return view.replace(width=max(1, math.floor(view.width * f)), height=max(1, math.floor(view.height * f)))


def stats(net: Network, view: View, backend: Backend,
          progress: Optional[Callable[[int], None]] = None) -> List[Dict[str, object]]:
    """Per layer (hidden layers, then the readout): mean |y|; RMS of the pre-activations; ||y_k|| / ||y_k-1||
    averaged over the view (y_0 the input vector: the article's equation 3); the fraction of saturated units
    (for relu and leaky relu: of active ones); the number of distinct activation patterns of the layer.
    `progress(rows)`: called after each band with the rows done."""
    sums: Dict[int, Dict[str, float]] = {}
    hashes: Dict[int, set] = {}
    n = view.width * view.height
    for rect in bands(view):
        c0, r0, w, h = rect
        rows, cols = np.arange(r0, r0 + h)[:, None], np.arange(c0, c0 + w)[None, :]
        prev = np.linalg.norm(inputs_for(net, view, rows, cols), axis=1)
        states = list(hidden_layers(net, view, backend, rect))
        readout = _readout(net, states[-1][2].reshape(w * h, -1) if states else
                           inputs_for(net, view, rows, cols))
        for k, pre, y in states + [readout]:
            name = net.layers[k - 1].activation
            pre2, y2 = pre.reshape(w * h, -1).astype(np.float64), y.reshape(w * h, -1).astype(np.float64)
            norm = np.linalg.norm(y2, axis=1)
            s = sums.setdefault(k, {"abs": 0.0, "sq": 0.0, "ratio": 0.0, "sat": 0.0})
            s["abs"] += np.abs(y2).mean(axis=1).sum()
            s["sq"] += (pre2 ** 2).mean(axis=1).sum()
            s["ratio"] += np.divide(norm, prev, out=np.zeros_like(norm), where=prev > 0).sum()
            on, sat = _linear_and_saturated(name, pre2)
            s["sat"] += sat.mean(axis=1).sum()
            if k < net.depth:
                hashes.setdefault(k, set()).update(np.unique(mix_patterns(np.zeros(w * h, np.uint64), on)).tolist())
            prev = norm
        if progress:
            progress(r0 + h)
    out = []
    for k in sorted(sums):
        s, name = sums[k], net.layers[k - 1].activation
        out.append({"layer": k, "activation": name, "mean_abs": s["abs"] / n, "rms_pre": math.sqrt(s["sq"] / n),
                    "norm_ratio": s["ratio"] / n, "saturated": s["sat"] / n,
                    "patterns": len(hashes[k]) if k in hashes else None})
    return out


def _linear_and_saturated(name, pre: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """(in the near-linear part, counted as saturated) per unit of (N, units) pre-activations: for an activation
    with a kink (relu) the active units count, for the others those outside the linear part. `name`: the layer's
    activation, or one per unit (mix-units)."""
    if isinstance(name, str):
        on = linear_part(name, pre)
        return on, (on if activations.BY_NAME[name].kink is not None else ~on)
    on, sat = np.empty(pre.shape, bool), np.empty(pre.shape, bool)
    for n, idx in activations.unit_groups(name):
        on[:, idx], sat[:, idx] = _linear_and_saturated(n, pre[:, idx])
    return on, sat


def activation_label(name) -> str:
    """A layer's activation as a table shows it: its name, or mix-units for one per unit."""
    return name if isinstance(name, str) else activations.MIX_UNITS


def stats_panels(series: List[Tuple[str, List[Dict[str, object]]]], saturated: str = "saturated (relu: active)"):
    """plots.layer_plot's panels for labelled stats() results: the norm ratio and the saturated fraction of the
    hidden layers (the readout's numbers measure something else; a network of depth 1 keeps its one row)."""
    hidden = [(label, [r for r in rows if r["patterns"] is not None] or rows) for label, rows in series]
    top = max(2.0, max(r["norm_ratio"] for _, rows in hidden for r in rows))
    return [("|y_k| / |y_k-1|", [(label, [r["norm_ratio"] for r in rows]) for label, rows in hidden], (0.0, top)),
            (saturated, [(label, [r["saturated"] for r in rows]) for label, rows in hidden], (0.0, 1.0))]


def _readout(net: Network, y: np.ndarray):
    return (net.depth,) + step(net.layers[-1], y.astype(np.float64))


def stats_table(rows: List[Dict[str, object]]) -> str:
    """The statistics as an aligned text table."""
    head = ["layer", "activation", "mean |y|", "RMS pre", "|y|/|y-1|", "saturated*", "patterns"]
    lines = [head]
    for r in rows:
        lines.append([str(r["layer"]) + (" (readout)" if r["patterns"] is None else ""), activation_label(r["activation"]),
                      f"{r['mean_abs']:.4f}", f"{r['rms_pre']:.4f}", f"{r['norm_ratio']:.4f}",
                      f"{r['saturated']:.3f}", "" if r["patterns"] is None else f"{r['patterns']:,}"])
    widths = [max(len(l[i]) for l in lines) for i in range(len(head))]
    text = ["  ".join(c.rjust(wd) if i > 1 else c.ljust(wd) for i, (c, wd) in enumerate(zip(l, widths))) for l in lines]
    return "\n".join(text + ["* saturated: the fraction of units whose slope is under 0.42 of their steepest; "
                             "for relu and leaky relu, the fraction of active units"])


def layer_stats(net: Network, size: Tuple[int, int] = (256, 256), center: Sequence[float] = (0.0, 0.0),
                extent: float = 1.0, time: float = 0.0, backend: str = "numpy", engine: Optional[Engine] = None):
    """What `glnn stats` prints, per layer: a list of dicts (stats() above)."""
    r = api.request(net, size, center, extent, time, backend)
    return stats(r.network, r.view, (engine or default_engine()).choose(r.backend, r.network))
