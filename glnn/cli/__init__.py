"""The `glnn` command line: one module per command (glnn/cli/render.py, info.py, ...), each with
`register(subparsers)` (its flags, help and examples) and `run(args)`; glnn/cli/flags.py holds the value parsers
and the flag groups they share.

Every bad input ends in one line on stderr and exit status 2, never a traceback,
and never a half-written or clobbered output file.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from typing import List, Optional

from ..errors import GLUnavailable, GlnnError, printable
from ..version import __version__
from . import animate, bench, breed, export, figures, grid, info, phase, playground, render, stats, view
from .flags import CONTRACT, Parser, did_you_mean, out_of_memory

# in the order `glnn --help` lists them
COMMANDS = (render, view, animate, export, playground, stats, phase, grid, breed, figures, bench, info)

EPILOG_MAIN = "examples:\n" + render.EXAMPLES + """\
  glnn info fig11.png                                what a glnn picture is made of, and its command
  glnn view --depth 27 --width 30                    a live window (press h for the keys)
  glnn animate --inputs 7 --sweep time:0:6.2832 --out slice.gif
  glnn animate --depth 27 --sweep scale:0.4:0.8 --frames 40 --out scale.gif
  glnn figures --out figs                            every figure of the article, with a gallery
  glnn export page.html --depth 27 --width 30         a live web page (WebGL2) to play with anywhere
  glnn playground play.html --depth 12               every setting live in the browser, no install
  glnn stats --activation relu --depth 10 --init uniform,he,glorot --plot norms.png
  glnn phase --activation tanh --out phase.png       order, chaos and the edge between
  glnn grid --vary depth=2:12 --vary scale=0.4:1.6:6x --out sheet.png   a contact sheet
  glnn breed --from fig11.png --strength 0.3 --out kids.png   16 children (glnn render --from kids.png --cell N)
  glnn bench --quick
  glnn info
"""


def build_parser() -> Parser:
    p = Parser(prog="glnn", allow_abbrev=False, description="Look at random neural networks f(x, y) -> (r, g, b), drawn on the GPU. "
                                        f"What a network, a view and a picture are: {CONTRACT} in glnn's repository.",
               formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG_MAIN)
    p.add_argument("--version", action="version", version=f"glnn {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for command in COMMANDS:
        command.register(sub)
    return p


def negative_values(argv: List[str]) -> List[str]:
    """`--size -5x64`, `--center -1,2`, `--time -3`: argparse takes a value starting with '-' for a flag; join such
    values to their flag (`--center=-1,2`) so they reach the flag's own check and its message."""
    out, i = [], 0
    while i < len(argv):
        a = argv[i]
        nxt = argv[i + 1] if i + 1 < len(argv) else ""
        if a.startswith("--") and "=" not in a and len(nxt) > 1 and nxt[0] == "-" and (nxt[1].isdigit() or nxt[1] == "."):
            out.append(f"{a}={nxt}")
            i += 2
        else:
            out.append(a)
            i += 1
    return out


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the process is (so every `with` block cleans up as for Ctrl-C)."""


def _terminated(signum, frame):
    raise Terminated()


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(negative_values(sys.argv[1:] if argv is None else list(argv)))
    if unknown:
        command = getattr(args, "command_parser", parser)
        command.error(f"unrecognized arguments: {' '.join(unknown)}{did_you_mean(command, unknown)}")
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    for stream in (sys.stdout, sys.stderr):   # a recipe's text on an ASCII terminal (LC_ALL=C): escaped, never a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    # SIGTERM (kill, systemd, CI) ends a run as Ctrl-C does: temporary files removed, workers shut down
    previous = signal.signal(signal.SIGTERM, _terminated) \
        if threading.current_thread() is threading.main_thread() else None
    try:
        return args.func(args)
    except Terminated:
        print(f"glnn {args.command}: terminated", file=sys.stderr)
        return 143
    except GlnnError as e:
        print(f"glnn {args.command}: error: {printable(e)}", file=sys.stderr)
        return 2
    except GLUnavailable as e:
        print(f"glnn {args.command}: error: OpenGL unavailable: {printable(e)} (try --backend numpy)", file=sys.stderr)
        return 2
    except MemoryError:   # any allocation, anywhere (numpy's too): the `with` blocks removed every temporary file
        print(f"glnn {args.command}: error: {out_of_memory(args)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"glnn {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `glnn ... | head`: the reader left, nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as e:   # a folder that cannot be made or written, a full disk: the user's to fix, exit 2
        print(printable(f"glnn {args.command}: error: {e.strerror or e}: {e.filename or ''}".rstrip(": ")),
              file=sys.stderr)
        return 2
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
