"""What a new user trips on in the help, the flags and their messages (issue 23), in-process."""
import re
from pathlib import Path

import pytest

from cli_checks import one_line_error
from glnn.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def subparsers():
    return build_parser()._subparsers._group_actions[0].choices


def options(sub):
    return {o for a in sub._actions for o in a.option_strings}


def test_an_unknown_flag_names_the_command_and_suggests_the_closest(cli):
    line = one_line_error(*cli("render", "--sead", "3")[::2], "did you mean --seed?")
    assert line.startswith("glnn render: error: unrecognized arguments: --sead 3") and "glnn render --help" in line
    line = one_line_error(*cli("animate", "--sead=3", "--framse", "4")[::2])
    assert "--seed (for --sead)" in line and "--frames (for --framse)" in line
    assert "did you mean" not in one_line_error(*cli("render", "--zzzzzz")[::2])


@pytest.mark.parametrize("name", ["render", "view", "animate", "export", "grid"])
def test_colour_is_spelt_both_ways_where_it_is_a_flag(name):
    sub = subparsers()[name]
    assert {"--color", "--colour"} <= options(sub)
    args = ["page.html"] if name == "export" else []
    a = build_parser().parse_args([name, *args, "--colour", "gray"])
    b = build_parser().parse_args([name, *args, "--color", "gray"])
    assert a.color == b.color == "gray"


def test_stats_has_no_colour_flag_and_quiet_prints_only_the_numbers(cli):
    assert not {"--color", "--colour"} & options(subparsers()["stats"])
    one_line_error(*cli("stats", "--color", "gray")[::2], "unrecognized arguments")
    status, out, err = cli("stats", "--depth", "3", "--width", "4", "--size", "8x8", "-q")
    assert status == 0 and "layer" in out and not [l for l in out.splitlines() if l.startswith("*")], out
    status, out, _ = cli("stats", "--depth", "3", "--width", "4", "--size", "8x8")
    assert status == 0 and any(l.startswith("* saturated") for l in out.splitlines())


@pytest.mark.parametrize("name", ["render", "animate"])
def test_out_a_folder_says_so(cli, tmp_path, name):
    (tmp_path / "somefolder").mkdir()
    line = one_line_error(*cli(name, "--out", "somefolder")[::2], "'somefolder' is a folder")
    assert "no extension" not in line and ".png" in line


def test_every_sweepable_parameter_is_in_animate_help_and_the_readme():
    from glnn.io.sweeps import PARAMS

    sweep = next(a for a in subparsers()["animate"]._actions if "--sweep" in a.option_strings).help
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Animations", 1)[1].split("\n### ", 1)[0]
    for p in PARAMS:
        assert p in sweep, p
        assert f"`{p}`" in section, p
    assert "seed" in subparsers()["animate"].format_help().split("examples:")[0]


def test_every_window_key_is_in_view_help_and_the_readme():
    from glnn.app.controls import HELP

    text = subparsers()["view"].format_help().split("keys:", 1)[1]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    keys = readme.split("Keys:", 1)[1].split("\n\n", 1)[0]
    for group, _ in HELP:
        for key in re.split(r"\s*/\s*", group):
            if key in ("drag", "scroll"):
                continue
            assert re.search(rf"(^|[\s(,/]){re.escape(key)}([/\s,)]|$)", text), (key, text)
            # backquoted, or a word of its own (Tab, Esc): not a letter inside another word
            assert f"`{key}`" in keys or re.search(rf"(^|[\s(,/]){re.escape(key)}([/\s,)]|$)", keys), key
    for key in ("p", "l", "L", "R"):   # the probe keys and the previous seed (issue 23)
        assert f"`{key}`" in keys


def test_flag_help_says_default_once_and_names_only_flags_the_command_has():
    for name, sub in subparsers().items():
        have = options(sub)
        for a in sub._actions:
            text = a.help or ""
            assert len(re.findall(r"\bdefault\b", text, re.I)) <= 1, (name, a.option_strings, text)
            for flag in re.findall(r"--[a-z][a-z-]+", text):
                assert flag in have or flag in ("--help",), (name, a.option_strings, flag)


def test_the_shadertoy_export_carries_no_note_of_its_template():
    from glnn.io.request import resolve
    from glnn.web.webgl import shadertoy_source

    text = shadertoy_source(resolve({"depth": 3, "width": 4, "size": (64, 64)}))
    assert "Template of" not in text and "writes it without its first line" not in text
    assert text.startswith("// glnn ") and "void mainImage" in text
