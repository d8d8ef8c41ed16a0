"""One activation in a one-unit network, and how closely float32 must agree with float64 (tests/unit and
tests/gl share it)."""
import dataclasses

import numpy as np

from glnn import Layer, Network, View

GAINS = (1.0, 4.0, 30.0, 200.0, 3000.0)   # the hidden unit's input is gain * x, x in [-1, 1]
VIEW = View(257, 1, extent=1 / 257)       # 257 pixels: x from -1 to 1, y = 0


def probe(name, gain, hidden=True):
    """A network whose one output is act(gain * x): the activation in a hidden layer (then an identity
    readout), or as the readout itself."""
    W, b = np.array([[gain, 0.0]], np.float32), np.zeros(1, np.float32)
    if hidden:
        layers = (Layer(W, b, name), Layer(np.ones((1, 1), np.float32), b, "identity"))
    else:
        layers = (Layer(W, b, name),)
    net = Network(depth=len(layers), width=1, channels=1)
    return dataclasses.replace(net, loaded_layers=layers)


def tolerance(name, expected, arg):
    tol = 2e-6 + 2e-6 * np.abs(expected)            # float32 rounding of the value
    if name == "sin":
        tol = tol + 4e-7 * np.abs(arg)                # float32 rounding of a large argument
    return tol
