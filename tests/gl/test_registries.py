"""The registries' throwaway entries on the gl backend (a real GL context): a throwaway activation runs in every GL
kernel that can draw its network and in GL probes; a throwaway init draws the same weights on gl; a throwaway
backend takes part in auto next to gl and cpu, in glnn bench's rows, and a GL one serves probes' hidden layers by
its capability, not its name. Tables are patched in the test only (monkeypatch: no module state); each test makes
its own engine on the session's context (fresh programs, so the patched activation table is compiled)."""
import math

import numpy as np
import pytest

from glnn.model import activations, inits
from glnn import bench
from glnn.rendering import engine as engine_module
from glnn.backends import registry
from glnn.backends.cpu import CPUBackend
from glnn.cli import main
from glnn.gl.backend import GLBackend
from glnn.model.network import Network
from glnn.rendering.hidden import hidden_layers
from glnn.model.probe import parse_probe
from glnn.rendering.probes import probe_picture
from glnn.io.recipe import read_recipe
from glnn.model.view import View

CUBE = activations.Activation("cube", lambda x: x * x * x, lambda y: np.multiply(y, y * y, out=y),
                              "return x * x * x;")
LECUN = inits.Init("lecun", "normal", lambda gain, fan_out, fan_in: gain * math.sqrt(1.0 / fan_in), uses_gain=True)


class Cpu2Backend(CPUBackend):
    name = "cpu2"


class Gl2Backend(GLBackend):
    name = "gl2"


CPU2 = registry.BackendEntry("cpu2", f"{__name__}:Cpu2Backend", "the cpu backend under another name",
                             races_in_auto=True)
GL2 = registry.BackendEntry("gl2", f"{__name__}:Gl2Backend", "the gl backend under another name",
                            hidden_layers=True, draws_to_texture=True, gl_kernels=True)


def patch_table(monkeypatch, module, table, extra=()):
    names = tuple(e.name for e in table)
    monkeypatch.setattr(module, "TABLE", table)
    monkeypatch.setattr(module, "BY_NAME", {e.name: e for e in table})
    monkeypatch.setattr(module, "NAMES", names)
    for attr, value in extra:
        monkeypatch.setattr(module, attr, value(names))


@pytest.fixture
def fresh(ctx):
    """An engine of the test's own on the session's context (its own programs), closed at the end."""
    made = []

    def make(**kw):
        e = engine_module.Engine(ctx=ctx, cache_dir=False, log=lambda m: None, **kw)
        made.append(e)
        return e
    yield make
    for e in made:
        e.close()


def test_a_throwaway_activation_runs_in_every_gl_kernel_and_gl_probes(monkeypatch, fresh):
    patch_table(monkeypatch, activations, activations.TABLE + (CUBE,),
                (("IDS", lambda names: {n: i for i, n in enumerate(names)}),
                 ("HIDDEN_CHOICES", lambda names: names + activations.DRAWN)))
    monkeypatch.setattr(activations, "DEFAULTS", {**activations.DEFAULTS, "cube": activations.Defaults("uniform", 0.5, 0.1)})
    e = fresh()
    gl, ref = e.backend("gl"), e.backend("numpy")
    view = View(13, 11, extent=1.3)
    for net in (Network(seed=4, depth=3, width=6, activation="cube", output_activation="cube", scale=0.7),
                Network(seed=4, depth=2, width=200, activation="cube", scale=0.1)):
        expected = ref.render(net, view)
        kernels = gl.kernels_for(net)
        assert kernels
        for k in kernels:
            np.testing.assert_allclose(gl.render(net, view, kernel=k), expected, rtol=2e-4, atol=2e-5, err_msg=k.name)
    # probes through gl (truncated networks: its capability hidden_layers) agree with the float64 pass
    net = Network(seed=4, depth=3, width=6, activation="cube")
    for (k, pre_gl, y_gl), (_, pre_ref, y_ref) in zip(hidden_layers(net, view, gl), hidden_layers(net, view, ref)):
        np.testing.assert_allclose(pre_gl, pre_ref, rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(y_gl, y_ref, rtol=1e-4, atol=1e-5)
    assert probe_picture(parse_probe("units:2", net), net, View(24, 24), gl).shape[:2] == (24, 24)


def test_a_throwaway_init_draws_the_same_on_gl(monkeypatch, fresh):
    patch_table(monkeypatch, inits, inits.TABLE + (LECUN,))
    e = fresh()
    net, view = Network(seed=9, depth=4, width=10, init="lecun", gain=1.5), View(12, 12)
    np.testing.assert_allclose(e.render(net, view, "gl"), e.render(net, view, "numpy"), rtol=1e-4, atol=1e-5)


def test_a_throwaway_backend_races_in_auto_next_to_gl(monkeypatch, fresh, capsys, tmp_path):
    patch_table(monkeypatch, registry, registry.TABLE + (CPU2, GL2),
                (("CHOICES", lambda names: ("auto",) + names),))
    calls = []

    def measure(backend, net, view):
        calls.append(backend.name)
        return {"gl": 3.0, "cpu": 2.0, "cpu2": 1.0}[backend.name]
    e = fresh(measure=measure)
    choice = e.auto_choice()
    assert (choice["fused"], choice["layered"]) == ("cpu2", "cpu2") and sorted(set(calls)) == ["cpu", "cpu2", "gl"]
    assert "cpu2" in choice["key"] and "missing" not in choice
    # glnn bench's rows: every backend that works here, the GL ones per kernel
    names = [label for label, _, _ in bench._rows_to_run(e, Network(depth=3, width=5), "auto", False)]
    assert "cpu2" in names and any(n.startswith("gl:") for n in names) and any(n.startswith("gl2:") for n in names)
    # a GL backend under another name serves probes' hidden layers and draws like gl (capabilities, not names)
    gl2, net, view = e.backend("gl2"), Network(seed=1, depth=3, width=5), View(10, 10)
    assert gl2.label(net).startswith("gl (")
    ref = list(hidden_layers(net, view, e.backend("numpy")))
    for (_, pre, _), (_, pre_ref, _) in zip(hidden_layers(net, view, gl2), ref):
        assert pre.dtype == np.float32
        np.testing.assert_allclose(pre, pre_ref, rtol=1e-4, atol=1e-5)
    # the CLI: --backend cpu2 and gl2, recipes that say so
    monkeypatch.setattr(engine_module, "default_engine", lambda: e)
    for name in ("cpu2", "gl2"):
        out = tmp_path / f"{name}.png"
        assert main(["render", "--backend", name, "--depth", "3", "--size", "8x8", "--out", str(out)]) == 0
        assert read_recipe(out).backend == name
    capsys.readouterr()
