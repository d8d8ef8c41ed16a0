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

from glnn.web.page_bench import browser

CHROME_BAR = 87   # the window's height minus the viewport's
MIN_WIDTH = 500
FLAGS = ["--headless", "--no-sandbox", "--enable-unsafe-swiftshader", "--use-angle=swiftshader",
         "--hide-scrollbars", "--disable-gpu-sandbox", "--no-first-run", "--disable-extensions",
         "--force-device-scale-factor=1"]


def binary():
    return browser()   # the one glnn bench --page uses


def _require():
    if binary() is None:
        raise AssertionError("no chromium: apt-get install chromium (tests that need it are marked "
                             "needs('chromium'): tests/conftest.py)")


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


def page_result(url: str, width: int = 800, height: int = 600, budget_ms=None, timeout: float = 120) -> dict:
    """The JSON a page's script put in its <body data-result> (a launch whose page did not report is made again:
    dump_dom_reported); AssertionError with the DOM's end where none did."""
    import json
    import re

    dom = dump_dom_reported(url, 'data-result="', width, height, budget_ms=budget_ms, timeout=timeout)
    m = re.search(r'data-result="([^"]*)"', dom)
    assert m, dom[-3000:]
    return json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def dump_dom_reported(url: str, reported: str, width: int = 800, height: int = 600, budget_ms=None,
                      timeout: float = 120, tries: int = 2) -> str:
    """dump_dom of a page that reports (puts `reported`, e.g. 'data-result="', in its DOM): a launch whose page
    did not report, or that ran past `timeout` (Chromium stuck while SwiftShader compiles on a loaded machine),
    is made again, up to `tries` launches (as frames does); the last DOM if none reported."""
    dom = ""
    for _ in range(tries):
        try:
            dom = dump_dom(url, width, height, budget_ms=budget_ms, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            dom = f"(the launch ran past its {timeout:g} s: {e})"
            continue
        if reported in dom:
            return dom
    return dom


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


# ---------------------------------------------------------------- many pages in one launch
# A launch costs 2-4 s, most of a small page's test: a group of pages is read in one launch instead. Each page
# loads in an <iframe> (window.name: its key) of its own size in one parent page and reports to the parent with
# a reporter script (canvas_reporter: its canvas's pixels, gl.readPixels; result_reporter: its <body
# data-result>); the parent writes them all into its own <body data-result> for dump_dom. A few frames at a time
# (each holds a WebGL context until it reported; a frame is removed once it reported).

CANVAS_REPORTER = """
<script type="module">
// the pixels of a settled canvas, to the parent page (chromium.frames)
const wait = ms => new Promise(r => setTimeout(r, ms));
let gl = null;
while (!(gl = (%(gl)s))) await wait(50);   // the budget of the launch bounds it
try {
  if (!gl) throw new Error("no canvas to read");
  for (let i = 0; i < 4; i++) await new Promise(r => requestAnimationFrame(r));
  await wait(%(settle_ms)d);
  const w = gl.drawingBufferWidth, h = gl.drawingBufferHeight, px = new Uint8Array(w * h * 4);
  gl.bindFramebuffer(gl.FRAMEBUFFER, null);
  gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
  let s = "";
  for (let i = 0; i < px.length; i += 0x8000) s += String.fromCharCode.apply(null, px.subarray(i, i + 0x8000));
  parent.postMessage({key: window.name, w, h, px: btoa(s), result: document.body.dataset.result}, "*");
} catch (e) {
  parent.postMessage({key: window.name, error: String(e && e.stack || e)}, "*");
}
</script>
"""

VALUE_REPORTER = """
<script>
// a value of the page (a JavaScript expression), once it is defined and %(settle_ms)d ms more, to the parent page
(function poll() {
  let v;
  try { v = (%(value)s); } catch (e) { v = undefined; }
  if (v === undefined) return setTimeout(poll, 20);
  setTimeout(() => parent.postMessage({key: window.name, result: (%(value)s)}, "*"), %(settle_ms)d);
})();
</script>
"""


FRAMES_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>html,body{margin:0;background:#000}iframe{border:0;display:block}</style>
</head><body><div id="frames" style="display:flex;flex-wrap:wrap;align-items:flex-start"></div>
<script>
const frames = %(frames)s, out = {}, holder = document.getElementById("frames");
let next = 0, left = frames.length;
function start() {
  if (next >= frames.length) return;
  const f = frames[next++], i = document.createElement("iframe");
  i.name = f.key; i.src = f.url; i.style.width = f.w + "px"; i.style.height = f.h + "px";
  holder.appendChild(i);
}
addEventListener("message", e => {
  const d = e.data;
  if (!d || !(typeof d.key === "string") || d.key in out) return;
  out[d.key] = d;
  document.body.dataset.reported = Object.keys(out).join(" | ") + " (at " + Math.round(performance.now()) + " ms)";
  document.body.dataset.partial = JSON.stringify(out);
  for (const i of holder.querySelectorAll("iframe")) if (i.name === d.key) i.remove();
  if (--left === 0) document.body.dataset.result = JSON.stringify(out);
  start();
});
for (let k = 0; k < %(parallel)d; k++) start();
</script></body></html>
"""


def canvas_reporter(gl_expression: str, settle_ms: int = 500) -> str:
    """A <script> for a page read by frames_pixels: it waits until `gl_expression` (JavaScript, evaluated in the
    page) gives the WebGL context of the canvas to read, a few frames and settle_ms more, then reports the
    canvas's pixels (and the page's <body data-result>, as "result", if it has one)."""
    return CANVAS_REPORTER % dict(gl=gl_expression, settle_ms=settle_ms)


def result_reporter(value: str = "document.body.dataset.result", settle_ms: int = 0) -> str:
    """A <script> for a page read by frames: it reports `value` (a JavaScript expression; by default the page's
    <body data-result>) once that is defined, as it is settle_ms later."""
    return VALUE_REPORTER % dict(value=value, settle_ms=settle_ms)


def pixels(report) -> np.ndarray:
    """The (h, w, 3) uint8 canvas, row 0 at the top, of a canvas_reporter's report."""
    import base64
    if "error" in report:
        raise AssertionError(report["error"])
    px = np.frombuffer(base64.b64decode(report["px"]), np.uint8).reshape(report["h"], report["w"], 4)
    return px[::-1, :, :3]   # readPixels is bottom-up


def frames(folder, pages, parallel: int = 4, budget_ms: int = 100_000_000, timeout: float = 240,
           tries: int = 3) -> dict:
    """{key: what the page reported (a dict)} for pages [(key, url, width, height)], each a page with a reporter
    script, all loaded in one Chromium launch, in frames of those sizes, `parallel` at a time. Pages that did not
    report (headless Chromium's virtual clock can run out while SwiftShader still compiles a large shader, or a
    WebGL context is lost under load: MEASURED.md), or whose launch ran past `timeout`, are loaded again in a new
    launch, up to `tries` launches."""
    import json
    import re

    def decoded(text):
        return json.loads(text.replace("&quot;", '"').replace("&amp;", "&"))

    out, left, dom = {}, list(pages), ""
    for _ in range(tries):
        page = os.path.join(str(folder), "frames.html")
        with open(page, "w") as f:
            f.write(FRAMES_PAGE % dict(frames=json.dumps([dict(key=k, url=u, w=w, h=h) for k, u, w, h in left])
                                       .replace("</", "<\\/"), parallel=parallel))
        try:
            dom = dump_dom("file://" + page, 800, 600, budget_ms=budget_ms, timeout=timeout)
        except subprocess.TimeoutExpired as e:   # a launch stuck: no page in it reported; the next launch retries
            dom = f"(the launch ran past its {timeout:g} s: {e})"
        m = re.search(r'data-result="([^"]*)"', dom) or re.search(r'data-partial="([^"]*)"', dom)
        if m:
            out.update(decoded(m.group(1)))
        left = [p for p in left if p[0] not in out]
        if not left:
            return out
    raise RuntimeError(f"of {len(pages)} frames, these never reported in {tries} launches: "
                       f"{', '.join(p[0] for p in left)}; the last page: {dom[-3000:]}")


def frames_pixels(folder, pages, **kw) -> dict:
    """{key: (h, w, 3) uint8, row 0 at the top} for pages [(key, url, width, height)], each with a canvas_reporter,
    all loaded in one Chromium launch (frames); a page that reported an error gives that error's text."""
    out = {}
    for key, d in frames(folder, pages, **kw).items():
        out[key] = d["error"] if "error" in d else pixels(d)
    return out
