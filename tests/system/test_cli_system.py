"""The real `glnn` console entry (python -m glnn in a subprocess): renders, saves, loads; without GL it falls
back to cpu; and bad input, through the real entry, is one line on stderr and exit status 2 (the full list of
bad inputs is checked in-process: tests/unit/test_cli.py)."""
import numpy as np
import pytest
from PIL import Image

from glnn import Network, View
from glnn.backends import reference


def test_render_png_and_npy(run_glnn, tmp_path):
    r = run_glnn("render", "--seed", 4, "--depth", 6, "--width", 12, "--size", "40x24", "--out", "a.png",
                 "--save-network", "a.npz")
    assert r.returncode == 0, r.stderr
    img = np.asarray(Image.open(tmp_path / "a.png"))
    assert img.shape == (24, 40, 3) and img.std() > 5
    r = run_glnn("render", "--network", "a.npz", "--out", "a.npy", "--size", "40x24")
    assert r.returncode == 0, r.stderr
    arr = np.load(tmp_path / "a.npy")
    ref = reference.evaluate(Network(seed=4, depth=6, width=12), View(40, 24))
    assert arr.dtype == np.float32 and arr.shape == (24, 40, 3)
    assert np.abs(arr - ref).max() < 1e-4
    assert np.abs(np.rint(np.clip(arr, 0, 1) * 255) - img).max() <= 1


def test_saved_network_renders_identical_pixels(run_glnn, tmp_path):
    # one backend named for both runs (auto could measure differently in two processes): the same computation
    assert run_glnn("render", "--seed", 8, "--inputs", 5, "--time", 1.5, "--center", "0.5,-0.5", "--extent", 2,
                    "--size", "30x20", "--out", "a.npy", "--save-network", "n.npz",
                    "--backend", "numpy").returncode == 0
    r = run_glnn("render", "--network", "n.npz", "--size", "30x20", "--out", "b.npy", "--backend", "numpy")
    assert r.returncode == 0, r.stderr
    np.testing.assert_array_equal(np.load(tmp_path / "a.npy"), np.load(tmp_path / "b.npy"))


def test_gray_and_numpy_backend(run_glnn, tmp_path):
    r = run_glnn("render", "--channels", 1, "--backend", "numpy", "--size", "16x8", "--out", "g.png")
    assert r.returncode == 0, r.stderr
    assert Image.open(tmp_path / "g.png").mode == "L"


def test_info(run_glnn):
    r = run_glnn("info")
    assert r.returncode == 0 and "OpenGL: " in r.stdout, r.stdout
    assert "backend gl: ok" in r.stdout


def test_no_gl_falls_back_to_numpy_with_notice(run_glnn, tmp_path):
    env = {"EGL_PLATFORM": "nonexistent", "__EGL_VENDOR_LIBRARY_FILENAMES": "/nonexistent.json",
           "LIBGL_ALWAYS_SOFTWARE": "1", "DISPLAY": "", "WAYLAND_DISPLAY": ""}
    r = run_glnn("render", "--size", "8x8", "--out", "f.png", env=env)
    assert r.returncode == 0, r.stderr
    assert "using the cpu backend" in r.stderr and (tmp_path / "f.png").exists()
    r = run_glnn("render", "--size", "8x8", "--out", "g.png", "--backend", "gl", env=env)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and not (tmp_path / "g.png").exists()


@pytest.mark.parametrize("mode,channels", [("hsv", 3), ("hsl", 3), ("palette:turbo", 1), ("palette:twilight", 1)])
def test_colour_modes_from_the_command_line(run_glnn, tmp_path, mode, channels):
    from glnn.model import colour

    common = ["--seed", 3, "--depth", 6, "--width", 12, "--channels", channels, "--size", "24x16", "--backend", "cpu"]
    assert run_glnn("render", *common, "--out", "raw.npy").returncode == 0
    r = run_glnn("render", *common, "--color", mode, "--out", "c.png")
    assert r.returncode == 0, r.stderr
    img = np.asarray(Image.open(tmp_path / "c.png"))
    assert img.shape == (16, 24, 3)
    assert np.array_equal(img, colour.to_uint8(np.load(tmp_path / "raw.npy"), mode))


def test_negative_values_reach_their_flags(run_glnn, tmp_path):
    r = run_glnn("render", "--center", "-1,2", "--time", "-3", "--size", "6x4", "--out", "n.png")
    assert r.returncode == 0, r.stderr
    from glnn.io.recipe import read_recipe

    v = read_recipe(tmp_path / "n.png").view
    assert v.center == (-1.0, 2.0) and v.time == -3.0


@pytest.mark.parametrize("args,message", [(["--depth", "0"], "depth must be"), (["--bogus"], "unrecognized"),
                                          (["--network", "garbage.npz"], "not a glnn network file")])
def test_bad_input_through_the_console_entry(run_glnn, tmp_path, args, message):
    """The real process: one line on stderr (no traceback, no usage block), exit status 2, no file written."""
    (tmp_path / "garbage.npz").write_bytes(b"PK\x03\x04 nonsense")
    r = run_glnn("render", "--size", "8x8", "--out", "x.png", *args)
    assert r.returncode == 2, (r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr and message in lines[0], r.stderr
    assert r.stdout == "" and sorted(p.name for p in tmp_path.iterdir()) == ["garbage.npz"]
