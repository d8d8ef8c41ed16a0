"""Hostile input through the real command (issue 22): a full disk, huge requests, silent servers, an ASCII
terminal, no display. Each answer is one line and exit 2, nothing clobbered or left behind, memory bounded
(peak resident size measured with /usr/bin/time -f %M, or resource limits)."""
import glob
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from cli_checks import one_line_error
from glnn.io import metadata
from glnn.model.network import Network
from glnn.io.recipe import Recipe
from glnn.model.view import View

TIME = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)


def glnn(tmp_path, *args, env=None, limit_bytes=None, timeout=300):
    """python -m glnn ARGS in tmp_path; (status, stdout, stderr, peak KB or None). limit_bytes: the largest file
    the process may write (RLIMIT_FSIZE: a full disk, as the process sees it)."""
    def limits():
        if limit_bytes is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit is then an OSError (EFBIG)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))
    command = [sys.executable, "-m", "glnn", *map(str, args)]
    if TIME:
        command = [TIME, "-f", "peak %M", "-o", str(tmp_path / ".time")] + command
    p = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=timeout,
                       env=dict(os.environ, **(env or {})), preexec_fn=limits)
    peak = None
    if TIME and (tmp_path / ".time").exists():
        words = (tmp_path / ".time").read_text().split()
        peak = int(words[words.index("peak") + 1])
        os.unlink(tmp_path / ".time")
    return p.returncode, p.stdout, p.stderr, peak


def test_a_full_disk_changes_no_existing_output(tmp_path):
    """render --save-network: the picture fits (its weights too large to embed), the network does not: both old files stay, exit 2, one line."""
    (tmp_path / "pic.png").write_bytes(b"old picture")
    (tmp_path / "net.npz").write_bytes(b"old network")
    status, _, err, _ = glnn(tmp_path, "render", "--depth", "8", "--width", "200", "--size", "16x16", "--backend", "cpu",
                             "--save-network", "net.npz", "--out", "pic.png", "-q", limit_bytes=200_000)
    one_line_error(status, err, "net.npz")
    assert (tmp_path / "pic.png").read_bytes() == b"old picture"
    assert (tmp_path / "net.npz").read_bytes() == b"old network"
    assert sorted(os.listdir(tmp_path)) == ["net.npz", "pic.png"]


@pytest.mark.parametrize("args, message", [
    (["animate", "--frames", "1000000000", "--sweep", "scale:0:1", "--out", "a.gif"], "--frames must be from 1"),
    (["grid", "--vary", "scale=0:1:100000000", "--out", "g.png"], "100,000,000 values"),
    (["grid", "--vary", "seed=0:1000000000000000000", "--out", "g.png"], "more cells than a sheet holds"),
    (["grid", "--vary", "seed=0:1e18", "--out", "g.png"], "not a whole number"),
    (["grid", "--vary", "seed=1:300", "--vary", "depth=1:300", "--out", "g.png"], "90,000 cells"),
])
def test_huge_requests_are_refused_before_work_in_little_memory(tmp_path, args, message):
    status, _, err, peak = glnn(tmp_path, *args, "--backend", "cpu", timeout=120)
    one_line_error(status, err, message)
    assert peak is None or peak < 300_000, peak   # KB: the refusal costs what Python and numpy cost
    assert os.listdir(tmp_path) == []


def test_a_sheet_keeps_one_network_at_a_time(tmp_path):
    """Cells of 64 x 512 (64 MB of weights each) at 8x8: memory is one network, not every cell's."""
    status, _, err, peak = glnn(tmp_path, "grid", "--vary", "seed=1:10", "--depth", "64", "--width", "512",
                                "--size", "8x8", "--backend", "cpu", "--workers", "1", "-q", "--out", "g.png")
    assert status == 0, err
    assert peak is None or peak < 450_000, peak   # KB; every cell's weights would be 640 MB more


def test_more_workers_than_cores_are_capped_with_one_line(tmp_path):
    status, _, err, _ = glnn(tmp_path, "animate", "--frames", "9", "--sweep", "scale:0.5:1", "--size", "8x8",
                             "--depth", "2", "--width", "3", "--backend", "cpu", "--workers", "1000", "--out", "a.gif")
    assert status == 0, err
    lines = err.strip().splitlines()
    assert "--workers 1,000: this machine has" in lines[0] and lines[1].startswith("wrote a.gif"), err


def silent_server(seconds, answer=b""):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(seconds)

    def run():
        held = []
        end = time.time() + seconds
        while time.time() < end:
            try:
                conn, _ = server.accept()
                conn.sendall(answer)
                held.append(conn)
            except OSError:
                break
        server.close()
    threading.Thread(target=run, daemon=True).start()
    return f"tcp://127.0.0.1:{server.getsockname()[1]}"


@pytest.mark.parametrize("answer", [b"", b"HTTP/1.1 400 Bad Request\r\n\r\n"])
def test_a_dask_address_that_never_speaks_is_exit_2(tmp_path, answer):
    pytest.importorskip("distributed")
    address = silent_server(60, answer)
    status, _, err, _ = glnn(tmp_path, "grid", "--vary", "seed=1:2", "--size", "8x8", "--dask", address,
                             "--out", "g.png", timeout=50)   # it hung past 200 s; the README says 10 s
    one_line_error(status, err, "cannot reach the scheduler")
    assert os.listdir(tmp_path) == []


def test_an_ascii_terminal_gets_escapes_not_a_crash(tmp_path):
    recipe = Recipe(Network(seed=2, depth=2, width=3), View(4, 4)).to_json()
    recipe["glnn"] = "\u0661.\u0662"   # Unicode digits: isdigit() says yes
    with open(tmp_path / "v.png", "wb") as f:
        from glnn.io.png_stream import PNGStream
        import numpy as np
        png = PNGStream(f, 1, 1, 3, recipe)
        png.write(np.zeros((1, 1, 3), np.uint8))
        png.close()
    status, _, err, _ = glnn(tmp_path, "info", "v.png", env={"LC_ALL": "C", "PYTHONUTF8": "0",
                                                             "PYTHONIOENCODING": ""})
    one_line_error(status, err, "bad glnn version")


def test_mp4_recipes_read_back(tmp_path):
    pytest.importorskip("imageio_ffmpeg")
    status, _, err, _ = glnn(tmp_path, "animate", "--frames", "3", "--sweep", "scale:0.5:1", "--size", "16x16",
                             "--depth", "3", "--width", "4", "--seed", "5", "--backend", "cpu", "-q", "--out", "a.mp4")
    assert status == 0, err
    assert metadata.read_recipe_json(tmp_path / "a.mp4")["network"]["seed"] == 5
    status, out, err, _ = glnn(tmp_path, "info", "a.mp4")
    assert status == 0 and "seed 5" in out and "animation: scale:0.5:1" in out, err
    status, _, err, _ = glnn(tmp_path, "render", "--from", "a.mp4", "--backend", "cpu", "-q", "--out", "b.png")
    assert status == 0, err


def test_a_bad_display_is_one_line(tmp_path):
    pytest.importorskip("glfw")
    status, _, err, _ = glnn(tmp_path, "view", "--size", "32x32", env={"DISPLAY": ":99"}, timeout=60)
    one_line_error(status, err, "no display")


def test_ctrl_c_under_a_local_dask_cluster_is_one_line(tmp_path):
    """Ctrl-C reaches the whole process group: Dask's worker processes printed 67 lines of tracebacks."""
    pytest.importorskip("distributed")
    command = [sys.executable, "-m", "glnn", "grid", "--vary", "seed=1:60", "--vary", "depth=1:50", "--size", "32x32",
               "--width", "20", "--dask", "local:2", "--backend", "cpu", "-q", "--out", "g.png"]
    p = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 120   # generous: the condition is what is waited for
    first = None
    while True:   # the workers are mid-job: the sheet's part file has grown by a row of their cells since it began
        parts = [os.stat(f).st_size for f in glob.glob(str(tmp_path / ".*.part.png"))]
        if parts and first is None:
            first = parts[0]
        if parts and parts[0] > first:
            break
        assert p.poll() is None and time.time() < deadline, p.communicate()
        time.sleep(0.1)
    os.killpg(p.pid, signal.SIGINT)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 130 and err.strip().splitlines() == ["glnn grid: interrupted"], err
    assert os.listdir(tmp_path) == []


def test_figures_into_a_folder_that_cannot_be_made_is_exit_2(tmp_path):
    (tmp_path / "afile").write_text("a file, not a folder")
    status, _, err, _ = glnn(tmp_path, "figures", "--out", "afile/figs", "--only", "9", timeout=120)
    one_line_error(status, err, "afile/figs")
