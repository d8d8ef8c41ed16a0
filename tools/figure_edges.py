#!/usr/bin/env python3
"""Edge density of glnn's figures beside the article's (issues 23 and 36): every figure that has a reference copy
in ../shared/reference/images/, panel by panel, with tests/edge_density.py.

    PYTHONPATH=$PWD python tools/figure_edges.py                 # all of them
    PYTHONPATH=$PWD python tools/figure_edges.py --only 6,14     # some
    PYTHONPATH=$PWD python tools/figure_edges.py --originals DIR # also against the article's own PNGs

The reference's panels are found by its white gutters; glnn's are rendered (cpu backend) at the reference panel's
size, so both are measured at one resolution. A figure's ratio is the geometric mean of its panels' ratios
(glnn / article); figure 14's rows are reported apart. Three columns of ratios:

- copy: glnn's PNG panels against the JPEG copies, as issue 36 measured;
- jpeg: glnn's panels saved as the copies were (JPEG, quality 90) first: the copies' JPEG noise adds edge density
  to smooth pictures (figure 14's relu row: 0.54, 0.51, 0.79, 1.59 as PNG, 0.61, 0.73, 1.10, 2.25 once saved at
  quality 90, the copy's 0.61, 0.74, 1.14, 2.27);
- orig: against the article's own PNGs (--originals: a folder with randnn/images of github.com/tylerneylon/math),
  read through their ICC profiles into sRGB as a browser shows them, scaled to the copies' size. Figure 6's
  original carries a Mac "Display" profile: its copy lost it, so its one-colour panels read tinted (pure red as
  (236, 50, 36)) and measure brighter than the pure primaries its readers see.
"""
import argparse
import io
import os
import sys

import numpy as np
from PIL import Image, ImageCms

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]

from edge_density import REFERENCE, edge_density, geomean, jpeg, reference_panels  # noqa: E402
from glnn.article import figures  # noqa: E402
from glnn.article.figures import BY_NUMBER  # noqa: E402
from glnn.rendering.engine import default_engine  # noqa: E402

FILES = {1: "fig01_randnn2.jpg", 6: "fig06_rgb_added.jpg", 7: "fig07_typical1layers.jpg",
         8: "fig08_typical2layers.jpg", 9: "fig09_inc_depth.jpg", 14: "fig14_tanh_vs_relu.jpg",
         18: "fig18_input_scale.jpg", 19: "fig19_weight_scale.jpg"}
ORIGINALS = {1: "randnn2.png", 6: "rgb_added@2x.png", 7: "typical1layers@2x.png", 8: "typical2layers@2x.png",
             9: "inc_depth@2x.png", 14: "fig14@2x.png", 18: "fig18@2x.png", 19: "fig19@2x.png"}


def as_shown(path, width):
    """An original PNG as a browser shows it: through its ICC profile into sRGB, on white, `width` pixels wide."""
    im = Image.open(path)
    icc = im.info.get("icc_profile")
    if im.mode == "RGBA":
        white = Image.new("RGBA", im.size, "white")
        im = Image.alpha_composite(white, im)
    im = im.convert("RGB")
    if icc:
        im = ImageCms.profileToProfile(im, ImageCms.ImageCmsProfile(io.BytesIO(icc)), ImageCms.createProfile("sRGB"))
    return im.resize((width, round(im.height * width / im.width)), Image.LANCZOS)


def glnn_panels(number, sizes, engine):
    specs = BY_NUMBER[number].panel_specs()
    return specs, [np.asarray(figures.panel_image(spec, (s.shape[1], s.shape[0]), engine, backend="cpu")[0]
                              .convert("RGB")) for spec, s in zip(specs, sizes)]


def measure(number, engine, originals=None):
    """Rows of (group, copy's, original's or None, glnn's, glnn's through JPEG) densities per panel."""
    copy = Image.open(os.path.join(REFERENCE, FILES[number]))
    refs = reference_panels(copy)
    origs = reference_panels(as_shown(os.path.join(originals, ORIGINALS[number]), copy.width)) if originals else None
    specs, ours = glnn_panels(number, refs, engine)
    if len(specs) != len(refs) or (origs and len(origs) != len(refs)):
        raise SystemExit(f"figure {number}: {len(refs)} reference panels ({origs and len(origs)} in the original), "
                         f"{len(specs)} glnn panels")
    out = []
    for k, (spec, ref, mine) in enumerate(zip(specs, refs, ours)):
        group = f"{number}" if number != 14 else f"14 {spec['activation']}"
        out.append((group, edge_density(ref), edge_density(origs[k]) if origs else None, edge_density(mine),
                    edge_density(jpeg(mine))))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", help="figure numbers, like 6,14")
    ap.add_argument("--originals", metavar="DIR", help="the article's PNGs (randnn/images of tylerneylon/math)")
    ap.add_argument("--panels", action="store_true", help="every panel's numbers too")
    args = ap.parse_args(argv)
    numbers = [int(n) for n in args.only.split(",")] if args.only else sorted(FILES)
    engine = default_engine()
    print(f"{'figure':<8} {'panels':>6} | {'copy':>5} {'orig':>5} {'glnn':>5} | ratio: {'copy':>5} {'jpeg':>5} "
          f"{'orig':>5} | panels' ratios to the {'originals' if args.originals else 'copy (jpeg)'}")
    for number in numbers:
        rows = measure(number, engine, args.originals)
        for group in dict.fromkeys(r[0] for r in rows):
            g = [r for r in rows if r[0] == group]
            orig = geomean([r[3] / r[2] for r in g]) if args.originals else float("nan")
            each = [r[3] / r[2] for r in g] if args.originals else [r[4] / r[1] for r in g]
            print(f"{group:<8} {len(g):>6} | {np.mean([r[1] for r in g]):5.2f} "
                  f"{np.mean([r[2] for r in g]) if args.originals else float('nan'):5.2f} "
                  f"{np.mean([r[3] for r in g]):5.2f} | {'':6} {geomean([r[3] / r[1] for r in g]):5.2f} "
                  f"{geomean([r[4] / r[1] for r in g]):5.2f} {orig:5.2f} | "
                  f"{' '.join(f'{x:.2f}' for x in each) if len(g) <= 10 else ''}")
            if args.panels:
                for r in g:
                    print(f"{'':<15} | {r[1]:5.2f} {r[2] or float('nan'):5.2f} {r[3]:5.2f} | jpeg {r[4]:5.2f}")


if __name__ == "__main__":
    main()
