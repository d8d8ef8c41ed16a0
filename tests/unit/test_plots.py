"""The per-layer plot at any size a figure or --plot asks for (a reduced --resolution-scale made figure 21
crash in Pillow)."""
import numpy as np
import pytest

from glnn.io.plots import layer_plot

PANELS = [("norm ratio", [("uniform", [1.0, 0.9, 0.8]), ("he", [1.0, 1.1, 1.2])], (0.0, 2.0)),
          ("saturated", [("uniform", [0.1, 0.2, 0.3])], (0.0, 1.0))]


@pytest.mark.parametrize("size", [(36, 24), (108, 72), (200, 60), (720, 480)])
def test_layer_plot_draws_at_any_size(size):
    im = layer_plot(PANELS, size, "10 x 100 relu")
    a = np.asarray(im)
    assert im.size == size and a.shape == (size[1], size[0], 3)
    assert (a < 200).any() and (a == 255).any()   # ink on white
