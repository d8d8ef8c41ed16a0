"""The Python API in a dozen lines: one network, deeper and deeper, saved and loaded back.

    python examples/api_tour.py [OUT_DIR]
"""
import sys
from pathlib import Path

import glnn

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
net = glnn.Network(seed=7, depth=4, width=30, scale=0.8)
for depth in (4, 12, 27):  # the same network: deeper keeps the earlier layers
    glnn.render_image(net.replace(depth=depth), size=(256, 256)).save(out / f"depth{depth:02d}.png")
net.save(out / "net.npz")
again = glnn.Network.load(out / "net.npz")
pixels = glnn.render(again, size=(64, 64), extent=2.6)  # float32 (H, W, 3), row 0 at the top
print(f"wrote {out}/depth04.png, depth12.png, depth27.png, net.npz; mean colour {pixels.mean(axis=(0, 1)).round(3)}")
