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


# ------------------------------------------------------------------ item 3: outputs that overflow float32
def saved(path, activation, weight=1e38):
    """A saved network every weight of which is +-weight: float32 sums of them overflow."""
    net = Network(seed=1, depth=3, width=8, activation=activation)
    for layer in net.layers:
        layer.W[:] = np.where(layer.W < 0, -1, 1) * np.float32(weight)
    saved_network.save(net, path)
    return path


OVERFLOW = ("glnn render: error: the network's outputs overflow to infinity or NaN at 256 of 256 pixels "
            "(weights up to 1e+38 in W0): float32 cannot draw this network; no picture was written")


@pytest.mark.parametrize("out", ["o.png", "o.npy"])
def test_outputs_that_overflow_are_one_glnn_line_and_no_file(tmp_path, cli, out):
    """relu units grow to inf, inf - inf is NaN: one line of glnn's, never numpy's RuntimeWarning, no file."""
    saved(tmp_path / "big.npz", "relu")
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # a numpy RuntimeWarning would end the command otherwise
        status, _, err = cli("render", "--network", "big.npz", "--size", "16x16", "--backend", "cpu", "--out", out)
    assert one_line_error(status, err) == OVERFLOW
    assert sorted(os.listdir(tmp_path)) == ["big.npz"]


def test_overflow_inside_that_saturates_draws_without_a_warning(tmp_path, cli):
    """tanh units saturate: sums that overflow inside the network still give finite outputs, as on the GPU."""
    saved(tmp_path / "big.npz", "tanh")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for backend in ("cpu", "numpy"):
            status, _, err = cli("render", "--network", "big.npz", "--size", "16x16", "--supersample", "2",
                                 "--backend", backend, "--out", f"{backend}.png", "-q")
            assert status == 0 and err == "", err
    assert Image.open(tmp_path / "cpu.png").size == (16, 16)


def test_a_backend_that_gives_nan_silently_is_caught_once_per_picture(tmp_path, cli, monkeypatch):
    """The GL backend reads inf and NaN back without a word: the pipeline checks every backend's outputs."""
    from glnn.backends.cpu import CPUBackend
    render = CPUBackend.render

    def one_nan(self, net, view, rect=None, out=None):
        result = render(self, net, view, rect, out)
        result[0, 0, 1] = np.nan
        return result
    monkeypatch.setattr(CPUBackend, "render", one_nan)
    for command in (["render"], ["grid", "--vary", "seed=1:2"], ["animate", "--frames", "2", "--sweep", "time:0:1"]):
        status, _, err = cli(*command, "--size", "8x8", "--backend", "cpu", "--out", "o.gif" if "animate" in command
                             else "o.png")
        line = one_line_error(status, err, "outputs overflow to infinity or NaN at 1 of 64 pixels (weights up to ")
        assert line.startswith(f"glnn {command[0]}: error: ") and line.endswith("no picture was written")
        assert not (tmp_path / "o.png").exists() and not (tmp_path / "o.gif").exists()
