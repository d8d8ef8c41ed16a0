"""glnn bench --quick --json runs here and emits well-formed results (no timing assertions)."""
import json


def test_bench_quick_json(run_glnn):
    r = run_glnn("bench", "--quick", "--json", "--budget", "1", timeout=600)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["machine"]["quick"] is True and data["machine"]["auto"]["fused"] in ("gl", "cpu")
    rows = data["results"]
    backends = {row["backend"] for row in rows}
    assert {"gl", "cpu", "numpy", "plain numpy"} <= backends
    for row in rows:
        assert row["case"] and row["size"][0] > 0
        if "skipped" not in row:
            assert row["ms"] > 0 and row["gflops"] > 0 and row["runs"] >= 1
            assert row["ratio_to_plain_numpy"] > 0
        if row["backend"] in ("gl", "cpu") and "skipped" not in row:
            assert row["recompiled"] is False and row["new_seed_scale_ms"] > 0
        if row["backend"] == "gl":
            assert row["compile_ms"] > 0 and row["path"] in ("fragment", "compute", "layered", "gemm")
    assert data["process"]["glnn_s"] > 0 and data["process"]["plain_s"] > 0


def test_bench_bad_budget(run_glnn):
    r = run_glnn("bench", "--budget", "-1")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
