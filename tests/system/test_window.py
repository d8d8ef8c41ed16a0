"""`glnn view` in a real window under Xvfb, driven from outside with xdotool."""
import os
import queue
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
from PIL import Image

from glnn import Network, View

pytestmark = pytest.mark.needs("xvfb", "xdotool")   # tests/conftest.py: skips where missing, fails under CI=true


def wait_for(condition, timeout=60, what="a condition"):
    """Poll until condition() is true (no fixed sleeps): the window answers as fast as the machine allows."""
    end = time.time() + timeout
    while time.time() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture(scope="module")
def display():
    r, w = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
                            pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    number = b""
    while not number.endswith(b"\n"):
        chunk = os.read(r, 16)
        if not chunk:
            break
        number += chunk
    os.close(r)
    yield f":{number.decode().strip()}"
    proc.terminate()
    proc.wait(10)


class Viewer:
    """A running `glnn view` process, its stdout lines in a queue."""

    def __init__(self, display, args, cwd):
        self.env = dict(os.environ, DISPLAY=display)
        self.proc = subprocess.Popen([sys.executable, "-m", "glnn", "view", *args], cwd=cwd, env=self.env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        out = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", "^glnn"], env=self.env,
                             capture_output=True, text=True, timeout=60)
        self.wid = out.stdout.split()[0]

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(line.strip())

    def title(self):
        return subprocess.run(["xdotool", "getwindowname", self.wid], env=self.env, capture_output=True,
                              text=True).stdout.strip()

    def key(self, *keys, check=True):
        for k in keys:
            # the last key may close the window before its key-up is sent: then xdotool fails, harmlessly
            subprocess.run(["xdotool", "key", "--window", self.wid, k], env=self.env, check=check,
                           capture_output=True)

    def wait_title(self, text):
        return wait_for(lambda: text in self.title(), what=f"{text!r} in the window title")

    def expect(self, prefix, timeout=90):
        end = time.time() + timeout
        while time.time() < end:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                assert self.proc.poll() is None, self.proc.stderr.read()
                continue
            if line.startswith(prefix):
                return line[len(prefix):].strip()
        raise AssertionError(f"no {prefix!r} line within {timeout} s")


def test_window_keys_screenshots_and_quit(display, tmp_path, gl):
    v = Viewer(display, ["--size", "320x240", "--screenshot-dir", str(tmp_path), "--seed", "3", "--depth", "6",
                         "--width", "16"], tmp_path)
    v.wait_title("seed 3, 6 x 16")
    v.key("s")
    first = np.asarray(Image.open(v.expect("screenshot:")))
    assert first.shape == (240, 320, 3) and first.std() > 5

    # the screenshot equals the offscreen render of the same state within one 8-bit level
    v.key("n")
    saved = Network.load(v.expect("network:"))
    assert (saved.seed, saved.depth) == (3, 6)
    offscreen = gl.render(saved, View(320, 240))
    expected = np.rint(np.clip(offscreen, 0, 1) * 255)
    assert np.abs(first.astype(int) - expected).max() <= 1

    v.key("r")
    v.wait_title("seed 4, 6 x 16")
    v.key("s")
    second = np.asarray(Image.open(v.expect("screenshot:")))
    assert np.abs(second.astype(int) - first).mean() > 5
    v.key("Up", "n")
    deeper = Network.load(v.expect("network:"))
    assert (deeper.seed, deeper.depth) == (4, 7)
    v.wait_title("seed 4, 7 x 16")
    v.key("s")
    third = np.asarray(Image.open(v.expect("screenshot:")))
    assert np.abs(third.astype(int) - second).mean() > 1
    v.key("q", check=False)
    assert v.proc.wait(30) == 0


def test_mouse_drag_pans_and_scroll_zooms(display, tmp_path):
    v = Viewer(display, ["--size", "200x200", "--screenshot-dir", str(tmp_path), "--depth", "3", "--width", "6"],
               tmp_path)
    env = v.env
    run = lambda *a: subprocess.run(["xdotool", *a], env=env, check=True, capture_output=True)  # noqa: E731
    v.wait_title("seed 0")
    # X delivers one client's events in order, so each step follows the last without sleeping
    run("mousemove", "--sync", "--window", v.wid, "100", "100")
    run("mousedown", "1")
    for x in (120, 140, 150):   # drag right by 50 px: the centre moves left by 50 px = 0.5 in the plane
        run("mousemove", "--sync", "--window", v.wid, str(x), "100")
    run("mouseup", "1")
    v.key("n")
    import json
    spec = json.loads(str(np.load(v.expect("network:"))["spec"]))
    assert spec["center"][0] == pytest.approx(-0.5, abs=0.02) and spec["center"][1] == pytest.approx(0, abs=0.02)
    run("click", "--window", v.wid, "4")   # scroll up: zoom in about the cursor
    v.key("n")
    spec = json.loads(str(np.load(v.expect("network:"))["spec"]))
    assert spec["extent"] < 1.0
    v.key("q", check=False)
    assert v.proc.wait(30) == 0


RESIZE_SCRIPT = r"""
import sys
import glfw, numpy as np
from glnn import Network
from glnn.app.controls import ViewerState, apply
from glnn.app.window import Window
w = Window(ViewerState(net=Network(seed=1, depth=4, width=8)), (200, 150), ".", backend=sys.argv[1],
           log=lambda m: None).open()
app = w.app
assert app.backend.name == sys.argv[1], app.backend.name
assert w.engine.context is w.ctx and app.engine.gl.ctx is w.ctx     # one context: the window's
for action in ("toggle_hud", "toggle_help", "zoom_in"):
    apply(app.state, action)
w.step()
glfw.set_window_size(w.window, 260, 180)
for _ in range(200):
    glfw.poll_events()
    if w.fb_size() == (260, 180):
        break
w.step()
pic = app.picture()
assert pic.shape == (180, 260, 3), pic.shape
ref = w.engine.render(app.state.net, app.state.view(260, 180), "numpy")
assert np.abs(pic - ref).max() < 1e-4
hud = app.hud_lines()[1]
expected = f"gl ({app.backend.kernel(app.state.net).name} kernel): picture" if sys.argv[1] == "gl" else "cpu: picture"
assert hud.startswith(expected), hud
# draft then refine: after a change the first frame may be a draft, and the picture converges to full
apply(app.state, "new_seed")
w.step()
fw, fh = w.fb_size()   # (without a window manager, X may hand back the first size by now)
assert app.picture().shape == (fh, fw, 3)
w.close()
print("ok", app.state.extent < 1)
"""


@pytest.mark.parametrize("backend", ["gl", "cpu"])
def test_window_resizes_and_refines(display, tmp_path, backend):
    """Both ways of filling the window: GL in its own context (compute or fragment), and the CPU path uploaded."""
    env = dict(os.environ, DISPLAY=display)
    r = subprocess.run([sys.executable, "-c", RESIZE_SCRIPT, backend], cwd=tmp_path, env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok True"


def test_no_display_is_one_line_and_exit_2(tmp_path):
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    r = subprocess.run([sys.executable, "-m", "glnn", "view"], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "glnn render" in r.stderr
    # bad flags are named first, display or not
    r = subprocess.run([sys.executable, "-m", "glnn", "view", "--depth", "0"], env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2 and "depth must be" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_view_from_a_picture(display, tmp_path, run_glnn):
    """`glnn view --from picture.png` opens the picture's network and view, at its size."""
    r = run_glnn("render", "--seed", 11, "--depth", 5, "--width", 9, "--extent", 2.5, "--size", "120x90",
                 "--out", "p.png")
    assert r.returncode == 0, r.stderr
    v = Viewer(display, ["--from", str(tmp_path / "p.png"), "--screenshot-dir", str(tmp_path)], tmp_path)
    v.wait_title("seed 11, 5 x 9")
    v.key("s")
    shot = Image.open(v.expect("screenshot:"))
    assert shot.size == (120, 90)
    assert np.array_equal(np.asarray(shot), np.asarray(Image.open(tmp_path / "p.png")))
    v.key("q", check=False)
    assert v.proc.wait(30) == 0
