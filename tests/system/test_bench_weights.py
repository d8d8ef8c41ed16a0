"""glnn bench --weights --quick: the web page's weight drawing (glnn_random.js in node) against numpy's, on a tiny
size: the output's shape, never its speed (the speed targets live in the bench and the README). Without node it
says in one line what to install (exit 2)."""
import json
import re
import shutil

import pytest

from cli_checks import one_line_error

needs_node = pytest.mark.needs("node")   # tests/conftest.py: skips where missing, fails under CI=true


@needs_node
def test_bench_weights_quick_json(run_glnn):
    r = run_glnn("bench", "--weights", "--quick", "--json", timeout=300)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["quick"] is True and data["n"] == 4096 and data["runs"] == 3
    for side in ("node", "numpy"):
        d = data[side]
        assert d["version"]
        for kind in ("uniform", "normal"):
            assert d[f"{kind}_ms"] > 0
            assert d[f"{kind}_mdraws_per_s"] == pytest.approx(data["n"] / (1000 * d[f"{kind}_ms"]))
    assert [c["case"] for c in data["networks"]] == ["3x8"]
    c = data["networks"][0]
    assert c["weights"] == 2 * 8 + 8 + 8 * 8 + 8 + 8 * 3 + 3 and c["node_ms"] > 0 and c["numpy_ms"] > 0


@needs_node
def test_bench_weights_quick_text(run_glnn):
    r = run_glnn("bench", "--weights", "--quick", timeout=300)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert lines[0].startswith("weights: glnn_random.js in node v") and "numpy" in lines[0]
    assert lines[1].split() == ["node", "numpy", "numpy/node"]
    number = r"\s+[0-9.]+" * 2 + r"\s+[0-9.]+x"
    assert re.fullmatch(r"\s*uniform \(M draws/s\)" + number, lines[2]), lines[2]
    assert re.fullmatch(r"\s*normal \(M draws/s\)" + number, lines[3]), lines[3]
    assert re.fullmatch(r"\s*3x8 network \(ms\)" + number + r"\s+\(123 weights\)", lines[4]), lines[4]
    assert len(lines) == 5


def test_bench_weights_without_node(cli, monkeypatch):
    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "node" else real(name, *a, **k))
    status, out, err = cli("bench", "--weights", "--quick")
    line = one_line_error(status, err, "needs node")
    assert "install" in line and out == ""
