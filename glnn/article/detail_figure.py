"""Figure 24 ("beyond the article"): how fast pictures gain detail with depth, measured and predicted.

For tanh networks of 30 units in the three phases (ordered: uniform 0.3; the edge of chaos: --scale critical;
chaotic: the article's 0.8), the edge density (glnn/explore/picture_stats.py) of the pictures at depths 1 to 27, the
geometric mean over seeds 0-3, beside the mean-field prediction (glnn/model/theory.py): depth 2's measured edge
density times the predicted growth of local detail of each layer after it. Ordered pictures fade, critical ones
hold, chaotic ones gain detail by about sqrt(chi_1) a layer until it is finer than a pixel (static): the
article's figure 9 as a curve. Computed by the numpy reference (no GL: the same plot on every machine).
"""
from __future__ import annotations

import math
from typing import List, Tuple

import numpy as np
from PIL import Image

from ..io import plots
from ..model import theory
from ..backends.reference import forward, inputs_for, layer_states, step
from ..model.network import Network
from ..explore.picture_stats import edge_density
from ..model.view import View

SETTINGS = (("ordered: scale 0.3", 0.3), ("edge of chaos: scale critical", "critical"), ("chaotic: scale 0.8", 0.8))
DEPTHS = 27
SEEDS = range(4)
VIEW = View(96, 96)


def curves(scale, view: View = VIEW) -> Tuple[float, List[float], List[float]]:
    """(chi_1, measured edge density at depths 1..DEPTHS, predicted), tanh, 30 units."""
    logs = np.zeros(DEPTHS)
    rows, cols = np.arange(view.height)[:, None], np.arange(view.width)[None, :]
    with np.errstate(all="ignore"):
        for seed in SEEDS:
            # every depth's picture at once: a deeper network extends a shallower one, and the readout (its own
            # stream) is the same from depth 2 on; depth 1 reads the inputs
            first = Network(seed=seed, depth=1, width=30, scale=scale)
            net = Network(seed=seed, depth=DEPTHS, width=30, scale=scale)
            x = inputs_for(net, view, rows, cols)
            pictures = [forward(first, x)] + [step(net.layers[-1], y)[1] for _, y in layer_states(net, x, upto=DEPTHS - 1)]
            for d, raw in enumerate(pictures):
                logs[d] += math.log(max(edge_density(raw.reshape(view.height, view.width, -1)), 1e-9))
    measured = list(np.exp(logs / len(SEEDS)))
    net = Network(depth=DEPTHS, width=30, scale=scale)
    rows, cols = np.arange(0, view.height, 4)[:, None], np.arange(0, view.width, 4)[None, :]
    growth = [r["growth"] for r in theory.predict_layers(net, inputs_for(net, view, rows, cols))]
    predicted = [measured[0], measured[1]]
    for d in range(3, DEPTHS + 1):   # the depth-d picture reads hidden layer d - 1
        predicted.append(predicted[-1] * growth[d - 2])
    return theory.network_mean_field(net).chi_1, measured, predicted


def figure(size: Tuple[int, int], view: View = VIEW) -> Image.Image:
    panels = []
    for label, scale in SETTINGS:
        chi, measured, predicted = curves(scale, view)
        lo = math.floor(min(np.log10(measured)) * 2) / 2
        hi = math.ceil(max(np.log10(measured)) * 2) / 2 + 0.5
        panels.append((f"{label} (chi_1 {chi:.2f}): log10 edge density",
                       [("measured (seeds 0-3)", list(np.log10(measured))),
                        ("predicted from depth 2", list(np.log10(predicted)))], (lo, hi)))
    return plots.layer_plot(panels, size, "27 x 30 tanh: detail per depth, measured and predicted (x: depth)")
