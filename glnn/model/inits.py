"""The init table: how each weight initialisation draws a layer's weights (docs/contract.md, the network).

Each row gives a name, the distribution of the unit draws (uniform on [-1, 1] or standard normal), and the
multiplier of those draws as a function of the amount (the network's gain for rows that use it, else its
scale) and the layer's fan-out and fan-in. Biases always draw from the same distribution, times the bias
scale. Adding an init is one row here (plus its tests): the network, the CLI's --init, the window's `i` key,
the status lines and plots all read this table.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Dict, Tuple

import numpy as np


def _uniform(rng: np.random.Generator, shape) -> np.ndarray:
    return rng.uniform(-1.0, 1.0, shape)


def _normal(rng: np.random.Generator, shape) -> np.ndarray:
    return rng.standard_normal(shape)


# distribution name -> float64 unit draws of a shape from a generator
DISTRIBUTIONS: Dict[str, Callable[[np.random.Generator, object], np.ndarray]] = {
    "uniform": _uniform, "normal": _normal}
# distribution name -> the variance of its unit draws (U(-1, 1): 1/3; N(0, 1): 1), for glnn/model/theory.py
UNIT_VARIANCE: Dict[str, float] = {"uniform": 1.0 / 3.0, "normal": 1.0}


@dataclass(frozen=True)
class Init:
    name: str
    distribution: str                                   # a key of DISTRIBUTIONS
    multiplier: Callable[[float, int, int], float]      # (amount, fan_out, fan_in) -> weights' multiplier
    uses_gain: bool = False                             # the amount is the gain (else the scale)
    description: str = ""

    def draw(self, rng: np.random.Generator, shape) -> np.ndarray:
        """Float64 unit draws of `shape`."""
        return DISTRIBUTIONS[self.distribution](rng, shape)

    @property
    def unit_variance(self) -> float:
        """The variance of one unit draw."""
        return UNIT_VARIANCE[self.distribution]


TABLE: Tuple[Init, ...] = (
    Init("uniform", "uniform", lambda scale, fan_out, fan_in: float(scale), description="scale * U(-1, 1)"),
    Init("normal", "normal", lambda scale, fan_out, fan_in: float(scale), description="scale * N(0, 1)"),
    Init("he", "normal", lambda gain, fan_out, fan_in: gain * math.sqrt(2.0 / fan_in), uses_gain=True,
         description="gain * sqrt(2 / fan-in) * N(0, 1)"),
    Init("glorot", "uniform", lambda gain, fan_out, fan_in: gain * math.sqrt(6.0 / (fan_in + fan_out)),
         uses_gain=True, description="gain * sqrt(6 / (fan-in + fan-out)) * U(-1, 1)"),
)
BY_NAME: Dict[str, Init] = {i.name: i for i in TABLE}
NAMES = tuple(BY_NAME)


def uses_gain(name: str) -> bool:
    """Whether init `name` multiplies by the gain (False for unknown names)."""
    init = BY_NAME.get(name)
    return bool(init and init.uses_gain)
