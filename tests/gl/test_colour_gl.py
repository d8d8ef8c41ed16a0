"""The colour stage's GLSL (display.frag) gives numpy's colours, mode by mode."""
import numpy as np
import pytest

from glnn.model import colour
from glnn.gl.programs import BINDINGS, ProgramDesc


def raw_picture(channels, h=6, w=9):
    rng = np.random.default_rng(channels)
    return rng.uniform(-0.5, 1.5, (h, w, channels)).astype(np.float32)   # some below 0, some above 1


def glsl_colours(gl, raw, mode):
    """display.frag's output for raw outputs `raw`, as float RGB (H, W, 3), row 0 at the top."""
    res = gl.device.resources
    h, w, c = raw.shape
    rgba = np.zeros((h, w, 4), np.float32)
    rgba[:, :, :c] = raw
    src = res.target("colour-src", (w, h))
    src.color_attachments[0].write(rgba.tobytes())
    dst = res.target("colour-dst", (w, h))
    prog = gl.device.programs.get(ProgramDesc.fullscreen("display.frag"))
    src.color_attachments[0].use(BINDINGS["TEX_PICTURE"])
    dst.use()
    dst.viewport = (0, 0, w, h)
    prog.set(u_viewport=(float(w), float(h)), u_colour=colour.IDS[mode])
    prog.draw_fullscreen()
    out = np.frombuffer(dst.read(components=4, dtype="f4"), np.float32).reshape(h, w, 4)
    return out[::-1, :, :3]   # the display flips so that row 0 is at the top of the window


@pytest.mark.parametrize("mode", colour.NAMES)
def test_numpy_and_glsl_agree(gl, mode):
    m = colour.BY_NAME[mode]
    raw = raw_picture(m.inputs)
    expected = colour.apply(raw, mode)
    assert expected.shape[2] == m.outputs and expected.min() >= 0 and expected.max() <= 1
    rgb = np.repeat(expected, 3, axis=2) if m.outputs == 1 else expected
    np.testing.assert_allclose(glsl_colours(gl, raw, mode), rgb, atol=1e-6)
    assert np.array_equal(colour.to_uint8(raw, mode), np.rint(expected * 255).astype(np.uint8))
