"""`glnn view`: explore a network live in a window (keyboard and mouse)."""
from __future__ import annotations

import os
import sys

from ..errors import GlnnError
from ..model.network import BY_ACTIVATION
from .flags import add_request_flags, command_parser, resolve

EXAMPLES = """\
  glnn view
  glnn view --depth 27 --width 30 --extent 2.6
  glnn view --inputs 7 --size 640x480   (t plays time)
  glnn view --network slice.npz --screenshot-dir shots
  glnn view --activation relu --depth 4 --width 16 --probe regions   (linear regions; p cycles the probes)

keys: r/space new seed (R previous), Up/Down depth, Right/Left width, a/A activation,
  x/X input features (x,y -> x,y,r -> x,y,r,bias -> r,bias -> ax,ay,r), i init,
  ]/[ scale, e edge of chaos, b/B a child (docs/lineage.md) / its parent,
  k breed grid (9 children; 1-9 picks one, k or Esc closes), }/{ bias scale, drag pan, scroll zoom, +/- zoom, 0 reset, t play time,
  ./, step time, c channels, m/M colour mode, p probe (units, regions, saturation, off),
  l/L probe layer, s screenshot, S 4x screenshot, n save network, f fullscreen, Tab HUD,
  h/F1 help, q/Esc quit (Esc closes the breed grid first)
"""


def register(sub) -> None:
    v = command_parser(sub, "view", "explore a network live in a window (keyboard and mouse)",
                       "Open a window that shows the network and changes the moment a key is pressed. "
                       "Press h in the window for every key.",
                       "examples:\n" + EXAMPLES)
    add_request_flags(v, default_size=(800, 800))
    v.add_argument("--probe", metavar="PROBE",
                   help="start on a probe of the hidden units instead of the outputs (the p key cycles them): "
                        "units:K (every unit of hidden layer K, from 1; l/L change K), unit:K:J (unit J of layer K), "
                        "regions (the activation patterns: a relu network's linear regions), saturation (the "
                        "fraction of saturated units); none: the outputs (with --from a probe picture)")
    v.add_argument("--screenshot-dir", default=".", metavar="DIR", help="where s, S and n write (default: here)")
    v.set_defaults(func=run)


def run(args) -> int:
    from ..app.controls import ViewerState
    from ..app.window import run_window

    if not os.path.isdir(args.screenshot_dir):
        raise GlnnError(f"--screenshot-dir {args.screenshot_dir!r} is not a folder")
    # bad flags are reported before a missing display; the window's size: --size, else the --from picture's,
    # else 800x800; the window makes the process's one GL context: nothing here may make another (so no engine)
    recipe = resolve(args, probes=True)
    net, view = recipe.network, recipe.view
    probe, probe_layer = recipe.probe, 1
    if probe and probe.startswith("units:"):   # the window's units probe keeps its layer apart (l/L change it)
        probe, probe_layer = "units", int(probe.split(":")[1])
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise GlnnError("no display (DISPLAY is not set): glnn view needs a window; use glnn render for files")
    state = ViewerState(net=net, center=view.center, extent=view.extent, time=view.time,
                        home=(view.center, view.extent), colour=recipe.colour, probe=probe, probe_layer=probe_layer,
                        custom_weights=bool(args.source or args.network or any(
                            getattr(args, k) is not None for k in BY_ACTIVATION)))
    return run_window(state, view.size, args.screenshot_dir, backend=recipe.backend,
                      log=lambda m: print(m, flush=True), supersample=recipe.supersample)
