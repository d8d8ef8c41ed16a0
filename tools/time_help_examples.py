#!/usr/bin/env python3
"""How long each example of `glnn --help` and every command's --help takes as written (full size), each as its
own `python -m glnn` process, in order in one scratch folder (a later example reads an earlier one's file), the
examples collected as tests/gl/test_examples_run.py collects them (issue 36: keep each under ~30 s).

    python tools/time_help_examples.py                      # every command's examples, 120 s cap each
    python tools/time_help_examples.py --only stats,phase --timeout 60
    git archive e86e692 | tar -x -C /tmp/base && python tools/time_help_examples.py --only stats --tree /tmp/base

Windows (glnn view) are left out; an example whose input file an earlier one did not make is listed as skipped.
Prints one line per example: wall seconds (">N" when cut off at the cap), the exit status, CPU seconds (user +
system, its processes'; less swayed by other people's load on a shared machine than the wall clock), the line.
"""
import argparse
import os
import signal
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
    p.add_argument("--tree", default=ROOT, help="the glnn source tree that runs them (default this one; the examples "
                                                "are this tree's): an earlier revision, for a before and after")
    a = p.parse_args()
    only = set(a.only.split(",")) if a.only else None
    seen, lines = set(), []
    for line in help_examples():   # glnn --help repeats some commands' examples: each once
        if line not in seen:
            seen.add(line)
            lines.append(line)
    env = dict(os.environ, PYTHONPATH=os.path.abspath(a.tree))
    with tempfile.TemporaryDirectory(prefix="glnn-help-times-") as scratch:
        # the engine's one-off `auto` measurement (cached) is not any example's time
        subprocess.run([sys.executable, "-m", "glnn", "render", "--size", "8x8", "--out", "warm.png"], cwd=scratch,
                       env=env, capture_output=True)
        times = os.times()
        spent = times.children_user + times.children_system
        wanted = [argv(line) for line in lines if only and argv(line) and argv(line)[0] in only]
        needed = {x[i + 1] for x in wanted for i, f in enumerate(x[:-1]) if f in ("--from", "--network")}
        for line in lines:
            args = argv(line)
            makes = {args[i + 1] for i, f in enumerate(args[:-1]) if f in ("--out", "--save-network")}
            if not args or args[0] == "view" or (only and args[0] not in only and not needed & makes):
                continue   # (with --only: the examples that make a file a chosen one reads still run)
            needs = [args[i + 1] for i, x in enumerate(args[:-1]) if x in ("--from", "--network")]
            if args[0] == "info":   # glnn info PICTURE
                needs += [x for x in args[1:2] if not x.startswith("-")]
            if any(not os.path.exists(os.path.join(scratch, n)) for n in needs):
                print(f"{'skip':>8}      {line}", flush=True)
                continue
            t = time.perf_counter()
            # its own process group: one cut off at the cap takes its worker processes with it
            proc = subprocess.Popen([sys.executable, "-m", "glnn"] + args, cwd=scratch, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            try:
                status = str(proc.wait(timeout=a.timeout))
                took = f"{time.perf_counter() - t:8.1f}"
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                took, status = f">{a.timeout:7.0f}", "-"
            cpu = os.times()
            print(f"{took} {status:>4} {cpu.children_user + cpu.children_system - spent:8.1f}  {line}", flush=True)
            spent = cpu.children_user + cpu.children_system
    return 0


if __name__ == "__main__":
    sys.exit(main())
