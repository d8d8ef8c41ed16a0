"""Hostile sizes in memory (issue 34, items 1 and 2): a grid recipe of more cells than `glnn grid` makes is refused
while its text is read, before any JSON is parsed (a 96 KB PNG inflates to 4.4 million cells); a legit sheet's one
cell is made alone; an allocation that fails anywhere is one line and exit 2. The files are made here."""
import json
import struct
import zlib

import pytest
from PIL import Image

from cli_checks import one_line_error
from glnn.explore import grid
from glnn.io import metadata
from glnn.model.network import Network
from glnn.io.recipe import Recipe
from glnn.model.view import View

TOO_MANY = "its glnn recipe is a grid of more than 65,536 pictures, more than glnn grid makes; refused before reading them"


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def sheet_text(n: int, cell='{"set":{}}') -> str:
    base = Recipe(Network(seed=3, depth=3, width=4), View(8, 8)).to_json()
    head = metadata.dumps({"format": "glnn-recipe", "version": 1, "glnn": "0.2.0", "base": base, "cells": []})
    return head.replace('"cells":[]', '"cells":[' + ",".join([cell] * n) + "]")


def png_of(path, text: str, parts_reversed=False):
    """A 1 x 1 PNG holding `text` as glnn writes it (zTXt parts of PART_CHARS), the parts in order or reversed."""
    parts = [chunk(b"zTXt", key.encode() + b"\0\0" + zlib.compress(part.encode(), 9))
             for key, part in metadata.text_parts(text)]
    if parts_reversed:
        parts.reverse()
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + b"".join(parts)
                     + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b""))
    return path


def test_readers_take_the_limit_glnn_grid_makes():
    assert grid.MAX_CELLS == metadata.MAX_CELLS == 65_536


TRICKY = [
    sheet_text(3),
    sheet_text(5, '{"set":{"seed":1,"activation":"ta]n,h{"},"rect":[0,0,8,8]}'),
    '{"base":{"cells":[1,2,3]},"cells":[{"set":{"x":"a\\"],[,"}},2,[3,4],{"cells":[5,6,7]}],"k":"cells"}',
    '{"cel\\u006cs" : [ 1 , 2 ,3 ] , "x":[1,2,3,4,5,6]}',
    '{"cells":[1,2],"cells":[1,2,3,4]}',
    '{"a":"\\\\","cells":["\\\\\\"",2]}',
]


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("piece", [1, 2, 3, 7, 1 << 20])
def test_cells_are_counted_as_json_reads_them_however_the_text_is_cut(text, piece):
    counter = metadata.CellCount()
    for i in range(0, len(text), piece):
        counter.feed(text[i:i + piece])
    assert counter.count == len(json.loads(text)["cells"])
    assert counter.fed == len(text)


def test_one_more_cell_than_grid_makes_is_refused_while_counting():
    metadata.CellCount().feed(sheet_text(65_536))
    with pytest.raises(metadata.TooManyCells):
        metadata.CellCount().feed(sheet_text(65_537))


@pytest.fixture(scope="module")
def huge(tmp_path_factory):
    """96 KB (zlib level 9): 48 MB of recipe text once inflated, 4,400,000 cells (json would make them 1.9 GB)."""
    return png_of(tmp_path_factory.mktemp("huge") / "huge.png", sheet_text(4_400_000))


@pytest.mark.parametrize("args", [["info"], ["info", "--cell", "4400000"], ["info", "--json"],
                                  ["render", "--cell", "4400000", "--out", "o.png", "--from"],
                                  ["grid", "--vary", "seed=1:2", "--out", "o.png", "--from"],
                                  ["breed", "--out", "o.png", "--cell", "1", "--from"]])
def test_a_96_kb_png_of_4_4_million_cells_is_refused_before_parsing(huge, tmp_path, cli, monkeypatch, args):
    def parsed(*a, **k):
        raise AssertionError("parsed")
    monkeypatch.setattr(metadata.safe_json, "loads", parsed)
    (tmp_path / "huge.png").symlink_to(huge)
    status, _, err = cli(*args, "huge.png")
    assert one_line_error(status, err) == f"glnn {args[0]}: error: 'huge.png': {TOO_MANY}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["huge.png"]


@pytest.mark.parametrize("fmt", ["png-reversed", "png-tEXt", "gif", "webp"])
def test_too_many_cells_is_refused_in_every_format_and_order(tmp_path, cli, fmt):
    text, path = sheet_text(70_000), tmp_path / f"g.{fmt.split('-')[0]}"
    if fmt == "png-reversed":
        png_of(path, sheet_text(200_000), parts_reversed=True)
    elif fmt == "png-tEXt":
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
                         + chunk(b"tEXt", metadata.KEY.encode() + b"\0" + text.encode()) + chunk(b"IEND", b""))
    elif fmt == "gif":
        Image.new("RGB", (2, 2)).save(path, comment=text.encode())
    else:
        Image.new("RGB", (2, 2)).save(path, xmp=metadata.XMP.format(text).encode())
    one_line_error(*cli("info", path.name, "--cell", "1")[::2], f"'{path.name}': {TOO_MANY}")


def test_a_sheet_at_the_limit_reads_and_its_one_cell_is_made_alone(tmp_path, cli, monkeypatch):
    png_of(tmp_path / "full.png", sheet_text(65_536))
    status, out, err = cli("info", "full.png", "--cell", "65536")
    assert status == 0, err
    assert "cell 65536 command: glnn render --seed 3 --depth 3 --width 4 --size 8x8" in out
    made = []
    real = metadata.select_cell
    monkeypatch.setattr("glnn.cli.info.select_cell", lambda data, c, name: made.append(c) or real(data, c, name))
    cells = ",".join(f'{{"set":{{"seed":{i}}},"rect":[0,0,8,8]}}' for i in range(1, 5001))
    png_of(tmp_path / "g5000.png", sheet_text(1).replace('"cells":[{"set":{}}]', f'"cells":[{cells}]'))
    status, out, err = cli("info", "g5000.png", "--cell", "4321")
    assert status == 0, err
    assert made == [4321]
    assert "cell 4321 network: seed 4321," in out and "a grid of 5000 glnn pictures" in out
    status, out, err = cli("render", "--from", "g5000.png", "--cell", "4321", "--out", "c.png", "-q", "--backend", "numpy")
    assert status == 0, err
    assert json.loads(Image.open(tmp_path / "c.png").text[metadata.KEY])["network"]["seed"] == 4321


# ------------------------------------------------------------------ item 1: an allocation that fails
def out_of_memory(*args, **kwargs):
    raise MemoryError()


NET = ["--depth", "2", "--width", "2", "--size", "16x16", "--backend", "numpy"]


@pytest.mark.parametrize("args, patch, message", [
    (["render", *NET, "--out", "o.png"], "glnn.model.colour.to_uint8",
     "out of memory making a 16x16 picture of a 2 x 2 network: try a smaller --size or a narrower or shallower network"),
    (["render", *NET, "--supersample", "3", "--out", "o.npy"], "glnn.io.images.np.ascontiguousarray",
     "out of memory making a 16x16 picture of a 2 x 2 network supersampled 3x: try a smaller --size, "
     "a lower --supersample or a narrower or shallower network"),
    (["animate", *NET, "--frames", "3", "--sweep", "scale:0:1", "--out", "a.gif"], "glnn.model.colour.to_uint8",
     "out of memory making a 16x16 picture of a 2 x 2 network in 3 frames: try a smaller --size, fewer --frames "
     "or a narrower or shallower network"),
    (["grid", *NET, "--vary", "seed=1:3", "--workers", "1", "--out", "g.png"], "glnn.model.colour.to_uint8",
     "out of memory making a 16x16 picture of a 2 x 2 network for each cell of a sheet: try a smaller --size, "
     "a narrower or shallower network or fewer cells (--vary)"),
    (["info", "pic.png"], "glnn.cli.info.read_recipe_json",
     "out of memory reading 'pic.png': its recipe is more than this machine holds"),
    (["stats", "--depth", "2", "--width", "2"], "glnn.cli.stats.resolve", "out of memory making its output: try smaller sizes"),
    (["export", "page.html", "--depth", "2"], "glnn.cli.export.resolve", "out of memory making its output: try smaller sizes"),
])
def test_a_failed_allocation_anywhere_is_one_line_and_leaves_nothing(tmp_path, cli, monkeypatch, args, patch, message):
    png_of(tmp_path / "pic.png", sheet_text(1))
    monkeypatch.setattr(patch, out_of_memory)
    status, out, err = cli(*args)
    assert one_line_error(status, err) == f"glnn {args[0]}: error: {message}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pic.png"]


def test_the_colour_stage_works_in_bands_and_gives_what_it_gave_whole(monkeypatch):
    from glnn.model import colour
    import numpy as np
    raw = np.random.default_rng(0).normal(size=(40, 30, 3)).astype(np.float32) * 2
    whole = {name: colour.to_uint8(raw, name) for name in ("rgb", "hsv", "hsl")}
    monkeypatch.setattr(colour, "BAND_VALUES", 7 * 30 * 3)   # 7 rows at a time
    seen = []
    real = colour.apply
    monkeypatch.setattr(colour, "apply", lambda r, n=None: seen.append(r.shape[0]) or real(r, n))
    for name, expected in whole.items():
        assert (colour.to_uint8(raw, name) == expected).all()
        assert (expected == np.rint(real(raw, name) * 255.0).astype(np.uint8)).all()
    assert seen[:6] == [7, 7, 7, 7, 7, 5]
