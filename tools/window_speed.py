#!/usr/bin/env python3
"""The live window against `glnn render`: seconds from the r key to the settled full picture in a real window
(GLFW, e.g. under Xvfb), and the wall-clock of `glnn render` of the same picture as a whole process, measured
alternately (back to back, so load hits both alike), medians printed.

    Xvfb :97 &  DISPLAY=:97 python tools/window_speed.py --backend cpu --runs 3

The window counts from the key press (the next seed) to the last band of the full picture on screen, its draft
and the pause before refining included; render counts its whole process (start, GL context, the picture, the PNG).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NET = ["--depth", "27", "--width", "30", "--extent", "2.6"]


def window_seconds(backend: str, size: int, seed: int) -> float:
    """In this process: open the window, settle the first picture, press r, time the next full picture."""
    sys.path.insert(0, ROOT)
    from glnn.cli import build_parser
    from glnn.cli.flags import resolve
    from glnn.app.controls import ViewerState
    from glnn.app.window import Window

    args = build_parser().parse_args(["view", *NET, "--seed", str(seed - 1), "--size", f"{size}x{size}"])
    recipe = resolve(args)
    state = ViewerState(net=recipe.network, center=recipe.view.center, extent=recipe.view.extent,
                        home=(recipe.view.center, recipe.view.extent))
    w = Window(state, (size, size), backend=backend, log=lambda m: None).open()
    try:
        app = w.app
        while True:   # the first picture: compiles, the speed learned
            w.step(wait=False)
            if app.scheduler.shown == "full" and not app.scheduler.refining:
                break
        app.key("R")
        t0 = time.perf_counter()
        while True:
            w.step(wait=False)
            if app.scheduler.shown == "full" and not app.scheduler.refining:
                return time.perf_counter() - t0
    finally:
        w.close()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--backend", default="cpu")
    p.add_argument("--size", type=int, default=800)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args()
    seed = 2
    if a.inner:
        print(f"{window_seconds(a.backend, a.size, seed):.3f}")
        return 0
    env = dict(os.environ, PYTHONPATH=ROOT)
    win, ren = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(a.runs):
            out = subprocess.run([sys.executable, __file__, "--inner", "--backend", a.backend, "--size", str(a.size)],
                                 env=env, capture_output=True, text=True, check=True)
            win.append(float(out.stdout.split()[-1]))
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "glnn", "render", *NET, "--seed", str(seed), "--size",
                            f"{a.size}x{a.size}", "--backend", a.backend, "--out", os.path.join(tmp, "r.png"), "-q"],
                           env=env, check=True)
            ren.append(time.perf_counter() - t0)
            print(f"window {win[-1]:.2f} s, render {ren[-1]:.2f} s", flush=True)
    w, r = statistics.median(win), statistics.median(ren)
    print(f"median: window {w:.2f} s, glnn render {r:.2f} s, ratio {w / r:.2f} ({a.size}x{a.size}, 27 x 30, "
          f"{a.backend}; load average {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
