"""SIGTERM ends a run as Ctrl-C does: exit status 143, one line, no temporary or half-written file."""
import os
import signal
import subprocess
import sys
import time


def test_sigterm_mid_render_leaves_nothing(tmp_path):
    p = subprocess.Popen([sys.executable, "-m", "glnn", "render", "--depth", "27", "--size", "4096x4096",
                          "--backend", "numpy", "-q", "--out", "big.png"], cwd=tmp_path,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while not any(f.name.endswith(".part.png") for f in tmp_path.iterdir()):   # the render has begun writing
        assert p.poll() is None and time.time() < deadline, p.communicate()
        time.sleep(0.05)
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 143, err
    assert err.strip().splitlines() == ["glnn render: terminated"], err
    assert os.listdir(tmp_path) == []
