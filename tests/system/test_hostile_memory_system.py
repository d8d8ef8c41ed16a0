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
