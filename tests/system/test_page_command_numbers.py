"""The live page writes its command's numbers as glnn does (glnn/io/command.py): the same text for the same float.

The page (glnn/web/glnn_view.js) rewrites the view flags as the view moves; its number() must agree with
glnn.io.command.number() on every float, and the whole command on the page with the recipe's."""
import json
import math
import random
import re
import struct
from importlib import resources

import pytest

import chromium
from glnn import Network, View
from glnn.io import command
from glnn.web.export import export
from glnn.io.recipe import Recipe

needs_chromium = pytest.mark.needs("chromium")   # tests/conftest.py: skips where missing, fails under CI=true


def js_number_function() -> str:
    js = (resources.files("glnn") / "web" / "glnn_view.js").read_text(encoding="utf-8")
    m = re.search(r"^function number\(v\) \{.*?^\}", js, re.S | re.M)
    assert m, "glnn_view.js has no number(v)"
    return m.group(0)


def awkward_floats(n, seed):
    rng = random.Random(seed)
    out = [0.0, -0.0, 1.0, 0.1 + 0.2, 1e-6, 1e-7, 1.5e-7, 1e20, 1e21, 5e-324, 1.7976931348623157e308, 1 / 3]
    while len(out) < n:
        f = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        if rng.random() < 0.5:
            f = rng.choice([rng.uniform(-10, 10), 10 ** rng.uniform(-12, 25), round(rng.uniform(-99, 99), 3)])
        if math.isfinite(f):
            out.append(f)
    return out


@needs_chromium
def test_the_pages_numbers_are_glnns(tmp_path):
    values = awkward_floats(3000, 7)
    page = tmp_path / "numbers.html"
    # JSON keeps -0.0 as -0.0 (JSON.parse gives -0)
    page.write_text("<body><script>" + js_number_function() + "\nconst v = " + json.dumps(values) + ";\n"
                    "document.body.dataset.out = JSON.stringify(v.map(number));</script></body>", encoding="utf-8")
    dom = chromium.dump_dom(page.as_uri(), 400, 300)
    m = re.search(r'data-out="([^"]*)"', dom)
    assert m, dom[-2000:]
    got = json.loads(m.group(1).replace("&quot;", '"'))
    want = [command.number(v) for v in values]
    bad = [(v, g, w) for v, g, w in zip(values, got, want) if g != w]
    assert not bad, bad[:10]


@needs_chromium
def test_the_pages_command_is_the_recipes_for_awkward_views(tmp_path):
    net = Network(seed=7, depth=4, width=8, inputs=3, scale=0.5452538663326288)
    view = View(800, 800, center=(0.1 + 0.2, -1e-7), extent=1 / 3, time=2.5e-7)
    path = tmp_path / "p.html"
    export(Recipe(net, view, "rgb"), str(path))
    w, h = chromium.viewport(640, 480)
    dom = chromium.dump_dom(path.as_uri(), 640, 480)
    want = Recipe(net, View(w, h, view.center, view.extent, view.time), "rgb").command(out="picture.png")
    assert "--center 0.30000000000000004,-1e-7 --extent 0.3333333333333333 --time 2.5e-7" in want
    got = re.search(r'data-command="([^"]*)"', dom)
    assert got and got.group(1).replace("&#39;", "'") == want, (got and got.group(1), want)
