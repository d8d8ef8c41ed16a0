"""The GL tier's setup: marked gl, one context for the session, and the `auto` choice read from the cache that
tests/conftest.py wrote before any test ran (so no test pays for measuring it, whichever runs first)."""
import subprocess

import pytest

from glnn import Engine, Network, View


def test_gl_tests_are_marked_gl(request):
    assert request.node.get_closest_marker("gl") is not None and request.node.get_closest_marker("system") is None


def test_auto_is_read_from_the_seeded_cache_not_measured(ctx, engine):
    fresh = Engine(ctx=ctx)   # a new engine, the session's cache
    choice = fresh.auto_choice()
    assert choice["why"].startswith("fixed by tests/conftest.py"), choice
    assert choice["key"] == fresh._cache_key(fresh.gl.caps.renderer)
    assert engine.auto_choice()["fused"] == choice["fused"]
    picture = fresh.render(Network(depth=3, width=5), View(8, 6))   # auto: the cached choice
    assert picture.shape == (6, 8, 3)


def test_gl_tests_cannot_start_a_process():
    with pytest.raises(pytest.fail.Exception, match="may not start a subprocess"):
        subprocess.run(["true"])
