"""The GL tier: a real GL context in this process (the session's, from the `engine` fixture), and no subprocess:
a test that starts one (python -m glnn, Chromium, a worker) belongs in tests/system."""
import multiprocessing.util
import os
import subprocess

import pytest


def _refuse(where):
    def refused(*args, **kwargs):
        pytest.fail(f"a GL-tier test may not start a subprocess ({where}): move the test to tests/system",
                    pytrace=False)
    return refused


@pytest.fixture(autouse=True)
def _gl_tier(request, monkeypatch):
    if "run_glnn" in request.fixturenames:
        pytest.fail("a GL-tier test may not use run_glnn: move it to tests/system", pytrace=False)
    monkeypatch.setattr(subprocess, "Popen", _refuse("subprocess.Popen"))
    monkeypatch.setattr(os, "system", _refuse("os.system"))
    monkeypatch.setattr(multiprocessing.util, "spawnv_passfds", _refuse("a worker process"))
    yield
