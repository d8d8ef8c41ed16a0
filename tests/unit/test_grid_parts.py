"""glnn grid's parts in this process: --vary specs, sheet limits, the PNG stream, bands that make the whole picture,
and an animation too large to keep in memory refused up front."""
import numpy as np
import pytest
from PIL import Image

from cli_checks import one_line_error
from glnn import Network, View
from glnn.explore import grid
from glnn.errors import GlnnError
from glnn.io.png_stream import PNGStream


def plan(*specs, cols=None, size=(48, 40), backend="cpu", **base):
    return grid.plan(base, View(*size), None, [grid.parse_vary(s) for s in specs], backend, cols)


def test_parse_vary():
    assert grid.parse_vary("seed=1:4").values == (1, 2, 3, 4)
    assert grid.parse_vary("depth=5:3").values == (5, 4, 3)
    assert grid.parse_vary("scale=0.5:1.5:3").values == (0.5, 1.0, 1.5)
    assert grid.parse_vary("extent=1:100:3x").values == pytest.approx((1, 10, 100))
    assert grid.parse_vary("activation=tanh,relu").values == ("tanh", "relu")
    assert grid.parse_vary("color=gray,palette:magma").name == "colour"
    assert grid.parse_vary("bias-scale=0,0.5").values == (0.0, 0.5)
    for spec, message in [("foo=1:2", "unknown name"), ("seed=", "empty range"), ("seed", "NAME=SPEC"),
                          ("scale=0.5:1", "A:B:N"), ("scale=1:2:0", "empty range"), ("extent=0:1:3x", "above 0"),
                          ("seed=a:3", "not a whole number"), ("seed=1,,2", "empty value")]:
        with pytest.raises(GlnnError, match=message):
            grid.parse_vary(spec)


def test_vary_lists_of_lists_split_on_semicolons():
    """A value list with ';' is split there (each value may hold commas); without, on commas as before."""
    assert grid.parse_vary("features=x,y;x,y,r").values == ("x,y", "x,y,r")
    assert grid.parse_vary("activation=tanh; tanh,sin ;mix-units").values == ("tanh", "tanh,sin", "mix-units")
    assert grid.parse_vary("activation=tanh,sin").values == ("tanh", "sin")
    assert grid.parse_vary("seed=1;5").values == (1, 5)
    with pytest.raises(GlnnError, match="empty value"):
        grid.parse_vary("features=x,y;;r")
    sheet = plan("features=x,y;r,bias;ax,ay,r", "activation=tanh;tanh,sin;mix-units", width=4, depth=3)
    assert [r.network.features for r in sheet.recipes][::3] == ["x,y", "r,bias", "ax,ay,r"]
    assert [r.network.activation for r in sheet.recipes][:3] == ["tanh", "tanh,sin", "mix-units"]
    cells = grid.sheet_recipe(sheet)["cells"]   # the compact recipe sets each cell's features and activation
    assert cells[3]["set"]["features"] == "r,bias" and cells[5]["set"]["activation"] == "mix-units"
    assert "features" not in cells[0]["set"] and cells[1]["set"]["activation"] == "tanh,sin"
    assert "features" not in sheet.title and "features r,bias" in plan("seed=1:2", features="r,bias").title
    for spec, message in [("features=x,y;x,q", "cell 2 \\(features x,q\\): unknown feature 'q'"),
                          ("features=x,y;x,x", "names one twice"),
                          ("activation=tanh;tanh,nope", "cell 2 .*nope")]:
        with pytest.raises(GlnnError, match=message):
            plan(spec)


def test_bad_sheets():
    for args, kw, message in [((), {}, "give --vary"), (("seed=1:2", "depth=1:2", "width=1:2"), {}, "at most two"),
                              (("seed=1:2", "seed=3:4"), {}, "given twice"), (("seed=1:4",), {"cols": 5}, "--cols"),
                              (("seed=1:2", "depth=2:3"), {"cols": 1}, "--cols goes with one"),
                              (("seed=1:800", "depth=1:64"), {"size": (128, 128)}, "over 65,535 a side"),
                              (("depth=0:2",), {}, "cell 1 \\(depth 0\\): depth must be")]:
        with pytest.raises(GlnnError, match=message):
            plan(*args, **kw)


def test_png_stream_reads_back(tmp_path):
    rng = np.random.default_rng(1)
    pic = rng.integers(0, 256, (301, 17, 3), dtype=np.uint8)
    with open(tmp_path / "a.png", "wb") as f:
        png = PNGStream(f, 17, 301, 3, {"format": "x", "n": 1})
        for r in range(0, 301, 50):
            png.write(pic[r:r + 50])
        png.close()
    im = Image.open(tmp_path / "a.png")
    assert np.array_equal(np.asarray(im), pic) and '"n":1' in im.text["glnn-recipe"]
    with pytest.raises(ValueError):
        PNGStream(open(tmp_path / "b.png", "wb"), 4, 4, 1).close()


def test_a_gif_that_would_not_fit_in_memory_is_refused_up_front(cli, tmp_path):
    from glnn.io.animation_writer import check_memory
    assert check_memory("a.mp4", 10 ** 6, (4096, 4096), 3, available=1 << 30) > 0   # streams: never refused
    with pytest.raises(GlnnError, match=r"need about .* MB in memory .* write \.mp4"):
        check_memory("a.gif", 1000, (512, 512), 3, available=1 << 28)
    status, _, err = cli("animate", "--sweep", "scale:0.4:0.8", "--frames", "100000", "--size", "4096x4096",
                         "--out", "x.gif")
    one_line_error(status, err, "keeps every frame")
    assert list(tmp_path.iterdir()) == []


def test_render_in_bands_is_the_whole_picture(tmp_path):
    """Rendered band by band (bands of about 1,000 pixels, each written as it comes), the picture is the whole
    render: every row once, in order. Different call shapes chunk the pixels differently (the cpu backend's
    4,096-pixel chunks end at other pixels), so the floats may differ in their last bit: compared within 1e-6,
    and the 8-bit picture within one step."""
    from glnn.model import colour
    from glnn.backends.base import bands, supersampled
    from glnn.backends.cpu import CPUBackend
    from glnn.io.images import save_bands

    net = Network(seed=5, depth=5, width=10)
    view = View(123, 77, extent=1.4)
    cpu = CPUBackend()
    whole = cpu.render(net, view)
    assert whole.std() > 0.05   # a picture with structure: misplaced rows would show
    seen = []
    save_bands(bands(cpu, net, view, band_pixels=1000, progress=seen.append), tmp_path / "a.png", view.size, 3)
    assert len(seen) > 5 and seen == sorted(seen) and seen[-1] == 77   # rows done, growing to the height
    png = np.asarray(Image.open(tmp_path / "a.png")).astype(int)
    assert png.shape == (77, 123, 3) and np.abs(png - colour.to_uint8(whole)).max() <= 1
    save_bands(bands(cpu, net, view, band_pixels=1000), tmp_path / "a.npy", view.size, 3)
    banded = np.load(tmp_path / "a.npy")
    assert banded.dtype == np.float32 and banded.shape == whole.shape
    np.testing.assert_allclose(banded, whole, rtol=0, atol=1e-6)
    # a band shifted by one row would be far off: the tolerance is about rounding, not placement
    assert np.abs(banded[1:] - whole[:-1]).max() > 1e-3
    two = list(bands(cpu, net, view, k=2, band_pixels=3000))
    assert np.abs(np.concatenate(two) - supersampled(cpu, net, view, 2)).max() < 1e-6
