"""How much a picture shows: its contrast and its edge density, and surveys of the activations' defaults.

A picture worth looking at is neither flat (each displayed colour channel varies
across the picture: the mean of their standard deviations is at least FLAT_STD)
nor static (at 96 x 96, the mean absolute difference of neighbouring pixels'
displayed colours is at most STATIC_STEP). depth_survey() renders an activation's
defaults for seeds 0-3 at depths 2, 12 and 27 and widths 30 and 100; they hold
where at most a quarter of each (depth, width)'s pictures is flat or static
(docs/activations.md; tests/system/test_defaults_survey.py). edge_density() is the
same step times the height (independent of the resolution: figure 24).

    python -m glnn.explore.picture_stats       # the table in docs/activations.md
"""
from __future__ import annotations

import itertools
from typing import Dict, Optional

import numpy as np

from ..model import activations, colour, inits
from ..backends.base import Backend
from ..backends.cpu import CPUBackend
from ..model.network import Network
from ..model.view import View

FLAT_STD = 0.05


def displayed_std(raw: np.ndarray) -> float:
    """How much the displayed colours vary across the picture: the mean over channels of their spatial
    standard deviations (a picture whose channels are each flat has 0, whatever its colour)."""
    pic = colour.apply(raw)
    return float(pic.reshape(-1, pic.shape[2]).std(axis=0).mean())


def edge_density(raw: np.ndarray) -> float:
    """Mean absolute difference of neighbouring pixels (displayed colours), times the picture's height."""
    pic = colour.apply(raw)
    steps = (np.abs(np.diff(pic, axis=0)).mean() + np.abs(np.diff(pic, axis=1)).mean()) / 2
    return float(steps * pic.shape[0])


STATIC_STEP = 0.26                      # a mean neighbour difference above this at 96 x 96 is static
DEPTH_SEEDS, DEPTH_DEPTHS, DEPTH_WIDTHS = range(4), (2, 12, 27), (30, 100)
DEPTH_VIEW = View(96, 96)


def neighbour_step(raw: np.ndarray) -> float:
    """Mean absolute difference of neighbouring pixels (displayed colours), not scaled by the height."""
    pic = colour.apply(raw)
    return float((np.abs(np.diff(pic, axis=0)).mean() + np.abs(np.diff(pic, axis=1)).mean()) / 2)


def verdict(raw: np.ndarray) -> str:
    """"flat", "static" or "ok" (the criterion of defaults that hold at every depth: docs/activations.md)."""
    if displayed_std(raw) < FLAT_STD:
        return "flat"
    return "static" if neighbour_step(raw) > STATIC_STEP else "ok"


def depth_survey(activation: str, backend: Optional[Backend] = None, widths=DEPTH_WIDTHS, **network) -> Dict:
    """Per (depth, width): the verdicts of seeds 0-3 at 96 x 96 (the activation's defaults, or `network`'s
    hyperparameters over them). Defaults hold where at most a quarter of them are flat or static."""
    backend = backend or CPUBackend()
    out = {}
    with np.errstate(all="ignore"):
        for depth, width in itertools.product(DEPTH_DEPTHS, widths):
            out[(depth, width)] = [verdict(backend.render(Network(seed=seed, depth=depth, width=width,
                                                                  activation=activation, **network), DEPTH_VIEW))
                                   for seed in DEPTH_SEEDS]
    return out


def holds(verdicts: Dict) -> bool:
    return all(sum(v != "ok" for v in vs) <= len(vs) // 4 for vs in verdicts.values())


def markdown_table() -> str:
    """docs/activations.md's table: each hidden activation's defaults, the mean-field numbers of their hidden
    layers at widths 30 and 100 (glnn/model/theory.py), and the depth survey's pictures that are not ok (of seeds 0-3,
    at depths 2, 12 and 27; tanh at width 30 only)."""
    from ..model import theory

    backend = CPUBackend()
    head = ["activation", "init", "scale or gain", "bias scale", "chi_1 (30 / 100 units)",
            "flat or static of 4, 30 units: depth 2 / 12 / 27", "100 units: depth 2 / 12 / 27"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for name in activations.HIDDEN_CHOICES:
        d = activations.DEFAULTS[name]
        amount = f"gain {d.gain:g}" if inits.uses_gain(d.init) else f"scale {d.scale:g}"
        bias = "= scale" if d.bias_scale is None else f"{d.bias_scale:g}"
        chis = {activations.MIX: "mix: per layer", activations.MIX_UNITS: "mix: per unit"}.get(name) or " / ".join(
            f"{theory.network_mean_field(Network(activation=name, width=w)).chi_1:.2f}" for w in (30, 100))
        v = depth_survey(name, backend)
        cols = []
        for width in DEPTH_WIDTHS:
            if name == "tanh" and width != 30:
                cols.append("(the article's: static at 27, its point)")
                continue
            cols.append(" / ".join(str(sum(x != "ok" for x in v[(depth, width)])) for depth in DEPTH_DEPTHS))
        lines.append(f"| {name} | {d.init} | {amount} | {bias} | {chis} | {cols[0]} | {cols[1]} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table())
