#!/usr/bin/env python3
"""How long each example of `glnn --help` and every command's --help takes as written (full size), each as its
own `python -m glnn` process, in order in one scratch folder (a later example reads an earlier one's file), the
examples collected as tests/gl/test_examples_run.py collects them (issue 36: keep each under ~30 s).

    python tools/time_help_examples.py                      # every command's examples, 120 s cap each
    python tools/time_help_examples.py --only stats,phase --timeout 60

Windows (glnn view) are left out; an example whose input file an earlier one did not make is listed as skipped.
Prints one line per example: seconds (">N" when cut off at the cap), the exit status, the line.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests", "gl")]

from test_examples_run import argv, help_examples  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--only", help="a comma list of commands (default: all but view)")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds an example may run (default 120)")
    a = p.parse_args()
    only = set(a.only.split(",")) if a.only else None
    seen, lines = set(), []
    for line in help_examples():   # glnn --help repeats some commands' examples: each once
        if line not in seen:
            seen.add(line)
            lines.append(line)
    env = dict(os.environ, PYTHONPATH=ROOT)
    with tempfile.TemporaryDirectory(prefix="glnn-help-times-") as scratch:
        # the engine's one-off `auto` measurement (cached) is not any example's time
        subprocess.run([sys.executable, "-m", "glnn", "render", "--size", "8x8", "--out", "warm.png"], cwd=scratch,
                       env=env, capture_output=True)
        for line in lines:
            args = argv(line)
            if not args or args[0] == "view" or (only and args[0] not in only):
                continue
            needs = [args[i + 1] for i, x in enumerate(args[:-1]) if x in ("--from", "--network")]
            if args[0] == "info":   # glnn info PICTURE
                needs += [x for x in args[1:2] if not x.startswith("-")]
            if any(not os.path.exists(os.path.join(scratch, n)) for n in needs):
                print(f"{'skip':>8}      {line}", flush=True)
                continue
            t = time.perf_counter()
            try:
                r = subprocess.run([sys.executable, "-m", "glnn"] + args, cwd=scratch, env=env, capture_output=True,
                                   timeout=a.timeout)
                took, status = f"{time.perf_counter() - t:8.1f}", str(r.returncode)
            except subprocess.TimeoutExpired:
                took, status = f">{a.timeout:7.0f}", "-"
            print(f"{took} {status:>4}  {line}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
