"""Flags are never abbreviated (`--out` once quietly meant `--output-activation` for glnn export), and export takes
its OUT as a word or as --out."""
import pytest

from cli_checks import one_line_error


@pytest.mark.parametrize("argv", [["render", "--out-act", "relu", "--out", "a.png"],
                                  ["render", "--dep", "3", "--out", "a.png"],
                                  ["export", "page.html", "--out", "other.html"],
                                  ["export"]])
def test_abbreviated_or_doubled_flags_are_one_line(cli, tmp_path, argv):
    one_line_error(*cli(*argv)[::2])
    assert not list(tmp_path.iterdir())


def test_export_takes_out_as_a_flag_too(cli, tmp_path):
    status, _, err = cli("export", "--out", "page.html", "--depth", "3", "--width", "4")
    assert status == 0, err
    assert (tmp_path / "page.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_from_a_folder_says_so(cli, tmp_path):
    assert "is a folder" in one_line_error(*cli("render", "--from", str(tmp_path), "--out", "a.png")[::2])
