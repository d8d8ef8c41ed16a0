"""Headless Chromium for the web tests (Debian's chromium; WebGL2 on SwiftShader, the CPU).

Measured here (Chromium 156): a page loads in a viewport of max(W, 500) x (H - 87) for a W x H window;
--screenshot then resizes it to the window and captures, without waiting for a slow WebGL redraw at the
new size. So a picture is tested on a fixed canvas (page.html#bare&size=WxH) in a window of
max(W, 500) x (H + 87), and the screenshot's top-left W x H cropped.
"""
from __future__ import annotations

import os
import subprocess
import tempfile

import numpy as np
from PIL import Image

from glnn.page_bench import browser

CHROME_BAR = 87   # the window's height minus the viewport's
MIN_WIDTH = 500
FLAGS = ["--headless", "--no-sandbox", "--enable-unsafe-swiftshader", "--use-angle=swiftshader",
         "--hide-scrollbars", "--disable-gpu-sandbox", "--no-first-run", "--disable-extensions",
         "--force-device-scale-factor=1"]


def binary():
    return browser()   # the one glnn bench --page uses


def _require():
    if binary() is None:
        raise AssertionError("no chromium: apt-get install chromium (or set CI_ALLOW_NO_CHROMIUM=1 to skip)")


def _run(args, timeout):
    _require()
    with tempfile.TemporaryDirectory() as profile:
        cmd = [binary(), *FLAGS, f"--user-data-dir={profile}", *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env=dict(os.environ, HOME=profile))


def screenshot(url: str, width: int, height: int, budget_ms: int = 20000, timeout: float = 120) -> np.ndarray:
    """The top-left (height, width, 3) uint8 of the page, loaded in a viewport of at least that size."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "shot.png")
        r = _run([f"--window-size={max(width, MIN_WIDTH)},{height + CHROME_BAR}", f"--virtual-time-budget={budget_ms}",
                  f"--screenshot={out}", url], timeout)
        if not os.path.exists(out):
            raise RuntimeError(f"no screenshot from chromium: {r.stderr[-2000:]}")
        shot = np.asarray(Image.open(out).convert("RGB"))
    return shot[:height, :width]


def dump_dom(url: str, width: int = 800, height: int = 600, budget_ms=None, timeout: float = 120) -> str:
    """The page's DOM, loaded in a width x height window, after its scripts ran (and `budget_ms` of virtual
    time, if given)."""
    args = [f"--window-size={width},{height}", "--dump-dom", url]
    if budget_ms is not None:
        args.insert(0, f"--virtual-time-budget={budget_ms}")
    return _run(args, timeout).stdout


SHADERTOY_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>html,body{margin:0;background:#000}</style></head><body>
<canvas id="c" width="%(w)d" height="%(h)d" style="display:block;width:%(w)dpx;height:%(h)dpx"></canvas>
<script id="code" type="x-shader/x-fragment">%(code)s</script>
<script>
// A minimal Shadertoy: the Image tab's uniforms around mainImage(), one frame.
const HEADER = "#version 300 es\\nprecision highp float;\\nprecision highp int;\\n" +
  "uniform vec3 iResolution;\\nuniform float iTime;\\nuniform vec4 iMouse;\\nuniform int iFrame;\\nout vec4 st_out;\\n";
const FOOTER = "\\nvoid main() { mainImage(st_out, gl_FragCoord.xy); st_out.a = 1.0; }\\n";
const gl = document.getElementById("c").getContext("webgl2", {preserveDrawingBuffer: true, antialias: false});
const t0 = performance.now();
function shader(type, src) {
  const s = gl.createShader(type); gl.shaderSource(s, src); gl.compileShader(s);
  if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(s));
  return s;
}
try {
  const p = gl.createProgram();
  gl.attachShader(p, shader(gl.VERTEX_SHADER, "#version 300 es\\nvoid main(){vec2 p=vec2(float((gl_VertexID<<1)&2),float(gl_VertexID&2));gl_Position=vec4(2.0*p-1.0,0.0,1.0);}"));
  gl.attachShader(p, shader(gl.FRAGMENT_SHADER, HEADER + document.getElementById("code").textContent + FOOTER));
  gl.linkProgram(p);
  if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(gl.getProgramInfoLog(p));
  const t1 = performance.now();
  gl.useProgram(p);
  gl.uniform3f(gl.getUniformLocation(p, "iResolution"), %(w)d, %(h)d, 1);
  gl.uniform1f(gl.getUniformLocation(p, "iTime"), %(time)r);
  gl.uniform4f(gl.getUniformLocation(p, "iMouse"), %(mouse)s);
  gl.uniform1i(gl.getUniformLocation(p, "iFrame"), 0);
  gl.viewport(0, 0, %(w)d, %(h)d);
  gl.drawArrays(gl.TRIANGLES, 0, 3);
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  const t2 = performance.now();
  document.body.dataset.result = "ok compile_ms=" + (t1 - t0).toFixed(0) + " draw_ms=" + (t2 - t1).toFixed(0);
} catch (e) {
  document.body.dataset.result = "error " + e.message;
}
</script></body></html>
"""


def shadertoy_page(code: str, width: int, height: int, time: float = 0.0, mouse=(0, 0, 0, 0)) -> str:
    """A page that runs a Shadertoy Image-tab shader once on a width x height canvas; its outcome (compile and
    draw times, or the error) in <body data-result>."""
    return SHADERTOY_PAGE % dict(w=width, h=height, code=code.replace("</", "<\\/"), time=float(time),
                                 mouse=", ".join(str(float(m)) for m in mouse))


def viewport(width: int, height: int):
    """(innerWidth, innerHeight) of a page loaded in a width x height window."""
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "viewport.html")
        with open(page, "w") as f:
            f.write('<body><script>document.body.dataset.viewport = innerWidth + "x" + innerHeight;</script></body>')
        dom = dump_dom("file://" + page, width, height)
    w, h = dom.split('data-viewport="', 1)[1].split('"', 1)[0].split("x")
    return int(w), int(h)
