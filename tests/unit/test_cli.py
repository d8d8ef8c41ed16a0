"""The glnn command: renders, saves, loads; bad input gets one line and exit status 2, files untouched."""
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
                    "--size", "30x20", "--out", "a.npy", "--save-network", "n.npz", "--backend", "numpy").returncode == 0
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


COMMANDS = ("render", "view", "animate", "figures", "export", "stats", "grid", "bench", "info")


def test_help_shows_examples_that_parse(run_glnn):
    """Every command's --help has examples, and every example is a valid command line."""
    import shlex

    from glnn.cli import build_parser

    parser = build_parser()
    for args in [["--help"]] + [[c, "--help"] for c in COMMANDS]:
        r = run_glnn(*args)
        assert r.returncode == 0 and "examples:" in r.stdout, args
        examples = [l.split("  (")[0].split("   ")[0].strip() for l in r.stdout.split("examples:")[1].splitlines()
                    if l.strip().startswith("glnn ")]
        assert examples, args
        for line in examples:
            ns = parser.parse_args(shlex.split(line.split(" > ")[0].split(" | ")[0])[1:])
            assert ns.command in COMMANDS, line
    r = run_glnn("render", "--help")
    for flag in ("--seed", "--depth", "--width", "--activation", "--init", "--scale", "--bias-scale", "--gain",
                 "--channels", "--inputs", "--network", "--center", "--extent", "--time", "--size", "--backend"):
        assert flag in r.stdout, flag


BAD = [
    (["--size", "0x5"], "size"), (["--size", "abc"], "size must be WxH"), (["--size", "20000x10"], "16384"),
    (["--depth", "0"], "depth must be"), (["--depth", "65"], "depth must be"), (["--depth", "2.5"], "whole number"),
    (["--width", "513"], "width must be"), (["--scale", "nan"], "finite"), (["--scale", "-1"], "scale must be"),
    (["--scale", "x"], "must be a number"), (["--activation", "swish"], "invalid choice"),
    (["--init", "xavier"], "invalid choice"), (["--channels", "2"], "invalid choice"), (["--inputs", "1"], "inputs must be"),
    (["--inputs", "17"], "inputs must be"), (["--seed", "-1"], "seed must be"), (["--center", "1"], "X,Y"),
    (["--center", "1,inf"], "finite"), (["--extent", "0"], "extent must be"), (["--time", "nan"], "finite"),
    (["--out", "x.jpg"], "unknown format '.jpg'"), (["--out", "x"], "unknown format no extension"),
    (["--out", "nodir/x.png"], "does not exist"), (["--network", "missing.npz"], "does not exist"),
    (["--network", "garbage.npz"], "not a glnn network file"), (["--network", "ok.npz", "--depth", "3"], "cannot be combined"),
    (["--save-network", "n.txt"], "unknown format"), (["--backend", "cuda"], "invalid choice"), (["--bogus"], "unrecognized"),
    (["--color", "palette:viridis"], "reads 1 output"), (["--channels", "1", "--color", "hsv"], "reads 3 output"),
    (["--color", "sepia"], "invalid choice"), (["--color", "palette:nope"], "invalid choice"),
    (["--size", "-5x64"], "width and height must be"), (["--extent", "-2"], "extent must be"),
]


@pytest.mark.parametrize("args,message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_one_line_exit_2_file_untouched(run_glnn, tmp_path, args, message):
    (tmp_path / "garbage.npz").write_bytes(b"PK\x03\x04 nonsense")
    Network(seed=1, depth=2, width=3).save(tmp_path / "ok.npz")
    out = tmp_path / "keep.png"
    out.write_bytes(b"precious")
    full = ["render", "--size", "8x8", "--out", "keep.png"] + args
    r = run_glnn(*full)
    assert r.returncode == 2, (r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert message in lines[0], lines[0]
    assert out.read_bytes() == b"precious"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_interrupted_write_leaves_old_file(tmp_path, monkeypatch):
    """An error while writing (here: a failing encoder) keeps the old file and leaves no temporary."""
    from glnn import images

    out = tmp_path / "x.png"
    out.write_bytes(b"old")

    def boom(*a, **k):
        raise RuntimeError("encoder failed")

    monkeypatch.setattr("PIL.Image.Image.save", boom)
    with pytest.raises(RuntimeError):
        images.save_picture(np.zeros((4, 4, 3), np.float32), out)
    assert out.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["x.png"]


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
    from glnn import colour

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
    from glnn.recipe import read_recipe

    v = read_recipe(tmp_path / "n.png").view
    assert v.center == (-1.0, 2.0) and v.time == -3.0
