"""Signal propagation measured on real networks (the numpy reference, float64), beside the mean-field theory's
prediction (glnn/model/theory.py): per layer the mean square pre-activation q and the growth of local detail, the RMS
difference of neighbouring points' hidden values over the layer before's.

    python -m glnn.explore.propagation     # predicted vs measured growth per layer (README, order and chaos)
"""
from __future__ import annotations

import math
from typing import Dict, List, Optional, Tuple

import numpy as np

from ..model import inits, theory
from ..backends.reference import inputs_for, layer_states
from ..model.network import Network


def measure_layers(net, inputs: np.ndarray, neighbours: np.ndarray) -> List[Dict[str, float]]:
    """The same numbers measured on the network (the numpy reference, float64): q the mean square pre-activation
    over `inputs`, growth the RMS difference of each layer's values between `inputs` and `neighbours` (rows
    beside them), over the layer before's."""
    a, b = np.asarray(inputs, np.float64), np.asarray(neighbours, np.float64)
    prev = math.sqrt(((a - b) ** 2).sum(axis=1).mean())
    out = []
    with np.errstate(all="ignore"):
        for k, ((pa, ya), (_, yb)) in enumerate(zip(layer_states(net, a), layer_states(net, b)), start=1):
            d = math.sqrt(((ya - yb) ** 2).mean())
            out.append({"layer": k, "q": float((pa * pa).mean()), "growth": d / prev if prev > 0 else math.nan,
                        "detail": d})
            prev = d
    return out


def view_inputs(net, view, step: int = 1) -> Tuple[np.ndarray, np.ndarray]:
    """A view's pixels as network inputs, and each one's right-hand neighbour (the last column: its left one)."""
    rows = np.arange(0, view.height, step)[:, None]
    cols = np.arange(0, view.width, step)[None, :]
    right = np.where(cols + 1 < view.width, cols + 1, cols - 1)
    return (inputs_for(net, view, rows, cols), inputs_for(net, view, rows, right))



CHECKS = (("tanh", "uniform", 30, 0.8, None), ("tanh", "uniform", 30, 0.65, None), ("tanh", "uniform", 30, 0.3, None),
          ("tanh", "uniform", 100, 0.2, None), ("relu", "he", 30, 1.07, 0.05), ("sin", "he", 30, 0.9, 0.2),
          ("softsign", "he", 100, 1.6, 0.2), ("gaussian", "he", 100, 1.6, 0.2))


def check_network(activation: str, init: str, width: int, amount: float, bias_scale: Optional[float], seed: int,
                  depth: int) -> Network:
    """A check row's network (activation, init, width, amount, bias scale: the amount is the gain of inits that
    take one, else the scale; bias scale None: tied to the scale), one channel."""
    kw = {"gain" if inits.uses_gain(init) else "scale": amount}
    return Network(seed=seed, depth=depth, width=width, activation=activation, init=init, bias_scale=bias_scale,
                   channels=1, **kw)


def check_label(activation: str, init: str, width: int, amount: float, bias_scale: Optional[float]) -> str:
    """A check row as the README's tables name it."""
    what = f"{'gain' if inits.uses_gain(init) else 'scale'} {amount:g}"
    return f"{width} units {activation}, {init} {what}, bias {'= scale' if bias_scale is None else bias_scale}"


def growth_check(activation: str, init: str, width: int, amount: float, bias_scale: Optional[float],
                 seeds: int = 8, depth: int = 12, points: int = 400) -> Tuple[float, float]:
    """(predicted sqrt(chi_1), measured): the growth per layer of the RMS difference of neighbouring points'
    hidden values on a line of `points` across [-1, 1] (y = 0), the geometric mean over layers 4 to depth - 1
    and over seeds 0..seeds-1 (the measurement behind issue 25's numbers)."""
    x = np.linspace(-1.0, 1.0, points)
    a = np.stack([x, np.zeros_like(x)], axis=1)
    b = a + np.array([2.0 / points, 0.0])
    logs = []
    net = None
    for seed in range(seeds):
        net = check_network(activation, init, width, amount, bias_scale, seed, depth)
        rows = measure_layers(net, a, b)
        logs += [math.log(r["growth"]) for r in rows[3:depth - 1]]
    return theory.network_mean_field(net).growth, math.exp(float(np.mean(logs)))


def check_table() -> str:
    lines = ["| network | chi_1 | predicted growth per layer | measured (8 seeds, 400 points) |",
             "| --- | --- | --- | --- |"]
    for act, init, width, amount, bias in CHECKS:
        pred, meas = growth_check(act, init, width, amount, bias)
        lines.append(f"| {check_label(act, init, width, amount, bias)} | {pred * pred:.3f} | {pred:.3f} | {meas:.3f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(check_table())
