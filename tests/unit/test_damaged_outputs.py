"""Issue 34, items 3 and 5: ambiguous or damaged recipes, networks whose outputs overflow, and outputs that are
not plain files. Each is one line naming the file (the CLI: exit 2), or a documented choice (docs/contract.md)."""
import errno
import os
import struct
import warnings
import zlib

import numpy as np
import pytest
from PIL import Image

from cli_checks import one_line_error
from glnn.io import files, metadata, saved_network
from glnn.errors import GlnnError
from glnn.model.network import Network
from glnn.io.recipe import Recipe
from glnn.model.view import View


def chunk(kind: bytes, data: bytes, crc=None) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF if crc is None else crc
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def text_chunk(key: str, text: str, crc=None) -> bytes:
    return chunk(b"zTXt", key.encode("latin-1") + b"\0\0" + zlib.compress(text.encode("latin-1")), crc)


def png(path, *text_chunks):
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
                     + b"".join(text_chunks) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b""))
    return path


def recipe_text(seed=3) -> str:
    return metadata.dumps(Recipe(Network(seed=seed, depth=3, width=4), View(8, 8)).to_json())


# ------------------------------------------------------------------ item 3: damaged or ambiguous recipes
def test_the_recipe_reads_when_whole(tmp_path, cli):
    png(tmp_path / "a.png", text_chunk(metadata.KEY, recipe_text()))
    status, out, err = cli("info", "a.png")
    assert status == 0 and "seed" in out, err


@pytest.mark.parametrize("chunks, message", [
    (lambda: [text_chunk(metadata.KEY, recipe_text(3)), text_chunk(metadata.KEY, recipe_text(4))],
     "'a.png': the glnn recipe is damaged (the file holds two 'glnn-recipe' chunks: "
     "which is the picture's recipe is unknown)"),
    (lambda: [text_chunk(metadata.KEY, recipe_text()[:5]), text_chunk("glnn-recipe-part-2", recipe_text()[5:]),
              text_chunk("glnn-recipe-part-2", recipe_text()[5:])],
     "'a.png': the glnn recipe is damaged (the file holds two 'glnn-recipe-part-2' chunks: "
     "which is the picture's recipe is unknown)"),
    (lambda: [text_chunk(metadata.KEY, recipe_text(), crc=12345)],
     "'a.png': the glnn recipe is damaged (its zTXt chunk 'glnn-recipe' fails its CRC check: the chunk is corrupted)"),
    (lambda: [text_chunk(metadata.KEY, recipe_text()[:5]), text_chunk("glnn-recipe-part-3", recipe_text()[5:])],
     "'a.png': the glnn recipe is damaged (chunk 'glnn-recipe-part-3' is there but chunk 'glnn-recipe-part-2' "
     "is missing)"),
    (lambda: [text_chunk("glnn-recipe-part-2", recipe_text())],
     "'a.png': the glnn recipe is damaged (chunk 'glnn-recipe-part-2' is there but chunk 'glnn-recipe' is missing)"),
])
def test_duplicate_missing_or_corrupted_recipe_chunks_are_damage(tmp_path, cli, chunks, message):
    png(tmp_path / "a.png", *chunks())
    assert one_line_error(*cli("info", "a.png")[::2]) == f"glnn info: error: {message}"
    with pytest.raises(GlnnError, match="damaged"):
        metadata.read_recipe_json(tmp_path / "a.png")


def test_a_flipped_bit_in_a_glnn_picture_s_recipe_is_caught(tmp_path, cli):
    """A real picture glnn wrote, one byte of its recipe chunk's compressed text changed."""
    assert cli("render", "--size", "8x8", "--backend", "numpy", "--out", "a.png", "-q")[0] == 0
    data = bytearray((tmp_path / "a.png").read_bytes())
    at = data.index(b"zTXt" + metadata.KEY.encode()) + 4 + len(metadata.KEY) + 2 + 10
    data[at] ^= 0x01
    (tmp_path / "a.png").write_bytes(bytes(data))
    one_line_error(*cli("render", "--from", "a.png", "--out", "b.png")[::2],
                   "'a.png': the glnn recipe is damaged (its zTXt chunk 'glnn-recipe' fails its CRC check")
    assert not (tmp_path / "b.png").exists()
