"""The unit tier: no GL context and no subprocess. Every test here runs with both made impossible, so a test
that needs either fails with a message that says to move it (to tests/gl or tests/system)."""
import multiprocessing.util
import os
import subprocess

import moderngl
import numpy.testing  # noqa: F401  (numpy 2.0 on Python 3.9 runs lscpu when it is first imported)
import pytest

import glnn.rendering.engine
import glnn.gl.context

FORBIDDEN_FIXTURES = ("engine", "ctx", "gl", "run_glnn")


def _refuse(what, where):
    tier = "tests/gl" if "GL" in what else "tests/system"

    def refused(*args, **kwargs):
        pytest.fail(f"a unit test may not {what} ({where}): move the test to {tier}", pytrace=False)
    return refused


@pytest.fixture(autouse=True)
def _unit_tier(request, monkeypatch):
    used = [f for f in FORBIDDEN_FIXTURES if f in request.fixturenames]
    if used:
        pytest.fail(f"a unit test may not use the fixtures {', '.join(used)}: move it to tests/gl or tests/system",
                    pytrace=False)
    gl = "make a GL context"
    monkeypatch.setattr(moderngl, "create_context", _refuse(gl, "moderngl.create_context"))
    monkeypatch.setattr(moderngl, "create_standalone_context", _refuse(gl, "moderngl.create_standalone_context"))
    monkeypatch.setattr(glnn.gl.context, "create_offscreen_context",
                        _refuse(gl, "glnn.gl.context.create_offscreen_context"))
    monkeypatch.setattr(glnn.rendering.engine, "create_offscreen_context", _refuse(gl, "glnn.rendering.engine.create_offscreen_context"))
    # an engine whose context, gl backend or auto choice was made earlier in this process (a GL test ran first,
    # or the session's auto cache was seeded) is refused too: `auto` is chosen per GL renderer
    Engine = glnn.rendering.engine.Engine
    context = Engine.context

    def no_made_context(self):
        # an engine that holds a context (made by an earlier GL test) is refused; one without calls the
        # refused creation above (or a test's own stand-in that reports GL unavailable)
        if self._ctx is not None:
            _refuse(gl, "Engine.context")()
        return context.fget(self)

    monkeypatch.setattr(Engine, "context", property(no_made_context))
    auto_choice = Engine.auto_choice

    def faked_auto_only(self):
        # a test that hands the engine a fake timer (and no GL) may race backends; a real measurement may not
        if self.measure is glnn.rendering.engine.measure_render:
            _refuse(gl, "Engine.auto_choice: backend auto")()
        return auto_choice(self)

    monkeypatch.setattr(Engine, "auto_choice", faked_auto_only)
    backend = Engine.backend

    def no_gl_backend(self, name):
        if name == "gl" and self._ctx is not None:
            _refuse(gl, "the gl backend")()
        return backend(self, name)

    monkeypatch.setattr(Engine, "backend", no_gl_backend)
    proc = "start a subprocess"
    monkeypatch.setattr(subprocess, "Popen", _refuse(proc, "subprocess.Popen"))
    monkeypatch.setattr(os, "system", _refuse(proc, "os.system"))
    monkeypatch.setattr(multiprocessing.util, "spawnv_passfds", _refuse(proc, "a worker process"))
    yield
