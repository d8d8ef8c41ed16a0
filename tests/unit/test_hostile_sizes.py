"""Huge requests, failing disks, damaged caches and silent servers (issue 22, items 3, 7, 8, 9): sized and refused
before work, in one line; nothing half-written; no hang. No GL, no subprocess (servers are threads here)."""
import errno
import json
import os
import socket
import threading

import pytest

from glnn.explore import batch, grid
from glnn.backends.cpu import usable_cpus
from glnn.rendering.engine import Engine
from glnn.errors import GlnnError
from glnn.io.files import Outputs, atomic_path
from glnn.model.network import Network
from glnn.io.recipe import Recipe
from glnn.model.view import View


# ------------------------------------------------------------------ sizing before work
@pytest.mark.parametrize("spec", ["scale=0:1:100000000", "seed=0:1000000000000000000", "depth=1:64:70000",
                                  "scale=0:1:1000000x", "seed=" + ",".join(["1"] * 70_000)])
def test_a_vary_of_too_many_cells_is_refused_before_its_values_are_made(spec, monkeypatch):
    made, numbers = [], []

    def refused(name):
        def make(*args, **kwargs):
            made.append(name)
            raise AssertionError(f"parse_vary made the values ({name}) before refusing")
        return make

    for name in ("linspace", "geomspace"):
        monkeypatch.setattr(grid.np, name, refused(name))
    monkeypatch.setattr(grid, "range", refused("range"), raising=False)   # grid's own range(a, b): shadowed here
    number = grid._number
    monkeypatch.setattr(grid, "_number", lambda *a: numbers.append(a) or number(*a))
    with pytest.raises(GlnnError, match="more cells than a sheet holds") as e:
        grid.parse_vary(spec)
    assert len(str(e.value)) < 200
    # refused before any value was made: no range or linspace, and at most the two ends A and B read
    assert made == [] and len(numbers) <= 2, (made, len(numbers))


def test_two_varies_are_sized_together():
    rows, cols = grid.parse_vary("seed=1:300"), grid.parse_vary("depth=1:300")
    with pytest.raises(GlnnError, match="90,000 cells"):
        grid.plan({}, View(8, 8), None, [rows, cols], "cpu")


def test_a_sheet_recipe_draws_no_weights():
    """40 cells of 64 x 512 kept every cell's weights (2.7 GB): the recipe's weights size comes from the shapes."""
    net = Network(seed=1, depth=64, width=512)
    Recipe(net, View(8, 8)).to_json(weights_budget=0)
    Recipe(net, View(8, 8)).to_json()   # too large to embed: known without drawing it
    assert "_layers" not in net.__dict__


def test_workers_are_capped_at_the_cores():
    said = []
    ex = batch.executor(workers=1000, log=said.append)
    cores = usable_cpus()
    assert said == [f"glnn: --workers 1,000: this machine has {cores} core{'s' if cores != 1 else ''}; using {cores}"]
    assert isinstance(ex, batch.Executor) and getattr(ex, "workers", 1) == cores
    ex.close()   # no pool was started (it starts with the first task)
    said.clear()
    batch.executor(workers=1, log=said.append).close()
    assert said == []


# ------------------------------------------------------------------ outputs land together
def test_a_failed_second_output_leaves_the_first_unchanged(tmp_path):
    (tmp_path / "pic.png").write_bytes(b"old picture")
    (tmp_path / "net.npz").write_bytes(b"old network")
    with pytest.raises(GlnnError, match="cannot write .*net.npz.*No space left"):
        with Outputs() as outputs:
            with atomic_path(tmp_path / "pic.png", outputs) as tmp:
                open(tmp, "wb").write(b"new picture")
            with atomic_path(tmp_path / "net.npz", outputs) as tmp:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert (tmp_path / "pic.png").read_bytes() == b"old picture"
    assert (tmp_path / "net.npz").read_bytes() == b"old network"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.npz", "pic.png"]   # no temporary file left
    with Outputs() as outputs:
        for name in ("pic.png", "net.npz"):
            with atomic_path(tmp_path / name, outputs) as tmp:
                open(tmp, "wb").write(b"new")
        assert (tmp_path / "pic.png").read_bytes() == b"old picture"   # nothing lands before all are written
    assert (tmp_path / "pic.png").read_bytes() == (tmp_path / "net.npz").read_bytes() == b"new"


def test_an_interrupted_command_lands_nothing(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with Outputs() as outputs:
            with atomic_path(tmp_path / "a.png", outputs) as tmp:
                open(tmp, "wb").write(b"a")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ the auto cache
GOOD = {"fused": "cpu", "layered": "cpu", "fused_kernel": None, "why": "measured", "gl": None}


@pytest.mark.parametrize("content", [
    "{not json", '{"key":' + "[" * 100_000 + "]" * 100_000 + "}", "[1, 2]",
    json.dumps(dict(GOOD, fused="numpy")), json.dumps(dict(GOOD, fused=["gl"])),
    json.dumps(dict(GOOD, fused_kernel={"a": 1})), json.dumps(dict(GOOD, why=5)), "x" * 100_000,
])
def test_a_damaged_auto_cache_is_ignored_with_one_warning(tmp_path, content):
    said = []
    engine = Engine(cache_dir=tmp_path, log=said.append)
    key = engine._cache_key("some GL")
    text = content if content.startswith(("{not", "[", "x")) or '"key"' in content else \
        json.dumps(dict(json.loads(content), key=key))
    (tmp_path / "auto-backend.json").write_text(text)
    assert engine._read_cache(key) is None and engine._read_cache(key) is None
    assert len(said) == 1 and "damaged auto cache" in said[0], said


def test_the_auto_cache_reads_back_and_a_fifo_or_folder_does_not_hang(tmp_path):
    said = []
    engine = Engine(cache_dir=tmp_path, log=said.append)
    key = engine._cache_key("some GL")
    engine._write_cache(dict(GOOD, key=key))
    assert engine._read_cache(key) == dict(GOOD, key=key) and said == []
    os.unlink(tmp_path / "auto-backend.json")
    os.mkfifo(tmp_path / "auto-backend.json")   # opening it for reading would wait for a writer forever
    assert engine._read_cache(key) is None and "not a regular file" in said[0]
    engine._write_cache(dict(GOOD, key=key))     # measured again, and the FIFO replaced by the cache
    assert Engine(cache_dir=tmp_path)._read_cache(key) == dict(GOOD, key=key)


def test_an_unwritable_auto_cache_says_once_where(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    said = []
    engine = Engine(cache_dir=tmp_path / "file" / "glnn", log=said.append)
    engine._write_cache(dict(GOOD, key="k"))
    engine._write_cache(dict(GOOD, key="k"))
    assert len(said) == 1 and "cannot keep the auto choice in" in said[0] and "file/glnn" in said[0], said


# ------------------------------------------------------------------ Dask schedulers that are not
class Server:
    """A TCP server on a thread: accepts one connection, sends `answer` (maybe nothing) and keeps the connection
    open until release() (or `hold` seconds, a guard against a test that never releases it)."""

    def __init__(self, answer, hold=30.0):
        self.accepted, self.released, self.closed = threading.Event(), threading.Event(), threading.Event()
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(4)
        server.settimeout(hold)
        self.address = f"tcp://127.0.0.1:{server.getsockname()[1]}"

        def run():
            try:
                conn, _ = server.accept()
                self.accepted.set()
                conn.sendall(answer)
                self.released.wait(hold)
                conn.close()
            except OSError:
                pass
            finally:
                self.closed.set()
                server.close()
        threading.Thread(target=run, daemon=True).start()

    def release(self):
        self.released.set()
        self.closed.wait(30)


@pytest.mark.parametrize("answer, said", [(b"", "said nothing Dask says within 1 s"),
                                          (b"HTTP/1.0 200 OK\r\n\r\n", "does not speak"),
                                          (b"\xff" * 8, "does not speak")])
def test_a_server_that_is_not_a_dask_scheduler_is_refused_while_it_holds_the_connection(answer, said, monkeypatch):
    waits = []   # every timeout speaks_dask gives its socket: none may be longer than the timeout it was given
    connect = socket.create_connection

    class Watched:
        def __init__(self, s):
            self.s = s

        def settimeout(self, seconds):
            waits.append(seconds)
            self.s.settimeout(seconds)

        def recv(self, n):
            return self.s.recv(n)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.s.close()

    def watched_connect(address, timeout=None, *args, **kwargs):
        waits.append(timeout)
        return Watched(connect(address, timeout, *args, **kwargs))

    monkeypatch.setattr(batch.socket, "create_connection", watched_connect)
    server = Server(answer)
    try:
        with pytest.raises(OSError, match=said):
            batch.speaks_dask(server.address, timeout=1.0)
        # refused by speaks_dask itself (its own timeout, or the answer's first 8 bytes), not because the server
        # gave up: the server still holds the connection open; and no wait was longer than the timeout
        assert server.accepted.is_set() and not server.closed.is_set()
        assert waits and all(w is not None and 0 < w <= 1.0 for w in waits), waits
    finally:
        server.release()


@pytest.mark.parametrize("length", [1, 1 << 20])
def test_a_dask_handshake_passes(length):
    server = Server(length.to_bytes(8, "little") + b"rest")
    try:
        assert batch.speaks_dask(server.address, timeout=30.0) is None
        assert server.accepted.is_set()   # it did connect and read the handshake (not a check skipped)
    finally:
        server.release()


@pytest.mark.parametrize("length", [0, (1 << 20) + 1])
def test_a_handshake_length_outside_dasks_is_refused(length):
    server = Server(length.to_bytes(8, "little") + b"rest")
    try:
        with pytest.raises(OSError, match="does not speak"):
            batch.speaks_dask(server.address, timeout=30.0)
    finally:
        server.release()


def test_the_python_api_sizes_frames_before_making_them(monkeypatch):
    from glnn.explore import animate
    from glnn.io import sweeps
    made = []
    monkeypatch.setattr(animate.pipeline, "raw", lambda *a, **k: made.append("frame"))
    value = sweeps.Sweep.value
    monkeypatch.setattr(sweeps.Sweep, "value", lambda self, u: made.append("setting") or value(self, u))
    with pytest.raises(GlnnError, match="from 1 to 100000"):
        next(iter(animate.frames(Network(depth=2, width=3), View(4, 4), ["scale:0:1"], 10 ** 9, engine=Engine())))
    assert made == []   # refused before any frame's settings or picture was made


def test_the_python_api_checks_paths_frames_and_fps(tmp_path):
    from glnn.explore.animate import animate
    net = Network(depth=2, width=3)
    for bad in ([], 5, "a\0.npz"):
        with pytest.raises(GlnnError):
            net.save(bad)
    for kwargs in (dict(out=[]), dict(n_frames="2"), dict(fps=10 ** 400), dict(fps=1000), dict(n_frames=True)):
        with pytest.raises(GlnnError):
            animate(net, **dict(dict(out=str(tmp_path / "a.gif"), sweeps=["scale:0:1"], n_frames=2), **kwargs))
    assert list(tmp_path.iterdir()) == []
