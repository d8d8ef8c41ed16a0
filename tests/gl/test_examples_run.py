"""The examples in `glnn --help`, each command's --help and the README's code run, not just parse (issue 23: a
help example that exits 2). In-process, in order in one scratch folder (a later example reads an earlier one's
file), on small sizes: `--size` is overridden (and animations get 2 frames, one worker), except where the size
is what decides the outcome: `--probe regions` refuses a view with too many activation patterns, so those run
at their own size. Commands that open a window, time the machine or write every figure are left to their own
tests (view, bench, figures), and so are MP4s and --dask (ffmpeg, a cluster: processes, tests/system)."""
import re
import shlex
from pathlib import Path

from glnn.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
RUN = ("render", "info", "grid", "stats", "animate", "export")
SMALL = {"render": ["--size", "40x40"], "grid": ["--size", "12x12", "--workers", "1"],
         "stats": ["--size", "24x24"], "animate": ["--size", "24x24", "--frames", "2", "--workers", "1"],
         "export": ["--size", "40x40"]}


def argv(line: str) -> list:
    line = line.split(" # ")[0].split(" > ")[0].split(" | ")[0]
    line = re.split(r"\s{3,}|\s+\(", line.strip())[0]
    return shlex.split(line)[1:]


def help_examples() -> list:
    parser = build_parser()
    subs = parser._subparsers._group_actions[0].choices
    out = []
    for text in [parser.format_help()] + [sub.format_help() for sub in subs.values()]:
        lines = text.split("examples:", 1)[1].splitlines()
        out += [l.strip() for l in lines if l.strip().startswith("glnn ")]
    return out


def readme_examples() -> list:
    out, fence = [], False
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("```"):
            fence = not fence
            continue
        if (fence or line.startswith("    ")) and line.strip().startswith("glnn "):
            out.append(line.strip())
    return out


def small(args: list) -> list:
    if "regions" in args:   # the size decides how many patterns the view holds
        return args
    extra = list(SMALL.get(args[0], []))
    if args[0] == "grid" and "--size" in args:
        extra = extra[2:]
    return args + extra


def run_in_order(cli, tmp_path, lines):
    ran, skipped = [], []
    for line in lines:
        args = argv(line)
        if not args or args[0] not in RUN or args[0] == "info" and len(args) == 1 or \
                any(a.endswith(".mp4") or a == "--dask" for a in args):   # processes: ffmpeg, Dask (tests/system)
            skipped.append(line)
            continue
        needs = [args[i + 1] for i, a in enumerate(args[:-1]) if a in ("--from", "--network")]
        if args[0] == "info":
            needs = args[1:]
        if any(not (tmp_path / n).exists() for n in needs):   # made by an example this test does not run
            skipped.append(line)
            continue
        status, out, err = cli(*small(args))
        assert status == 0, f"{line}\n{err}"
        ran.append(line)
    return ran, skipped


def test_help_examples_run(cli, tmp_path):
    ran, skipped = run_in_order(cli, tmp_path, help_examples())
    assert any("--probe regions" in l for l in ran) and any("--from" in l for l in ran), ran
    assert len(ran) >= 15, (ran, skipped)


def test_readme_examples_run(cli, tmp_path):
    ran, skipped = run_in_order(cli, tmp_path, readme_examples())
    assert any("--probe regions" in l for l in ran) and any("--network" in l for l in ran), ran
    assert len(ran) >= 20, (ran, skipped)


def test_the_readme_s_features_section_runs_every_example(cli, tmp_path):
    """The section on input features and per-layer activations: its examples are among the README's, and each
    runs (none skipped), in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Input features and per-layer activations", 1)[1].split("\n### ", 1)[0]
    lines = [l.strip() for l in section.splitlines() if l.strip().startswith("glnn ")]
    assert len(lines) >= 3 and set(lines) <= set(readme_examples())
    ran, skipped = run_in_order(cli, tmp_path, lines)
    assert ran == lines and not skipped, skipped
    assert (tmp_path / "radial-big.png").exists() and (tmp_path / "kinds.png").exists()
