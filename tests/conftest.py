"""Shared fixtures: one real EGL engine for the session (llvmpipe in CI), checked for GL errors around each test.

The suite never touches the user's ~/.cache: XDG_CACHE_HOME points at a fresh folder for this run (and for
every glnn process the tests start), removed at the end.
"""
import atexit
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

_CACHE = tempfile.mkdtemp(prefix="glnn-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)

from glnn.engine import default_engine  # noqa: E402  (after XDG_CACHE_HOME is set)
from glnn.errors import GLUnavailable  # noqa: E402


@pytest.fixture(scope="session")
def engine():
    """The process's default engine (what glnn.render() uses): one GL context for every test in this process;
    engines that tests make for themselves are handed its context."""
    e = default_engine()
    try:
        e.context
    except GLUnavailable as err:
        # A missing context is a broken test machine, not a pass: fail loudly.
        pytest.fail(f"no OpenGL context for the GL tests: {err}")
    return e


@pytest.fixture(scope="session")
def ctx(engine):
    return engine.context


@pytest.fixture(scope="session")
def gl(engine):
    return engine.gl


@pytest.fixture(autouse=True)
def _gl_error_check(request):
    """Tests that use GL start and end with GL_NO_ERROR."""
    if not {"ctx", "gl", "engine"} & set(request.fixturenames):
        yield
        return
    c = request.getfixturevalue("ctx")
    assert c.error == "GL_NO_ERROR", "GL error left by an earlier test"
    yield
    assert c.error == "GL_NO_ERROR", "this test left a GL error"


@pytest.fixture
def run_glnn(tmp_path):
    """Run the real `glnn` console entry (python -m glnn) in a subprocess; returns CompletedProcess."""

    def run(*args, cwd=None, env=None, timeout=300):
        e = dict(os.environ, **(env or {}))
        return subprocess.run([sys.executable, "-m", "glnn", *map(str, args)], cwd=cwd or tmp_path,
                              capture_output=True, text=True, env=e, timeout=timeout)

    return run
