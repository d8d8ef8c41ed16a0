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
    sheet = plan("seed=1:12", cols=4, size=(64, 48), width=16, depth=8)
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
    from glnn.recipe import Recipe
    net = Network(seed=3, depth=4, width=6, channels=1)
    pic = render_cell(Recipe(net, View(20, 10), "gray", "cpu"))   # a batch task is a recipe
    assert np.array_equal(pic, colour.to_uint8(engine.render(net, View(20, 10), "cpu"), "gray")[:, :, 0])


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


def test_a_gif_that_would_not_fit_in_memory_is_refused_up_front(run_glnn, tmp_path):
    from glnn.animation_writer import check_memory
    assert check_memory("a.mp4", 10 ** 6, (4096, 4096), 3, available=1 << 30) > 0   # streams: never refused
    with pytest.raises(GlnnError, match=r"need about .* MB in memory .* write \.mp4"):
        check_memory("a.gif", 1000, (512, 512), 3, available=1 << 28)
    r = run_glnn("animate", "--sweep", "scale:0.4:0.8", "--frames", "100000", "--size", "4096x4096", "--out", "x.gif")
    assert r.returncode == 2 and "keeps every frame" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.gif").exists()


def test_render_in_bands_is_the_whole_picture(engine, tmp_path):
    from glnn import colour
    from glnn.backends.base import bands
    from glnn.images import save_bands
    net = Network(seed=5, depth=5, width=10)
    view = View(123, 77, extent=1.4)
    cpu = engine.backend("cpu")
    whole = cpu.render(net, view)
    seen = []
    save_bands(bands(cpu, net, view, band_pixels=1000, progress=seen.append), tmp_path / "a.png", view.size, 3)
    assert seen[-1] == 77 and len(seen) > 5
    assert np.array_equal(np.asarray(Image.open(tmp_path / "a.png")), colour.to_uint8(whole))
    save_bands(bands(cpu, net, view, band_pixels=1000), tmp_path / "a.npy", view.size, 3)
    assert np.array_equal(np.load(tmp_path / "a.npy"), whole)
    two = list(bands(cpu, net, view, k=2, band_pixels=3000))
    from glnn.backends.base import supersampled
    assert np.abs(np.concatenate(two) - supersampled(cpu, net, view, 2)).max() < 1e-6


def test_progress_only_on_a_terminal(run_glnn):
    r = run_glnn("render", "--size", "64x48", "--out", "a.png")
    assert r.returncode == 0 and r.stderr.count("\n") == 1 and "[" not in r.stderr   # the summary line alone
    import io
    from glnn.progress import Progress
    buf = io.StringIO()
    t = iter([0.0, 1.0, 2.0, 3.0, 4.0])
    p = Progress(4, "cells", enabled=True, stream=buf, clock=lambda: next(t))
    p.update(2)
    p.update(4)
    assert "cells 2/4" in buf.getvalue() and "cells 4/4" in buf.getvalue() and "4 cells in" in p.summary()
