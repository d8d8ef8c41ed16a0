"""The playground's JavaScript (glnn/web/playground.js, glnn_recipe.js) against glnn's Python, in node: the
fragment shader it assembles equals glnn/web/webgl.py's for the same recipe (string-equal), so do its weight texels,
its `glnn render` command (glnn/io/command.py) and its recipe; the state survives the URL hash; and a PNG it writes
carries a recipe that `glnn info` / `--from` read, as it reads glnn's own pictures."""
import base64
import json
import random
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from glnn.model import activations, colour, inits
from glnn.io import metadata
from glnn.web import playground, webgl
from glnn.gl.packing import pack_weights
from glnn.model.network import Network
from glnn.io.recipe import Recipe, from_json
from glnn.model.view import View

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("playground_driver.mjs")
pytestmark = pytest.mark.needs("node")   # tests/conftest.py: skips where missing, fails under CI=true


def recipe_of(state, size):
    """The Recipe a playground state shows on a canvas of `size` (what glnn render --from its PNG draws)."""
    hyper = {k: state[k] for k in ("depth", "width", "channels", "inputs", "features", "activation",
                                   "output_activation", "init", "scale", "bias_scale", "gain")}
    net = Network(seed=int(state["seed"]), **hyper)
    view = View(size[0], size[1], tuple(state["center"]), state["extent"], state["time"])
    return Recipe(net, view, state["colour"], probe=state.get("probe"))


def state_of(net, view=View(64, 48), mode=None, probe=None):
    shown = 1 if probe else net.channels
    r = Recipe(net, view, colour.mode_for(shown, mode or (playground.probes.Probe(probe).colour if probe else None)).name,
               probe=probe)
    s = playground.initial_state(r)
    return s, [view.width, view.height]


def cases():
    rnd = random.Random(21)
    out = []
    # every activation, mix included, at its defaults
    for act in [a for a in activations.HIDDEN_CHOICES if a != activations.MIX_UNITS]:   # the JS draws mix-units: branch web
        out.append(state_of(Network(seed=rnd.randrange(1000), depth=rnd.randint(1, 9), width=rnd.randint(1, 33),
                                    activation=act)))
    for init in inits.NAMES:
        for act in ("tanh", "relu", "mix"):
            out.append(state_of(Network(seed=rnd.randrange(2 ** 63), depth=rnd.randint(2, 7), width=rnd.randint(1, 20),
                                        activation=act, init=init, scale=rnd.choice([0.1 + 0.2, 1.0, 2.5e-7, 3.0]),
                                        gain=rnd.choice([1.0, 0.7, 1e-7]))))
    for inputs in (3, 4, 7, 16):
        out.append(state_of(Network(seed=inputs, depth=4, width=9, inputs=inputs),
                            View(33, 17, (-0.5, 1e-7), 2.5, rnd.uniform(-9, 9))))
    for mode in colour.NAMES:
        channels = colour.BY_NAME[mode].inputs
        out.append(state_of(Network(seed=5, depth=3, width=6, channels=channels, output_activation="tanh"),
                            View(10, 20, (0.0, -0.0), 1e-6), mode))
    out.append(state_of(Network(seed=2 ** 63 - 1, depth=1, width=1, bias_scale=0.8)))   # a set bias equal to the scale
    out.append(state_of(Network(seed=0, depth=3, width=200, scale=0.5)))               # texels over 2048: rows
    out.append(state_of(Network(seed=9, depth=12, width=30, activation="sigmoid", bias_scale=0.0),
                        View(1920, 1080, (1e6, -123456.125), 1e6, 1e-7)))
    out.append(state_of(Network(seed=6, depth=5, width=7), probe="saturation"))
    out.append(state_of(Network(seed=7, depth=3, width=5, channels=1, activation="sin"), View(20, 10, (1.0, 0.5)),
                        "palette:viridis", probe="saturation"))
    out.append(state_of(Network(seed=8, depth=4, width=9, activation="sigmoid"), View(20, 10), probe="unit:3:9"))
    out.append(state_of(Network(seed=8, depth=4, width=9, channels=1), View(20, 10), "palette:turbo", probe="unit:1:2"))
    out.append(state_of(Network(seed=8, depth=4, width=9, activation="sin"), View(60, 40), probe="units:3"))
    # the network as data: input features (their defines, the first layer's fan-in) and activation lists
    for i, (features, inputs, act) in enumerate((
            ("x,y,r,bias", 2, "tanh,sin,relu"), ("r", 3, "sin"), ("bias,ay,ax,r,y", 5, "gaussian,softsign"),
            ("x,y,r,bias,ax,ay", 12, "tanh,tanh"), ("ax,ay", 2, "relu,leaky_relu,sigmoid,identity"),
            ("y,x", 16, "mix"))):
        out.append(state_of(Network(seed=40 + i, depth=2 + i, width=3 + 2 * i, features=features, inputs=inputs,
                                    activation=act), View(30, 20, (0.25, -0.5), 1.5, 0.5 * i)))
    out.append(state_of(Network(seed=47, depth=4, width=6, features="x,y,r", activation="tanh,sin"), View(20, 10),
                        probe="unit:2:3"))
    return out


def run_driver(tmp_path, spec, states, **more):
    data = dict(spec=spec, cases=[{"state": s, "size": size} for s, size in states], **more)
    (tmp_path / "in.json").write_text(json.dumps(data))
    r = subprocess.run(["node", str(DRIVER), str(tmp_path / "in.json"), str(tmp_path / "out.json")],
                       capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads((tmp_path / "out.json").read_text())


@pytest.fixture(scope="module")
def spec():
    return playground.playground_spec(Recipe(Network(), View(64, 48), "rgb"))


def test_js_equals_python_for_many_states(tmp_path, spec):
    states = cases()
    out = run_driver(tmp_path, spec, states)
    assert out["cacheEqual"]
    for (state, size), got in zip(states, out["cases"]):
        recipe = recipe_of(state, size)
        label = recipe.command()
        if state["probe"]:   # the page's own probe: the page's define block (its colour mode aside), then the probe's
            n = len(webgl.network_defines(recipe.network)) + 2
            plain = webgl.page_spec(Recipe(recipe.network, recipe.view, colour.mode_for(state["channels"]).name))
            lines = got["fragment"].splitlines()
            assert lines[1:n] == plain["fragment"].splitlines()[1:n], label
            if state["probe"] == "saturation":
                assert lines[n + 1] == "#define PROBE_SATURATION 1", label
                assert lines[n + 2].startswith("#define LINEAR_PARTS vec4[8]("), label
            elif state["probe"].startswith("units:"):
                k = int(state["probe"].split(":")[1])
                assert lines[n + 1:n + 4] == ["#define PROBE_UNITS 1", f"#define PROBE_LAYER {k}", "#define PROBE_GUTTER 2"]
            else:
                k, j = map(int, state["probe"].split(":")[1:])
                lo, hi = activations.BY_NAME[recipe.network.layers[k - 1].activation].bounds
                assert lines[n + 1:n + 5] == ["#define PROBE_UNIT 1", f"#define PROBE_LAYER {k}",
                                              f"#define PROBE_INDEX {j - 1}",
                                              f"#define PROBE_BOUNDS vec2({webgl._float(lo)}, {webgl._float(hi)})"]
        else:
            assert got["fragment"] == webgl.page_spec(recipe)["fragment"], label        # the same shader, character for character
        assert got["command"] == recipe.command(out="picture.png"), label
        texels, _ = pack_weights(recipe.network, webgl.TEXTURE_WIDTH)
        js = np.frombuffer(base64.b64decode(got["texels"]), np.float32).reshape(texels.shape)
        assert js.tobytes() == texels.tobytes(), label               # bit for bit
        assert got["bad"] == [] and got["pageWords"] == ["bare", "size=20x10"], label
        assert got["hash"] == playground.state_hash(recipe, ("bare", "size=20x10")), label   # Python writes the same hash
        assert dict(got["back"], size=None) == dict(state, size=None), label                           # the hash holds the whole state, exactly
        back = from_json(json.loads(got["recipe"]), "js")             # glnn reads the page's recipe ...
        assert back.command() == recipe.command() and back.network == recipe.network, label
        assert json.loads(got["recipe"]) == dict(recipe.to_json(weights_budget=0)), label   # ... as its own
        assert got["file"].endswith(".png") and "/" not in got["file"]


def test_recipes_in_pictures_both_ways(tmp_path, spec, run_glnn):
    # pictures glnn wrote: PNG, GIF, WebP; and a PNG the page writes, read back by glnn
    pictures = {}
    for ext in ("png", "gif", "webp"):
        r = run_glnn("render", "--seed", "4", "--depth", "3", "--width", "5", "--size", "8x6", "--out", f"a.{ext}") \
            if ext == "png" else run_glnn("animate", "--seed", "4", "--depth", "3", "--width", "5", "--inputs", "3",
                                          "--sweep", "time:0:1", "--frames", "2", "--size", "8x6", "--out", f"a.{ext}")
        assert r.returncode == 0, r.stderr
        pictures[ext] = str(tmp_path / f"a.{ext}")
    # the other PNG text chunks a recipe may come in (tEXt, iTXt compressed or not)
    from PIL import PngImagePlugin
    text = metadata.dumps(metadata.read_recipe_json(pictures["png"]))
    for name, add in (("text", lambda i: i.add_text(metadata.KEY, text)),
                      ("itxt", lambda i: i.add_itxt(metadata.KEY, text, zip=False)),
                      ("itxtz", lambda i: i.add_itxt(metadata.KEY, text, zip=True))):
        info = PngImagePlugin.PngInfo()
        add(info)
        Image.new("RGB", (3, 2)).save(tmp_path / f"{name}.png", pnginfo=info)
        pictures[name] = str(tmp_path / f"{name}.png")
    # a recipe split into parts (metadata.text_parts: glnn-recipe, glnn-recipe-part-2, ...), parts out of order
    info = PngImagePlugin.PngInfo()
    parts = [text[i:i + 100] for i in range(0, len(text), 100)]
    assert len(parts) >= 3
    keyed = [(metadata.KEY if i == 0 else f"{metadata.PART_KEY}{i + 1}", p) for i, p in enumerate(parts)]
    for key, part in keyed[:1] + keyed[:0:-1]:
        info.add_text(key, part, zip=True)
    Image.new("RGB", (3, 2)).save(tmp_path / "split.png", pnginfo=info)
    pictures["split"] = str(tmp_path / "split.png")
    Image.new("RGB", (3, 2)).save(tmp_path / "none.png")
    pictures["none"] = str(tmp_path / "none.png")
    state, size = state_of(Network(seed=11, depth=5, width=7, activation="relu", scale=1.0),
                           View(30, 20, (0.25, -1.0), 2.0, 0.0), "gray" if False else None)
    Image.new("RGB", tuple(size), (10, 20, 30)).save(tmp_path / "plain.png")
    out = run_driver(tmp_path, spec, [(state, size)], pictures=pictures, recipes=[])
    assert out["pictures"].pop("none") is None
    for ext, path in pictures.items():
        if ext != "none":
            assert json.loads(out["pictures"][ext]) == metadata.read_recipe_json(path), ext
    text = out["cases"][0]["recipe"]
    out = run_driver(tmp_path, spec, [(state, size)], recipes=[
        {"png": str(tmp_path / "plain.png"), "text": text, "out": str(tmp_path / "saved.png")}])
    assert metadata.read_recipe_json(tmp_path / "saved.png") == json.loads(text)
    with Image.open(tmp_path / "saved.png") as im:
        assert im.size == tuple(size) and im.convert("RGB").getpixel((0, 0)) == (10, 20, 30)
    r = run_glnn("info", "saved.png")
    assert r.returncode == 0 and recipe_of(state, size).command() in r.stdout, r.stdout + r.stderr
    r = run_glnn("render", "--from", "saved.png", "--size", "12x8", "--out", "poster.png")
    assert r.returncode == 0, r.stderr
    assert metadata.read_recipe_json(tmp_path / "poster.png")["network"] == json.loads(text)["network"]


def test_state_rules_in_node(tmp_path, spec):
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    r = subprocess.run(["node", "--test", str(DRIVER.with_name("playground.test.mjs"))], capture_output=True, text=True,
                       timeout=300, cwd=ROOT, env=dict(__import__("os").environ, GLNN_PLAYGROUND_SPEC=str(tmp_path / "spec.json")))
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]


# ---------------------------------------------------------------- per-unit layers (activation mix-units)
# The GL layout of a per-unit layer (docs/contract.md once webgl.py writes it): its output units grouped by
# activation (a stable sort by activation id: its rows and biases, and the next layer's columns, permuted alike;
# the readout's rows never are), then after its bias texels ceil(out / 4) activation texels (lane k of texel o:
# the id of unit 4o + k as a float, identity's 0 past the units); its LAYER_ACTS entry ACT_UNITS.
def per_unit_texels(net):
    """The layout above in numpy: each layer's texels (the spec the page's packTexels follows)."""
    from glnn.gl.packing import _mat4_columns, groups
    chunks, prev = [], None
    for layer in net.layers:
        W, b, (out, inn) = layer.W, layer.b, layer.W.shape
        if prev is not None:
            W = W[:, prev]
        order = None
        if not isinstance(layer.activation, str):
            ids = np.array([activations.IDS[a] for a in layer.activation])
            order = np.argsort(ids, kind="stable")
            W, b = W[order], b[order]
        Wp = np.zeros((groups(out) * 4, groups(inn) * 4), np.float32)
        Wp[:out, :inn] = W
        bp = np.zeros(groups(out) * 4, np.float32)
        bp[:out] = b
        parts = [_mat4_columns(Wp), bp.reshape(-1, 4)]
        if order is not None:
            ap = np.zeros(groups(out) * 4, np.float32)
            ap[:out] = ids[order]
            parts.append(ap.reshape(-1, 4))
        chunks.append(np.concatenate(parts))
        prev = order
    return chunks


def per_unit_states():
    return [state_of(Network(seed=s, depth=d, width=w, activation="mix-units", features=f, inputs=i),
                     View(24, 16, (0.1, 0.2), 1.5, 0.25))
            for s, d, w, f, i in ((1, 2, 1, "x,y", 2), (2, 4, 7, "x,y,r,bias", 3), (3, 5, 30, "x,y", 2),
                                  (2 ** 63 - 1, 3, 65, "r,ax,ay", 4), (5, 1, 9, "x,y", 2))]


def test_per_unit_layout_in_js(tmp_path, spec):
    states = per_unit_states()
    out = run_driver(tmp_path, spec, states)
    for (state, size), got in zip(states, out["cases"]):
        recipe = recipe_of(state, size)
        net = recipe.network
        chunks = per_unit_texels(net)
        want = np.concatenate(chunks)
        js = np.frombuffer(base64.b64decode(got["texels"]), np.float32).reshape(-1, 4)
        assert js[:len(want)].tobytes() == want.tobytes() and not js[len(want):].any(), recipe.command()
        lines = dict(line.split(" ", 2)[1:] for line in got["fragment"].splitlines() if line.startswith("#define "))
        assert lines["LAYER_ACTS"] == ", ".join("ACT_UNITS" if not isinstance(l.activation, str) else
                                                f"ACT_{l.activation.upper()}" for l in net.layers)
        assert lines["LAYER_OFFSETS"] == ", ".join(str(int(o)) for o in np.cumsum([0] + [len(c) for c in chunks])[:-1])
        assert got["command"] == recipe.command(out="picture.png") and "--activation mix-units" in got["command"]
        assert dict(got["back"], size=None) == dict(state, size=None)
        # the layout draws the same picture: the permuted layers, evaluated in float64, are the network's
        xy = np.random.default_rng(0).uniform(-1, 1, (64, 2))
        y = net.architecture.inputs(xy[:, 0], xy[:, 1], net.extra_inputs(recipe.view.time)).astype(np.float64)
        for layer, chunk in zip(net.layers, chunks):
            o, i = layer.W.shape
            o4, i4 = -(-o // 4), -(-i // 4)
            W = chunk[:o4 * i4 * 4].reshape(o4, i4, 4, 4).transpose(0, 3, 1, 2).reshape(o4 * 4, i4 * 4)[:o, :i]
            b = chunk[o4 * i4 * 4:o4 * i4 * 4 + o4].ravel()[:o]
            acts = (layer.activation if isinstance(layer.activation, str) else
                    tuple(activations.NAMES[int(k)] for k in chunk[o4 * i4 * 4 + o4:].ravel()[:o]))
            y = activations.apply(acts, y @ W.T.astype(np.float64) + b)
        ref = net.architecture.inputs(xy[:, 0], xy[:, 1], net.extra_inputs(recipe.view.time)).astype(np.float64)
        for layer in net.layers:
            ref = activations.apply(layer.activation, ref @ layer.W.T.astype(np.float64) + layer.b)
        assert np.allclose(y, ref, rtol=0, atol=1e-12), recipe.command()


def test_per_unit_layout_equals_webgl(tmp_path, spec):
    states = per_unit_states()
    out = run_driver(tmp_path, spec, states)
    for (state, size), got in zip(states, out["cases"]):
        recipe = recipe_of(state, size)
        assert got["fragment"] == webgl.page_spec(recipe)["fragment"], recipe.command()
        texels, _ = pack_weights(recipe.network, webgl.TEXTURE_WIDTH)
        js = np.frombuffer(base64.b64decode(got["texels"]), np.float32).reshape(texels.shape)
        assert js.tobytes() == texels.tobytes(), recipe.command()
