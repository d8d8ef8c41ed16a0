"""The architecture on GL (a real context): input features and per-layer activation lists in every GL kernel that
can draw the network, against the numpy reference; a throwaway feature and activation, each added in one place
(their tables: tests/unit/test_architecture.py's throwaway()), reach the generated GLSL and are read back."""
import numpy as np
import pytest

from glnn.model.network import Network
from glnn.model.view import View
from glnn.rendering import engine as engine_module
from throwaway_architecture import throwaway


@pytest.fixture
def fresh(ctx):
    """An engine of the test's own on the session's context (fresh programs: patched tables are compiled)."""
    e = engine_module.Engine(ctx=ctx, cache_dir=False, log=lambda m: None)
    yield e
    e.close()


@pytest.mark.parametrize("kw", [
    dict(features="x,y,r,bias", activation="tanh,sin,relu", depth=5, width=9),
    dict(features="r,ax,ay,bias,x,y", inputs=5, activation="softsign,gaussian", depth=3, width=6),
    dict(features="bias", activation="tanh", depth=2, width=4, channels=1),
    dict(features="ay,r", activation="relu,tanh", depth=3, width=150),   # the layered kernels
])
def test_features_and_lists_in_every_gl_kernel(fresh, kw):
    net, view = Network(seed=6, **kw), View(21, 13, (0.4, -0.3), 1.4, 0.9)
    gl = fresh.backend("gl")
    expected = fresh.backend("numpy").render(net, view)
    kernels = gl.kernels_for(net)
    assert kernels
    for k in kernels:
        np.testing.assert_allclose(gl.render(net, view, kernel=k), expected, rtol=2e-4, atol=2e-5, err_msg=k.name)


def test_a_throwaway_feature_and_activation_reach_the_glsl(monkeypatch, fresh):
    net = throwaway(monkeypatch)
    view = View(11, 9, (0.2, 0.1), 1.3)
    gl = fresh.backend("gl")
    expected = fresh.backend("numpy").render(net, view)
    for k in gl.kernels_for(net):
        np.testing.assert_allclose(gl.render(net, view, kernel=k), expected, rtol=2e-4, atol=2e-5, err_msg=k.name)
