"""Reading a picture's recipe distrusts it: tampered, truncated or oversized recipes and pictures without one are
one line and exit status 2 (glnn render --from, glnn info, in this process), with every file left as it was."""
import base64
import json

import pytest
from PIL import Image

from cli_checks import one_line_error
import glnn
from glnn import Network, View
from glnn.io import metadata
from glnn.io.recipe import Recipe, read_recipe


def good_recipe():
    return Recipe(Network(seed=1, depth=3, width=4), View(8, 6), "rgb", "cpu").to_json()


def with_recipe(path, recipe_text):
    """A PNG whose glnn-recipe chunk holds recipe_text, as is."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text(metadata.KEY, recipe_text, zip=True)
    Image.new("RGB", (8, 6)).save(path, format="PNG", pnginfo=info)


def tampered():
    g = good_recipe()
    weightless = {k: v for k, v in g.items() if k != "weights"}
    cases = {
        "absurd size": dict(g, view=dict(g["view"], size=[100000, 5])),
        "NaN extent": json.dumps(dict(g, view=dict(g["view"], extent=1.0))).replace('"extent": 1.0', '"extent": NaN'),
        "script in a string": dict(weightless, network=dict(weightless["network"], activation="__import__('os')")),
        "script beside weights": dict(g, network=dict(g["network"], init="eval('1')")),
        "truncated JSON": json.dumps(g)[:200],
        "garbage weights": dict(g, weights=base64.b64encode(b"PK\x03\x04" + bytes(range(200))).decode()),
        "weights not base64": dict(g, weights="<script>alert(1)</script>"),
        "unknown backend": dict(g, backend="cuda; rm -rf /"),
        "depth 1000": dict(weightless, network=dict(weightless["network"], depth=1000)),
        "bool channels": dict(weightless, network=dict(weightless["network"], channels=True)),
        "string seed": dict(weightless, network=dict(weightless["network"], seed="7")),
        "extra field": dict(weightless, network=dict(weightless["network"], evil=1)),
        "colour for 1 channel": dict(g, colour="gray"),
        "unknown feature": dict(weightless, network=dict(weightless["network"], features="x,q")),
        "features twice": dict(weightless, network=dict(weightless["network"], features="x,y,x")),
        "features as a list": dict(weightless, network=dict(weightless["network"], features=["x", "y"])),
        "features a number": dict(weightless, network=dict(weightless["network"], features=3)),
        "features empty": dict(weightless, network=dict(weightless["network"], features="")),
        "too many inputs": dict(weightless, network=dict(weightless["network"], features="x,y,r", inputs=16)),
        "features beside weights": dict(g, network=dict(g["network"], features="x,nope")),
        "activation list with a stranger": dict(weightless, network=dict(weightless["network"], activation="tanh,evil")),
        "activation list empty name": dict(weightless, network=dict(weightless["network"], activation="tanh,,sin")),
        "activation as a list": dict(weightless, network=dict(weightless["network"], activation=["tanh", "sin"])),
        "mix inside a list": dict(weightless, network=dict(weightless["network"], activation="mix,tanh")),
        "not a recipe": {"format": "something else"},
        "future version": dict(g, version=99),
        "bad sweep": dict(g, animation={"sweeps": ["scale:a:b"], "frames": 2, "fps": 10, "ease": "linear",
                                         "pingpong": False}),
    }
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in cases.items()}


@pytest.mark.parametrize("case", sorted(tampered()))
def test_tampered_recipes_are_one_line_and_exit_2(cli, tmp_path, case):
    with_recipe(tmp_path / "t.png", tampered()[case])
    (tmp_path / "out.png").write_bytes(b"precious")
    for args in (["render", "--from", "t.png", "--out", "out.png"], ["info", "t.png"]):
        status, _, err = cli(*args)
        one_line_error(status, err, "t.png")
    assert (tmp_path / "out.png").read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.png", "t.png"]


def test_pictures_without_a_recipe(cli, tmp_path):
    Image.new("RGB", (4, 4)).save(tmp_path / "plain.png")
    Image.new("RGB", (4, 4)).save(tmp_path / "photo.jpg")
    (tmp_path / "cut.png").write_bytes((tmp_path / "plain.png").read_bytes()[:30])
    for name, message in [("plain.png", "has no glnn recipe"), ("photo.jpg", "JPEG"),
                          ("cut.png", "not a readable picture"), ("missing.png", "does not exist")]:
        status, _, err = cli("render", "--from", name, "--out", "o.png")
        one_line_error(status, err, message)
        assert not (tmp_path / "o.png").exists()
    one_line_error(*cli("render", "--from", "plain.png", "--network", "n.npz", "--out", "o.png")[::2],
                   "cannot be combined")
    one_line_error(*cli("render", "--cell", 2, "--out", "o.png")[::2], "--cell goes with --from")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cut.png", "photo.jpg", "plain.png"]


def test_a_zip_bomb_is_refused(tmp_path):
    """Embedded weights that would unpack to more than any network are refused before numpy reads them."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("W0.npy", b"\0" * (100 << 20))
    g = good_recipe()
    with_recipe(tmp_path / "bomb.png", json.dumps(dict(g, weights=base64.b64encode(buf.getvalue()).decode())))
    with pytest.raises(glnn.GlnnError, match="unpacks to 100 MiB"):
        read_recipe(tmp_path / "bomb.png")
