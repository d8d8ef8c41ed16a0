"""`glnn bench --page`: the exported page's frame time in a headless Chromium (WebGL2, the browser's own GPU
or, without one, SwiftShader on the CPU). The page times its frames itself (page.html's #bench=N)."""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

from ..errors import GlnnError
from .export import export
from ..model.network import Network
from ..io.recipe import Recipe
from ..model.view import View

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
STANDARD = "standard"                # --page without a case: the standard case, or the quick one with --quick
PAGE_CASE = "27x30@1280x720"         # the standard case (on SwiftShader, a CPU: 40 s and more a frame)
QUICK_CASE = "8x16@320x180"          # --quick: about 1/12 of the FLOPs a pixel on 1/16 of the pixels (seconds)


def page_case(text: str, quick: bool) -> str:
    """The case `glnn bench --page [CASE] [--quick]` times: CASE if given, else the standard or quick one."""
    return (QUICK_CASE if quick else PAGE_CASE) if text == STANDARD else text


def browser() -> Optional[str]:
    return next((p for p in map(shutil.which, BROWSERS) if p), None)


def page_frames(depth: int, width: int, w: int, h: int, frames: int = 3, timeout: float = 900) -> dict:
    """Median ms per full frame of the page for a depth x width network on a w x h canvas."""
    exe = browser()
    if exe is None:
        raise GlnnError("glnn bench --page needs Chromium or Chrome on PATH (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        export(Recipe(Network(seed=1, depth=depth, width=width, scale=0.5), View(w, h), "rgb"), str(page))
        cmd = [exe, "--headless", "--enable-unsafe-swiftshader", "--hide-scrollbars", f"--user-data-dir={tmp}/profile",
               f"--window-size={max(w, 500)},{h + 100}", "--dump-dom", f"{page.as_uri()}#bare&size={w}x{h}&bench={frames}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.insert(1, "--no-sandbox")   # Chromium refuses to run as root with its sandbox
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout).stdout
        except subprocess.TimeoutExpired:
            raise GlnnError(f"the page took over {timeout:.0f} s in {exe}") from None
    m = re.search(r'data-bench="([^"]*)"', out)
    if not m:
        raise GlnnError(f"the page did not report its frame times in {exe} (no WebGL2?)")
    result = json.loads(html.unescape(m.group(1)))
    return {"case": f"{depth}x{width} {w}x{h}", "browser": exe, "renderer": result["renderer"],
            "size": result["size"], "first_frame_ms": result["mount_ms"],
            "ms": statistics.median(result["frames_ms"]), "frames": len(result["frames_ms"])}


def describe(r: dict) -> str:
    return (f"page {r['case']} in headless {Path(r['browser']).name} ({r['renderer']}): {r['ms']:,.0f} ms per frame "
            f"(median of {r['frames']}; compile and first frame {r['first_frame_ms']:,.0f} ms)")
