"""The engine: a registry of backends behind one protocol, one GL context, the measured auto choice and its
cache (in a folder of the test's own, never ~/.cache)."""
import json

import numpy as np
import pytest

from glnn import Engine, Network, View
from glnn.rendering import engine as engine_module
from glnn.backends import registry
from glnn.backends.base import Backend
from glnn.errors import GLUnavailable, GlnnError


def test_registry_and_protocol(engine):
    assert set(registry.NAMES) == {"gl", "cpu", "numpy"} and engine_module.CHOICES[0] == "auto"
    net, view = Network(seed=1, depth=3, width=5), View(9, 7)
    pictures = {}
    for name, cls in ((e.name, e.load()) for e in registry.TABLE):
        b = engine.backend(name)
        assert isinstance(b, cls) and isinstance(b, Backend) and b.name == name and registry.entry(name).description
        assert b.unavailable() is None and engine.backend(name) is b   # one instance per engine
        pictures[name] = engine.render(net, view, name)
    assert all(np.abs(p - pictures["numpy"]).max() < 1e-5 for p in pictures.values())
    assert engine.availability() == {"gl": None, "cpu": None, "numpy": None}
    with pytest.raises(GlnnError, match="unknown backend"):
        engine.render(net, view, "cuda")


def test_one_context_given_or_made(ctx):
    e = Engine(ctx=ctx, cache_dir=False)
    assert e.context is ctx and e.gl.ctx is ctx


def fake_measure(times, calls=None):
    """auto's timer, faked: each backend takes times[name] seconds (no rendering); calls records who was timed."""
    def measure(backend, net, view):
        if calls is not None:
            calls.append(backend.name)
        return times[backend.name]
    return measure


def test_auto_choice_is_cached_and_trusted_only_when_valid(ctx, tmp_path):
    calls = []
    first = Engine(ctx=ctx, cache_dir=tmp_path, measure=fake_measure({"gl": 2.0, "cpu": 1.0}, calls))
    choice = first.auto_choice()
    # the faster wins, for each kind of network; every backend that takes part in auto is timed on both
    assert choice["fused"] == choice["layered"] == "cpu" and "probe" in choice["why"]
    assert sorted(calls) == ["cpu", "cpu", "gl", "gl"] and first.auto_choice() is choice   # measured once
    cached = json.loads((tmp_path / "auto-backend.json").read_text())
    assert cached["key"] == choice["key"]
    # a second engine reads the cache instead of measuring: make the cache say something recognisable
    cached["fused"] = "gl"
    (tmp_path / "auto-backend.json").write_text(json.dumps(cached))
    calls.clear()
    second = Engine(ctx=ctx, cache_dir=tmp_path, measure=fake_measure({"gl": 2.0, "cpu": 1.0}, calls))
    assert second.choose("auto", Network(depth=3, width=5)).name == "gl" and calls == []
    # a damaged or foreign cache is measured again, never trusted (here gl is faster: the new measurement shows)
    for bad in ("{not json", json.dumps(dict(cached, fused="cuda")), json.dumps(dict(cached, key="other"))):
        (tmp_path / "auto-backend.json").write_text(bad)
        calls.clear()
        again = Engine(ctx=ctx, cache_dir=tmp_path, measure=fake_measure({"gl": 1.0, "cpu": 3.0}, calls))
        assert again.auto_choice()["fused"] == "gl" and len(calls) == 4
    # cache_dir=False: nothing kept
    Engine(ctx=ctx, cache_dir=False, measure=fake_measure({"gl": 1.0, "cpu": 3.0})).auto_choice()
    assert json.loads((tmp_path / "auto-backend.json").read_text())["fused"] == "gl"


def test_auto_prefers_each_kinds_faster_backend(ctx):
    times = {("gl", 12): 1.0, ("cpu", 12): 2.0, ("gl", 4): 5.0, ("cpu", 4): 1.0}
    e = Engine(ctx=ctx, cache_dir=False, measure=lambda b, net, view: times[b.name, net.depth])
    choice = e.auto_choice()
    assert (choice["fused"], choice["layered"]) == ("gl", "cpu")
    assert e.choose("auto", Network(depth=3, width=5)).name == "gl"      # narrow: the fused path
    assert e.choose("auto", Network(depth=3, width=300)).name == "cpu"   # wide: the layered path


def test_without_gl_auto_uses_cpu_with_one_notice(monkeypatch):
    def no_gl():
        raise GLUnavailable("no EGL here")

    monkeypatch.setattr(engine_module, "create_offscreen_context", no_gl)
    notices = []
    e = Engine(cache_dir=False, log=notices.append, measure=fake_measure({}))   # nothing to measure: one left
    net, view = Network(depth=2, width=3), View(4, 4)
    for _ in range(3):
        assert e.render(net, view).shape == (4, 4, 3)
    assert len(notices) == 1 and "no EGL here" in notices[0] and "cpu" in notices[0]
    assert e.availability()["gl"] == "no EGL here"
    with pytest.raises(GLUnavailable):
        e.render(net, view, "gl")


def test_close_releases_backends(ctx):
    e = Engine(ctx=ctx, cache_dir=False)
    e.render(Network(depth=2, width=3), View(4, 4), "gl")
    assert e.gl.device.resources.live() > 0
    gl = e.gl
    e.close()
    assert gl.device.resources.live() == 0 and len(gl.device.programs) == 0
