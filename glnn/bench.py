"""`glnn bench`: standard cases on every backend that works here, against plain numpy as the yardstick.

For each case and backend: median ms per frame, GFLOP/s (2 flops per weight per
pixel), compile ms (GL), and the time to apply a new seed and scale and render
again (no recompile: the weights are data). The peer ("plain numpy") is what
the article's notebook-style code does: one float32 matmul per layer over all
pixels, tanh, sigmoid readout. `ratio` is the peer's time over the backend's, printed as "xN as fast as plain"; the
whole-process comparison is printed the same way (its JSON `time_ratio` is ours over the peer's).
A GL frame is drawn into a GPU texture and waited for (what the window shows);
`with_readback_ms` adds copying it to a numpy array, as `glnn render` does.
"""
from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np

from .backends import registry as backend_registry
from .backends.reference import evaluate as reference_evaluate
from .rendering.engine import Engine, default_engine
from .errors import GLUnavailable, GlnnError
from .gl.context import describe
from .gl.kernels import KERNELS, SharedKernel
from .model.network import Network
from .version import __version__
from .model.view import View

FULL_CASES = [(27, 30, 512, 512), (27, 30, 1024, 1024), (27, 30, 1920, 1080), (27, 30, 3840, 2160),
              (14, 400, 512, 512), (10, 10, 1920, 1080)]
QUICK_CASES = [(27, 30, 256, 256), (14, 400, 64, 64), (10, 10, 480, 270)]


def plain_numpy(net: Network, view: View) -> np.ndarray:
    """The yardstick: the straightforward numpy program (whole picture at once, float32)."""
    r, c = np.mgrid[0:view.height, 0:view.width]
    x, y = view.coords(r, c)
    h = np.stack([x.ravel(), y.ravel()], axis=1).astype(np.float32)
    for layer in net.layers[:-1]:
        h = np.tanh(h @ layer.W.T + layer.b)
    last = net.layers[-1]
    return (1.0 / (1.0 + np.exp(-(h @ last.W.T + last.b)))).reshape(view.height, view.width, -1)


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _median_ms(fn, repeats: int, budget_s: float) -> Dict[str, float]:
    """Median of up to `repeats` runs, stopping early once `budget_s` is spent (at least one run)."""
    times = []
    start = time.perf_counter()
    for _ in range(repeats):
        times.append(_timed(fn))
        if time.perf_counter() - start > budget_s:
            break
    return {"ms": 1000 * sorted(times)[len(times) // 2], "runs": len(times)}


# The shared kernel's variants `--shared-variants` times (tuning on a GPU): each a kernel object of its own
SHARED_VARIANTS = [SharedKernel(ppt=ppt, local=local) for ppt in (1, 2, 4) for local in (32, 64, 128, 256)] \
    + [SharedKernel(builtin_tanh=True)]


def _variant_label(kernel: SharedKernel) -> str:
    if kernel.builtin_tanh:
        return "builtin tanh"
    return f"ppt{kernel.ppt} local{kernel.local}"


def _rows_to_run(engine: Engine, net: Network, kernels, shared_variants: bool):
    """(label, backend, GL kernel or None) for each backend (and GL kernel) that works here.

    kernels: 'auto' (the GL kernel auto uses), 'all' (every one that can draw `net`) or a list of names.
    """
    out = []
    for entry in backend_registry.TABLE:
        if engine.unavailable(entry.name) is not None:
            continue
        backend = engine.backend(entry.name)
        if not entry.gl_kernels:
            out.append((entry.name, backend, None))
            continue
        usable = backend.kernels_for(net)
        chosen = [backend.kernel(net)] if kernels == "auto" else usable if kernels == "all" else \
            [k for k in usable if k.name in kernels]
        for k in chosen:
            out.append((f"{entry.name}:{k.name}", backend, k))
            if k.name == "shared" and shared_variants:
                out += [(f"{entry.name}:shared {_variant_label(v)}", backend, v) for v in SHARED_VARIANTS]
    out.append(("plain numpy", None, None))
    return out


def run_case(engine: Engine, depth: int, width: int, w: int, h: int, repeats: int, budget_s: float, log=None,
             kernels="auto", shared_variants: bool = False) -> List[dict]:
    net = Network(seed=1, depth=depth, width=width, scale=0.5)
    view = View(w, h)
    weights = sum(l.W.size for l in net.layers)
    flops = 2.0 * weights * w * h
    rows = []
    # the per-frame estimate comes from a probe of at most 1/16 of the area and 128 x 128 pixels
    shrink = max(4.0, (w * h / 16384) ** 0.5)
    probe_view = View(max(1, round(w / shrink)), max(1, round(h / shrink)))
    small = View(32, 32)   # the correctness check of every GL row
    small_ref = reference_evaluate(net, small)
    for name, backend, kernel in _rows_to_run(engine, net, kernels, shared_variants):
        row = {"case": f"{depth}x{width} {w}x{h}", "depth": depth, "width": width, "size": [w, h], "backend": name}
        if kernel is not None:
            row["path"] = kernel.name
            if isinstance(kernel, SharedKernel):
                row["ppt"], row["local"] = kernel.shape(net, backend.device)
            backend.device.programs.forget(kernel.programs(net, backend.device))
            # drivers compile lazily: time the program plus a first 1x1 draw
            row["compile_ms"] = 1000 * _timed(lambda: backend.render(net, View(1, 1), kernel=kernel))
            # fast is worth nothing if wrong: the kernel against the reference at 32x32
            row["ref_max_diff"] = float(np.abs(backend.render(net, small, kernel=kernel) - small_ref).max())
            # a frame stays on the GPU (the window shows it from there); the readback is timed apart
            render = lambda n, v: (backend.frame(n, v, kernel=kernel), backend.finish())  # noqa: E731
        elif backend is None:
            render = plain_numpy
        elif not backend_registry.entry(name).float64:
            # float32 rounding alone, for scale: chaotic cases (14 x 400 at scale 0.5) differ by 1e-3
            row["ref_max_diff"] = float(np.abs(backend.render(net, small) - small_ref).max())
            render = backend.render
        else:   # the reference itself
            render = backend.render
        # estimate from a 1/16-area probe (after a warm-up); skip what would blow the budget
        render(net, probe_view)
        estimate = _timed(lambda: render(net, probe_view)) * (w * h) / (probe_view.width * probe_view.height)
        if estimate > budget_s:
            row.update(skipped=f"estimated {estimate:.0f} s per frame, over the budget of {budget_s:.0f} s")
            rows.append(row)
            continue
        if estimate < 0.2 * budget_s:
            render(net, view)  # warm up at full size (caches, allocations) when it is cheap
        row.update(_median_ms(lambda: render(net, view), repeats, budget_s))
        row["gflops"] = flops / (row["ms"] / 1000) / 1e9
        if backend is not None and not backend_registry.entry(backend.name).float64:
            before = backend.compiles
            changed = net.replace(seed=2, scale=0.55)
            row["new_seed_scale_ms"] = 1000 * _timed(lambda: render(changed, view))
            row["recompiled"] = backend.compiles != before
        if kernel is not None:
            row["with_readback_ms"] = 1000 * _timed(lambda: backend.render(net, view, kernel=kernel))
        rows.append(row)
    peer = next((r for r in rows if r["backend"] == "plain numpy" and "ms" in r), None)
    for r in rows:
        if peer and "ms" in r:
            r["ratio_to_plain_numpy"] = peer["ms"] / r["ms"]
        if log:
            log(r)
    return rows


PLAIN_PROGRAM = """
import sys, numpy as np
from PIL import Image
W = H = {size}
rng = np.random.default_rng(1)
dims = [2] + [{width}] * {hidden} + [3]
layers = [(rng.uniform(-1, 1, (o, i)).astype(np.float32) * 0.5, rng.uniform(-1, 1, o).astype(np.float32) * 0.5)
          for i, o in zip(dims, dims[1:])]
s = 2.0 / min(W, H)
r, c = np.mgrid[0:H, 0:W]
h = np.stack([((c + 0.5 - W / 2) * s).ravel(), ((H / 2 - r - 0.5) * s).ravel()], 1).astype(np.float32)
for Wi, bi in layers[:-1]:
    h = np.tanh(h @ Wi.T + bi)
Wi, bi = layers[-1]
out = 1 / (1 + np.exp(-(h @ Wi.T + bi)))
Image.fromarray(np.rint(np.clip(out, 0, 1) * 255).astype(np.uint8).reshape(H, W, 3)).save(sys.argv[1])
"""


def process_case(size: int, depth: int = 27, width: int = 30, repeats: int = 3) -> dict:
    """The whole `glnn render` process against the plain numpy program doing the same job (import, render, PNG)."""
    with tempfile.TemporaryDirectory() as d:
        glnn_cmd = [sys.executable, "-m", "glnn", "render", "--size", f"{size}x{size}", "--depth", str(depth),
                    "--width", str(width), "--scale", "0.5", "--quiet", "--out", os.path.join(d, "a.png")]
        script = os.path.join(d, "plain.py")
        with open(script, "w") as f:
            f.write(PLAIN_PROGRAM.format(size=size, width=width, hidden=depth - 1))
        plain_cmd = [sys.executable, script, os.path.join(d, "b.png")]
        subprocess.run(glnn_cmd, check=True, capture_output=True)  # warm caches (auto choice, pyc)
        times = {"glnn": [], "plain": []}
        for _ in range(repeats):
            times["glnn"].append(_timed(lambda: subprocess.run(glnn_cmd, check=True, capture_output=True)))
            times["plain"].append(_timed(lambda: subprocess.run(plain_cmd, check=True, capture_output=True)))
    g = sorted(times["glnn"])[repeats // 2]
    p = sorted(times["plain"])[repeats // 2]
    return {"case": f"process: glnn render {depth}x{width} {size}x{size} vs plain numpy program",
            "glnn_s": g, "plain_s": p, "time_ratio": g / p}


def describe_row(r: dict) -> str:
    if "skipped" in r:
        return f"{r['case']:<22} {r['backend']:<24} skipped: {r['skipped']}"
    extra = ""
    if "compile_ms" in r:
        extra += f"  compile {r['compile_ms']:.0f} ms ({r['path']})"
    if "ref_max_diff" in r:
        extra += f"  max diff {r['ref_max_diff']:.1e}"
    if "with_readback_ms" in r:
        extra += f"  with readback {r['with_readback_ms']:.0f} ms"
    if "new_seed_scale_ms" in r:
        extra += f"  new seed+scale {r['new_seed_scale_ms']:.0f} ms{' (recompiled!)' if r['recompiled'] else ''}"
    ratio = f"  x{r['ratio_to_plain_numpy']:.2f} as fast as plain" if "ratio_to_plain_numpy" in r else ""
    return f"{r['case']:<22} {r['backend']:<24} {r['ms']:9.1f} ms  {r['gflops']:7.1f} GFLOP/s{ratio}{extra}"


def parse_case(text: str) -> Tuple[int, int, int, int]:
    """'27x30@3840x2160' -> (depth, width, W, H)."""
    m = re.fullmatch(r"\s*(\d+)x(\d+)@(\d+)x(\d+)\s*", text)
    if not m or min(int(g) for g in m.groups()) < 1:
        raise GlnnError(f"--case must look like DEPTHxWIDTH@WxH (e.g. 27x30@3840x2160), not {text!r}")
    depth, width, w, h = (int(g) for g in m.groups())
    if w * h > 16384 * 16384 or width > 4096 or depth > 1000:
        raise GlnnError(f"--case {text!r} is too large (at most 1000 layers of 4096, 16384x16384 pixels)")
    return depth, width, w, h


def parse_kernels(text: str):
    """'auto', 'all' or a comma-separated list of GL kernel names."""
    if text in ("auto", "all"):
        return text
    names = [k.strip() for k in text.split(",") if k.strip()]
    bad = [k for k in names if k not in KERNELS]
    if bad or not names:
        raise GlnnError(f"--kernels must be auto, all or names from {', '.join(KERNELS)}, not {text!r}")
    return names


def run(quick: bool = False, as_json: bool = False, budget_s: Optional[float] = None,
        kernels=None, cases: Optional[List[Tuple[int, int, int, int]]] = None,
        process: bool = True, shared_variants: bool = False, engine: Optional[Engine] = None) -> int:
    # time real compiles: Mesa would otherwise answer from its on-disk shader cache (set before any context)
    os.environ.setdefault("MESA_SHADER_CACHE_DISABLE", "true")
    engine = engine or default_engine()
    budget = budget_s if budget_s is not None else (2.0 if quick else 20.0)
    repeats = 3 if quick else 5
    kernels = kernels or ("auto" if quick else "all")
    header = {"glnn": __version__, "quick": quick, "cpus": os.cpu_count()}
    try:
        header["gl"] = describe(engine.context)["renderer"]
    except GLUnavailable as e:
        header["gl"] = f"unavailable: {e}"
    choice = engine.auto_choice()
    header["auto"] = {k: choice.get(k) for k in ("fused", "layered", "fused_kernel", "why")}
    log = None if as_json else (lambda r: print(describe_row(r), flush=True))
    if not as_json:
        print(f"glnn {header['glnn']} bench{' --quick' if quick else ''}: GL {header['gl']}, {header['cpus']} CPUs")
        kernel = f", GL fused kernel {header['auto']['fused_kernel']}" if header["auto"]["fused_kernel"] else ""
        print(f"auto: {header['auto']['fused']} (narrow), {header['auto']['layered']} (wide){kernel}")
    rows = []
    for depth, width, w, h in cases or (QUICK_CASES if quick else FULL_CASES):
        rows.extend(run_case(engine, depth, width, w, h, repeats, budget, log, kernels, shared_variants))
    result = {"machine": header, "results": rows}
    if process:
        proc = result["process"] = process_case(256 if quick else 1024, repeats=1 if quick else 3)
        if not as_json:
            print(f"{proc['case']}: glnn {proc['glnn_s']:.2f} s, plain {proc['plain_s']:.2f} s, "
                  f"x{1 / proc['time_ratio']:.2f} as fast as plain" + ("" if quick else " (target: x2 or more)"))
    if as_json:
        print(json.dumps(result, indent=1))
    return 0


def _noop(x):
    return x


def batch_case(cells: int = 64, size: int = 96, depth: int = 12, width: int = 30, workers: int = 2,
               backend: str = "cpu") -> dict:
    """A grid of `cells` cells (depth x width at size x size, one backend) rendered serially, on `workers` local
    processes and on a local Dask cluster of `workers` workers: cells per second each, the speedups, and Dask's
    per-task overhead (a round trip of a task that does nothing). Startup (workers, their GL contexts) is timed
    apart from the cells."""
    from .explore import grid
    from .explore.batch import DaskCluster, Executor, LocalProcesses

    sheet = grid.plan({"depth": depth, "width": width}, View(size, size), None,
                      [grid.parse_vary(f"seed=1:{cells}")], backend, cols=int(math.sqrt(cells)) or 1)
    out = {"case": f"{cells} cells of {depth}x{width} at {size}x{size} ({backend})", "workers": workers}
    with tempfile.TemporaryDirectory() as tmp:
        def timed(ex, label):
            t0 = time.perf_counter()
            list(ex.map(_noop, range(2 * workers)))   # start the workers (and import glnn there) first
            out[f"{label}_startup_s"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            grid.run(sheet, os.path.join(tmp, f"{label}.png"), ex)
            out[f"{label}_cells_per_s"] = cells / (time.perf_counter() - t0)

        with Executor() as ex:
            timed(ex, "serial")
        with LocalProcesses(workers) as ex:
            timed(ex, "processes")
        try:
            with DaskCluster(f"local:{workers}") as ex:
                timed(ex, "dask")
                t0 = time.perf_counter()
                list(ex.map(_noop, range(200)))
                out["dask_task_overhead_ms"] = 1000 * (time.perf_counter() - t0) / 200
        except GlnnError as e:
            out["dask"] = str(e)
    for label in ("processes", "dask"):
        if f"{label}_cells_per_s" in out:
            out[f"{label}_speedup"] = out[f"{label}_cells_per_s"] / out["serial_cells_per_s"]
    return out


def describe_batch(r: dict) -> str:
    lines = [f"batch: {r['case']}"]
    for label in ("serial", "processes", "dask"):
        if f"{label}_cells_per_s" in r:
            speed = f", x{r[f'{label}_speedup']:.2f}" if label != "serial" else ""
            lines.append(f"  {label:<10} {r[f'{label}_cells_per_s']:7.1f} cells/s{speed} "
                         f"(startup {r[f'{label}_startup_s']:.1f} s)")
    if "dask_task_overhead_ms" in r:
        lines.append(f"  dask overhead per task: {r['dask_task_overhead_ms']:.1f} ms")
    elif "dask" in r:
        lines.append(f"  dask: {r['dask']}")
    return "\n".join(lines)


# ---------------------------------------------------------------- `glnn bench --weights`: the page's weight drawing
# glnn/web/glnn_random.js (the playground draws every network with it, bit for bit numpy's draws) in node against
# numpy in this process, the same draws in the same minute: draws per second (uniform, standard normal) and the
# time to draw a network's weights, the median of several runs after a warm-up.
WEIGHT_CASES = [(14, 400), (12, 30)]
QUICK_WEIGHT_CASES = [(3, 8)]

_WEIGHTS_NODE = r"""
const [modUrl, paramsPath] = process.argv.slice(2);
const g = await import(modUrl);
const P = JSON.parse((await import("node:fs")).readFileSync(paramsPath, "utf8"));
function median(fn, runs) {
  const t = [];
  for (let i = 0; i < runs; i++) { const t0 = performance.now(); fn(); t.push(performance.now() - t0); }
  t.sort((a, b) => a - b);
  return t[runs >> 1];
}
const rng = g.stream([1, 2, 3]);
const out = new Float64Array(P.n);
const draws = () => ({
  uniform_ms: median(() => rng.fillUniform(out, -1.0, 1.0), P.runs),
  normal_ms: median(() => rng.fillStandardNormal(out), P.runs),
});
draws(); // warm-up: the JIT compiles the loops
const result = {draws: draws(), networks: []};
for (const spec of P.specs) {
  g.glnnNetwork(spec, P.tables);
  result.networks.push({ms: median(() => g.glnnNetwork(spec, P.tables), P.runs)});
}
result.node = process.version;
console.log(JSON.stringify(result));
"""


def weights_case(quick: bool = False) -> dict:
    """Draw rates and network weight times of glnn_random.js in node and of numpy here (medians). Raises
    GlnnError where node is missing."""
    import shutil
    from pathlib import Path

    from .web.tables import web_tables

    node = shutil.which("node")
    if node is None:
        raise GlnnError("glnn bench --weights needs node (Node.js 18 or newer; Debian: apt-get install nodejs)")
    n = 4096 if quick else 1 << 21
    runs = 3 if quick else 9
    cases = QUICK_WEIGHT_CASES if quick else WEIGHT_CASES
    nets = [Network(depth=d, width=w, seed=1) for d, w in cases]
    specs = [{**net.hyperparameters(), "seed": str(net.seed)} for net in nets]
    module = Path(__file__).resolve().parent / "web" / "glnn_random.js"
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "weights_bench.mjs")
        params = os.path.join(tmp, "params.json")
        with open(script, "w") as f:
            f.write(_WEIGHTS_NODE)
        with open(params, "w") as f:
            json.dump({"n": n, "runs": runs, "specs": specs, "tables": web_tables()}, f)
        p = subprocess.run([node, script, module.as_uri(), params], capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        raise GlnnError(f"glnn bench --weights: node failed: {p.stderr.strip()[-500:]}")
    js = json.loads(p.stdout)

    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([1, 2, 3])))
    buf = np.empty(n)

    def py_draws():
        return {"uniform_ms": _median_ms(lambda: rng.uniform(-1.0, 1.0, n), runs, 1e9)["ms"],
                "normal_ms": _median_ms(lambda: rng.standard_normal(out=buf), runs, 1e9)["ms"]}

    py_draws()
    py = {"draws": py_draws(), "networks": []}
    for net in nets:
        def draw(net=net):
            fresh = net.replace(seed=net.seed)   # a new object: no cached layers
            fresh.layers, fresh.time_params()
        draw()
        py["networks"].append({"ms": _median_ms(draw, runs, 1e9)["ms"]})

    def rates(d):
        return {k.replace("_ms", "_mdraws_per_s"): n / (1000 * v) for k, v in d.items()}

    out = {"quick": quick, "n": n, "runs": runs, "load": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
           "node": {"version": js["node"], **js["draws"], **rates(js["draws"])},
           "numpy": {"version": np.__version__, **py["draws"], **rates(py["draws"])},
           "networks": []}
    for net, (d, w), j, q in zip(nets, cases, js["networks"], py["networks"]):
        out["networks"].append({"case": f"{d}x{w}", "weights": sum(l.W.size + l.b.size for l in net.layers),
                                "node_ms": j["ms"], "numpy_ms": q["ms"]})
    return out


def describe_weights(r: dict) -> str:
    js, py = r["node"], r["numpy"]
    load = f", load average {r['load'][0]:.2f}" if r.get("load") else ""
    lines = [f"weights: glnn_random.js in node {js['version']} vs numpy {py['version']}, median of {r['runs']} "
             f"runs of {r['n']:,} draws{load}",
             f"  {'':<26}{'node':>12}{'numpy':>12}{'numpy/node':>12}"]
    for kind in ("uniform", "normal"):
        a, b = js[f"{kind}_mdraws_per_s"], py[f"{kind}_mdraws_per_s"]
        lines.append(f"  {kind + ' (M draws/s)':<26}{a:>12.1f}{b:>12.1f}{b / a:>11.1f}x")
    for c in r["networks"]:
        label = f"{c['case']} network (ms)"
        lines.append(f"  {label:<26}{c['node_ms']:>12.2f}{c['numpy_ms']:>12.2f}{c['node_ms'] / c['numpy_ms']:>11.1f}x"
                     f"  ({c['weights']:,} weights)")
    return "\n".join(lines)
