"""A throwaway colour mode for the tests that check a new row of glnn.model.colour's table reaches everything."""
import numpy as np

from glnn.model import colour

INVERT = colour.ColourMode("invert", 3, 3, lambda raw: np.float32(1.0) - raw, "return 1.0 - v.rgb;",
                           "outputs 1-3 as red, green, blue, inverted")


def add_colour_mode(monkeypatch, mode):
    """Add `mode` to glnn.model.colour's table and every name the module derives from it at import."""
    table = colour.TABLE + (mode,)
    names = tuple(m.name for m in table)
    for attr, value in (("TABLE", table), ("BY_NAME", {m.name: m for m in table}), ("NAMES", names),
                        ("IDS", {n: i for i, n in enumerate(names)})):
        monkeypatch.setattr(colour, attr, value)
