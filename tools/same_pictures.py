#!/usr/bin/env python3
"""Same pictures? Render one battery of outputs (every backend and GL kernel, probes, colour modes, inits,
supersampling, grids, animations, --from, --network, exports) with this tree and with an earlier revision (a git
worktree), and compare them: arrays bit for bit, pictures by their decoded pixels, frame by frame.

    python tools/same_pictures.py ae253ce            # this tree against revision ae253ce
    python tools/same_pictures.py ae253ce --figures  # and every figure of `glnn figures`

Exit status 0 when every array and picture is identical (texts such as the page export may differ: listed).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FAV = ["--seed", "12", "--depth", "27", "--scale", "0.65", "--extent", "2.6"]


def battery(tree: str, out: str) -> None:
    """Write the outputs of the tree at `tree` into `out` (each through `python -m glnn`, and the GL kernels)."""
    os.makedirs(out, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=tree)

    def glnn(*args):
        r = subprocess.run([sys.executable, "-m", "glnn", *args], capture_output=True, text=True, cwd=out, env=env)
        if r.returncode != 0:
            print(f"  {' '.join(args[:3])} ...: exit {r.returncode}: {r.stderr.strip()[-200:]}")

    for b in ("numpy", "cpu", "gl"):
        glnn("render", "--size", "96x80", "--backend", b, "--out", f"default-{b}.npy")
        glnn("render", "--size", "96x80", "--backend", b, "--out", f"default-{b}.png")
        glnn("render", *FAV, "--size", "80x60", "--backend", b, "--out", f"fav-{b}.npy")
        glnn("render", "--activation", "relu", "--channels", "1", "--size", "64x48", "--backend", b,
             "--out", f"relu-{b}.npy")
        glnn("render", "--depth", "5", "--width", "200", "--size", "40x40", "--backend", b, "--out", f"wide-{b}.npy")
        glnn("render", "--inputs", "7", "--time", "1.3", "--activation", "mix", "--channels", "1",
             "--color", "palette:twilight", "--size", "64x64", "--backend", b, "--out", f"mix7-{b}.png")
        for p in ("units:3", "regions", "saturation", "unit:2:4"):
            glnn("render", "--depth", "6", "--width", "8", "--probe", p, "--size", "64x64", "--backend", b,
                 "--out", f"probe-{p.replace(':', '_')}-{b}.png")
    for c in ("hsv", "hsl", "red", "gray"):
        glnn("render", *FAV, *(["--channels", "1"] if c == "gray" else []), "--color", c, "--size", "64x64",
             "--backend", "gl", "--out", f"colour-{c}.png")
    for init in ("he", "glorot", "normal"):
        glnn("render", "--init", init, "--gain", "1.3", "--size", "48x48", "--backend", "cpu", "--out", f"init-{init}.npy")
    glnn("render", *FAV, "--supersample", "2", "--size", "48x48", "--backend", "cpu", "--out", "ss2.png")
    glnn("render", *FAV, "--supersample", "3", "--size", "48x48", "--backend", "gl", "--out", "ss3gl.npy")
    glnn("grid", "--vary", "depth=2:4", "--vary", "scale=0.4:1.6:3x", "--size", "40x40", "--backend", "cpu",
         "--workers", "1", "--out", "grid.png", "--html", "grid.html")
    glnn("grid", "--vary", "activation=tanh,relu,sin", "--size", "32x32", "--backend", "gl", "--workers", "1",
         "--out", "grid-act.png")
    for ext in ("gif", "webp", "png"):
        glnn("animate", "--seed", "3", "--depth", "8", "--sweep", "scale:0.4:0.8", "--frames", "4", "--size", "48x48",
             "--backend", "cpu", "--workers", "1", "--out", f"anim.{ext}")
    glnn("animate", "--inputs", "5", "--sweep", "time:0:6.2832", "--frames", "3", "--size", "40x40", "--backend", "gl",
         "--workers", "1", "--out", "anim-time.gif")
    glnn("render", "--from", "default-gl.png", "--size", "50x50", "--out", "from.npy")
    glnn("export", *FAV, "page.html")
    glnn("export", "--seed", "3", "--depth", "8", "--width", "16", "--inputs", "4", "net.glsl")
    glnn("render", "--inputs", "4", "--size", "32x32", "--backend", "cpu", "--out", "sn.npy", "--save-network", "net.npz")
    glnn("render", "--network", "net.npz", "--extent", "3", "--size", "32x32", "--backend", "gl", "--out", "ln.npy")
    kernels = """
import sys, numpy as np, glnn
from glnn import Network, View   # the package's own names, wherever the modules live (the rooms moved them)
from glnn.gl.kernels import KERNELS
e = glnn.default_engine()
nets = {"fav": Network(seed=12, depth=27, scale=0.65), "t7": Network(inputs=7, depth=6, width=12),
        "wide": Network(depth=4, width=100), "d2": Network(depth=2, width=8)}
for nn, net in nets.items():
    for k in KERNELS:
        try:
            a = e.gl.render(net, View(48, 40, (0.1, -0.2), 1.5, 1.3), kernel=k)
        except ValueError:
            continue   # the kernel cannot draw this network
        np.save(f"{sys.argv[1]}/k-{k}-{nn}.npy", a)
"""
    subprocess.run([sys.executable, "-c", kernels, out], env=env, cwd=out, check=True)


def figures(tree: str, out: str) -> None:
    env = dict(os.environ, PYTHONPATH=tree)
    # run from outside any tree: `python -m` puts the working folder ahead of PYTHONPATH
    os.makedirs(out, exist_ok=True)
    subprocess.run([sys.executable, "-m", "glnn", "figures", "-q", "--out", out], env=env, cwd=out, check=True)


def compare(a: str, b: str) -> int:
    """The number of outputs that differ (or exist on one side only)."""
    from PIL import Image, ImageSequence

    bad = 0
    for name in sorted(set(os.listdir(a)) | set(os.listdir(b))):
        pa, pb = os.path.join(a, name), os.path.join(b, name)
        if not (os.path.isfile(pa) and os.path.isfile(pb)):
            print(f"  only one side has {name}")
            bad += 1
            continue
        if name.endswith(".npy"):
            x, y = np.load(pa), np.load(pb)
            same = x.shape == y.shape and x.dtype == y.dtype and np.array_equal(x, y)
        elif name.endswith((".png", ".gif", ".webp")):
            fx = [np.asarray(f.convert("RGBA")) for f in ImageSequence.Iterator(Image.open(pa))]
            fy = [np.asarray(f.convert("RGBA")) for f in ImageSequence.Iterator(Image.open(pb))]
            same = len(fx) == len(fy) and all(p.shape == q.shape and np.array_equal(p, q) for p, q in zip(fx, fy))
        else:
            if open(pa, "rb").read() != open(pb, "rb").read():
                print(f"  text differs (compare by hand): {name}")
            continue
        if not same:
            print(f"  DIFFERENT: {name}")
            bad += 1
    return bad


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("base", help="the git revision to compare with (e.g. the previous release)")
    p.add_argument("--figures", action="store_true", help="also compare every figure of glnn figures")
    p.add_argument("--keep", metavar="DIR", help="keep the outputs in DIR (default: a temporary folder)")
    args = p.parse_args()
    work = args.keep or tempfile.mkdtemp(prefix="glnn-same-")
    base_tree = os.path.join(work, "base-tree")
    subprocess.run(["git", "-C", ROOT, "worktree", "add", "--detach", base_tree, args.base], check=True,
                   capture_output=True)
    try:
        bad = 0
        for label, tree in (("base", base_tree), ("this", ROOT)):
            print(f"rendering with {label} ({tree})")
            battery(tree, os.path.join(work, label))
            if args.figures:
                figures(tree, os.path.join(work, label + "-figs"))
        for label, tree in (("base", base_tree), ("this", ROOT)):   # each output made by its own tree
            check = subprocess.run([sys.executable, "-c", "import glnn; print(glnn.__file__)"], capture_output=True,
                                   text=True, cwd=work, env=dict(os.environ, PYTHONPATH=tree)).stdout.strip()
            assert check.startswith(os.path.realpath(tree)) or check.startswith(tree), (label, check)
        bad += compare(os.path.join(work, "base"), os.path.join(work, "this"))
        if args.figures:
            bad += compare(os.path.join(work, "base-figs"), os.path.join(work, "this-figs"))
        print(f"{bad} differences" + (f" (outputs in {work})" if args.keep else ""))
        return 1 if bad else 0
    finally:
        subprocess.run(["git", "-C", ROOT, "worktree", "remove", "--force", base_tree], capture_output=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
