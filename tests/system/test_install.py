"""`pip install` of the wheel into a fresh virtualenv ships the shaders and renders, outside the source tree.

The wheel is built with this interpreter (hatchling comes with the test extra); the fresh venv is made without
the system site, and sees this environment's dependencies (numpy, moderngl, ...) through a .pth file, so the
test works the same whether the suite runs in a virtualenv, a pyenv interpreter or a system Python, offline.
"""
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                        str(out), str(ROOT)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return next(out.glob("glnn-*.whl"))


def test_built_wheel_contains_shaders(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for s in os.listdir(ROOT / "shaders"):
        assert f"glnn/shaders/{s}" in names
    assert "glnn/gl/kernels.py" in names and "glnn/backends/cpu.py" in names


def test_wheel_renders_from_a_fresh_venv(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "outer-deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    r = subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", "-q",
                        str(wheel)],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    where = subprocess.run([str(py), "-c", "import glnn, glnn.gl.shader_source as s; print(glnn.__file__); "
                            "print(s.shader_dir())"], capture_output=True, text=True, cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    pkg, shaders = where.stdout.split()
    assert pkg.startswith(str(venv)) and shaders.startswith(str(venv)), where.stdout
    assert (Path(shaders) / "fused.frag").is_file() and (Path(shaders) / "layer.frag").is_file()
    r = subprocess.run([str(venv / "bin" / "glnn"), "render", "--size", "32x24", "--backend", "gl", "--out", "v.png"],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "v.png").stat().st_size > 100
    # the web exports' template, front end and GLSL ES shaders ship too
    for out in ("p.html", "n.glsl"):
        r = subprocess.run([str(venv / "bin" / "glnn"), "export", out, "--depth", "4", "--width", "8"],
                           capture_output=True, text=True, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
    assert "export default" in (tmp_path / "p.html").read_text() and "mainImage" in (tmp_path / "n.glsl").read_text()
