"""The model and the recipe load without GL: a fresh interpreter that imports them has not imported moderngl."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imports_moderngl(module: str) -> bool:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-c", f"import {module}, sys; print('moderngl' in sys.modules)"],
                       capture_output=True, text=True, env=env, cwd=str(ROOT), timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip() == "True"


@pytest.mark.parametrize("module", ["glnn.model", "glnn.model.network", "glnn.model.view", "glnn.model.activations", "glnn.model.colour",
                                    "glnn.io.saved_network", "glnn.io.metadata"])
def test_model_layer_imports_no_gl(module):
    assert not imports_moderngl(module)


@pytest.mark.parametrize("module", ["glnn.io.recipe", "glnn.io.request"])
def test_reading_a_recipe_imports_no_gl(module):
    assert not imports_moderngl(module)


def test_python_m_glnn_runs_the_cli():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-m", "glnn", "--version"], capture_output=True, text=True, env=env,
                       timeout=120)
    assert r.returncode == 0 and r.stdout.startswith("glnn "), r.stderr
