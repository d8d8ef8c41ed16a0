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


# ------------------------------------------------------------------ item 5: outputs that are not plain files
def render(cli, out, *more):
    return cli("render", "--size", "8x8", "--backend", "numpy", "--out", out, "-q", *more)


def test_an_output_that_is_a_link_is_followed_and_the_link_stays(tmp_path, cli):
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "real.png").write_bytes(b"old picture")
    os.symlink("pictures/real.png", tmp_path / "link.png")
    os.symlink("pictures/new.png", tmp_path / "dangling.png")
    for name in ("link.png", "dangling.png"):
        assert render(cli, name) == (0, "", "")
        assert os.path.islink(tmp_path / name)
    for name in ("real.png", "new.png"):
        assert Image.open(tmp_path / "pictures" / name).size == (8, 8)
    assert sorted(os.listdir(tmp_path)) == ["dangling.png", "link.png", "pictures"]
    assert sorted(os.listdir(tmp_path / "pictures")) == ["new.png", "real.png"]   # no temporary file left


@pytest.mark.parametrize("make, message", [
    (lambda p: os.mkfifo(p), "cannot write 'o.png': it is a FIFO, not a regular file"),
    (lambda p: os.symlink("/dev/full", p), "cannot write 'o.png': it is a link to '/dev/full', a character device, "
                                           "not a regular file"),
    (lambda p: os.symlink("/dev/null", p), "cannot write 'o.png': it is a link to '/dev/null', a character device, "
                                           "not a regular file"),
])
def test_an_output_that_is_a_fifo_or_a_device_is_refused(tmp_path, cli, make, message):
    make(tmp_path / "o.png")
    before = os.lstat(tmp_path / "o.png")
    assert one_line_error(*render(cli, "o.png")[::2]) == (f"glnn render: error: {message} (glnn writes a whole "
                                                        "file and renames it into place, which would replace it); "
                                                        "no file was changed")
    assert os.lstat(tmp_path / "o.png") == before
    assert os.listdir(tmp_path) == ["o.png"]


def test_a_full_disk_at_write_is_one_line_and_leaves_no_temporary_file(tmp_path, cli, monkeypatch):
    """ENOSPC in the middle of the picture's bytes (tests/system: a real full file system)."""
    from glnn.io.png_stream import PNGStream

    def full(self, rows):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(PNGStream, "write", full)
    (tmp_path / "o.png").write_bytes(b"old picture")
    assert one_line_error(*render(cli, "o.png")[::2]) == \
        "glnn render: error: cannot write 'o.png': No space left on device; no file was changed"
    assert os.listdir(tmp_path) == ["o.png"] and (tmp_path / "o.png").read_bytes() == b"old picture"


def test_a_folder_made_read_only_is_one_line(tmp_path, cli, monkeypatch):
    """A folder that turns read-only between the check and the write (the check itself: tests/system, where a
    read-only file system is real even for root)."""
    def read_only(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    monkeypatch.setattr(files.tempfile, "mkstemp", read_only)
    assert one_line_error(*render(cli, "o.png")[::2]) == \
        "glnn render: error: cannot write 'o.png': Permission denied; no file was changed"
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a folder of mode 0555")
def test_a_read_only_folder_is_one_line(tmp_path, cli):
    (tmp_path / "ro").mkdir(mode=0o555)
    assert one_line_error(*render(cli, "ro/o.png")[::2]) == \
        "glnn render: error: --out 'ro/o.png': folder 'ro' is not writable"
