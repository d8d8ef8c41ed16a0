"""A throwaway input feature (xy = x * y, a saddle) and a throwaway activation (cube), each added in one place:
their table (patched by the test, no module state). tests/unit/test_architecture.py (numpy, cpu) and
tests/gl/test_architecture_gl.py (the GLSL) use them."""
import numpy as np

from glnn.model import activations, architecture
from glnn.model.network import Network


def throwaway(monkeypatch):
    """A feature (x*y, a saddle) and an activation (x^3), each added in one place: their table."""
    feature = architecture.Feature("xy", lambda x, y: x * y, "xy.x * xy.y", description="a saddle")
    table = architecture.TABLE + (feature,)
    monkeypatch.setattr(architecture, "TABLE", table)
    cube = activations.Activation("cube", lambda x: x * x * x, lambda y: np.multiply(y, y * y, out=y),
                                  "return x * x * x;")
    acts = activations.TABLE + (cube,)
    names = tuple(a.name for a in acts)
    for attr, value in (("TABLE", acts), ("BY_NAME", {a.name: a for a in acts}), ("NAMES", names),
                        ("IDS", {n: i for i, n in enumerate(names)}), ("HIDDEN_CHOICES", names + activations.DRAWN)):
        monkeypatch.setattr(activations, attr, value)
    return Network(seed=3, depth=4, width=6, features="x,y,xy", activation="tanh,cube", scale=0.5)
