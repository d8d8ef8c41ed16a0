"""Hostile files (issue 22, items 4-6 and 10): recipes and saved networks made by hand to break glnn's readers.
Every one must be one GlnnError (the CLI: one line, exit 2) naming the file, read without decoding a pixel, in
time linear in the file. The files are made here, by the tests, never committed."""
import base64
import io
import json
import struct
import threading
import zlib

import numpy as np
import pytest
from PIL import Image

from cli_checks import one_line_error
from glnn.io import metadata, safe_json, saved_network
from glnn.errors import GlnnError, printable
from glnn.model.network import Network
from glnn.io.png_stream import PNGStream
from glnn.io.recipe import Recipe, read_recipe
from glnn.model.view import View


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_with_text(path, text: str, width=1, height=1, idat=None, key=metadata.KEY, kind=b"zTXt"):
    """A PNG whose IHDR says width x height, with `text` under `key`, and `idat` as its pixel data (any bytes:
    the reader must not look at them)."""
    body = key.encode("latin-1") + b"\0"
    body += (b"\0" + zlib.compress(text.encode("latin-1"))) if kind == b"zTXt" else text.encode("latin-1")
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(kind, body) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0") if idat is None else idat)
            + chunk(b"IEND", b""))
    path.write_bytes(data)
    return path


def good_recipe() -> dict:
    return Recipe(Network(seed=3, depth=3, width=4), View(8, 8)).to_json()


def with_field(path_in_recipe, value) -> dict:
    r = good_recipe()
    d = r
    for k in path_in_recipe[:-1]:
        d = d[k]
    d[path_in_recipe[-1]] = value
    return r


def finishes(work, deadline_s=300):
    """work()'s value, or an AssertionError if it has not finished within deadline_s: a guard against a hang
    (a quadratic scan of these inputs takes hours), not a timing (timings are glnn bench's); the deadline is
    generous so that no load can reach it."""
    out = {}

    def run():
        try:
            out["value"] = work()
        except BaseException as e:   # noqa: B036  (handed to the test's thread)
            out["error"] = e
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(deadline_s)
    assert not thread.is_alive(), f"still working after {deadline_s} s: a hang, or a scan that is not linear"
    if "error" in out:
        raise out["error"]
    return out.get("value")


def raises_value_error(text):
    try:
        safe_json.loads(text)
    except ValueError:
        return True
    return False


# ------------------------------------------------------------------ JSON limits
def test_safe_json_refuses_depth_long_numbers_and_constants_in_linear_time():
    for text in ["[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000]:
        with pytest.raises(ValueError, match="nested more than"):
            safe_json.loads(text)
    for text in ["9" * 400, "1" + "0" * 400 + ".0", "1e400", "-1e400", "NaN", "Infinity"]:
        with pytest.raises(ValueError):
            safe_json.loads(text)
    assert safe_json.loads('{"a": [1, 2.5, "[[[[", {"b": null}]}') == {"a": [1, 2.5, "[[[[", {"b": None}]}
    assert safe_json.nesting_depth('["]]]]\\"[[[[", [[]]]') == 3
    # strings the depth scan must not go back over (an unterminated one, escapes, quotes): linear, not quadratic
    for text in ['"\\"' * 300_000 + "\\", '"' * 1_000_000, "[" + '"\\\\"' * 300_000 + "]"]:
        assert finishes(lambda: raises_value_error(text)), text[:20]   # noqa: B023  (called in this iteration)


# ------------------------------------------------------------------ recipes
@pytest.mark.parametrize("where, value", [
    (("network", "activation"), []), (("network", "activation"), {}), (("network", "init"), [1]),
    (("network", "seed"), "7"), (("network", "depth"), 2.5), (("network", "scale"), 1e308),
    (("network", "gain"), -1), (("network", "width"), True),
    (("view", "center"), 5), (("view", "center"), [1e308, 0]), (("view", "extent"), []),
    (("view", "size"), [10 ** 12, 1]), (("colour",), ["rgb"]), (("backend",), {}), (("probe",), {"x": 1}),
    (("glnn",), "\u0661\u0662"), (("version",), 10 ** 30), (("weights",), []), (("weights",), "A" * 7),
    (("supersample",), 1e300), (("animation",), {"sweeps": ["scale:0:1"], "frames": 10 ** 30, "fps": 20,
                                                 "ease": "linear", "pingpong": False}),
    (("animation",), {"sweeps": ["scale:0:1"], "frames": 3, "fps": 1e308, "ease": "linear", "pingpong": False}),
    (("animation",), {"sweeps": [["scale"]], "frames": 3, "fps": 20, "ease": "linear", "pingpong": False}),
])
def test_a_malformed_recipe_field_is_one_error_naming_the_file(tmp_path, where, value):
    path = png_with_text(tmp_path / "r.png", metadata.dumps(with_field(where, value)))
    with pytest.raises(GlnnError, match="r.png"):
        read_recipe(path)
    if where[0] in ("network", "weights"):   # the network alone: what Network.from_image reads
        with pytest.raises(GlnnError, match="r.png"):
            Network.from_image(path)


@pytest.mark.parametrize("number", ["9" * 400, "9" * 400 + ".5", "1e400"])
@pytest.mark.parametrize("field", ['"scale":', '"extent":', '"center":[', '"fps":'])
def test_huge_numbers_anywhere_in_a_recipe(tmp_path, cli, number, field):
    r = good_recipe()
    r["animation"] = {"sweeps": ["scale:0:1"], "frames": 3, "fps": 20.0, "ease": "linear", "pingpong": False}
    text = metadata.dumps(r)
    start = text.index(field) + len(field)
    end = min(i for i in (text.find(",", start), text.find("}", start), text.find("]", start)) if i > 0)
    png_with_text(tmp_path / "n.png", text[:start] + number + text[end:])
    with pytest.raises(GlnnError, match="n.png"):
        read_recipe(tmp_path / "n.png")
    one_line_error(*cli("info", "n.png")[::2], "n.png")


@pytest.mark.parametrize("fmt", ["png", "gif", "webp"])
def test_json_nested_100000_deep_in_every_format(tmp_path, cli, fmt):
    text = '{"format":"glnn-recipe","network":' + "[" * 100_000 + "]" * 100_000 + "}"
    path = tmp_path / f"deep.{fmt}"
    if fmt == "png":
        png_with_text(path, text)
    elif fmt == "gif":
        Image.new("RGB", (2, 2)).save(path, comment=text.encode())
    else:
        Image.new("RGB", (2, 2)).save(path, xmp=metadata.XMP.format(text).encode())
    line = one_line_error(*cli("info", path.name)[::2], "nested more than")
    assert path.name in line
    one_line_error(*cli("render", "--from", path.name, "--out", "o.png")[::2], "nested more than")


def compact_grid(base, cells):
    return {"format": "glnn-recipe", "version": 1, "glnn": "0.2.0", "base": base, "cells": cells}


@pytest.mark.parametrize("recipe, message", [
    (compact_grid("a string", [{"set": {}, "rect": [0, 0, 1, 1]}]), "'base' must be a recipe"),
    (compact_grid({"network": "x", "view": {}}, [{"set": {}}]), "'base' must be a recipe"),
    (compact_grid(None, []), "'cells' must be a list of one or more"),
    ({"format": "glnn-recipe", "version": 1, "cells": []}, "'cells' must be a list of one or more"),
    ({"format": "glnn-recipe", "version": 1, "cells": [1, 2]}, "'cells' must be a list"),
    ({"format": "glnn-recipe", "version": 1, "cells": {"a": 1}}, "'cells' must be a list"),
])
def test_damaged_grid_recipes(tmp_path, cli, recipe, message):
    if recipe.get("base", 0) is None:
        recipe.pop("base")
    png_with_text(tmp_path / "g.png", metadata.dumps(recipe))
    one_line_error(*cli("info", "g.png")[::2], message)   # an empty grid is no longer exit 0
    one_line_error(*cli("render", "--from", "g.png", "--cell", "1", "--out", "o.png")[::2], message)
    with pytest.raises(GlnnError, match=message):
        Network.from_image(tmp_path / "g.png", cell=1)


def test_a_compact_grid_cell_whose_set_is_not_an_object(tmp_path):
    base = good_recipe()
    png_with_text(tmp_path / "g.png", metadata.dumps(compact_grid(base, [{"set": [1, 2]}])))
    with pytest.raises(GlnnError, match="'set' object"):
        read_recipe(tmp_path / "g.png", cell=1)


# ------------------------------------------------------------------ reading without pixels
def test_a_recipe_is_read_without_decoding_pixels(tmp_path, cli):
    """A PNG that says 65535 x 65535 (Pillow: DecompressionBombError) with garbage for pixels: the recipe reads."""
    recipe = good_recipe()
    png_with_text(tmp_path / "huge.png", metadata.dumps(recipe), 65535, 65535, idat=b"\xff" * 1000)
    assert read_recipe(tmp_path / "huge.png").network == Network(seed=3, depth=3, width=4)
    status, out, err = cli("info", "huge.png")
    assert status == 0 and "seed 3" in out and err == ""


def test_pictures_glnn_writes_in_every_format_read_back(tmp_path):
    recipe = good_recipe()
    with open(tmp_path / "s.png", "wb") as f:   # the band writer (render, grid)
        png = PNGStream(f, 2, 2, 3, recipe)
        png.write(np.zeros((2, 2, 3), np.uint8))
        png.close()
    image = Image.new("RGB", (2, 2))
    image.save(tmp_path / "p.png", **metadata.save_options("PNG", recipe))
    image.save(tmp_path / "a.gif", **metadata.save_options("GIF", recipe))
    image.save(tmp_path / "a.webp", **metadata.save_options("WEBP", recipe))
    image.save(tmp_path / "ap.png", save_all=True, append_images=[image], **metadata.save_options("PNG", recipe))
    for name in ("s.png", "p.png", "a.gif", "a.webp", "ap.png"):
        assert metadata.read_recipe_json(tmp_path / name) == recipe, name


def mp4_with_comment(path, text: str):
    """The boxes an MP4 keeps its comment tag in (ffmpeg's layout), around a media box of junk."""
    def box(kind, payload):
        return struct.pack(">I", 8 + len(payload)) + kind + payload
    data = box(b"data", b"\0\0\0\1\0\0\0\0" + text.encode())
    ilst = box(b"ilst", box(b"\xa9cmt", data))
    meta = box(b"meta", b"\0\0\0\0" + box(b"hdlr", b"\0" * 25) + ilst)
    path.write_bytes(box(b"ftyp", b"isom\0\0\2\0") + box(b"mdat", b"\x00" * 5000)
                     + box(b"moov", box(b"mvhd", b"\0" * 100) + box(b"udta", meta)))
    return path


def test_mp4_recipes_read_back(tmp_path, cli):
    recipe = good_recipe()
    recipe.pop("weights", None)   # glnn's MP4s carry no weights
    mp4_with_comment(tmp_path / "a.mp4", metadata.dumps(recipe))
    assert metadata.read_recipe_json(tmp_path / "a.mp4") == recipe
    status, out, _ = cli("info", "a.mp4")
    assert status == 0 and "seed 3" in out
    mp4_with_comment(tmp_path / "b.mp4", "not json")
    one_line_error(*cli("info", "b.mp4")[::2], "damaged")


def test_cut_and_foreign_files(tmp_path, cli):
    good = tmp_path / "g.png"
    png_with_text(good, metadata.dumps(good_recipe()))
    data = good.read_bytes()
    (tmp_path / "cut.png").write_bytes(data[:40])
    (tmp_path / "cut.gif").write_bytes(b"GIF89a\x02\x00")
    (tmp_path / "cut.webp").write_bytes(b"RIFF\xff\xff\xff\x00WEBPXMP \xff\xff\xff\x00<glnn:recipe")
    (tmp_path / "x.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 20)
    (tmp_path / "huge-chunk.png").write_bytes(data[:8] + struct.pack(">I", 0x7FFFFFFF) + b"zTXt" + b"\0" * 10)
    for name in ("cut.png", "cut.gif", "cut.webp", "x.jpg", "huge-chunk.png"):
        line = one_line_error(*cli("info", name)[::2])
        assert name in line


def test_webp_recipe_search_is_linear_and_capped(tmp_path, cli):
    """960 KB of repeated '<glnn:recipe' took 120 s with a regular expression; now one search each way."""
    xmp = ("<glnn:recipe" * 80_000).encode()
    Image.new("RGB", (2, 2)).save(tmp_path / "w.webp", xmp=xmp)
    finishes(lambda: one_line_error(*cli("info", "w.webp")[::2], "w.webp"))


def test_a_sheet_recipe_over_a_megabyte_is_split_so_pillow_and_glnn_read_it(tmp_path):
    """25,000 cells: the recipe passes Pillow's 1 MiB text limit; it is written in parts that Pillow opens and
    glnn joins."""
    base = good_recipe()
    cells = [{"set": {"seed": i}, "rect": [i % 160 * 3, i // 160 * 3, 2, 2]} for i in range(25_000)]
    recipe = compact_grid(base, cells)
    assert len(metadata.dumps(recipe)) > 1 << 20
    with open(tmp_path / "sheet.png", "wb") as f:
        png = PNGStream(f, 4, 4, 3, recipe)
        png.write(np.zeros((4, 4, 3), np.uint8))
        png.close()
    with Image.open(tmp_path / "sheet.png") as im:   # Pillow opens it (no 'Decompressed Data Too Large')
        im.load()
    assert metadata.read_recipe_json(tmp_path / "sheet.png") == recipe
    assert read_recipe(tmp_path / "sheet.png", cell=25_000).network.seed == 24_999
    image = Image.new("RGB", (4, 4))   # Pillow's writer (figures) splits the same way
    image.save(tmp_path / "pil.png", **metadata.save_options("PNG", recipe))
    assert metadata.read_recipe_json(tmp_path / "pil.png") == recipe


# ------------------------------------------------------------------ saved networks
def saved_with_spec(text: str) -> io.BytesIO:
    net = Network(seed=1, depth=2, width=3)
    arrays = saved_network._arrays(net)
    arrays["spec"] = np.array(text)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    buf.seek(0)
    return buf


@pytest.mark.parametrize("edit", [
    lambda s: s.replace('"scale": ', '"scale": ' + "9" * 400 + ", \"x\": "),
    lambda s: s.replace('"activation": "tanh"', '"activation": []'),
    lambda s: s.replace('"activation": "tanh"', '"activation": ' + "[" * 100_000 + "]" * 100_000),
    lambda s: s[:-1] + ', "center": 5}',
    lambda s: s[:-1] + ', "center": [1e400, 0]}',
    lambda s: s[:-1] + ', "extent": "wide"}',
    lambda s: s.replace('"z_amplitudes": [', '"z_amplitudes": [[[1]], '),
])
def test_a_hostile_saved_network_spec_is_one_error_naming_the_file(edit):
    spec = json.dumps(saved_network.spec_dict(Network(seed=1, depth=2, width=3)))
    with pytest.raises(GlnnError, match="'hostile.npz'"):
        saved_network.read_saved(saved_with_spec(edit(spec)), "hostile.npz")


@pytest.mark.parametrize("layer0, units0, message", [
    ("per-unit", ["tanh", "sin"], "layer_activations[0] is not a list of 4 activation names"),
    ("per-unit", ["tanh", "sin", "evil", "relu"], "not a list of 4 activation names"),
    ("per-unit", "mix-units", "not a list of 4"), ("per-unit", None, "not a list of 4"),
    ("tanh,sin,evil,relu", None, "unknown activation 'tanh,sin,evil,relu'"), ("mix-units", None, "unknown activation"),
])
def test_a_saved_network_s_per_unit_activations_are_checked(tmp_path, cli, layer0, units0, message):
    """A mix-units layer is saved as `per-unit`, its units' activations named in the spec's layer_activations: a
    damaged one, in a saved file or a picture's embedded weights, is one line naming the file."""
    net = Network(seed=1, depth=3, width=4, activation="mix-units")
    arrays = saved_network._arrays(net)
    assert str(arrays["activations"][0]) == "per-unit"   # the good file: the units in the spec
    assert saved_network.read_saved(io.BytesIO(saved_network.to_bytes(net)), "ok.npz")[0].layers[0].activation \
        == net.layers[0].activation
    spec = json.loads(str(arrays["spec"]))
    spec["layer_activations"][0] = units0
    arrays["spec"] = np.array(json.dumps(spec))
    arrays["activations"] = np.array([layer0] + [str(a) for a in arrays["activations"][1:]])
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    (tmp_path / "bad.npz").write_bytes(buf.getvalue())
    one_line_error(*cli("render", "--network", "bad.npz", "--size", "4x4", "--out", "o.png")[::2], message)
    recipe = dict(Recipe(net, View(4, 4), "rgb", "cpu").to_json(), weights=base64.b64encode(buf.getvalue()).decode())
    png_with_text(tmp_path / "t.png", metadata.dumps(recipe))
    line = one_line_error(*cli("render", "--from", "t.png", "--out", "o.png")[::2], message)
    assert "t.png" in line and not (tmp_path / "o.png").exists()


def test_the_api_takes_paths_and_raises_glnn_errors():
    for bad in ([], 5, None, b"\0", ""):
        for call in (Network.load, Network.from_image, read_recipe, metadata.read_recipe_json):
            with pytest.raises(GlnnError):
                call(bad)
    for name in ("scale", "gain", "bias_scale"):
        with pytest.raises(GlnnError):
            Network(**{name: 10 ** 400})


# ------------------------------------------------------------------ what reaches the terminal
def test_control_characters_are_printed_escaped(tmp_path, cli):
    assert printable("a\x1b[31mb\n\u202e") == "a\\x1b[31mb\\n\\u202e"
    r = good_recipe()
    r["animation"] = {"sweeps": ["scale:\x1b[2J\x1b[31m:1"], "frames": 3, "fps": 20.0, "ease": "linear",
                      "pingpong": False}
    png_with_text(tmp_path / "esc.png", metadata.dumps(r))
    status, _, err = cli("info", "esc.png")
    one_line_error(status, err, "\\x1b[2J")
    assert "\x1b" not in err


def test_a_recipe_or_spec_holding_critical_is_refused(tmp_path):
    """Files hold resolved numbers: "scale": "critical" in a recipe or an .npz spec is one line, not re-resolved."""
    import json as _json
    import numpy as _np
    from glnn import GlnnError as _E, Network as _N
    from glnn.io.saved_network import from_recipe

    with pytest.raises(_E, match="not a number"):
        from_recipe({"network": {"seed": 1, "depth": 3, "width": 4, "scale": "critical"}}, "x.png")
    path = tmp_path / "n.npz"
    _N(seed=1, depth=3, width=4).save(str(path))
    data = dict(_np.load(path, allow_pickle=False))
    spec = _json.loads(str(data["spec"]))
    spec["scale"] = "critical:1.2"
    data["spec"] = _np.array(_json.dumps(spec))
    _np.savez(path, **data)
    with pytest.raises(_E):
        _N.load(str(path))


def test_a_rename_failing_after_another_landed_names_what_was_written(tmp_path, monkeypatch):
    """files.Outputs renames its files one after another: should the second rename fail, the line says the first
    was written (not "no file was changed")."""
    import os as _os
    from glnn import GlnnError as _E
    from glnn.io.files import Outputs, atomic_path

    real = _os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(13, "Permission denied")
        return real(src, dst)

    monkeypatch.setattr(_os, "replace", replace)
    with pytest.raises(_E, match=r"b\.txt.*already written: .*a\.txt"):
        with Outputs() as outputs:
            for name in ("a.txt", "b.txt"):
                with atomic_path(tmp_path / name, outputs) as tmp, open(tmp, "w") as f:
                    f.write(name)
    assert (tmp_path / "a.txt").read_text() == "a.txt" and not (tmp_path / "b.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]   # no temporary file left
