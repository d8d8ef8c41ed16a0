"""glnn probe and glnn stats through the real console entry."""
import numpy as np
from PIL import Image


def test_probe_cli(run_glnn, tmp_path):
    r = run_glnn("render", "--activation", "relu", "--depth", "4", "--width", "10", "--extent", "3",
                 "--size", "64x48", "--probe", "regions", "--out", "r.png")
    assert r.returncode == 0, r.stderr
    assert Image.open(tmp_path / "r.png").mode == "RGB"
    assert run_glnn("render", "--from", "r.png", "--out", "again.png").returncode == 0
    assert np.array_equal(np.asarray(Image.open(tmp_path / "r.png")), np.asarray(Image.open(tmp_path / "again.png")))
    r = run_glnn("render", "--depth", "5", "--probe", "units:2", "--size", "96x64", "--out", "u.png")
    assert r.returncode == 0 and Image.open(tmp_path / "u.png").mode == "L"
    r = run_glnn("render", "--depth", "5", "--probe", "saturation", "--size", "32x32", "--out", "s.png")
    assert r.returncode == 0 and Image.open(tmp_path / "s.png").mode == "RGB"   # a palette heat map
    for args, message in [(["--probe", "units:12"], "not a hidden layer"),
                          (["--probe", "regions", "--activation", "relu", "--depth", "20", "--width", "100",
                            "--extent", "20", "--size", "128x128"], "activation patterns, more than"),
                          (["--probe", "unit:2:2", "--supersample", "2"], "does not apply")]:
        r = run_glnn("render", *args, "--out", "bad.png")
        assert r.returncode == 2 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not (tmp_path / "bad.png").exists()


def test_stats_cli(run_glnn, tmp_path):
    r = run_glnn("stats", "--activation", "relu", "--depth", "5", "--width", "12", "--init", "uniform,he,glorot",
                 "--size", "48x48", "--plot", "n.png")
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("# 5 x 12 relu") == 3 and "patterns" in r.stdout
    assert Image.open(tmp_path / "n.png").size == (720, 480)
    r = run_glnn("stats", "--depth", "3", "--size", "16x16", "--json")
    import json
    data = json.loads(r.stdout)
    assert [l["layer"] for l in data[0]["layers"]] == [1, 2, 3]
    for args, message in [(["--init", "he,he"], "different inits"), (["--init", "he,bogus"], "unknown init"),
                          (["--plot", "x.txt"], "unknown format")]:
        r = run_glnn("stats", *args)
        assert r.returncode == 2 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
