"""Outputs users will try (issue 34, item 5), through real processes: two renders racing on one output, a file
system that fills up, one that is read-only. Each ends in one whole picture or one line and exit 2, no
temporary file left (tests/unit/test_damaged_outputs.py: links, FIFOs and devices, in process)."""
import contextlib
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from cli_checks import one_line_error
from glnn.io import metadata


def start(tmp_path, *args):
    return subprocess.Popen([sys.executable, "-m", "glnn", "render", "--backend", "cpu", "-q", *map(str, args)],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(p, timeout=300):
    out, err = p.communicate(timeout=timeout)
    return p.returncode, out, err


def test_two_renders_racing_on_one_output_leave_one_whole_picture(tmp_path):
    """Both write their temporary file beside the output and rename it over: the output is one of the two
    pictures (pixels and recipe of one run), never a mix, and no temporary file is left."""
    size = ["--size", "768x768"]   # a few MB of PNG: both processes are writing at the same time
    for round_ in range(2):
        runs = [start(tmp_path, "--seed", seed, *size, "--out", out)
                for seed, out in ((1, "o.png"), (2, "o.png"), (1, "one.png"), (2, "two.png"))]
        assert [finish(p)[0] for p in runs] == [0, 0, 0, 0]
        assert sorted(os.listdir(tmp_path)) == ["o.png", "one.png", "two.png"]
        raced = np.asarray(Image.open(tmp_path / "o.png"))
        seed = metadata.read_recipe_json(tmp_path / "o.png")["network"]["seed"]
        alone = np.asarray(Image.open(tmp_path / ("one.png" if seed == 1 else "two.png")))
        assert np.array_equal(raced, alone), f"round {round_}: the picture is not seed {seed}'s whole picture"
        os.unlink(tmp_path / "o.png")


@contextlib.contextmanager
def mounted(path, options):
    """A small tmpfs at `path` (root only, where mounting is allowed); skips the test where it is not."""
    path.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root, or no permission)")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=True)


def test_a_file_system_that_fills_up_mid_write_is_one_line(tmp_path):
    """A real ENOSPC: a 64 KiB tmpfs, a picture of some MB. The old file stays, no temporary file is left."""
    with mounted(tmp_path / "small", "size=64k") as small:
        (small / "o.png").write_bytes(b"old picture")
        status, _, err = finish(start(small, "--size", "512x512", "--out", "o.png"))
        assert one_line_error(status, err) == \
            "glnn render: error: cannot write 'o.png': No space left on device; no file was changed"
        assert os.listdir(small) == ["o.png"] and (small / "o.png").read_bytes() == b"old picture"


def test_a_read_only_folder_is_one_line(tmp_path):
    """A read-only file system (read-only even for root; tests/unit checks mode 0555 where not root)."""
    with mounted(tmp_path / "ro", "size=64k,ro") as ro:
        status, _, err = finish(start(tmp_path, "--size", "8x8", "--out", "ro/o.png"))
        assert one_line_error(status, err) == "glnn render: error: --out 'ro/o.png': folder 'ro' is not writable"
        assert os.listdir(ro) == []
