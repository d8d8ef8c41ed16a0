"""glnn animate through the real console entry, and .mp4 (written through an ffmpeg process)."""
import pytest
from PIL import Image

from glnn import Network
from glnn.explore import animate as anim


def test_cli_animate_quiet_when_not_a_terminal(run_glnn, tmp_path):
    r = run_glnn("animate", "--seed", 3, "--depth", 5, "--width", 10, "--sweep", "scale:0.4:0.8", "--frames", 3,
                 "--size", "24x24", "--out", "a.gif")
    assert r.returncode == 0, r.stderr
    assert "frames 1/3" not in r.stderr and "wrote a.gif (3 frames" in r.stderr
    assert Image.open(tmp_path / "a.gif").n_frames == 3


def test_mp4_frames_read_back(tmp_path):
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg", reason="the test extra installs imageio-ffmpeg")
    out = tmp_path / "a.mp4"
    anim.animate(Network(seed=1, depth=4, width=8), out, ["scale:0.4:0.9"], size=(33, 20), n_frames=6, fps=12)
    reader = imageio_ffmpeg.read_frames(str(out))
    meta = next(reader)
    assert meta["size"] == (34, 20) and meta["fps"] == 12   # padded to even sizes for yuv420p
    assert sum(1 for _ in reader) == 6
