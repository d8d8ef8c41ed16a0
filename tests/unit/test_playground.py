"""glnn/web/playground.py without a browser: the page's shader pieces re-assemble webgl.py's shader, and the
saturation probe's table of linear parts says what probe.linear_part says."""
import numpy as np

from glnn import Network, View
from glnn.model import probe
from glnn.model import activations
from glnn.web import playground, webgl
from glnn.io.recipe import Recipe


def test_pieces_reassemble_the_page_shader():
    for features in ("x,y", "x,y,r,bias"):   # other features add their defines (playground.OPTIONAL_DEFINES)
        net = Network(seed=2, depth=3, width=5, channels=1, features=features)
        recipe = Recipe(net, View(8, 8), "palette:viridis")
        want = webgl.page_spec(recipe)["fragment"]
        parts = playground.shader_parts()
        names = [n for n in playground.define_names()
                 if n not in playground.OPTIONAL_DEFINES or n in webgl.network_defines(net)]
        assert [line.split()[1] for line in want.splitlines()[1:1 + len(names)]] == names, features
        body = want.splitlines()[1 + len(names):]
        assert "\n".join(body) == "\n".join([parts["before"], parts["colours"]["palette:viridis"], parts["after"]])


def test_linear_parts_table_agrees_with_linear_part():
    rng = np.random.default_rng(5)
    x = np.concatenate([rng.uniform(-20, 20, 200_000), rng.normal(0, 2, 200_000)])
    for name, (kind, lo, hi, period) in zip(activations.NAMES, playground.linear_parts()):
        if kind:
            table = x > lo
        else:
            v = np.mod(x + period / 2, period) - period / 2 if period else x
            table = (np.abs(v) >= lo) & (np.abs(v) <= hi)
        want = probe.linear_part(name, x)
        assert np.mean(table != want) < 1e-5, name   # only float64 rounding at the edges may differ


def test_breed_keys_are_none_of_the_windows():
    from glnn.web.tables import web_keys
    keys = playground.tables()["breed_keys"]
    assert set(keys.values()) == {"toggle_breed", "breed_undo", "breed_redo"}
    assert not set(keys) & set(web_keys()), "a breed key would hide one of the window's"
