"""Signals and sockets with workers (issue 34): SIGTERM and SIGKILL during grid and animate --workers 2 (real
processes; each waits on a condition, mid-job), a local Dask cluster while another holds port 8787, the sockets
glnn listens on (glnn has no HTTP server of its own: only Dask's, on 127.0.0.1), glnn view with no display.
Processes are found through /proc (Linux): the run's own process group, from start_new_session."""
import glob
import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs Linux's /proc")

GUARD_S = 120   # a guard on each wait (a wedged run fails the test, not hangs it): the condition is what is waited for

# long enough to be mid-job when the signal comes (2 cores: tens of seconds), and a short rerun into the same file
JOBS = {
    "grid": (["grid", "--vary", "seed=1:80", "--vary", "depth=1:60", "--size", "48x48", "--width", "20",
              "--workers", "2", "--backend", "cpu", "-q", "--out", "g.png"],
             ["grid", "--vary", "seed=1:4", "--size", "16x16", "--workers", "2", "--backend", "cpu", "-q",
              "--out", "g.png"]),
    # .mp4 streams its frames to ffmpeg: the part file has bytes once the workers delivered the first frame
    "animate": (["animate", "--sweep", "scale:0.4:0.8", "--frames", "3000", "--size", "96x96", "--depth", "12",
                 "--workers", "2", "--backend", "cpu", "-q", "--out", "a.mp4"],
                ["animate", "--sweep", "scale:0.4:0.8", "--frames", "4", "--size", "16x16", "--workers", "2",
                 "--backend", "cpu", "-q", "--out", "a.mp4"]),
}


def start(tmp_path, args):
    return subprocess.Popen([sys.executable, "-m", "glnn", *args], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def group(pgid):
    """The live (not zombie) processes of process group `pgid`: {pid: command line}."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:   # gone meanwhile
            continue
        fields = stat[stat.rindex(")") + 2:].split()   # after "pid (comm) ": state, ppid, pgrp, ...
        if fields[0] not in "ZX" and int(fields[2]) == pgid:
            found[int(entry)] = cmdline
    return found


def workers(pgid):
    return [pid for pid, line in group(pgid).items() if "spawn_main" in line]


def wait_mid_job(tmp_path, p):
    """Until the workers are rendering: two worker processes, and the output's part file has grown past its
    first size (a sheet's rows) or has bytes (an .mp4's first frame)."""
    deadline = time.monotonic() + GUARD_S
    first = None
    while True:
        sizes = [os.stat(f).st_size for f in glob.glob(str(tmp_path / ".*.part.*"))]
        if sizes and first is None and sizes[0] > 0:   # a sheet's header and labels: no cell yet
            first = sizes[0]
        if sizes and first is not None and (sizes[0] > first or (sizes[0] > 0 and glob.glob(str(tmp_path / ".*.part.mp4")))) \
                and len(workers(p.pid)) >= 2:
            return
        assert p.poll() is None and time.monotonic() < deadline, p.communicate()
        time.sleep(0.05)


def wait_group_gone(pgid):
    """Until no process of the group is left; returns what is left at the guard (killed then: the test's own)."""
    deadline = time.monotonic() + GUARD_S
    while group(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = group(pgid)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return left


def rerun(tmp_path, args):
    p = subprocess.run([sys.executable, "-m", "glnn", *args], cwd=tmp_path, capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 0 and p.stderr == "", p.stderr
    assert (tmp_path / args[-1]).stat().st_size > 0


@pytest.mark.parametrize("command", sorted(JOBS))
@pytest.mark.parametrize("to", ["main", "group"])
def test_sigterm_with_workers_is_one_line_and_leaves_nothing(tmp_path, command, to):
    """SIGTERM to glnn alone (kill PID) or to its whole process group (kill -- -PGID, a terminal's or a service
    manager's way): as Ctrl-C, one line, exit 143 (128 + SIGTERM), no part file, no worker left; a rerun works."""
    job, again = JOBS[command]
    p = start(tmp_path, job)
    try:
        wait_mid_job(tmp_path, p)
        if to == "main":
            p.send_signal(signal.SIGTERM)
        else:
            os.killpg(p.pid, signal.SIGTERM)
        _, err = p.communicate(timeout=GUARD_S)
    finally:
        left = wait_group_gone(p.pid)
    assert p.returncode == 143 and err.splitlines() == [f"glnn {command}: terminated"], err
    assert left == {}, left
    assert os.listdir(tmp_path) == []
    rerun(tmp_path, again)
    assert sorted(os.listdir(tmp_path)) == [again[-1]]


@pytest.mark.parametrize("command", sorted(JOBS))
def test_sigkill_of_glnn_ends_its_workers(tmp_path, command):
    """SIGKILL of the main process: its workers notice (their parent's sentinel pipe ends) and exit on their own,
    silently (no resource tracker warning); the part file left behind has a name of its own (mkstemp) that a rerun
    never collides with, and the rerun works."""
    job, again = JOBS[command]
    p = start(tmp_path, job)
    try:
        wait_mid_job(tmp_path, p)
        pool = workers(p.pid)
        p.kill()
        p.wait(timeout=GUARD_S)
        # only the workers' own watch ends them: nothing else signals them
    finally:
        left = wait_group_gone(p.pid)
    assert left == {}, f"orphaned workers {pool}: {left}"
    _, err = p.communicate(timeout=GUARD_S)   # the orphans held these pipes: they are closed now
    assert p.returncode == -signal.SIGKILL, err
    # nothing from Python (the resource tracker warned of leaked semaphores, with its file path); an .mp4's
    # ffmpeg, its stdin cut mid-frame, still says so in lines of its own ("[rawvideo @ 0x...] ...")
    assert [line for line in err.splitlines() if not line.startswith("[")] == [], err
    stale = sorted(os.listdir(tmp_path))
    assert all(re.fullmatch(rf"\.{re.escape(job[-1])}\.\w+\.part\.\w+", name) for name in stale), stale
    rerun(tmp_path, again)
    assert sorted(os.listdir(tmp_path)) == sorted(stale + [again[-1]])


# ------------------------------------------------------------------ sockets
def listening(pgid):
    """{(host, port)} of the TCP sockets listening in the group's processes (through /proc/PID/fd and /proc/net)."""
    inodes = set()
    for pid in group(pgid):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            continue
    found = set()
    for table in ("tcp", "tcp6"):
        try:
            with open(f"/proc/net/{table}") as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if cols[3] != "0A" or cols[9] not in inodes:   # 0A: LISTEN
                continue
            hexhost, hexport = cols[1].split(":")
            raw = bytes.fromhex(hexhost)
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))   # 32-bit words, host order
            host = socket.inet_ntop(socket.AF_INET if len(raw) == 4 else socket.AF_INET6, raw)
            found.add((host.replace("::ffff:", ""), int(hexport, 16)))
    return found


def test_glnn_itself_listens_on_no_socket(tmp_path):
    """glnn has no HTTP (or other) server of its own (export and playground write files): a run with local
    workers, mid-job, listens on nothing."""
    job, _ = JOBS["grid"]
    p = start(tmp_path, job)
    try:
        wait_mid_job(tmp_path, p)
        assert listening(p.pid) == set()
        p.send_signal(signal.SIGTERM)
        p.communicate(timeout=GUARD_S)
    finally:
        wait_group_gone(p.pid)


def test_a_local_dask_cluster_listens_on_127_0_0_1_only(tmp_path):
    """A local cluster's scheduler, workers and HTTP server (health routes; the dashboard with bokeh) listen on
    127.0.0.1 alone, on free ports; SIGTERM under it is one line."""
    pytest.importorskip("distributed")
    job = [a if a != "--workers" else "--dask" for a in JOBS["grid"][0]]
    job[job.index("--dask") + 1] = "local:2"
    p = start(tmp_path, job)
    try:
        deadline = time.monotonic() + GUARD_S
        while not (glob.glob(str(tmp_path / ".*.part.png")) and len(listening(p.pid)) >= 3):
            assert p.poll() is None and time.monotonic() < deadline, p.communicate()
            time.sleep(0.05)
        sockets = listening(p.pid)
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=GUARD_S)
    finally:
        left = wait_group_gone(p.pid)
    assert {host for host, _ in sockets} == {"127.0.0.1"} and 8787 not in {port for _, port in sockets}, sockets
    assert p.returncode == 143 and err.splitlines() == ["glnn grid: terminated"], err
    assert left == {}, left


def test_a_local_dask_cluster_beside_one_on_8787_says_nothing_of_it(tmp_path):
    """Another cluster's dashboard holds port 8787: distributed warned 'UserWarning: Port 8787 is already in use'
    with its file path (three lines) before glnn's own. The local cluster takes a free port, silently."""
    pytest.importorskip("distributed")
    holder = socket.socket()
    try:
        holder.bind(("127.0.0.1", 8787))
    except OSError:
        holder.close()
        pytest.skip("port 8787 is taken already")
    holder.listen()
    try:
        p = subprocess.run([sys.executable, "-m", "glnn", "grid", "--vary", "seed=1:4", "--size", "16x16",
                            "--dask", "local:2", "--backend", "cpu", "--out", "g.png"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=300)
    finally:
        holder.close()
    assert p.returncode == 0 and "UserWarning" not in p.stderr and ".py:" not in p.stderr, p.stderr
    lines = p.stderr.splitlines()
    assert len(lines) == 1 and re.fullmatch(
        r"wrote g\.png \(1 x 4 cells, \d+x\d+, 4 cells in .*, dask(, dashboard http://127\.0\.0\.1:\d+/status)?\)",
        lines[0]), lines
    assert (tmp_path / "g.png").stat().st_size > 0


# ------------------------------------------------------------------ no display
def test_view_with_no_display_is_one_line(tmp_path):
    p = subprocess.run(["env", "-u", "DISPLAY", "-u", "WAYLAND_DISPLAY", sys.executable, "-m", "glnn", "view",
                        "--size", "32x32"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and p.stderr.splitlines() == [
        "glnn view: error: no display (DISPLAY is not set): glnn view needs a window; use glnn render for files"
    ], p.stderr
    assert os.listdir(tmp_path) == []
