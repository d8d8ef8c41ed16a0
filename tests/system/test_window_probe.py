"""`glnn view --probe`: the window starts on the probe, and its screenshot carries it (under Xvfb, xdotool)."""
import pytest
from PIL import Image

from glnn.io.recipe import read_recipe

from test_window import Viewer, display  # noqa: F401  (the module's Xvfb fixture)

pytestmark = pytest.mark.needs("xvfb", "xdotool")   # tests/conftest.py: skips where missing, fails under CI=true


def test_view_starts_on_a_probe(display, tmp_path):  # noqa: F811
    v = Viewer(display, ["--activation", "relu", "--depth", "4", "--width", "6", "--size", "160x120", "--probe",
                         "regions", "--screenshot-dir", str(tmp_path)], tmp_path)
    v.wait_title("probe regions")
    v.key("s")
    shot = v.expect("screenshot:")
    assert read_recipe(shot).probe == "regions" and Image.open(shot).size == (160, 120)
    v.key("q", check=False)
    assert v.proc.wait(30) == 0
