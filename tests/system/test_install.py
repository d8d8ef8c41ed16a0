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

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                        str(out), str(ROOT)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return next(out.glob("glnn-*.whl"))


def source_files(folder, suffixes=None):
    """{path relative to folder: bytes} of the files under folder (no caches)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and (suffixes is None or p.suffix in suffixes)}


def test_built_wheel_contains_shaders(wheel):
    """The wheel holds every shader and every file of the package, byte for byte as in the source tree."""
    z = zipfile.ZipFile(wheel)
    names = set(z.namelist())
    shaders = source_files(ROOT / "shaders")
    assert shaders and "fused.frag" in shaders
    for name, data in shaders.items():
        assert f"glnn/shaders/{name}" in names, name
        assert z.read(f"glnn/shaders/{name}") == data, f"shaders/{name} differs in the wheel"
    package = source_files(ROOT / "glnn", {".py", ".js", ".html", ".css", ".glsl", ".frag", ".vert", ".comp"})
    assert "gl/kernels.py" in package and "backends/cpu.py" in package
    for name, data in package.items():
        assert f"glnn/{name}" in names and z.read(f"glnn/{name}") == data, f"glnn/{name}"


def test_wheel_renders_from_a_fresh_venv(wheel, tmp_path, run_glnn):
    """Installed in a fresh venv, outside the source tree: glnn finds its shaders there (the source's, byte for
    byte), renders the picture the source tree renders, and exports what the source tree exports."""
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}   # the venv must not see the source tree
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True, env=clean).stdout.strip()
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "outer-deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    r = subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", "-q",
                        str(wheel)],
                       capture_output=True, text=True, cwd=tmp_path, env=clean)
    assert r.returncode == 0, r.stderr
    where = subprocess.run([str(py), "-c", "import glnn, glnn.gl.shader_source as s; print(glnn.__file__); "
                            "print(s.shader_dir())"], capture_output=True, text=True, cwd=tmp_path, env=clean)
    assert where.returncode == 0, where.stderr
    pkg, shaders = where.stdout.split()
    assert pkg.startswith(str(venv)) and shaders.startswith(str(venv)), where.stdout
    assert source_files(Path(shaders)) == source_files(ROOT / "shaders")
    r = subprocess.run([str(venv / "bin" / "glnn"), "render", "--size", "32x24", "--backend", "gl", "--out", "v.png"],
                       capture_output=True, text=True, cwd=tmp_path, env=clean)
    assert r.returncode == 0, r.stderr
    # the source tree renders the same picture from the same command (within one 8-bit step: two processes)
    source = tmp_path / "source"
    source.mkdir()
    r = run_glnn("render", "--size", "32x24", "--backend", "gl", "--out", "v.png", cwd=source)
    assert r.returncode == 0, r.stderr
    installed, ours = (np.asarray(Image.open(d / "v.png")).astype(int) for d in (tmp_path, source))
    assert installed.shape == (24, 32, 3) and installed.std() > 1
    assert np.abs(installed - ours).max() <= 1
    # the web exports' template, front end and GLSL ES shaders ship too
    for out in ("p.html", "n.glsl"):
        r = subprocess.run([str(venv / "bin" / "glnn"), "export", out, "--depth", "4", "--width", "8"],
                           capture_output=True, text=True, cwd=tmp_path, env=clean)
        assert r.returncode == 0, r.stderr
        assert run_glnn("export", out, "--depth", "4", "--width", "8", cwd=source).returncode == 0
        assert (tmp_path / out).read_bytes() == (source / out).read_bytes(), out
    assert "export default" in (tmp_path / "p.html").read_text() and "mainImage" in (tmp_path / "n.glsl").read_text()
    # and the playground's modules and shader pieces
    r = subprocess.run([str(venv / "bin" / "glnn"), "playground", "play.html", "-q"], capture_output=True, text=True,
                       cwd=tmp_path, env=clean)
    assert r.returncode == 0, r.stderr
    assert run_glnn("playground", "play.html", "-q", cwd=source).returncode == 0
    assert (tmp_path / "play.html").read_bytes() == (source / "play.html").read_bytes()
