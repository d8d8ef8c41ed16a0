"""How long the playground's network diagram takes to follow a change, in headless Chromium in real time (not a
test: timings are noisy on a shared machine; needs `pip install playwright` and Chromium).

    PYTHONPATH=$PWD python tests/system/diagram_timing.py [--depth 27 --width 30] [--size 48x48] [--repeat 3]

For each change (depth, activation, zoom by the wheel on the picture) it reports: ms from the change until the
diagram's first painted slice (coarse: every 8th pixel), until its pass is done (every thumbnail and strip tile
final), the pass's own ms (data-ms), the longest task the page ran meanwhile (the main view's frame is one: compare
main_view_frame_ms), and the diagram's own longest slice, paint and build.
"""
import argparse
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from glnn import Network, View  # noqa: E402
from glnn.io.recipe import Recipe  # noqa: E402
from glnn.web import playground  # noqa: E402
from glnn.web.page_bench import browser  # noqa: E402

MEASURE = """async ([change, wheel]) => {
  const G = window.glnnPlayground, box = document.getElementById("glnn-diagram");
  const wait = ms => new Promise(r => setTimeout(r, ms));
  let longest = 0;
  const obs = new PerformanceObserver(list => { for (const e of list.getEntries()) longest = Math.max(longest, e.duration); });
  obs.observe({entryTypes: ["longtask"]});
  const before = +(box.dataset.passes || 0);
  G.diagram.timing();
  const t0 = performance.now();
  if (change) G.change(change);
  if (wheel) {
    const c = G.view.canvas, r = c.getBoundingClientRect();
    c.dispatchEvent(new WheelEvent("wheel", {deltaY: wheel, clientX: r.left + r.width / 3, clientY: r.top + r.height / 3,
                                             bubbles: true, cancelable: true}));
  }
  let first = null;
  const thumb = () => document.querySelector("#glnn-diagram canvas[data-layer]");
  const sig = () => { const c = thumb(); return c ? c.toDataURL() : ""; };
  const old = sig();
  while (true) {
    await new Promise(r => requestAnimationFrame(r));
    if (first === null && +(box.dataset.passes || 0) > before && sig() !== old) first = performance.now() - t0;
    if (+(box.dataset.passes || 0) > before && G.diagram.settled) break;
  }
  const done = performance.now() - t0;
  await wait(50);
  obs.disconnect();
  return {first, done, pass_ms: +box.dataset.ms, longest_task_ms: longest, diagram: G.diagram.timing(),
          main_view_frame_ms: G.view.state.frameMs};
}"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--depth", type=int, default=27)
    ap.add_argument("--width", type=int, default=30)
    ap.add_argument("--size", default="48x48", help="the main canvas (#size=WxH); 'window' for the whole window")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright

    net = Network(depth=a.depth, width=a.width)
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "play.html")
        with open(page, "w") as f:
            f.write(playground.playground_html(Recipe(net, View(64, 64), "rgb")))
        url = "file://" + page + ("" if a.size == "window" else f"#size={a.size}")
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=browser(), args=["--enable-unsafe-swiftshader", "--use-angle=swiftshader",
                                                                   "--no-sandbox"])
            pg = b.new_page(viewport={"width": 1280, "height": 800})
            pg.goto(url, wait_until="commit", timeout=300000)
            pg.wait_for_function("window.glnnPlayground && glnnPlayground.diagram && glnnPlayground.diagram.settled",
                                 timeout=300000)
            steps = [("depth", {"depth": a.depth - 1}, 0), ("depth back", {"depth": a.depth}, 0),
                     ("activation", {"activation": "sin"}, 0), ("activation back", {"activation": "tanh"}, 0),
                     ("zoom", None, -120)]
            for r in range(a.repeat):
                for label, change, wheel in steps:
                    out = pg.evaluate(MEASURE, [change, wheel])
                    print(json.dumps(dict(net=f"{a.depth}x{a.width}", size=a.size, change=label, round=r,
                                          **{k: (round(v, 1) if isinstance(v, float) else v) for k, v in out.items()})))
                    sys.stdout.flush()
            b.close()


if __name__ == "__main__":
    main()
