"""GIF frames are dithered (Floyd-Steinberg) towards their palette by default: a smooth gradient of more colours
than a palette holds keeps its local average instead of banding; --no-dither turns it off."""
import numpy as np
import pytest
from PIL import Image, ImageSequence

from glnn.io.animation_writer import AnimationWriter


def gradient(h=64, w=256):
    """Raw outputs whose colours (far more than 256) change smoothly across the frame."""
    x = np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :]
    y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    return np.stack(np.broadcast_arrays(0.2 + 0.6 * x, 0.3 + 0.5 * y * x, 0.9 - 0.7 * x * (1 - y)), axis=2)


def write(path, dither, palette="frame"):
    raw = gradient()
    with AnimationWriter(path, 10, channels=3, dither=dither, palette=palette, mode="rgb") as w:
        for k in range(3):
            w.add(raw * np.float32(1 - 0.05 * k))
    frames = [np.asarray(f.convert("RGB"), np.float64) for f in ImageSequence.Iterator(Image.open(path))]
    return frames, [np.clip(raw * np.float32(1 - 0.05 * k), 0, 1) * 255 for k in range(3)]


def block_error(got, want, b=8):
    """Mean absolute error of b x b block averages: what the eye sees of a dithered picture."""
    h, w = (s // b * b for s in got.shape[:2])
    mean = lambda a: a[:h, :w].reshape(h // b, b, w // b, b, 3).mean(axis=(1, 3))  # noqa: E731
    return np.abs(mean(got) - mean(want)).mean()


@pytest.mark.parametrize("palette", ["frame", "global"])
def test_gif_frames_are_dithered_by_default_and_not_with_no_dither(tmp_path, palette):
    dithered, want = write(tmp_path / "d.gif", True, palette)
    plain, _ = write(tmp_path / "p.gif", False, palette)
    assert (tmp_path / "d.gif").read_bytes() != (tmp_path / "p.gif").read_bytes()
    for k, (d, p, t) in enumerate(zip(dithered, plain, want)):
        # no banding: dithering keeps the gradient's local average (within a level where the palette is the
        # frame's own; a global palette is the first frame's), closer than flat bands do
        assert block_error(d, t) < block_error(p, t)
        if palette == "frame" or k == 0:
            assert block_error(d, t) < 1.0
        # flat bands: long runs of one colour along the gradient without dithering, few with it
        runs = lambda a: (np.abs(np.diff(a, axis=1)).sum(axis=2) == 0).mean()  # noqa: E731
        assert runs(d) < runs(p)
