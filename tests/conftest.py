"""Shared fixtures: one real EGL context for the session (llvmpipe in CI), checked for GL errors around each test."""
import os

import pytest

from glnn.context import offscreen_context
from glnn.errors import GLUnavailable


@pytest.fixture(scope="session")
def ctx():
    try:
        return offscreen_context()
    except GLUnavailable as e:
        # A missing context is a broken test machine, not a pass: fail loudly.
        pytest.fail(f"no OpenGL context for the GL tests: {e}")


@pytest.fixture(scope="session")
def gl_renderer(ctx):
    from glnn.render import gl_renderer

    return gl_renderer()


@pytest.fixture(scope="session")
def renderer(gl_renderer):
    return gl_renderer


@pytest.fixture(autouse=True)
def _gl_error_check(request):
    """Tests that use GL start and end with GL_NO_ERROR."""
    if not {"ctx", "renderer", "gl_renderer"} & set(request.fixturenames):
        yield
        return
    c = request.getfixturevalue("ctx")
    assert c.error == "GL_NO_ERROR", "GL error left by an earlier test"
    yield
    assert c.error == "GL_NO_ERROR", "this test left a GL error"


@pytest.fixture
def run_glnn(tmp_path):
    """Run the real `glnn` console entry (python -m glnn) in a subprocess; returns CompletedProcess."""
    import subprocess
    import sys

    def run(*args, cwd=None, env=None, timeout=300):
        e = dict(os.environ, **(env or {}))
        return subprocess.run([sys.executable, "-m", "glnn", *map(str, args)], cwd=cwd or tmp_path,
                              capture_output=True, text=True, env=e, timeout=timeout)

    return run
