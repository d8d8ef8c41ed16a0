"""glnn animate through the real console entry."""
from PIL import Image


def test_cli_animate_quiet_when_not_a_terminal(run_glnn, tmp_path):
    r = run_glnn("animate", "--seed", 3, "--depth", 5, "--width", 10, "--sweep", "scale:0.4:0.8", "--frames", 3,
                 "--size", "24x24", "--out", "a.gif")
    assert r.returncode == 0, r.stderr
    assert "frames 1/3" not in r.stderr and "wrote a.gif (3 frames" in r.stderr
    assert Image.open(tmp_path / "a.gif").n_frames == 3
