"""glnn grid and batch work (glnn/grid.py, glnn/batch.py, glnn/png_stream.py): every cell is glnn render's picture,
and local workers or a real Dask cluster give the same bytes as a serial run, even when a worker dies."""
import multiprocessing
import os
import signal
import time

import numpy as np
import pytest
from PIL import Image

from glnn import Network, View, grid
from glnn.batch import DaskCluster, Executor, LocalProcesses, executor, render_cell
from glnn.errors import GlnnError
from glnn.png_stream import PNGStream
from glnn.recipe import read_recipe


def test_parse_vary():
    assert grid.parse_vary("seed=1:4").values == (1, 2, 3, 4)
    assert grid.parse_vary("depth=5:3").values == (5, 4, 3)
    assert grid.parse_vary("scale=0.5:1.5:3").values == (0.5, 1.0, 1.5)
    assert grid.parse_vary("extent=1:100:3x").values == pytest.approx((1, 10, 100))
    assert grid.parse_vary("activation=tanh,relu").values == ("tanh", "relu")
    assert grid.parse_vary("color=gray,palette:magma").name == "colour"
    assert grid.parse_vary("bias-scale=0,0.5").values == (0.0, 0.5)
    for spec, message in [("foo=1:2", "unknown name"), ("seed=", "empty range"), ("seed", "NAME=SPEC"),
                          ("scale=0.5:1", "A:B:N"), ("scale=1:2:0", "empty range"), ("extent=0:1:3x", "above 0"),
                          ("seed=a:3", "not a whole number"), ("seed=1,,2", "empty value")]:
        with pytest.raises(GlnnError, match=message):
            grid.parse_vary(spec)


def plan(*specs, cols=None, size=(48, 40), backend="cpu", **base):
    return grid.plan(base, View(*size), None, [grid.parse_vary(s) for s in specs], backend, cols)


def test_bad_sheets():
    for args, kw, message in [((), {}, "give --vary"), (("seed=1:2", "depth=1:2", "width=1:2"), {}, "at most two"),
                              (("seed=1:2", "seed=3:4"), {}, "given twice"), (("seed=1:4",), {"cols": 5}, "--cols"),
                              (("seed=1:2", "depth=2:3"), {"cols": 1}, "--cols goes with one"),
                              (("seed=1:800", "depth=1:64"), {"size": (128, 128)}, "over 65,535 a side"),
                              (("depth=0:2",), {}, "cell 1 \\(depth 0\\): depth must be")]:
        with pytest.raises(GlnnError, match=message):
            plan(*args, **kw)


def test_every_cell_is_glnn_render_and_carries_its_recipe(tmp_path, engine, run_glnn):
    r = run_glnn("grid", "--vary", "depth=2:4", "--vary", "activation=tanh,relu", "--size", "40x32", "--width", "9",
                 "--workers", "1", "--backend", "cpu", "--html", "g.html", "--out", "g.png")
    assert r.returncode == 0, r.stderr
    sheet = np.asarray(Image.open(tmp_path / "g.png"))
    for cell in range(1, 7):
        recipe = read_recipe(tmp_path / "g.png", cell=cell)
        assert recipe.network.depth == 2 + (cell - 1) // 2
        assert recipe.network.activation == ("tanh", "relu")[(cell - 1) % 2]
        assert run_glnn("render", "--from", "g.png", "--cell", cell, "--out", f"c{cell}.png").returncode == 0
        x, y, w, h = read_recipe_rect(tmp_path / "g.png", cell)
        assert np.array_equal(sheet[y:y + h, x:x + w], np.asarray(Image.open(tmp_path / f"c{cell}.png")))
    page = (tmp_path / "g.html").read_text()
    assert page.count('class="cell"') == 6 and "glnn render --depth 3 --width 9 --activation relu" in page


def read_recipe_rect(path, cell):
    from glnn.metadata import read_recipe_json, select_cell
    return select_cell(read_recipe_json(str(path)), cell, str(path))["rect"]


def test_png_stream_reads_back(tmp_path):
    rng = np.random.default_rng(1)
    pic = rng.integers(0, 256, (301, 17, 3), dtype=np.uint8)
    with open(tmp_path / "a.png", "wb") as f:
        png = PNGStream(f, 17, 301, 3, {"format": "x", "n": 1})
        for r in range(0, 301, 50):
            png.write(pic[r:r + 50])
        png.close()
    im = Image.open(tmp_path / "a.png")
    assert np.array_equal(np.asarray(im), pic) and '"n":1' in im.text["glnn-recipe"]
    with pytest.raises(ValueError):
        PNGStream(open(tmp_path / "b.png", "wb"), 4, 4, 1).close()


def sheet_bytes(tmp_path, name, ex, progress=None):
    sheet = plan("seed=1:6", cols=3, size=(40, 30), width=8, depth=5)
    grid.run(sheet, str(tmp_path / name), ex, progress=progress)
    return (tmp_path / name).read_bytes()


def test_local_workers_give_the_serial_bytes_even_when_one_dies(tmp_path):
    serial = sheet_bytes(tmp_path, "serial.png", Executor())
    with LocalProcesses(2) as ex:
        assert sheet_bytes(tmp_path, "two.png", ex) == serial

    def kill_one(done):
        if done == 1:
            os.kill(multiprocessing.active_children()[0].pid, signal.SIGKILL)
    with LocalProcesses(2, window=6) as ex:
        assert sheet_bytes(tmp_path, "killed.png", ex, kill_one) == serial
        assert ex.restarts == 1


def test_dask_cluster_gives_the_serial_bytes_even_when_a_worker_dies(tmp_path):
    distributed = pytest.importorskip("distributed")
    serial = sheet_bytes(tmp_path, "serial.png", Executor())
    with executor(dask="local:2") as ex:
        assert sheet_bytes(tmp_path, "dask.png", ex) == serial
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None,
                                       silence_logs=40, env={"GLNN_THREADS": "1"})
    client = distributed.Client(cluster)
    try:
        pids = list(client.run(os.getpid).values())

        def kill_one(done):
            if done == 1:
                os.kill(pids[0], signal.SIGKILL)
        with DaskCluster(cluster.scheduler_address) as ex:
            assert sheet_bytes(tmp_path, "killed.png", ex, kill_one) == serial
    finally:
        client.close()
        cluster.close()


def test_unreachable_scheduler_is_one_line_within_ten_seconds(run_glnn, tmp_path):
    t0 = time.perf_counter()
    r = run_glnn("grid", "--vary", "seed=1:2", "--dask", "tcp://127.0.0.1:9", "--out", "g.png")
    assert time.perf_counter() - t0 < 10
    assert r.returncode == 2 and "cannot reach the scheduler" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "g.png").exists()


def test_grid_bad_flags(run_glnn, tmp_path):
    for args, message in [(["--vary", "seed=1:2", "--workers", "0"], "--workers must be at least 1"),
                          (["--vary", "nope=1:2"], "unknown name"), (["--vary", "seed=1:2", "--out", "g.jpg"],
                                                                     "unknown format"),
                          (["--vary", "seed=1:2", "--workers", "2", "--dask", "local:2"], "cannot be combined"),
                          (["--vary", "seed=1:2", "--dask", "local:0"], "local:N")]:
        r = run_glnn("grid", *args)
        assert r.returncode == 2 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)
    assert list(tmp_path.iterdir()) == []


def test_render_cell_is_the_engine_render(engine):
    from glnn import colour
    from glnn.batch import CellTask
    net = Network(seed=3, depth=4, width=6, channels=1)
    pic = render_cell(CellTask(net.hyperparameters(), (20, 10, (0.0, 0.0), 1.0, 0.0), "gray", "cpu"))
    assert np.array_equal(pic, colour.to_uint8(engine.render(net, View(20, 10), "cpu"), "gray")[:, :, 0])
