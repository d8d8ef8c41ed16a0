"""Every example in every command's --help, and every `glnn ...` line in the README's code blocks, parses
(in-process, parse only: nothing runs)."""
import re
import shlex
from pathlib import Path

import pytest

from glnn.cli import COMMANDS, build_parser, negative_values

ROOT = Path(__file__).resolve().parents[2]
NAMES = [c.__name__.rsplit(".", 1)[-1] for c in COMMANDS]


def subparsers(parser):
    return parser._subparsers._group_actions[0].choices


def command_line(text: str) -> list:
    """A help or README line as argv: without its trailing comment, shell redirection or pipe."""
    text = text.split(" # ")[0].split(" > ")[0].split(" | ")[0]
    text = re.split(r"\s{3,}|\s+\(", text.strip())[0]
    return shlex.split(text)[1:]


def examples(help_text: str) -> list:
    lines = help_text.split("examples:", 1)[1].splitlines()
    return [l.strip() for l in lines if l.strip().startswith("glnn ")]


def parses(argv) -> str:
    ns = build_parser().parse_args(negative_values(argv))
    return ns.command


def test_every_command_is_registered_with_examples():
    subs = subparsers(build_parser())
    assert list(subs) == NAMES
    for (name, sub), module in zip(subs.items(), COMMANDS):
        # each command runs its own module's run(), not another's (nor nothing)
        assert sub.get_default("func") is module.run, (name, sub.get_default("func"))
        assert sub.prog == f"glnn {name}", sub.prog
        assert examples(sub.format_help()), name


@pytest.mark.parametrize("name", [None] + NAMES)
def test_help_examples_parse(name):
    parser = build_parser()
    text = parser.format_help() if name is None else subparsers(parser)[name].format_help()
    found = examples(text)
    assert found
    for line in found:
        command = parses(command_line(line))
        assert command in NAMES and (name is None or command == name), line


def readme_lines():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    out, fence = [], False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            fence = not fence
            continue
        indented = line.startswith("    ")
        if (fence or indented) and line.strip().startswith("glnn "):
            out.append(line.strip())
    return out


def test_readme_commands_parse():
    lines = readme_lines()
    assert len(lines) > 10
    for line in lines:
        assert parses(command_line(line)) in NAMES, line
