"""`glnn bench`: time the standard cases on every backend here."""
from __future__ import annotations

import json

from ..errors import GlnnError
from ..gl.kernels import NAMES as KERNEL_NAMES
from .flags import command_parser, number

EXAMPLES = """\
  glnn bench
  glnn bench --quick --json > bench.json
  glnn bench --case 27x30@3840x2160 --case 14x400@1920x1080 --kernels all
  glnn bench --weights                  # the web page's weight drawing (node) against numpy's
"""


def register(sub) -> None:
    b = command_parser(sub, "bench", "time the standard cases on every backend here",
                       "Median ms per frame, GFLOP/s, compile time and new-seed time for the standard "
                       "cases on every backend that works here, with plain numpy as the yardstick.",
                       "examples:\n" + EXAMPLES)
    b.add_argument("--quick", action="store_true", help="small cases, few repeats (seconds, for CI)")
    b.add_argument("--json", action="store_true", help="machine-readable results")
    b.add_argument("--budget", type=number, help="seconds per case and backend (default 20, quick 2)")
    b.add_argument("--kernels", metavar="auto|all|NAMES",
                   help="GL kernels per case: the one auto uses, every one that can draw it, or a comma-separated "
                        f"list ({', '.join(KERNEL_NAMES)}); default: all, quick: auto")
    b.add_argument("--shared-variants", action="store_true",
                   help="also time the shared kernel at 1, 2 and 4 pixels per invocation and 32 to 256 invocations "
                        "per workgroup (tuning on a GPU)")
    b.add_argument("--case", action="append", metavar="DEPTHxWIDTH@WxH",
                   help="run this case instead of the standard ones (repeatable), e.g. 27x30@3840x2160")
    b.add_argument("--no-process", action="store_true", help="skip the whole-process comparison")
    b.add_argument("--batch", action="store_true",
                   help="instead: a 64-cell grid serially, on 2 local workers and on a 2-worker local Dask cluster")
    b.add_argument("--page", metavar="DEPTHxWIDTH@WxH", nargs="?", const="standard",
                   help="instead: the exported web page's frame time in headless Chromium (default 27x30@1280x720; "
                        "with --quick 8x16@320x180 and one frame)")
    b.add_argument("--weights", action="store_true",
                   help="instead: draws per second and the time to draw a 14x400 and a 12x30 network's weights, "
                        "the web pages' glnn_random.js in node against numpy (with --quick a tiny size)")
    b.set_defaults(func=run)


def run(args) -> int:
    from ..bench import parse_case, parse_kernels, run as run_bench

    if args.batch:
        from ..bench import batch_case, describe_batch

        r = batch_case(cells=16 if args.quick else 64)
        print(json.dumps(r, indent=1) if args.json else describe_batch(r))
        return 0
    if args.weights:
        from ..bench import describe_weights, weights_case

        r = weights_case(quick=args.quick)
        print(json.dumps(r, indent=1) if args.json else describe_weights(r))
        return 0
    if args.page:
        from ..web.page_bench import describe as describe_page, page_case, page_frames

        depth, width, w, h = parse_case(page_case(args.page, args.quick))
        r = page_frames(depth, width, w, h, frames=1 if args.quick else 3)
        print(json.dumps(r, indent=1) if args.json else describe_page(r))
        return 0

    if args.budget is not None and not (0 < args.budget <= 3600):
        raise GlnnError(f"--budget must be from 0 to 3600 seconds, not {args.budget}")
    cases = [parse_case(c) for c in args.case] if args.case else None
    kernels = parse_kernels(args.kernels) if args.kernels else None
    return run_bench(quick=args.quick, as_json=args.json, budget_s=args.budget, kernels=kernels, cases=cases,
                     process=not args.no_process, shared_variants=args.shared_variants)
