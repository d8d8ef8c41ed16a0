"""Activation functions: one table shared by the numpy reference and the shaders.

Each activation has a name, an integer id (the shaders' `ACT_*` constants in
shaders/activations.glsl use the same ids) and a float64 numpy function.
"""
from __future__ import annotations

import numpy as np

LEAKY_SLOPE = 0.1


def _sigmoid(x):
    # exp of a large positive number overflows to inf, and 1 / inf is 0: no warning wanted.
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


FUNCTIONS = {
    "identity": lambda x: x,
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "relu": lambda x: np.maximum(x, 0.0),
    "leaky_relu": lambda x: np.where(x > 0.0, x, LEAKY_SLOPE * x),
    "sin": np.sin,
    "gaussian": lambda x: np.exp(-x * x),
    "softsign": lambda x: x / (1.0 + np.abs(x)),
}

NAMES = tuple(FUNCTIONS)
IDS = {name: i for i, name in enumerate(NAMES)}

# "mix": every hidden layer draws its own activation from this list.
MIX = "mix"
MIX_CHOICES = ("tanh", "sigmoid", "relu", "leaky_relu", "sin", "gaussian", "softsign")
HIDDEN_CHOICES = NAMES + (MIX,)


def apply(name: str, x: np.ndarray) -> np.ndarray:
    return FUNCTIONS[name](x)
