"""glnn bench --quick --json runs here and emits well-formed results (no timing assertions)."""
import json

from glnn.gl.kernels import NAMES as KERNELS


def check_rows(rows):
    for row in rows:
        assert row["case"] and row["size"][0] > 0
        peer = next(p for p in rows if p["backend"] == "plain numpy" and p["case"] == row["case"])
        if "skipped" not in row:
            assert row["ms"] > 0 and row["gflops"] > 0 and row["runs"] >= 1
            # the ratio needs the peer's time: a skipped peer (a tight --budget) gives none
            assert ("ratio_to_plain_numpy" in row) == ("skipped" not in peer)
            assert row.get("ratio_to_plain_numpy", 1) > 0
        if (row["backend"] == "cpu" or row["backend"].startswith("gl:")) and "skipped" not in row:
            assert row["recompiled"] is False and row["new_seed_scale_ms"] > 0
        if row["backend"].startswith("gl:"):
            assert row["compile_ms"] > 0 and row["path"] in KERNELS and row["backend"].startswith("gl:" + row["path"])
            # within 1e-4 of the reference, or of float32 numpy's own rounding on chaotic cases
            cpu = next(c for c in rows if c["backend"] == "cpu" and c["case"] == row["case"])
            assert row["ref_max_diff"] <= max(1e-4, 10 * cpu["ref_max_diff"]), row


def test_bench_quick_json(run_glnn):
    r = run_glnn("bench", "--quick", "--json", "--budget", "1", timeout=600)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["machine"]["quick"] is True and data["machine"]["auto"]["fused"] in ("gl", "cpu")
    rows = data["results"]
    backends = {row["backend"] for row in rows}
    assert {"cpu", "numpy", "plain numpy"} <= backends
    assert any(b.startswith("gl:") for b in backends)
    check_rows(rows)
    assert data["process"]["glnn_s"] > 0 and data["process"]["plain_s"] > 0


def test_bench_every_kernel_of_chosen_cases(run_glnn):
    r = run_glnn("bench", "--json", "--case", "3x8@16x8", "--case", "2x300@4x4", "--kernels", "all",
                 "--no-process", "--budget", "5", timeout=600)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert "process" not in data
    rows = data["results"]
    assert {row["case"] for row in rows} == {"3x8 16x8", "2x300 4x4"}
    narrow = {row["backend"] for row in rows if row["case"] == "3x8 16x8"}
    wide = {row["backend"] for row in rows if row["case"] == "2x300 4x4"}
    assert {"gl:shared", "gl:compute", "gl:fragment", "gl:gemm", "gl:layered"} <= narrow
    assert {"gl:gemm", "gl:layered"} <= wide and "gl:shared" not in wide
    check_rows(rows)


def test_bench_shared_variants(run_glnn):
    r = run_glnn("bench", "--json", "--case", "2x4@8x8", "--kernels", "shared", "--shared-variants",
                 "--no-process", "--budget", "5", timeout=600)
    assert r.returncode == 0, r.stderr
    every = json.loads(r.stdout)["results"]
    check_rows(every)
    rows = [row for row in every if row["backend"].startswith("gl:")]
    assert len(rows) == 14 and all(row["path"] == "shared" for row in rows)
    assert len({(row["ppt"], row["local"]) for row in rows[1:13]}) == 12
    assert rows[13]["backend"] == "gl:shared builtin tanh"
