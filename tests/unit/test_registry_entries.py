"""The registries carry what code used to check by name: a throwaway activation, init or backend, added to its
table in the test only (monkeypatch: no module state), is taken by the CLI (in-process), the API, probes, the
window's keys and the numpy backends; a saved network or recipe written before a hyperparameter existed loads
with its legacy meaning. No GL here (the gl backend's share is tests/gl/test_registries.py)."""
import io
import json
import math

import numpy as np
import pytest

import glnn
from glnn.model import activations, inits
from glnn.app import controls
from glnn.rendering import engine as engine_module
from glnn.explore import grid
from glnn.io import sweeps
from glnn.backends import registry
from glnn.backends.cpu import CPUBackend
from glnn.cli import main
from glnn.errors import GLUnavailable, GlnnError
from glnn.model.network import BY_ACTIVATION, HYPERPARAMETERS, REQUIRED, Network
from glnn.io import saved_network
from glnn.io.saved_network import read_saved
from glnn.model.probe import parse_probe
from glnn.rendering.probes import probe_picture
from glnn.explore.layer_stats import stats
from glnn.io.recipe import read_recipe
from glnn.model.view import View

CUBE = activations.Activation("cube", lambda x: x * x * x, lambda y: np.multiply(y, y * y, out=y),
                              "return x * x * x;")
CUBE_DEFAULTS = activations.Defaults("uniform", 0.5, 0.1)
LECUN = inits.Init("lecun", "normal", lambda gain, fan_out, fan_in: gain * math.sqrt(1.0 / fan_in), uses_gain=True)


class Cpu2Backend(CPUBackend):
    name = "cpu2"


CPU2 = registry.BackendEntry("cpu2", f"{__name__}:Cpu2Backend", "the cpu backend under another name", "cpu again",
                             races_in_auto=True)


def add_activation(monkeypatch, act, defaults):
    table = activations.TABLE + (act,)
    names = tuple(a.name for a in table)
    for attr, value in (("TABLE", table), ("BY_NAME", {a.name: a for a in table}), ("NAMES", names),
                        ("IDS", {n: i for i, n in enumerate(names)}), ("HIDDEN_CHOICES", names + activations.DRAWN),
                        ("DEFAULTS", {**activations.DEFAULTS, act.name: defaults})):
        monkeypatch.setattr(activations, attr, value)


def add_init(monkeypatch, init):
    table = inits.TABLE + (init,)
    for attr, value in (("TABLE", table), ("BY_NAME", {i.name: i for i in table}),
                        ("NAMES", tuple(i.name for i in table))):
        monkeypatch.setattr(inits, attr, value)


def add_backend(monkeypatch, entry):
    table = registry.TABLE + (entry,)
    names = tuple(e.name for e in table)
    for attr, value in (("TABLE", table), ("BY_NAME", {e.name: e for e in table}), ("NAMES", names),
                        ("CHOICES", ("auto",) + names)):
        monkeypatch.setattr(registry, attr, value)


def no_gl(monkeypatch):
    def fail():
        raise GLUnavailable("no GL in the unit tier")
    monkeypatch.setattr(engine_module, "create_offscreen_context", fail)


@pytest.fixture
def cpu_engine(monkeypatch):
    """A fresh engine without GL standing in for the CLI's default engine (nothing left behind)."""
    no_gl(monkeypatch)
    e = engine_module.Engine(cache_dir=False, log=lambda m: None,
                             measure=lambda backend, net, view: {"cpu": 2.0, "cpu2": 1.0}[backend.name])
    monkeypatch.setattr(engine_module, "default_engine", lambda: e)
    yield e
    e.close()


def help_text(argv, capsys):
    with pytest.raises(SystemExit):
        main(argv + ["--help"])
    return capsys.readouterr().out


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    assert code == 0, out.err
    return out


# ------------------------------------------------------------------ hyperparameters
def saved_without(net, *names):
    arrays = saved_network._arrays(net)
    spec = json.loads(str(arrays["spec"]))
    for n in names:
        del spec[n]
    arrays["spec"] = np.array(json.dumps(spec))
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    buf.seek(0)
    return buf


def test_a_saved_network_older_than_a_hyperparameter_loads_with_its_legacy_meaning():
    net = Network(seed=5, depth=3, width=6, activation="relu", gain=1.7)
    loaded, _ = read_saved(saved_without(net, "gain"), "old.npz")
    # legacy None: the activation's default gain; the weights are the file's
    assert loaded.gain == Network(activation="relu").gain and loaded.seed == 5
    assert all(np.array_equal(a.W, b.W) for a, b in zip(loaded.layers, net.layers))
    older, _ = read_saved(saved_without(net, *BY_ACTIVATION), "older.npz")
    relu = Network(activation="relu")   # legacy None: the defaults (the weights, and so the picture, are the file's)
    assert (older.init, older.scale, older.gain) == (relu.init, relu.scale, relu.gain)
    with pytest.raises(GlnnError, match="missing 'spec'.*seed"):
        read_saved(saved_without(net, "seed"), "damaged.npz")   # legacy REQUIRED: a damaged file
    # a recipe without them too
    fields = {k: v for k, v in net.hyperparameters().items() if k != "gain"}
    assert saved_network.from_recipe({"network": fields}, "old.png").gain == Network(activation="relu").gain


def test_the_table_says_what_code_used_to_check_by_name():
    by_name = {h.name: h for h in HYPERPARAMETERS}
    assert BY_ACTIVATION == ("init", "scale", "bias_scale", "gain")
    assert set(grid.WHOLE) == {"seed", "depth", "width", "channels", "inputs"}
    assert set(sweeps.PARAMS) == {h.name for h in HYPERPARAMETERS if h.sweepable} | {"extent", "center", "time"}
    assert all(h.legacy is REQUIRED for h in HYPERPARAMETERS if not h.by_activation and h.name != "features")
    assert by_name["features"].legacy == "x,y"   # older files and recipes: the plane's x, y
    assert by_name["init"].choices == inits.NAMES and by_name["activation"].choices == activations.HIDDEN_CHOICES
    # the window's activation keys reset exactly the by-activation ones
    s = controls.ViewerState(net=Network(activation="tanh", scale=0.3))
    controls.apply(s, "next_activation")
    assert s.net.scale == activations.DEFAULTS[s.net.activation].scale


def test_what_the_activation_rows_say_holds():
    x = np.linspace(-5.0, 5.0, 2001)
    for a in activations.TABLE:
        y = a.f64(x)
        if a.piecewise_linear:   # linear on each side of its kink (or everywhere)
            for side in ((x < a.kink), (x > a.kink)) if a.kink is not None else (np.ones_like(x, bool),):
                slope = np.diff(y[side]) / np.diff(x[side])
                np.testing.assert_allclose(slope, slope[0], rtol=1e-9, err_msg=a.name)
        else:
            assert a.kink is None
        if a.floor is not None:
            assert a.bounds is None and y.min() == a.floor
        if a.bounds is not None:
            assert a.bounds[0] <= y.min() and y.max() <= a.bounds[1]


def test_every_backend_row_loads_its_class():
    assert registry.CHOICES == ("auto",) + registry.NAMES 
    for e in registry.TABLE:
        cls = e.load()
        assert issubclass(cls, engine_module.Backend) and cls.name == e.name and e.description
    assert registry.racers() == ("gl", "cpu")
    assert registry.flag_help().endswith("auto: the faster of gl and cpu here (see glnn info)")


# ------------------------------------------------------------------ a throwaway init
def test_a_throwaway_init_is_taken_everywhere(monkeypatch, cpu_engine, capsys, tmp_path):
    add_init(monkeypatch, LECUN)
    net = Network(seed=3, depth=4, width=8, activation="tanh", init="lecun", gain=1.0)
    he = Network(seed=3, depth=4, width=8, activation="tanh", init="he", gain=1.0)   # the same normal draws
    for a, b in zip(net.layers, he.layers):
        np.testing.assert_allclose(a.W, b.W * np.float32(math.sqrt(0.5)), rtol=1e-6)
        np.testing.assert_array_equal(a.b, b.b)
    with pytest.raises(GlnnError, match="unknown init.*lecun"):
        Network(init="lecun2")
    # the CLI: render (its recipe says so), stats with a list of inits, the help
    out = tmp_path / "lecun.png"
    run(["render", "--init", "lecun", "--gain", "1.3", "--depth", "3", "--size", "12x10", "--backend", "cpu",
         "--out", str(out)], capsys)
    recipe = read_recipe(out)
    assert recipe.network.init == "lecun" and recipe.network.gain == 1.3 and "--init lecun" in recipe.command()
    rows = json.loads(run(["stats", "--init", "uniform,lecun", "--depth", "3", "--size", "8x8", "--json"],
                          capsys).out)
    assert [r["network"]["init"] for r in rows] == ["uniform", "lecun"]
    assert "lecun" in help_text(["stats"], capsys) and "lecun" in help_text(["render"], capsys)
    # the API, probes
    assert glnn.render(net, size=(6, 5), backend="numpy", engine=cpu_engine).shape == (5, 6, 3)
    assert probe_picture(parse_probe("units:1", net), net, View(16, 16), cpu_engine.backend("cpu")).shape[:2] == (16, 16)
    # the window: i cycles into it; ] moves its gain; the status line names the gain
    s = controls.ViewerState(net=Network(init="glorot"))
    controls.apply(s, "next_init")
    assert s.net.init == "lecun"
    gain = s.net.gain
    controls.apply(s, "scale_up")
    assert s.net.gain > gain and "lecun gain" in controls.status_line(s)
    assert dict(controls.HELP)["] / ["] == "weight scale up / down (gain for he, glorot)"   # the table at import


# ------------------------------------------------------------------ a throwaway activation
def test_a_throwaway_activation_is_taken_everywhere(monkeypatch, cpu_engine, capsys, tmp_path):
    add_activation(monkeypatch, CUBE, CUBE_DEFAULTS)
    net = Network(seed=2, depth=3, width=6, activation="cube")
    assert (net.init, net.scale, net.bias_scale) == ("uniform", 0.5, 0.1)       # its defaults row
    assert Network(depth=2, output_activation="cube").output_activation == "cube"
    view = View(9, 7, extent=1.5)
    ref = glnn.render(net, size=(9, 7), extent=1.5, backend="numpy", engine=cpu_engine)
    np.testing.assert_allclose(cpu_engine.render(net, view, "cpu"), ref, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(ref, np.asarray(_independent_forward(net, view)), rtol=1e-6, atol=1e-7)
    # the CLI: render, its recipe, export (the generated GLSL has the row)
    out = tmp_path / "cube.png"
    run(["render", "--activation", "cube", "--depth", "3", "--size", "8x8", "--backend", "cpu", "--out", str(out)],
        capsys)
    assert read_recipe(out).network.activation == "cube"
    frag = tmp_path / "cube.glsl"
    run(["export", str(frag), "--activation", "cube", "--depth", "3", "-q"], capsys)
    assert "act_cube" in frag.read_text() and "ACT_CUBE" in activations.glsl_source()
    # probes and stats on both numpy backends
    for name in ("numpy", "cpu"):
        b = cpu_engine.backend(name)
        for probe in ("units:1", "unit:2:3", "regions", "saturation"):
            assert probe_picture(parse_probe(probe, net), net, View(12, 12), b).shape[:2] == (12, 12)
        rows = stats(net, View(8, 8), b)
        assert [r["activation"] for r in rows] == ["cube", "cube", "sigmoid"]
    # the window: a cycles through it with its defaults
    s = controls.ViewerState(net=Network(activation="softsign"))
    controls.apply(s, "next_activation")
    assert s.net.activation == "cube" and s.net.scale == 0.5


def _independent_forward(net, view):
    rows, cols = np.meshgrid(np.arange(view.height), np.arange(view.width), indexing="ij")
    x, y = view.coords(rows, cols)
    h = np.stack([np.broadcast_to(x, rows.shape), np.broadcast_to(y, rows.shape)], -1).reshape(-1, 2).astype(np.float64)
    for layer in net.layers:
        h = h @ layer.W.T.astype(np.float64) + layer.b.astype(np.float64)
        h = h ** 3 if layer.activation == "cube" else 1.0 / (1.0 + np.exp(-h))
    return h.reshape(view.height, view.width, -1)


# ------------------------------------------------------------------ a throwaway backend
def test_a_throwaway_backend_is_taken_everywhere(monkeypatch, cpu_engine, capsys, tmp_path):
    add_backend(monkeypatch, CPU2)
    net, view = Network(seed=1, depth=3, width=5), View(10, 8)
    b = cpu_engine.backend("cpu2")
    assert isinstance(b, Cpu2Backend) and registry.entry(b.name) is CPU2
    np.testing.assert_allclose(cpu_engine.render(net, view, "cpu2"), cpu_engine.render(net, view, "numpy"),
                               rtol=1e-4, atol=1e-5)
    # auto races it (gl is unavailable here; the fake timer makes cpu2 the faster), with one notice about gl
    choice = cpu_engine.auto_choice()
    assert (choice["fused"], choice["layered"]) == ("cpu2", "cpu2") and "gl unavailable" in choice["why"]
    assert cpu_engine.choose("auto", net).name == "cpu2"
    assert cpu_engine.availability()["cpu2"] is None
    # the API and probes
    assert glnn.render(net, size=(4, 4), backend="cpu2", engine=cpu_engine).shape == (4, 4, 3)
    assert probe_picture(parse_probe("regions", net), net, View(12, 12), b).shape == (12, 12, 3)
    # the CLI: --backend cpu2, its recipe (read back: the recipe's backend is checked against the registry), info
    out = tmp_path / "cpu2.png"
    run(["render", "--backend", "cpu2", "--depth", "3", "--size", "8x8", "--out", str(out)], capsys)
    assert read_recipe(out).backend == "cpu2"
    info = run(["info"], capsys).out
    assert "backend cpu2: ok (the cpu backend under another name)" in info
    assert "cpu2: cpu again" in help_text(["render"], capsys)


def test_a_backend_out_of_the_table_is_refused(cpu_engine, capsys, tmp_path):
    with pytest.raises(SystemExit):
        main(["render", "--backend", "cpu2", "--out", str(tmp_path / "x.png")])
    assert "invalid choice: 'cpu2'" in capsys.readouterr().err
    with pytest.raises(GlnnError, match="unknown backend 'cpu2'"):
        cpu_engine.backend("cpu2")
    assert registry.entry("cpu2") is registry.NONE and registry.for_window("numpy") == "cpu"
