"""The playground page as a person meets it, in a real headless Chromium driven by Playwright (WebGL2 on
SwiftShader): the layout at 1280 x 800 (no scrolling; picture, diagram and words in view) and on an emulated
phone (one column, touch pan and pinch), every control named and reached by Tab with a visible focus, no console
errors, and what a new user tripped on (issue 33): a link with a probe the page refuses, a hash typed into an
open tab, a probe that changed the colour silently, 17-digit numbers after a wheel zoom, a panel over the picture
at 800 x 600, no random seed, no word on what the picture is. The screenshots land in the test's folder (and in
$GLNN_SHOTS, if set, to look at)."""
import json
import os
import re
import shutil

import pytest

import chromium
from glnn import Network, View
from glnn.io.recipe import Recipe
from glnn.web import playground, playground_words

pytestmark = pytest.mark.needs("chromium")
sync_api = pytest.importorskip("playwright.sync_api")

SMALL = Network(seed=3, depth=4, width=8)   # quick on SwiftShader; the default page is looked at once


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium.binary(),
                              args=[a for a in chromium.FLAGS if a != "--headless"])
        yield p, b
        b.close()


def write_page(folder, net=SMALL, gallery=None):
    path = folder / "play.html"
    path.write_text(playground.playground_html(Recipe(net, View(8, 8), "rgb"), gallery=gallery))
    return path


class Page:
    """A page in a fresh context, its console errors collected; drawn() waits for a full frame."""

    def __init__(self, browser, url, **context):
        p, b = browser
        self.context = b.new_context(**context)
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url, wait_until="commit")
        self.drawn()

    def drawn(self):
        """Wait for a full frame drawn since the last mark() (a new shader mounts a new view: its first frame)."""
        self.page.wait_for_function("""(() => { const g = window.glnnPlayground, m = window.glnnMark;
          return g && g.view && g.view.state && g.view.state.draws > 0 &&
                 (!m || g.view !== m.view || g.view.state.draws > m.draws); })()""", timeout=60000)

    def mark(self):
        self.page.evaluate("window.glnnMark = {view: glnnPlayground.view, draws: glnnPlayground.view.state.draws}")

    def settle(self):
        """Wait until the state has been drawn and shown (the panel follows the view every 150 ms)."""
        self.page.wait_for_timeout(400)
        self.drawn()

    def __getattr__(self, name):
        return getattr(self.page, name)

    def close(self):
        self.context.close()


def shot(page, tmp_path, name):
    out = tmp_path / f"{name}.png"
    page.screenshot(path=str(out), full_page=True)
    if os.environ.get("GLNN_SHOTS"):
        shutil.copy(out, os.path.join(os.environ["GLNN_SHOTS"], out.name))
    return out


def inside(box, viewport):
    return box and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 0.5 and \
        box["y"] + box["height"] <= viewport["height"] + 0.5


def test_first_impression_at_1280x800_fits_without_scrolling(browser, tmp_path):
    # picture, diagram and words in view, the page does not scroll (a small network: SwiftShader draws it fast;
    # the layout is the same for every network)
    page = Page(browser, write_page(tmp_path).as_uri(), viewport={"width": 1280, "height": 800})
    try:
        shot(page, tmp_path, "playground-1280x800")
        vp = {"width": 1280, "height": 800}
        sizes = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        assert sizes == [1280, 800], sizes
        for sel in ("#glnn canvas", "#glnn-diagram", "#glnn-strip", ".glnn-playground", ".glnn-head p",
                    ".glnn-playground .about"):
            assert inside(page.locator(sel).first.bounding_box(), vp), sel
        pic = page.locator("#glnn canvas").bounding_box()
        assert pic["width"] >= 500 and abs(pic["width"] - pic["height"]) <= 1, pic   # square, large
        # what the picture is, the article, a random seed
        assert "untrained neural network" in page.locator(".glnn-head").inner_text()
        assert page.locator(".glnn-head a", has_text="the article").get_attribute("href") == playground_words.ARTICLE
        assert page.locator("button", has_text="random").count() == 1
        # the command's --size is the canvas's box
        assert f"--size {int(pic['width'])}x{int(pic['height'])}" in page.locator("#glnn").get_attribute("data-command")
        assert page.errors == [], page.errors
    finally:
        page.close()


def test_a_phone_gets_one_column_with_touch_pan_and_pinch(browser, tmp_path):
    p, _ = browser
    phone = dict(p.devices["Pixel 7"], device_scale_factor=1)   # SwiftShader draws the phone's CSS pixels only
    page = Page(browser, write_page(tmp_path).as_uri(), **phone)
    try:
        shot(page, tmp_path, "playground-phone")
        vw = page.evaluate("innerWidth")
        pic = page.locator("#glnn canvas").bounding_box()
        panel = page.locator(".glnn-playground").bounding_box()
        diagram = page.locator("#glnn-diagram").bounding_box()
        assert pic["width"] >= vw - 32 and pic["x"] >= 0 and pic["x"] + pic["width"] <= vw, (pic, vw)
        # one column: picture, then the controls, then the diagram (each as wide as the screen)
        assert pic["y"] + pic["height"] <= panel["y"] <= diagram["y"], (pic, panel, diagram)
        assert panel["width"] >= vw - 32, panel
        # every control fits the screen's width
        for box in page.eval_on_selector_all(".glnn-playground input, .glnn-playground select, .glnn-playground button",
                                             "els => els.filter(e => e.offsetParent).map(e => e.getBoundingClientRect().right)"):
            assert box <= vw + 0.5
        # touch: one finger pans, two pinch (real touch events through the DevTools protocol)
        cdp = page.context.new_cdp_session(page.page)
        cx, cy = pic["x"] + pic["width"] / 2, pic["y"] + pic["height"] / 2

        def touch(kind, points):
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [
                {"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]})

        touch("touchStart", [(cx, cy)])
        touch("touchMove", [(cx + 40, cy)])
        touch("touchEnd", [])
        page.wait_for_timeout(300)
        center = page.evaluate("glnnPlayground.view.state.center")
        s = 2 / min(pic["width"], pic["height"])
        assert center[0] == pytest.approx(-40 * s, rel=1e-6) and center[1] == 0, center
        touch("touchStart", [(cx - 20, cy), (cx + 20, cy)])
        touch("touchMove", [(cx - 40, cy), (cx + 40, cy)])
        touch("touchEnd", [])
        page.wait_for_timeout(300)
        assert page.evaluate("glnnPlayground.view.state.extent") == pytest.approx(0.5, rel=1e-6)
        page.settle()
        assert "extent=0.5" in page.evaluate("location.hash")
        assert page.errors == [], page.errors
    finally:
        page.close()


ROLES = {"textbox", "spinbutton", "slider", "combobox", "button", "checkbox", "link", "textarea", "searchbox"}


def test_every_control_is_named_reached_by_tab_and_shows_its_focus(browser, tmp_path):
    page = Page(browser, write_page(tmp_path, gallery="index.html").as_uri(), viewport={"width": 1280, "height": 800})
    try:
        # every control has an accessible name, as the browser's accessibility tree computes it
        cdp = page.context.new_cdp_session(page.page)
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
        controls = [n for n in nodes if not n.get("ignored") and n.get("role", {}).get("value") in ROLES]
        assert len(controls) >= 30, len(controls)
        unnamed = [(n["role"]["value"], n.get("name")) for n in controls if not n.get("name", {}).get("value", "").strip()]
        assert unnamed == [], unnamed
        # Tab reaches every visible control of the panel, the header's links and the picture, in order, and the
        # panel stays (Tab is the browser's: glnn/web/tables.py BROWSER_KEEPS)
        want = page.evaluate("""[...document.querySelectorAll('.glnn-head a, #glnn canvas, .glnn-playground :is(input, select, button, textarea, a)')]
          .filter(e => e.offsetParent && !e.disabled).length""")
        reached, styles = [], []
        page.locator("body").click(position={"x": 1, "y": 1})
        for _ in range(want + 5):
            page.keyboard.press("Tab")
            info = page.evaluate("""(() => { const e = document.activeElement; const s = getComputedStyle(e);
              return [[...document.querySelectorAll('*')].indexOf(e) + ':' + e.tagName + '#' + e.id + ':' + (e.getAttribute('href') || e.textContent.slice(0, 20)),
                      s.outlineStyle, parseFloat(s.outlineWidth)]; })()""")
            if info[0] in reached:
                break
            reached.append(info[0])
            styles.append(info)
        reached = [r for r in reached if ":BODY#" not in r]
        assert len(reached) >= want, (want, reached)
        # focus is visible on each (an outline of at least 2 px)
        bad = [s for s in styles if ":BODY#" not in s[0] and (s[1] == "none" or s[2] < 2)]
        assert bad == [], bad
        assert page.locator(".glnn-playground").is_visible()
        # each explained control is described by its words (aria-describedby), with try links and the figure
        for name in ("depth", "width", "activation", "scale", "time", "input-scale"):
            described = page.locator(f"#glnn-{name}").get_attribute("aria-describedby")
            assert described and page.locator(f"#{described} a").count() >= 2, name
        assert page.locator("a[href='index.html#fig19']").count() == 1
        assert page.errors == [], page.errors
    finally:
        page.close()


def test_a_try_link_sets_a_whole_state(browser, tmp_path):
    page = Page(browser, write_page(tmp_path).as_uri() + "#seed=5&depth=3&width=6&activation=relu",
                viewport={"width": 900, "height": 560})   # a small canvas: the link's 20 x 30 network draws fast
    try:
        edge = page.locator(".about a", has_text="on the edge")
        href = edge.get_attribute("href")
        page.mark()
        edge.click()
        page.drawn()
        page.settle()
        state = page.evaluate("document.getElementById('glnn').dataset.state")
        assert state == href, (state, href)   # the relu tab's activation and init are gone: the link's state
        assert "activation=tanh" in state and "init=uniform" in state
        assert page.locator("#glnn-activation").input_value() == "tanh"
    finally:
        page.close()


def test_a_refused_probe_in_a_link_falls_back_to_the_picture_with_every_control_filled(browser, tmp_path):
    # before: a black canvas, seed and depth blank, activation "identity", no command, one red line
    words = "#seed=0&depth=6&width=30&activation=relu&probe=units:2"
    page = Page(browser, write_page(tmp_path).as_uri() + words, viewport={"width": 1280, "height": 800})
    try:
        page.settle()
        error = page.locator(".glnn-playground .error").inner_text()
        assert "probe=units:2" in error and "relu" in error and "showing the picture" in error, error
        assert page.locator("#glnn-seed").input_value() == "0"
        assert page.locator("#glnn-depth").input_value() == "6"
        assert page.locator("#glnn-activation").input_value() == "relu"
        assert page.locator("#glnn-probe").input_value() == "none"
        assert page.locator(".glnn-command").input_value().startswith("glnn render --depth 6 --activation relu")
        assert "probe" not in page.evaluate("location.hash")
        # the picture is drawn: not black
        pixels = page.evaluate("""(() => { const gl = glnnPlayground.view.gl, p = new Uint8Array(4 * 64);
          gl.readPixels(0, 0, 8, 8, gl.RGBA, gl.UNSIGNED_BYTE, p); return Math.max(...p.filter((_, i) => i % 4 !== 3)); })()""")
        assert pixels > 16, pixels
    finally:
        page.close()


def test_a_hash_typed_into_an_open_tab_means_what_it_means_in_a_fresh_one(browser, tmp_path):
    # before: on a relu tab, #seed=0&depth=6&width=30 kept relu and he, where a fresh load gives tanh
    url = write_page(tmp_path).as_uri()
    words = "#seed=0&depth=6&width=30"
    fresh = Page(browser, url + words, viewport={"width": 1000, "height": 700})
    tab = Page(browser, url + "#seed=4&depth=3&width=5&activation=relu&init=he&color=gray&channels=1",
               viewport={"width": 1000, "height": 700})
    try:
        want = fresh.evaluate("document.getElementById('glnn').dataset.state")
        tab.mark()
        tab.evaluate(f"location.hash = {json.dumps(words)}")
        tab.drawn()
        tab.settle()
        assert tab.evaluate("document.getElementById('glnn').dataset.state") == want
        assert "activation=tanh" in want
    finally:
        fresh.close()
        tab.close()


def test_a_probe_says_why_the_colour_changed_and_gives_it_back(browser, tmp_path):
    page = Page(browser, write_page(tmp_path).as_uri() + "#seed=3&depth=4&width=8&color=hsv",
                viewport={"width": 1280, "height": 800})
    try:
        page.select_option("#glnn-probe", "units")
        page.settle()
        assert page.locator("#glnn-colour").input_value() == "gray"
        note = page.locator(".glnn-playground .note").inner_text()
        assert "units probe" in note and "gray" in note and "hsv returns" in note, note
        page.select_option("#glnn-probe", "none")
        page.settle()
        assert page.locator("#glnn-colour").input_value() == "hsv"
        assert page.locator(".glnn-playground .note").inner_text() == ""
    finally:
        page.close()


def test_a_wheel_zoom_shows_short_numbers_and_keeps_the_exact_ones_in_the_address(browser, tmp_path):
    # before: 17-digit numbers in the status line and the command
    page = Page(browser, write_page(tmp_path).as_uri(), viewport={"width": 1280, "height": 800})
    try:
        box = page.locator("#glnn canvas").bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.7)
        for _ in range(3):
            page.mouse.wheel(0, -100)
            page.wait_for_timeout(50)
        page.settle()
        page.wait_for_timeout(600)   # the address follows once the view settles
        view = page.evaluate("glnnPlayground.view.state")
        assert len(repr(view["extent"])) > 12 and len(repr(view["center"][0])) > 12, view   # long, exact numbers
        shown = page.locator(".glnn-playground .where").inner_text() + " " + page.locator(".glnn-command").input_value()
        digits = [len(re.sub(r"[^0-9]", "", m).lstrip("0")) for m in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", shown)]
        assert max(digits) <= 8, shown
        # the address and data-command keep the exact numbers (they read back as the same doubles)
        h = page.evaluate("location.hash")
        extent = float(re.search(r"extent=([^&]+)", h).group(1))
        cx = float(re.search(r"center=([^,]+),", h).group(1))
        assert extent == view["extent"] and cx == view["center"][0], (h, view)
    finally:
        page.close()


def test_at_800x600_the_controls_sit_beside_or_below_the_picture_whole(browser, tmp_path):
    # before: the floating panel covered about 40 % of the picture and its last line was cut off
    page = Page(browser, write_page(tmp_path).as_uri(), viewport={"width": 800, "height": 600})
    try:
        shot(page, tmp_path, "playground-800x600")
        pic = page.locator("#glnn canvas").bounding_box()
        for sel in (".glnn-playground", "#glnn-diagram", "#glnn-strip", ".glnn-head"):
            b = page.locator(sel).bounding_box()
            overlap = max(0, min(pic["x"] + pic["width"], b["x"] + b["width"]) - max(pic["x"], b["x"])) * \
                max(0, min(pic["y"] + pic["height"], b["y"] + b["height"]) - max(pic["y"], b["y"]))
            assert overlap == 0, (sel, pic, b)
        # the panel's last line can be scrolled into view and is whole there
        last = page.locator(".glnn-playground > :last-child")
        last.scroll_into_view_if_needed()
        b = last.bounding_box()
        assert b["y"] >= 0 and b["y"] + b["height"] <= 600, b
        # the random seed button draws another network
        seed = page.locator("#glnn-seed").input_value()
        page.mark()
        page.locator("button", has_text="random").click()
        page.drawn()
        assert page.locator("#glnn-seed").input_value() != seed
    finally:
        page.close()


@pytest.mark.parametrize("words,box", [("#bare", [0, 0, 600, 400]), ("#bare&size=120x90", [0, 0, 120, 90])])
def test_bare_is_the_picture_alone(browser, tmp_path, words, box):
    # tests and exports rely on it: the whole window (or a fixed canvas at the top left), nothing else shown
    page = Page(browser, write_page(tmp_path).as_uri() + words, viewport={"width": 600, "height": 400})
    try:
        b = page.locator("#glnn canvas").bounding_box()
        assert [b["x"], b["y"], b["width"], b["height"]] == box, b
        for sel in (".glnn-playground", "#glnn-diagram", "#glnn-strip", ".glnn-head"):
            assert not page.locator(sel).is_visible(), sel
        assert page.errors == [], page.errors
    finally:
        page.close()


def test_a_lost_webgl_context_is_said_on_the_picture_and_the_picture_returns(browser, tmp_path):
    page = Page(browser, write_page(tmp_path).as_uri(), viewport={"width": 1280, "height": 800})
    try:
        page.evaluate("window.glnnLose = glnnPlayground.view.gl.getExtension('WEBGL_lose_context'); glnnLose.loseContext()")
        page.wait_for_function("getComputedStyle(document.querySelector('#glnn .glnn-lost')).display !== 'none'")
        note = page.locator("#glnn .glnn-lost")
        assert "WebGL context lost" in note.inner_text() and inside(note.bounding_box(), {"width": 1280, "height": 800})
        page.mark()
        page.evaluate("glnnLose.restoreContext()")
        page.drawn()
        assert not note.is_visible()
    finally:
        page.close()
