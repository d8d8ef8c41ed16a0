"""Slices of a 7-input network (x, y and five time-driven z_j) at a few times, side by side.

    python examples/seven_dimensions.py [OUT_DIR]
"""
import sys
from pathlib import Path

from PIL import Image

import glnn

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
net = glnn.Network(seed=2, depth=10, width=24, inputs=7, scale=0.7)
times = [0.0, 0.8, 1.6, 2.4]
strip = Image.new("RGB", (len(times) * 130 - 2, 128), "white")
for i, t in enumerate(times):
    strip.paste(glnn.render_image(net, size=(128, 128), time=t), (i * 130, 0))
strip.save(out / "seven_dimensions.png")
print(f"wrote {out / 'seven_dimensions.png'}")
