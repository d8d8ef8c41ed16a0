"""Hostile sizes through the real command (issue 34, items 1 and 2): peak resident size measured with
/usr/bin/time -f %M (test_hostile_system.glnn), address space capped with prlimit --as."""
import os
import shutil
import subprocess
import sys

import pytest

from cli_checks import one_line_error
from test_hostile_system import TIME, glnn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "unit"))
from test_hostile_memory import TOO_MANY, png_of, sheet_text  # noqa: E402


@pytest.mark.skipif(TIME is None, reason="needs /usr/bin/time for the peak resident size")
@pytest.mark.parametrize("args", [["info", "huge.png"], ["info", "huge.png", "--cell", "4400000"],
                                  ["render", "--from", "huge.png", "--cell", "4400000", "--out", "o.png"]])
def test_a_4_4_million_cell_sheet_is_refused_in_little_memory(tmp_path, args):
    png_of(tmp_path / "huge.png", sheet_text(4_400_000))
    assert (tmp_path / "huge.png").stat().st_size < 120_000
    status, _, err, peak = glnn(tmp_path, *args, timeout=120)
    assert one_line_error(status, err) == f"glnn {args[0]}: error: 'huge.png': {TOO_MANY}"
    assert peak < 100_000, peak   # KB: what Python and glnn's imports cost, not the 1.9 GB the cells would
    assert sorted(os.listdir(tmp_path)) == ["huge.png"]


PRLIMIT = shutil.which("prlimit")


def p16k(tmp_path):
    from glnn.io import metadata
    from glnn.io.recipe import Recipe
    from glnn.model.network import Network
    from glnn.model.view import View
    return png_of(tmp_path / "p16k.png", metadata.dumps(Recipe(Network(seed=3, depth=2, width=2), View(16384, 16384)).to_json()))


def limited(tmp_path, address_space, *args):
    return subprocess.run([PRLIMIT, f"--as={address_space}", sys.executable, "-m", "glnn", *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(PRLIMIT is None, reason="needs prlimit (util-linux)")
@pytest.mark.parametrize("out", ["o.png", "o.npy"])
def test_a_16k_picture_past_the_address_space_is_one_line_and_leaves_nothing(tmp_path, out):
    """300 MB of address space: here, a band of a 16384-wide picture does not fit (MemoryError, whichever
    allocation): one line, nothing written. Where it does fit (one CI run wrote the picture: how much address
    space the imports and threads take varies), the picture is whole. Never a traceback or a partial file
    (the exact line for every command: tests/unit/test_hostile_memory.py)."""
    p16k(tmp_path)
    p = limited(tmp_path, 300_000_000, "render", "--from", "p16k.png", "--backend", "numpy", "--out", out, "-q")
    if p.returncode == 0:
        assert p.stderr == "" and sorted(os.listdir(tmp_path)) == sorted(["p16k.png", out])
        assert (tmp_path / out).stat().st_size > (16384 * 16384 if out.endswith(".npy") else 1000)
        return
    assert one_line_error(p.returncode, p.stderr) == ("glnn render: error: out of memory making a 16384x16384 picture of "
                                                      "a 2 x 2 network: try a smaller --size or a narrower or shallower network")
    assert sorted(os.listdir(tmp_path)) == ["p16k.png"]


@pytest.mark.skipif(PRLIMIT is None, reason="needs prlimit (util-linux)")
def test_a_16k_picture_of_a_tiny_network_fits_in_512_mb(tmp_path):
    """Written band by band, a 16384 x 16384 picture fits in 512 MB of address space on the numpy backend (the
    issue's MemoryError came with the auto backend, whose GL or threads take the address space: one line now)."""
    p16k(tmp_path)
    p = limited(tmp_path, 512 << 20, "render", "--from", "p16k.png", "--backend", "numpy", "--out", "o.png", "-q")
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "o.png").read_bytes()[16:24] == bytes.fromhex("0000400000004000")   # IHDR: 16384 x 16384
