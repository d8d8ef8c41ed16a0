"""The glnn command in this process (glnn.cli.main): help examples parse; bad input gets one line and exit
status 2, files untouched. (The real console entry, renders and saves: tests/system/test_cli_system.py.)"""
import shlex

import numpy as np
import pytest

from cli_checks import one_line_error
from glnn import Network

COMMANDS = ("render", "view", "animate", "figures", "export", "playground", "stats", "phase", "grid", "breed", "bench", "info")


def test_help_shows_examples_that_parse(cli):
    """Every command's --help has examples, and every example is a valid command line."""
    from glnn.cli import build_parser, negative_values

    parser = build_parser()
    for args in [["--help"]] + [[c, "--help"] for c in COMMANDS]:
        status, out, _ = cli(*args)
        assert status == 0 and "examples:" in out, args
        examples = [l.split("  (")[0].split("   ")[0].strip() for l in out.split("examples:")[1].splitlines()
                    if l.strip().startswith("glnn ")]
        assert examples, args
        for line in examples:
            ns = parser.parse_args(negative_values(shlex.split(line.split(" > ")[0].split(" | ")[0])[1:]))   # as main() does
            assert ns.command in COMMANDS, line
    status, out, _ = cli("render", "--help")
    for flag in ("--seed", "--depth", "--width", "--activation", "--init", "--scale", "--bias-scale", "--gain",
                 "--channels", "--inputs", "--network", "--center", "--extent", "--time", "--size", "--backend"):
        assert flag in out, flag


BAD = [
    (["--size", "0x5"], "size"), (["--size", "abc"], "size must be WxH"), (["--size", "20000x10"], "16384"),
    (["--depth", "0"], "depth must be"), (["--depth", "65"], "depth must be"), (["--depth", "2.5"], "whole number"),
    (["--width", "513"], "width must be"), (["--scale", "nan"], "finite"), (["--scale", "-1"], "scale must be"),
    (["--scale", "x"], "must be a number"), (["--activation", "swish"], "unknown activation 'swish'"), (["--activation", "tanh,swish"], "unknown activation 'swish'"),
    (["--features", "x,q"], "unknown feature 'q'"), (["--features", "x,x"], "twice"), (["--features", "x,y,bias", "--inputs", "16"], "at most 16"),
    (["--features", ""], "features must be a comma list"), (["--features", "x,,y"], "features must be a comma list"),
    (["--features", "x;y"], "unknown feature 'x;y'"), (["--features", "X,Y"], "unknown feature 'X'"),
    (["--activation", "tanh,,sin"], "an empty name"), (["--activation", "mix,tanh"], "unknown activation 'mix' in"),
    (["--activation", "tanh,mix-units"], "unknown activation 'mix-units' in"), (["--activation", ""], "unknown activation ''"),
    (["--init", "xavier"], "invalid choice"), (["--channels", "2"], "invalid choice"), (["--inputs", "1"], "inputs must be"),
    (["--inputs", "17"], "inputs must be"), (["--seed", "-1"], "seed must be"), (["--center", "1"], "X,Y"),
    (["--center", "1,inf"], "finite"), (["--extent", "0"], "extent must be"), (["--time", "nan"], "finite"),
    (["--out", "x.jpg"], "unknown format '.jpg'"), (["--out", "x"], "unknown format no extension"),
    (["--out", "nodir/x.png"], "does not exist"), (["--network", "missing.npz"], "does not exist"),
    (["--network", "garbage.npz"], "not a glnn network file"), (["--network", "ok.npz", "--depth", "3"], "cannot be combined"),
    (["--save-network", "n.txt"], "unknown format"), (["--backend", "cuda"], "invalid choice"), (["--bogus"], "unrecognized"),
    (["--color", "palette:viridis"], "reads 1 output"), (["--channels", "1", "--color", "hsv"], "reads 3 output"),
    (["--color", "sepia"], "invalid choice"), (["--color", "palette:nope"], "invalid choice"),
    (["--size", "-5x64"], "width and height must be"), (["--extent", "-2"], "extent must be"),
]


@pytest.mark.parametrize("args,message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_one_line_exit_2_file_untouched(cli, tmp_path, args, message):
    (tmp_path / "garbage.npz").write_bytes(b"PK\x03\x04 nonsense")
    Network(seed=1, depth=2, width=3).save(tmp_path / "ok.npz")
    out = tmp_path / "keep.png"
    out.write_bytes(b"precious")
    before = sorted(p.name for p in tmp_path.iterdir())
    status, _, err = cli("render", "--size", "8x8", "--out", "keep.png", *args)
    one_line_error(status, err, message)
    assert out.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == before   # no new file, no .part left


def test_interrupted_write_leaves_old_file(tmp_path, monkeypatch):
    """An error while writing (here: a failing encoder) keeps the old file and leaves no temporary."""
    from glnn.io import images

    out = tmp_path / "x.png"
    out.write_bytes(b"old")

    def boom(*a, **k):
        raise RuntimeError("encoder failed")

    monkeypatch.setattr("PIL.Image.Image.save", boom)
    with pytest.raises(RuntimeError):
        images.save_picture(np.zeros((4, 4, 3), np.float32), out)
    assert out.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["x.png"]
