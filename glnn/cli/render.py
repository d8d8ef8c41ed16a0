"""`glnn render`: one picture to .png or .npy."""
from __future__ import annotations

import sys

from ..rendering import engine as engines, pipeline
from ..io.files import Outputs, check_output
from ..io.images import FORMATS as PICTURE_FORMATS
from ..rendering.progress import Progress
from ..io.saved_network import save as save_network
from .flags import CONTRACT, add_request_flags, command_parser, resolve

EXAMPLES = """\
  glnn render --out net.png                          a 1024x1024 picture of the default network
  glnn render --seed 12 --depth 27 --scale 0.65 --extent 2.6 --out fig11.png
  glnn render --activation relu --channels 1 --seed 2 --init he --gain 1.2 --bias-scale 0.05 --extent 2 --size 800x400 --out relu.png
  glnn render --inputs 7 --time 1.5 --out slice.png --save-network slice.npz
  glnn render --network slice.npz --extent 4 --out wider.npy
  glnn render --from fig11.png --size 3840x2160 --out big.png   the recipe inside a glnn picture, larger
  glnn render --activation relu --depth 3 --width 16 --init he --gain 1.5 --bias-scale 1 --extent 2 --probe regions --out regions.png
  glnn render --depth 27 --probe units:8 --out units.png          every unit of hidden layer 8
"""


def register(sub) -> None:
    r = command_parser(sub, "render", "render one picture to .png or .npy",
                       "Render a random network to a PNG (8-bit) or .npy (float32 (H, W, C)).",
                       "examples:\n" + EXAMPLES)
    add_request_flags(r)
    r.add_argument("--out", default="glnn.png", metavar="FILE", help="output .png or .npy (default glnn.png)")
    r.add_argument("--probe", metavar="PROBE",
                   help="show the hidden units instead of the outputs: units:K (every unit of hidden layer K, from 1, "
                        "as a sheet), unit:K:J (unit J of layer K), regions (each pixel coloured by which units are on "
                        "or in their linear part: a relu network's linear regions), saturation (the fraction of "
                        "saturated units, a heat map); none: the plain picture (with --from a probe picture)")
    r.add_argument("--save-network", metavar="FILE.npz", help=f"also save the network and view ({CONTRACT}, a saved network)")
    r.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    r.set_defaults(func=run)


def run(args) -> int:
    check_output(args.out, PICTURE_FORMATS)
    if args.save_network:
        check_output(args.save_network, (".npz",), "--save-network")
    engine = engines.default_engine()
    recipe = resolve(args, engine, probes=True)
    net, view = recipe.network, recipe.view
    # band by band, straight to the file: memory stays small at any size
    progress = Progress(view.height, "rows", enabled=False if args.quiet else None)
    with Outputs() as outputs:   # the picture and its --save-network land together, or neither does
        # paced bands (their sizes follow the clock) only for a bar someone watches: without one the bands are
        # fixed, so the same command gives the same floats whatever the machine's load (the cpu backend's chunks
        # follow the bands, and a matrix product's rounding can follow its shape)
        notes = []
        pipeline.write(recipe, args.out, engine, progress.update if progress.enabled else None, outputs=outputs,
                       notes=notes.append)
        progress.close()
        if args.save_network:
            save_network(net, args.save_network, view, outputs=outputs)
    if not args.quiet:
        for note in notes:   # a regions picture: its regions per unit area
            print(note, file=sys.stderr)
        print(f"wrote {args.out} ({view.width}x{view.height}, {net.depth} x {net.width} {net.activation}, seed {net.seed})",
              file=sys.stderr)
    return 0
