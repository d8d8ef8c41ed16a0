"""Every picture carries its recipe: `--from` re-renders it exactly, larger, or changed; a damaged or foreign
recipe is one line and exit 2, with nothing written."""
import json

import numpy as np
import pytest
from PIL import Image

from glnn import Network, View
from glnn.io import metadata
from glnn.io.recipe import read_recipe

MANY = ["--seed", 12345, "--depth", 9, "--width", 13, "--channels", 1, "--inputs", 7, "--activation", "mix",
        "--output-activation", "gaussian", "--init", "normal", "--scale", 0.45, "--bias-scale", 0.3, "--gain", 1.7,
        "--center", "0.25,-0.5", "--extent", 1.7, "--time", 2.25, "--size", "37x23"]


def pixels(path):
    return np.asarray(Image.open(path))


def test_rerender_from_the_png_is_identical(run_glnn, tmp_path):
    for backend in ("cpu", "gl", "numpy"):
        r = run_glnn("render", *MANY, "--backend", backend, "--color", "gray", "--out", f"a-{backend}.png")
        assert r.returncode == 0, r.stderr
        r = run_glnn("render", "--from", f"a-{backend}.png", "--out", f"b-{backend}.png")
        assert r.returncode == 0, r.stderr
        a, b = pixels(tmp_path / f"a-{backend}.png"), pixels(tmp_path / f"b-{backend}.png")
        assert a.shape == (23, 37) and a.std() > 1 and np.array_equal(a, b), backend
    recipe = read_recipe(tmp_path / "a-gl.png")
    assert recipe.backend == "gl" and recipe.colour == "gray" and recipe.view == View(37, 23, (0.25, -0.5), 1.7, 2.25)
    n = recipe.network
    assert (n.seed, n.depth, n.width, n.channels, n.inputs, n.activation, n.init) == (12345, 9, 13, 1, 7, "mix", "normal")


def test_from_a_saved_network_larger_and_with_overrides(run_glnn, tmp_path):
    Network(seed=4, depth=6, width=11, inputs=3).save(tmp_path / "n.npz", View(8, 8, time=0.5, extent=2.0))
    assert run_glnn("render", "--network", "n.npz", "--size", "30x20", "--backend", "cpu", "--out", "a.png").returncode == 0
    r = run_glnn("render", "--from", "a.png", "--size", "90x60", "--out", "big.npy")
    assert r.returncode == 0, r.stderr
    direct = run_glnn("render", "--network", "n.npz", "--size", "90x60", "--backend", "cpu", "--out", "direct.npy")
    assert direct.returncode == 0
    assert np.array_equal(np.load(tmp_path / "big.npy"), np.load(tmp_path / "direct.npy"))
    r = run_glnn("render", "--from", "a.png", "--seed", 5, "--extent", 3, "--out", "c.png")
    assert r.returncode == 0, r.stderr
    changed = read_recipe(tmp_path / "c.png")
    assert changed.network.seed == 5 and changed.network.inputs == 3 and changed.view.extent == 3.0
    assert changed.view.time == 0.5 and changed.view.size == (30, 20)


def test_info_prints_the_recipe_and_its_command(run_glnn, tmp_path):
    assert run_glnn("render", "--seed", 7, "--depth", 4, "--size", "16x16", "--out", "a.png").returncode == 0
    r = run_glnn("info", "a.png")
    assert r.returncode == 0, r.stderr
    assert "seed 7, 4 x 30 tanh" in r.stdout and "command: glnn render --seed 7 --depth 4 --size 16x16" in r.stdout
    r = run_glnn("info", "a.png", "--json")
    data = json.loads(r.stdout)
    assert data["network"]["seed"] == 7 and data["view"]["size"] == [16, 16] and data["weights"] == "(embedded)"


def test_animations_carry_their_recipe(run_glnn, tmp_path):
    args = ["--seed", 2, "--depth", 5, "--width", 8, "--inputs", 4, "--sweep", "time:0:6.283185307179586",
            "--sweep", "scale:0.5:0.7", "--frames", 4, "--fps", 8, "--size", "20x16", "--backend", "cpu"]
    for ext in ("gif", "png", "webp"):
        r = run_glnn("animate", *args, "--out", f"a.{ext}")
        assert r.returncode == 0, r.stderr
        recipe = read_recipe(tmp_path / f"a.{ext}")
        assert recipe.animation.frames == 4 and recipe.animation.fps == 8.0 and len(recipe.animation.sweeps) == 2
        r = run_glnn("animate", "--from", f"a.{ext}", "--out", f"b.{ext}")
        assert r.returncode == 0, r.stderr
        a, b = Image.open(tmp_path / f"a.{ext}"), Image.open(tmp_path / f"b.{ext}")
        assert a.n_frames == b.n_frames == 4
        for i in range(4):
            a.seek(i)
            b.seek(i)
            assert np.array_equal(np.asarray(a.convert("RGB")), np.asarray(b.convert("RGB"))), (ext, i)
    assert "animation: time:0.0:6.283185307179586, scale:0.5:0.7; 4 frames at 8 fps" in run_glnn("info", "a.gif").stdout


def test_mp4_carries_the_recipe_without_weights(run_glnn, tmp_path):
    pytest.importorskip("imageio_ffmpeg", reason="the test extra installs imageio-ffmpeg")
    r = run_glnn("animate", "--depth", 3, "--sweep", "scale:0.4:0.8", "--frames", 2, "--size", "16x16", "--out", "a.mp4")
    assert r.returncode == 0, r.stderr
    data = (tmp_path / "a.mp4").read_bytes()
    assert b'"format":"glnn-recipe"' in data and b'"weights"' not in data


def test_grid_cells_each_have_a_recipe(run_glnn, tmp_path):
    r = run_glnn("figures", "--out", "figs", "--only", "9,11", "--resolution-scale", "0.25", "--backend", "cpu")
    assert r.returncode == 0, r.stderr
    grid = pixels(tmp_path / "figs" / "fig09.png")
    data = metadata.read_recipe_json(tmp_path / "figs" / "fig09.png")
    assert len(data["cells"]) == 40
    x, y, w, h = data["cells"][12]["rect"]
    r = run_glnn("render", "--from", "figs/fig09.png", "--cell", 13, "--out", "cell.png")
    assert r.returncode == 0, r.stderr
    assert np.array_equal(pixels(tmp_path / "cell.png"), grid[y:y + h, x:x + w])
    assert read_recipe(tmp_path / "figs" / "fig09.png", cell=13).network.depth == 3
    r = run_glnn("render", "--from", "figs/fig09.png", "--out", "x.png")
    assert r.returncode == 2 and "a grid of 40 pictures" in r.stderr and not (tmp_path / "x.png").exists()
    assert read_recipe(tmp_path / "figs" / "fig11.png").network.depth == 27


def test_supersampled_pictures_remember_it(run_glnn, tmp_path):
    r = run_glnn("render", "--depth", 8, "--size", "24x16", "--supersample", 3, "--backend", "cpu", "--out", "s.png")
    assert r.returncode == 0, r.stderr
    recipe = read_recipe(tmp_path / "s.png")
    assert recipe.supersample == 3 and "--supersample 3" in recipe.command()
    assert run_glnn("render", "--from", "s.png", "--out", "t.png").returncode == 0
    assert np.array_equal(pixels(tmp_path / "s.png"), pixels(tmp_path / "t.png"))
    plain = run_glnn("render", "--from", "s.png", "--supersample", 1, "--out", "p.png")
    assert plain.returncode == 0 and not np.array_equal(pixels(tmp_path / "s.png"), pixels(tmp_path / "p.png"))
    for args in (["render", "--supersample", 9, "--out", "x.png"], ["figures", "--supersample", 0, "--out", "f"]):
        r = run_glnn(*args)
        assert r.returncode == 2 and "--supersample" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = run_glnn("figures", "--out", "f", "--only", "11", "--resolution-scale", "0.05", "--supersample", 2)
    assert r.returncode == 0, r.stderr
    assert read_recipe(tmp_path / "f" / "fig11.png").supersample == 2


@pytest.mark.parametrize("flags", [["--activation", "relu", "--depth", "5"],
                                   ["--activation", "sin", "--scale", "0.5", "--channels", "1"],
                                   ["--init", "he", "--gain", "1.3", "--activation", "leaky_relu"]])
def test_the_command_a_picture_carries_makes_the_same_picture(run_glnn, tmp_path, flags):
    """Every hyperparameter that differs from glnn's defaults appears in the command (the activation too)."""
    import shlex
    assert run_glnn("render", *flags, "--size", "24x16", "--backend", "cpu", "--out", "a.png").returncode == 0
    command = read_recipe(tmp_path / "a.png").command(out="b.png")
    assert "--activation" in command
    r = run_glnn(*shlex.split(command)[1:])
    assert r.returncode == 0, r.stderr
    assert np.array_equal(np.asarray(Image.open(tmp_path / "a.png")), np.asarray(Image.open(tmp_path / "b.png")))


@pytest.mark.parametrize("backend", ["numpy", "cpu"])
@pytest.mark.parametrize("flags", [["--features", "x,y,r,bias", "--activation", "tanh,sin,relu"],
                                   ["--features", "ax,ay,r", "--activation", "mix-units", "--depth", "5"],
                                   ["--features", "r,bias", "--inputs", "3", "--activation", "sin,gaussian",
                                    "--time", "0.5"]])
def test_features_and_activation_lists_round_trip(run_glnn, tmp_path, flags, backend):
    """The network as data in a picture: --from re-renders it exactly (its embedded weights, per-unit
    activations included), and the command it carries says --features and --activation verbatim and re-runs
    to the same pixels."""
    import shlex
    r = run_glnn("render", *flags, "--size", "24x16", "--backend", backend, "--out", "a.png")
    assert r.returncode == 0, r.stderr
    r = run_glnn("render", "--from", "a.png", "--out", "b.png")
    assert r.returncode == 0, r.stderr
    a = pixels(tmp_path / "a.png")
    assert a.std() > 1 and np.array_equal(a, pixels(tmp_path / "b.png"))
    recipe = read_recipe(tmp_path / "a.png")
    given = dict(zip(flags[::2], flags[1::2]))
    assert recipe.network.features == given["--features"] and recipe.network.activation == given["--activation"]
    command = recipe.command(out="c.png")
    words = shlex.split(command)
    for flag in ("--features", "--activation"):
        assert words[words.index(flag) + 1] == given[flag], command
    r = run_glnn(*words[1:])
    assert r.returncode == 0, r.stderr
    assert np.array_equal(a, pixels(tmp_path / "c.png"))
    info = run_glnn("info", "a.png")
    assert info.returncode == 0, info.stderr
    assert f"inputs: {given['--features']}" in info.stdout and "activations: 1 " in info.stdout


@pytest.mark.parametrize("flags", [["--features", "x,y,r,bias", "--activation", "tanh,sin", "--inputs", 3,
                                    "--sweep", "time:0:3", "--sweep", "scale:0.5:0.9"],
                                   ["--features", "ax,ay", "--activation", "mix-units", "--sweep", "seed:1:3"]])
def test_animations_carry_features_and_activation_lists(run_glnn, tmp_path, flags):
    """An animation's recipe holds the features and the activation list: --from, and the command it carries,
    make the same frames; a morph between seeds of a mix-units network too."""
    import shlex
    r = run_glnn("animate", *flags, "--depth", 5, "--width", 8, "--frames", 3, "--size", "20x16", "--backend", "cpu",
                 "--out", "a.gif")
    assert r.returncode == 0, r.stderr
    recipe = read_recipe(tmp_path / "a.gif")
    given = dict(zip(flags[::2], flags[1::2]))
    assert recipe.network.features == given["--features"] and recipe.network.activation == given["--activation"]
    words = shlex.split(recipe.command(out="c.gif"))
    assert words[words.index("--features") + 1] == given["--features"]
    for args, out in ((["--from", "a.gif"], "b.gif"), (words[2:-2], "c.gif")):
        r = run_glnn("animate", *args, "--out", out)
        assert r.returncode == 0, r.stderr
        a, b = Image.open(tmp_path / "a.gif"), Image.open(tmp_path / out)
        assert a.n_frames == b.n_frames == 3
        frames = set()
        for i in range(3):
            a.seek(i)
            b.seek(i)
            assert np.array_equal(np.asarray(a.convert("RGB")), np.asarray(b.convert("RGB"))), (out, i)
            frames.add(np.asarray(a.convert("RGB")).tobytes())
        assert len(frames) == 3
