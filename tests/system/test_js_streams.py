"""glnn/web/glnn_random.js's raw streams against numpy, draw for draw: next_uint64, next_uint32, next_double,
uniform, standard_normal (the ziggurat's fast path, its tail and its wedges) and integers (32-bit Lemire, with its
rejections), millions of draws over several seeds, in bulk and one at a time, interleaved so that PCG64's buffered
half of a uint64 and the JS generator's draw-ahead buffer (256 outputs, two LCG chains) cross every boundary.
Doubles are compared byte for byte. (The networks built from these draws: tests/system/test_js_weights.py.)"""
import json
import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).resolve().parent
DRIVER = HERE / "js_streams_driver.mjs"
ZIGGURAT_NOR_R = 3.6541528853610088

pytestmark = pytest.mark.needs("node")   # tests/conftest.py: skips where missing, fails under CI=true

BIG = 2**63 - 1
# (keys, operations): (kind, count, *args)
CASES = [
    ([0], [("uint64", 1_000_000), ("uint64_each", 1001), ("uint32_each", 3), ("uint64", 257)]),
    ([BIG], [("uint64_each", 513), ("uint64", 500_000)]),
    ([2**32, 7, 99], [("random", 1_000_000), ("double_each", 255), ("uniform", 1001, -1.0, 1.0),
                      ("uniform", 999, 0.0, 2 * math.pi)]),
    ([12345], [("standard_normal", 2_000_000)]),
    ([BIG, 1, 13, 400, 400], [("standard_normal", 777), ("normal_each", 300_001), ("standard_normal", 700_001)]),
    ([1, 2, 3], [("uint32_each", 1), ("integers", 100_001, 0, 7), ("random", 1), ("integers", 99_999, 1, 3),
                 ("uint32_each", 5), ("integers", 10_001, 0, 1000), ("integers", 100_000, -5, 2**31 + 12345),
                 ("integers", 100_000, 0, 2**32 - 1), ("integers", 50_001, 0, 3 * 2**30 + 1),
                 ("standard_normal", 1001), ("integers", 7, 10, 11), ("uint32_each", 1), ("uint64", 3)]),
]


def _stream(keys):
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(list(keys))))


def numpy_values(keys, ops):
    """numpy's draws for one case, as the driver writes them (uint64 as uint64, the rest as float64)."""
    rng = _stream(keys)
    bg = rng.bit_generator
    out = []
    for kind, n, *args in ops:
        if kind in ("uint64", "uint64_each"):
            out.append(bg.random_raw(n).astype(np.uint64))
        elif kind == "uint32_each":   # numpy's next_uint32 through integers on the full uint32 range
            out.append(rng.integers(0, 2**32, n, dtype=np.uint32).astype(np.float64))
        elif kind in ("random", "double_each"):
            out.append(rng.random(n))
        elif kind == "uniform":
            out.append(rng.uniform(args[0], args[1], n))
        elif kind in ("standard_normal", "normal_each"):
            out.append(rng.standard_normal(n))
        elif kind == "integers":
            out.append(rng.integers(args[0], args[1], n).astype(np.float64))
        else:
            raise ValueError(kind)
    return out


def run_driver(tmp_path):
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps([{"keys": [str(k) for k in keys], "ops": [list(op) for op in ops]}
                                 for keys, ops in CASES]))
    out_bin, out_json = tmp_path / "out.bin", tmp_path / "out.json"
    subprocess.run([shutil.which("node") or "node", str(DRIVER), str(cases), str(out_bin), str(out_json)],
                   check=True, timeout=300)
    return out_bin.read_bytes(), json.loads(out_json.read_text())


def test_js_streams_equal_numpy(tmp_path):
    got, paths = run_driver(tmp_path)
    pos, total = 0, 0
    normals = []   # (case, values) of each case's normals
    for (keys, ops), case_paths in zip(CASES, paths):
        case_normals = []
        for (kind, n, *args), want in zip(ops, numpy_values(keys, ops)):
            raw = np.frombuffer(got[pos:pos + want.nbytes], dtype=want.dtype)
            pos += want.nbytes
            assert raw.size == want.size, (keys, kind)
            bad = np.flatnonzero(raw.view(np.uint64) != want.view(np.uint64))
            assert bad.size == 0, (f"stream {keys}, {kind} x {n}: {bad.size} draws differ, first at {bad[0]}: "
                                   f"{raw[bad[0]]!r} vs numpy {want[bad[0]]!r}")
            total += n
            if kind in ("standard_normal", "normal_each"):
                case_normals.append(want)
        if case_normals:
            normals.append((keys, np.concatenate(case_normals), case_paths))
    assert pos == len(got)
    assert total > 5_000_000

    # the ziggurat's rare paths were taken, in every case with many normals: the tail (idx 0: the only way to |x| >= R,
    # so the JS count of tail draws equals numpy's count of such values), wedge tests and wedge rejections
    for keys, values, p in normals:
        beyond = int(np.sum(np.abs(values) >= ZIGGURAT_NOR_R))
        assert p["tails"] == beyond, (keys, p, beyond)
        if values.size >= 100_000:
            assert p["tails"] > 50 and p["wedges"] > 1000 and p["rejections"] > 100, (keys, p)
    assert sum(values.size >= 100_000 for _, values, _ in normals) == 2
    print(f"\n{total} draws; normals' rare paths: {[p for _, _, p in normals]}")
