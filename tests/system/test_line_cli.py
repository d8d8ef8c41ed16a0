"""glnn stats --line and the regions probe's note through the real console entry (issue 36)."""
import json

import pytest

from glnn import Network
from glnn.explore.line_stats import regions_along


def test_stats_line_json_and_table(run_glnn):
    args = ["stats", "--activation", "relu", "--depth", "6", "--width", "20", "--init", "he", "--gain", "1",
            "--bias-scale", "0.05", "--seed", "3", "--size", "16x16", "--line", "-1,0.3:1,0.3"]
    r = run_glnn(*args, "--json")
    assert r.returncode == 0, r.stderr
    (result,) = json.loads(r.stdout)
    line = result["line"]
    net = Network(activation="relu", depth=6, width=20, init="he", gain=1.0, bias_scale=0.05, seed=3)
    assert [l["regions"] for l in line["layers"]] == regions_along(net, (-1, 0.3), (1, 0.3))
    assert line["beta"] == pytest.approx(0.25) and line["from"] == [-1.0, 0.3] and line["to"] == [1.0, 0.3]
    for l in line["layers"][:-1]:
        assert l["regions_predicted"] > 1 and l["length"] > 0 and l["length_predicted"] > 0 and l["exact"]
    assert "Hanin & Rolnick" in line["sources"]["regions"]
    r = run_glnn(*args)
    assert r.returncode == 0, r.stderr
    assert "# along the line (-1, 0.3) -> (1, 0.3)" in r.stdout and "regions  predicted  per length" in r.stdout


@pytest.mark.parametrize("value, message", [("1,2", "X0,Y0:X1,Y1"), ("0,0:0,0", "must differ"),
                                            ("1e300,0:1,1", "within 1e6")])
def test_stats_line_bad_input(run_glnn, value, message):
    r = run_glnn("stats", "--depth", "3", "--size", "8x8", "--line", value)
    assert r.returncode == 2 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "Traceback" not in r.stderr


def test_regions_probe_says_its_regions_per_unit_area(run_glnn, tmp_path):
    r = run_glnn("render", "--activation", "relu", "--depth", "3", "--width", "16", "--init", "he", "--gain", "1.5",
                 "--bias-scale", "1", "--extent", "2", "--size", "96x64", "--probe", "regions", "--backend", "numpy",
                 "--out", "r.png")
    assert r.returncode == 0, r.stderr
    note = [l for l in r.stderr.splitlines() if "linear regions in the view" in l]
    assert len(note) == 1, r.stderr
    count, per_area = int(note[0].split()[0].replace(",", "")), float(note[0].split(", ")[1].split()[0])
    assert count > 20 and per_area == pytest.approx(count / (6.0 * 4.0), rel=1e-3)   # 96x64 at extent 2: 6 x 4
    r = run_glnn("render", "--activation", "relu", "--depth", "3", "--size", "32x32", "--probe", "regions", "-q",
                 "--out", "q.png")
    assert r.returncode == 0 and r.stderr == ""
