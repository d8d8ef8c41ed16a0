"""The colour stage (glnn/model/colour.py): what each mode means, and bad modes are one clear error (numpy against the
window's GLSL: tests/gl/test_colour_gl.py)."""
import numpy as np
import pytest

from glnn.model import colour
from glnn.errors import GlnnError
from glnn.io.images import save_picture, to_image


def raw_picture(channels, h=6, w=9):
    rng = np.random.default_rng(channels)
    return rng.uniform(-0.5, 1.5, (h, w, channels)).astype(np.float32)   # some below 0, some above 1


def test_default_modes_follow_channels():
    assert colour.mode_for(3).name == "rgb" and colour.mode_for(1).name == "gray"
    assert to_image(raw_picture(1)).mode == "L" and to_image(raw_picture(3)).mode == "RGB"
    red = colour.apply(raw_picture(3), "red")
    assert not red[:, :, 1:].any() and red[:, :, 0].any()


def test_generated_glsl_matches_the_table():
    src = colour.glsl_source()
    for m in colour.TABLE:
        assert f"#define COLOUR_{m.name.replace(':', '_').upper()} {colour.IDS[m.name]}" in src


def test_hsv_hsl_and_palettes_mean_what_they_say():
    pure = np.array([[[0.0, 1.0, 1.0], [1 / 3, 1.0, 1.0], [2 / 3, 1.0, 1.0], [0.5, 0.0, 0.7]]], np.float32)
    np.testing.assert_allclose(colour.apply(pure, "hsv")[0], [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.7, 0.7, 0.7]],
                               atol=1e-6)
    hsl = np.array([[[0.0, 1.0, 0.5], [2 / 3, 1.0, 0.25], [0.3, 0.5, 1.0]]], np.float32)
    np.testing.assert_allclose(colour.apply(hsl, "hsl")[0], [[1, 0, 0], [0, 0, 0.5], [1, 1, 1]], atol=1e-6)
    ends = np.array([[[-1.0], [0.0], [1.0], [2.0]]], np.float32)
    for name in ("viridis", "magma", "inferno", "plasma", "cividis", "turbo", "twilight"):
        table = colour._palette_table(name)
        assert table.shape == (256, 3)
        got = colour.apply(ends, f"palette:{name}")[0]
        np.testing.assert_allclose(got, [table[0], table[0], table[255], table[255]], atol=1e-7)
    assert np.abs(colour._palette_table("twilight")[0] - colour._palette_table("twilight")[255]).max() < 0.05
    # viridis rises in lightness from dark violet to yellow
    v = colour._palette_table("viridis")
    assert v[0].sum() < 0.7 and v[255].sum() > 2.0


@pytest.mark.parametrize("channels,mode,message", [(3, "sepia", "unknown colour mode"), (1, "rgb", "reads 3"),
                                                   (3, "gray", "reads 1"), (3, "palette:viridis", "reads 1"),
                                                   (1, "hsv", "reads 3"), (1, "palette:nope", "unknown colour")])
def test_bad_modes_are_one_clear_error(tmp_path, channels, mode, message):
    with pytest.raises(GlnnError, match=message):
        colour.apply(raw_picture(channels), mode)
    with pytest.raises(GlnnError, match=message):
        save_picture(raw_picture(channels), tmp_path / "x.png", mode)
    assert list(tmp_path.iterdir()) == []
