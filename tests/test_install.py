"""`pip install .` into a fresh venv ships the shaders and renders (outside the source tree)."""
import os
import subprocess
import sys
import zipfile
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent



def test_wheel_ships_shaders_and_renders_from_a_fresh_venv(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    py = venv / "bin" / "python"
    # dependencies come from the system site (CI has no guaranteed network); glnn itself from `pip install .`
    r = subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--no-build-isolation", "-q", str(ROOT)],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    where = subprocess.run([str(py), "-c", "import glnn, glnn.shader_source as s; print(glnn.__file__); print(s.shader_dir())"],
                           capture_output=True, text=True, cwd=tmp_path)
    pkg, shaders = where.stdout.split()
    assert pkg.startswith(str(venv)) and shaders.startswith(str(venv)), where.stdout
    assert (Path(shaders) / "fused.frag").is_file() and (Path(shaders) / "layer.frag").is_file()
    r = subprocess.run([str(venv / "bin" / "glnn"), "render", "--size", "32x24", "--backend", "gl", "--out", "v.png"],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "v.png").stat().st_size > 100


def test_built_wheel_contains_shaders(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                        str(tmp_path), str(ROOT)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    wheel = next(tmp_path.glob("glnn-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for s in os.listdir(ROOT / "shaders"):
        assert f"glnn/shaders/{s}" in names
