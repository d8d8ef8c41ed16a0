"""glnn grid and batch work (glnn/explore/grid.py, glnn/explore/batch.py, glnn/io/png_stream.py): every cell is glnn render's picture,
and local workers or a real Dask cluster give the same bytes as a serial run, even when a worker dies."""
import multiprocessing
import os
import signal

import numpy as np
import pytest
from PIL import Image

from glnn import View
from glnn.explore import grid
from glnn.explore.batch import DaskCluster, Executor, LocalProcesses, executor
from glnn.io.recipe import read_recipe


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
    from glnn.io.metadata import read_recipe_json, select_cell
    return select_cell(read_recipe_json(str(path)), cell, str(path))["rect"]


def sheet_bytes(tmp_path, name, ex, progress=None):
    sheet = grid.plan({"width": 16, "depth": 8}, View(64, 48), None, [grid.parse_vary("seed=1:12")], "cpu", 4)
    grid.run(sheet, str(tmp_path / name), ex, progress=progress)
    return (tmp_path / name).read_bytes()


def test_local_workers_give_the_serial_bytes_even_when_one_dies(tmp_path):
    serial = sheet_bytes(tmp_path, "serial.png", Executor())
    with LocalProcesses(2) as ex:
        assert sheet_bytes(tmp_path, "two.png", ex) == serial

    def kill_one(done):
        if done == 1:
            os.kill(multiprocessing.active_children()[0].pid, signal.SIGKILL)
    with LocalProcesses(2, window=2) as ex:
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
        assert pids[0] not in client.run(os.getpid).values()   # it did die mid-job (the nanny started another)
    finally:
        client.close()
        cluster.close()


def test_unreachable_scheduler_is_one_line_before_any_work(run_glnn, tmp_path):
    r = run_glnn("grid", "--vary", "seed=1:2", "--dask", "tcp://127.0.0.1:9", "--out", "g.png")
    assert r.returncode == 2 and "cannot reach the scheduler" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    # refused by glnn's own check of the address (batch.speaks_dask: the refused connection itself), not after
    # Dask's Client timed out trying to connect (what took seconds); timings are glnn bench's
    assert "ConnectionRefusedError" in r.stderr, r.stderr
    assert os.listdir(tmp_path) == []   # no picture, no part file: no cell was drawn


def test_animate_and_figures_on_workers_give_the_serial_bytes(run_glnn, tmp_path):
    args = ["animate", "--inputs", "3", "--depth", "4", "--sweep", "time:0:6.283185307179586", "--frames", "10",
            "--size", "40x30", "--backend", "cpu"]
    assert run_glnn(*args, "--workers", "1", "--out", "a.gif").returncode == 0
    r = run_glnn(*args, "--workers", "2", "--out", "b.gif")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "a.gif").read_bytes() == (tmp_path / "b.gif").read_bytes()
    for workers, out in (("1", "f1"), ("2", "f2")):
        r = run_glnn("figures", "--only", "11,13,22", "--resolution-scale", "0.15", "--backend", "cpu",
                     "--workers", workers, "--out", out, "-q")
        assert r.returncode == 0, r.stderr
    for f in (tmp_path / "f1").iterdir():
        assert f.read_bytes() == (tmp_path / "f2" / f.name).read_bytes(), f.name


def test_progress_only_on_a_terminal(run_glnn):
    r = run_glnn("render", "--size", "64x48", "--out", "a.png")
    assert r.returncode == 0 and r.stderr.count("\n") == 1 and "[" not in r.stderr   # the summary line alone
    import io
    from glnn.rendering.progress import Progress
    buf = io.StringIO()
    t = iter([0.0, 1.0, 2.0, 3.0, 4.0])
    p = Progress(4, "cells", enabled=True, stream=buf, clock=lambda: next(t))
    p.update(2)
    p.update(4)
    assert "cells 2/4" in buf.getvalue() and "cells 4/4" in buf.getvalue() and "4 cells in" in p.summary()


def test_feature_and_activation_lists_vary_and_each_cell_rerenders(tmp_path, run_glnn):
    """--vary values holding commas are separated by ';': each cell's recipe sets its features and activation,
    and `glnn render --from sheet --cell N` draws that cell's pixels."""
    r = run_glnn("grid", "--vary", "features=x,y;x,y,r,bias;ax,ay", "--vary", "activation=tanh;tanh,sin;mix-units",
                 "--size", "24x20", "--width", "7", "--depth", "5", "--backend", "cpu", "--out", "g.png")
    assert r.returncode == 0, r.stderr
    sheet = np.asarray(Image.open(tmp_path / "g.png"))
    seen = set()
    for cell in range(1, 10):
        net = read_recipe(tmp_path / "g.png", cell=cell).network
        assert net.features == ("x,y", "x,y,r,bias", "ax,ay")[(cell - 1) // 3]
        assert net.activation == ("tanh", "tanh,sin", "mix-units")[(cell - 1) % 3]
        r = run_glnn("render", "--from", "g.png", "--cell", cell, "--out", f"c{cell}.png")
        assert r.returncode == 0, r.stderr
        x, y, w, h = read_recipe_rect(tmp_path / "g.png", cell)
        pic = np.asarray(Image.open(tmp_path / f"c{cell}.png"))
        assert np.array_equal(sheet[y:y + h, x:x + w], pic)
        seen.add(pic.tobytes())
    assert len(seen) == 9   # every cell a different picture
