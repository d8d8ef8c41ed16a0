"""glnn stats sizes its work before it starts (issue 36: `glnn stats --from fig11.png --json` ran 562 s silent):
without --size, a --from picture's view is measured at most at 256x256 pixels, its aspect and region kept, and the
output says which size it used; --size still wins; a long request says about how long on stderr. The mean-field
prediction's time no longer grows with the view (theory.predict_layers on a grid of first-layer lengths)."""
import json

import pytest

from glnn.cli import stats_size
from glnn.explore import propagation
from glnn.explore.layer_stats import fewer_pixels
from glnn.model import theory
from glnn.model.network import Network
from glnn.model.view import View

SMALL = ["--depth", "3", "--width", "6", "--backend", "cpu"]


def test_fewer_pixels_keeps_the_region_and_the_aspect():
    v = View(1920, 1080, (0.5, -0.25), 2.6, 1.5)
    s = fewer_pixels(v, 256 * 256)
    assert s.size == (341, 192) and s.width * s.height <= 256 * 256
    assert (s.center, s.extent, s.time) == (v.center, v.extent, v.time)
    assert fewer_pixels(View(200, 100), 256 * 256) == View(200, 100)


def test_from_a_large_picture_stats_measure_at_most_256x256_and_say_so(cli, tmp_path):
    assert cli("render", *SMALL, "--size", "600x300", "--extent", "2", "--out", "big.png")[0] == 0
    status, out, err = cli("stats", "--from", "big.png", "--json")
    assert status == 0, err
    row = json.loads(out)[0]
    assert row["size"] == [362, 181] and row["size_from"] == "picture" and row["picture_size"] == [600, 300]
    status, out, err = cli("stats", "--from", "big.png")
    assert status == 0, err
    assert "over 362x181 pixels (the picture's 600x300 view at most 65,536 pixels, the default: --size for more)" \
        in out.splitlines()[0], out.splitlines()[0]
    status, out, err = cli("stats", "--from", "big.png", "--size", "40x20", "--json")   # an explicit --size wins
    row = json.loads(out)[0]
    assert status == 0 and row["size"] == [40, 20] and row["size_from"] == "--size" and "picture_size" not in row
    # a picture that fits is measured at its own size
    assert cli("render", *SMALL, "--size", "30x20", "--out", "small.png")[0] == 0
    row = json.loads(cli("stats", "--from", "small.png", "--json")[1])[0]
    assert row["size"] == [30, 20] and row["size_from"] == "picture" and "picture_size" not in row


def test_the_default_size_is_stated_in_help_and_output(cli):
    status, out, err = cli("stats", "--help")
    assert status == 0 and "default 256x256" in " ".join(out.split()) and "at most 65,536 pixels" in \
        " ".join(out.split())
    status, out, err = cli("stats", "--depth", "2", "--width", "3", "--json")
    row = json.loads(out)[0]
    assert status == 0 and row["size"] == [256, 256] and row["size_from"] == "default" and row["backend"] == "cpu"


def test_a_long_request_says_about_how_long_on_stderr(cli, monkeypatch):
    monkeypatch.setattr(stats_size, "LONG_S", -1.0)   # every request is long: the line comes after the first band
    status, out, err = cli("stats", *SMALL, "--init", "uniform,he", "--size", "16x16", "--json")
    assert status == 0 and json.loads(out)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("glnn stats: about ") and "16x16 pixels of 2 networks" in lines[0] \
        and "a smaller --size answers sooner" in lines[0], err
    status, out, err = cli("stats", *SMALL, "--init", "uniform,he", "--size", "16x16", "--json", "-q")
    assert status == 0 and err == ""


@pytest.mark.parametrize("activation, features", [("tanh", "x,y"), ("sigmoid", "x,y,r"), ("mix-units", "x,y,bias")])
def test_predictions_on_the_grid_match_row_by_row(activation, features):
    """Above PREDICT_NODES distinct first-layer lengths the prediction uses a grid; it matches the row-by-row mean
    (every row its own node) to 1e-7."""
    net = Network(seed=3, depth=6, width=30, activation=activation, features=features, inputs=3)
    a, _ = propagation.view_inputs(net, View(120, 90, (0.3, 0.1), 1.7), step=2)
    grid, exact = theory.predict_layers(net, a), theory.predict_layers(net, a, nodes=len(a))
    assert len({float(v) for v in (a * a).sum(axis=1)}) > theory.PREDICT_NODES
    for g, e in zip(grid, exact):
        assert g["q"] == pytest.approx(e["q"], rel=1e-7) and g["growth"] == pytest.approx(e["growth"], rel=1e-7)
