"""The live viewer's state and the actions that change it: a plain state machine, no GL, no GLFW.

Keys map to named actions (KEYMAP); the window, the CLI and the tests call the
same actions by name (glslViewer-style commands). Key names are GLFW's without
the KEY_ prefix ("R", "UP", "LEFT_BRACKET"); a shifted key is "shift+NAME".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, Optional, Tuple

import numpy as np

from ..model import activations, colour as colours, inits
from ..errors import GlnnError
from ..model.network import BY_ACTIVATION, MAX_DEPTH, MAX_WIDTH, Network
from .interaction import SCALE_STEP, SCROLL_STEP, TIME_STEP, ZOOM_STEP
from ..model.view import View

WIDTH_STEPS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 30, 40, 48, 64, 80, 100, 120, 160, 200, 256, 300, 400, 512)


@dataclass
class ViewerState:
    """Everything the window shows. Side effects (screenshots, saving, quitting) are requests the window carries out."""

    net: Network = field(default_factory=Network)
    center: Tuple[float, float] = (0.0, 0.0)
    extent: float = 1.0
    time: float = 0.0
    playing: bool = False
    show_hud: bool = True
    show_help: bool = False
    fullscreen: bool = False
    requests: list = field(default_factory=list)   # "screenshot", "screenshot_4x", "save_network", "quit"
    home: Tuple[Tuple[float, float], float] = ((0.0, 0.0), 1.0)
    colour: Optional[str] = None                   # colour mode; None: the default for the channels
    custom_weights: bool = False                   # the user chose init, scale, bias or gain (a/A keep them)
    probe: Optional[str] = None                    # a probe kind (PROBES) shown instead of the outputs
    probe_layer: int = 1                           # the hidden layer `units` shows
    parents: list = field(default_factory=list)    # b made a child of each (B goes back: an undo stack)
    breeding: bool = False                         # k: the breed grid shows (GRID children; 1-9 pick one)

    @property
    def grid_seeds(self) -> Tuple[int, ...]:
        """The seeds of the children the breed grid shows (tile k: child k + 1), () while it is closed."""
        return child_seeds(self.net) if self.breeding else ()

    @property
    def outputs_colour_mode(self) -> str:
        """The colour mode of the network's outputs (the breed grid's): the chosen one where it fits, else the
        default (whatever probe is chosen)."""
        if self.colour is not None and colours.BY_NAME[self.colour].inputs == self.net.channels:
            return self.colour
        return colours.mode_for(self.net.channels).name

    @property
    def probe_text(self) -> Optional[str]:
        """The probe shown (glnn/rendering/probes.py syntax), or None: none chosen, or no hidden layer to probe."""
        if self.probe is None or self.net.depth < 2:
            return None
        if self.probe == "units":
            return f"units:{min(self.probe_layer, self.net.depth - 1)}"
        return self.probe

    def view(self, width: int, height: int) -> View:
        return View(width, height, self.center, self.extent, self.time)

    @property
    def colour_mode(self) -> str:
        """The colour mode shown: the chosen one where it fits the network's channels, else the default."""
        if self.probe_text is not None:
            return {"regions": "rgb", "saturation": "palette:magma"}.get(self.probe, "gray")
        return self.outputs_colour_mode


# ------------------------------------------------------------------ actions
def _net(state: ViewerState, **changes) -> None:
    if all(getattr(state.net, k) == v for k, v in changes.items()):
        return  # nothing changes: keep the network (and any weights loaded from a file)
    try:
        state.net = state.net.replace(**changes)
    except ValueError:
        pass  # out of range: stay where we are


def new_seed(s):
    _net(s, seed=(s.net.seed + 1) % (2 ** 63))


def prev_seed(s):
    _net(s, seed=(s.net.seed - 1) % (2 ** 63))


BREED_STRENGTH = 0.3   # b: how far a child moves toward its new seed (docs/lineage.md)
TAG_WINDOW_CHILD = 8   # a child's seed: stream [seed, 8, steps so far, children made here], 0 .. 999999


def breed_child(s):
    """A child of the network shown: mutated toward a new small seed by BREED_STRENGTH (its lineage grows one
    step); B goes back to its parent."""
    key = (s.net.seed, TAG_WINDOW_CHILD, len(s.net.lineage), len(s.parents))
    seed = int(np.random.Generator(np.random.PCG64(np.random.SeedSequence(list(key)))).integers(1_000_000))
    try:
        child = s.net.child(seed, BREED_STRENGTH)
    except GlnnError:
        return   # past the lineage's limits: stay
    s.parents.append(s.net)
    s.net = child


def breed_back(s):
    """Back to the parent of the child b (or a pick in the breed grid) made (undo); nothing when there is none."""
    if s.parents:
        s.net = s.parents.pop()


GRID = 9               # the breed grid's children: 3 x 3 tiles, keys 1-9
TAG_WINDOW_GRID = 9    # their seeds: stream [seed, 9, steps so far], GRID distinct draws of 0 .. 999999


def child_seeds(net: Network) -> Tuple[int, ...]:
    """The seeds of the breed grid's children of `net` (each net.child(seed, BREED_STRENGTH)): drawn from the
    network's seed and lineage length, so the same network (and B back to it) shows the same grid."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([net.seed, TAG_WINDOW_GRID, len(net.lineage)])))
    return tuple(int(x) for x in rng.choice(1_000_000, GRID, replace=False))


def toggle_breed_grid(s):
    """k: the breed grid (GRID children of the network shown, keys 1-9 pick one) on or off."""
    s.breeding = not s.breeding


def pick_child(s, k: int):
    """Child k (1 = the top-left tile) of the breed grid becomes the network (its lineage grows one step; B goes
    back to its parent); the grid stays open, showing the new network's children. Nothing while it is closed."""
    if not s.breeding:
        return
    try:
        child = s.net.child(child_seeds(s.net)[k - 1], BREED_STRENGTH)
    except GlnnError:
        return   # past the lineage's limits: stay
    s.parents.append(s.net)
    s.net = child


def _pick(k):
    def act(s):
        pick_child(s, k)
    act.__name__ = f"pick_child_{k}"
    return act


def close_or_quit(s):
    """Esc: close the breed grid; quit when it is not shown."""
    if s.breeding:
        s.breeding = False
    else:
        s.requests.append("quit")


def deeper(s):
    _net(s, depth=min(MAX_DEPTH, s.net.depth + 1))


def shallower(s):
    _net(s, depth=max(1, s.net.depth - 1))


def wider(s):
    _net(s, width=next((w for w in WIDTH_STEPS if w > s.net.width), MAX_WIDTH))


def narrower(s):
    _net(s, width=next((w for w in reversed(WIDTH_STEPS) if w < s.net.width), 1))


def _cycle(seq, value, step):
    i = seq.index(value) if value in seq else -1
    return seq[(i + step) % len(seq)]


def _activation(s, step):
    """The next activation, with its own default init and scales unless the user chose them."""
    new = _cycle(activations.HIDDEN_CHOICES, s.net.activation, step)
    if s.custom_weights:
        _net(s, activation=new)
    else:
        _net(s, activation=new, **dict.fromkeys(BY_ACTIVATION))


def next_activation(s):
    _activation(s, 1)


def prev_activation(s):
    _activation(s, -1)


# the input feature sets the x / X keys go round (glnn/model/architecture.py): the plane, radial symmetry, a
# constant input, radial only, mirror symmetry
FEATURE_SETS = ("x,y", "x,y,r", "x,y,r,bias", "r,bias", "ax,ay,r")


def _features(s, step):
    """The next feature set (after the current one, or the first if it is none of them) that fits the inputs."""
    seq = FEATURE_SETS
    i = seq.index(s.net.features) if s.net.features in seq else (-1 if step > 0 else 0)
    for k in range(1, len(seq) + 1):
        candidate = seq[(i + k * step) % len(seq)]
        try:
            s.net = s.net.replace(features=candidate)
            return
        except ValueError:
            continue   # too many inputs with the extra time-driven ones: the next set


def next_features(s):
    _features(s, 1)


def prev_features(s):
    _features(s, -1)


def next_init(s):
    s.custom_weights = True
    _net(s, init=_cycle(inits.NAMES, s.net.init, 1))


def _scale_by(s, f):
    s.custom_weights = True
    if inits.uses_gain(s.net.init):
        _net(s, gain=s.net.gain * f)
    else:
        _net(s, scale=s.net.scale * f)  # a bias scale tied to the scale (None) follows it


def scale_up(s):
    _scale_by(s, SCALE_STEP)


def scale_down(s):
    _scale_by(s, 1 / SCALE_STEP)


def edge_of_chaos(s):
    """The weight scale (gain for he, glorot) on the edge of chaos for this network (glnn/model/theory.py); none for
    mix: nothing changes (the viewer says so)."""
    try:
        s.net = s.net.replace(**{"gain" if inits.uses_gain(s.net.init) else "scale": "critical"})
    except GlnnError:
        return
    s.custom_weights = True


def bias_up(s):
    s.custom_weights = True
    _net(s, bias_scale=s.net.effective_bias_scale * SCALE_STEP)


def bias_down(s):
    s.custom_weights = True
    _net(s, bias_scale=s.net.effective_bias_scale / SCALE_STEP)


def zoom_in(s):
    s.extent = max(1e-6, s.extent / ZOOM_STEP)


def zoom_out(s):
    s.extent = min(1e6, s.extent * ZOOM_STEP)


def reset_view(s):
    s.center, s.extent = s.home


def toggle_play(s):
    s.playing = not s.playing and s.net.inputs > 2


def time_forward(s):
    s.time += TIME_STEP


def time_back(s):
    s.time -= TIME_STEP


def toggle_channels(s):
    _net(s, channels=1 if s.net.channels == 3 else 3)


def _cycle_colour(s, step):
    fitting = [m.name for m in colours.TABLE if m.inputs == s.net.channels]
    s.colour = _cycle(fitting, s.colour_mode, step)


def next_colour(s):
    _cycle_colour(s, 1)


def prev_colour(s):
    _cycle_colour(s, -1)


PROBES = (None, "units", "regions", "saturation")


def next_probe(s):
    s.probe = _cycle(PROBES, s.probe, 1)


def _probe_layer(s, step):
    s.probe_layer = max(1, min(s.net.depth - 1, min(s.probe_layer, s.net.depth - 1) + step))


def next_probe_layer(s):
    _probe_layer(s, 1)


def prev_probe_layer(s):
    _probe_layer(s, -1)


def toggle_hud(s):
    s.show_hud = not s.show_hud


def toggle_help(s):
    s.show_help = not s.show_help


def toggle_fullscreen(s):
    s.fullscreen = not s.fullscreen


def _request(name):
    def act(s):
        s.requests.append(name)
    act.__name__ = name
    return act


ACTIONS: Dict[str, Callable[[ViewerState], None]] = {
    "new_seed": new_seed, "prev_seed": prev_seed, "deeper": deeper, "shallower": shallower,
    "wider": wider, "narrower": narrower, "next_activation": next_activation, "prev_activation": prev_activation,
    "next_features": next_features, "prev_features": prev_features,
    "next_init": next_init, "scale_up": scale_up, "scale_down": scale_down, "edge_of_chaos": edge_of_chaos, "bias_up": bias_up,
    "bias_down": bias_down, "zoom_in": zoom_in, "zoom_out": zoom_out, "reset_view": reset_view,
    "toggle_play": toggle_play, "time_forward": time_forward, "time_back": time_back,
    "toggle_channels": toggle_channels, "next_colour": next_colour, "prev_colour": prev_colour,
    "toggle_hud": toggle_hud, "toggle_help": toggle_help, "next_probe": next_probe,
    "next_probe_layer": next_probe_layer, "prev_probe_layer": prev_probe_layer,
    "breed_child": breed_child, "breed_back": breed_back, "toggle_breed_grid": toggle_breed_grid,
    **{f"pick_child_{k}": _pick(k) for k in range(1, GRID + 1)}, "close_or_quit": close_or_quit,
    "toggle_fullscreen": toggle_fullscreen, "screenshot": _request("screenshot"),
    "screenshot_4x": _request("screenshot_4x"), "save_network": _request("save_network"), "quit": _request("quit"),
}

# key name (GLFW's, without KEY_) -> action. "shift+X" is X with shift held.
KEYMAP: Dict[str, str] = {
    "R": "new_seed", "SPACE": "new_seed", "shift+R": "prev_seed",
    "UP": "deeper", "DOWN": "shallower", "RIGHT": "wider", "LEFT": "narrower",
    "A": "next_activation", "shift+A": "prev_activation", "I": "next_init",
    "X": "next_features", "shift+X": "prev_features",
    "RIGHT_BRACKET": "scale_up", "LEFT_BRACKET": "scale_down", "E": "edge_of_chaos",
    "shift+RIGHT_BRACKET": "bias_up", "shift+LEFT_BRACKET": "bias_down",
    "EQUAL": "zoom_in", "shift+EQUAL": "zoom_in", "KP_ADD": "zoom_in", "MINUS": "zoom_out", "KP_SUBTRACT": "zoom_out",
    "0": "reset_view", "KP_0": "reset_view",
    "T": "toggle_play", "PERIOD": "time_forward", "COMMA": "time_back",
    "C": "toggle_channels", "M": "next_colour", "shift+M": "prev_colour", "S": "screenshot", "shift+S": "screenshot_4x", "N": "save_network",
    "F": "toggle_fullscreen", "Q": "quit", "ESCAPE": "close_or_quit",
    "P": "next_probe", "L": "next_probe_layer", "shift+L": "prev_probe_layer",
    "H": "toggle_help", "F1": "toggle_help", "TAB": "toggle_hud",
    "B": "breed_child", "shift+B": "breed_back", "K": "toggle_breed_grid",
    **{str(k): f"pick_child_{k}" for k in range(1, GRID + 1)}, **{f"KP_{k}": f"pick_child_{k}" for k in range(1, GRID + 1)},
}

HELP = [
    ("r / space", "new seed (R: previous)"), ("Up / Down", "one layer more / less (same network)"),
    ("Right / Left", "wider / narrower"), ("a / A", "next / previous activation"), ("i", "next init"),
    ("x / X", f"next / previous input features ({' -> '.join(FEATURE_SETS)})"),
    ("] / [", f"weight scale up / down (gain for {', '.join(i.name for i in inits.TABLE if i.uses_gain)})"), ("} / {", "bias scale up / down"),
    ("e", "weight scale (gain) on the edge of chaos"),
    ("b / B", f"a child: mutated {BREED_STRENGTH:g} toward a new seed (its lineage) / back to its parent"),
    ("k", f"breed grid: {GRID} children ({BREED_STRENGTH:g} toward new seeds) to pick from, on / off"),
    ("1-9", "in the breed grid: that child becomes the network; B goes back to its parent"),
    ("drag", "pan"), ("scroll", "zoom about the cursor"), ("+ / -", "zoom about the centre"), ("0", "reset the view"),
    ("t", "play / pause time (inputs > 2)"), (". / ,", "step time"), ("c", "1 or 3 channels"), ("m / M", "next / previous colour mode"),
    ("p", "probe: hidden units of a layer, linear regions, saturation, off"), ("l / L", "probe the next / previous layer"),
    ("s", "screenshot"), ("S", "4x screenshot"), ("n", "save the network (.npz)"), ("f", "fullscreen"),
    ("Tab", "heads-up display"), ("h / F1", "this help"), ("q / Esc", "quit (Esc: close the breed grid first)"),
]


def action_for_key(name: str, shift: bool = False) -> Optional[str]:
    if shift and f"shift+{name}" in KEYMAP:
        return KEYMAP[f"shift+{name}"]
    return KEYMAP.get(name)


def apply(state: ViewerState, action: str) -> ViewerState:
    ACTIONS[action](state)
    return state


# ------------------------------------------------------------------- mouse
def pan(state: ViewerState, dx_pixels: float, dy_pixels: float, width: int, height: int) -> None:
    """Drag by (dx, dy) window pixels (y down): the picture follows the cursor."""
    s = 2.0 * state.extent / min(width, height)
    state.center = (state.center[0] - dx_pixels * s, state.center[1] + dy_pixels * s)


def zoom_at(state: ViewerState, px: float, py: float, notches: float, width: int, height: int) -> None:
    """Zoom by SCROLL_STEP per notch (positive: in) keeping the input point under pixel (px, py) fixed."""
    view = state.view(width, height)
    x, y = view.coords(py - 0.5, px - 0.5)  # the point under the cursor
    factor = SCROLL_STEP ** (-notches)
    new_extent = min(1e6, max(1e-6, state.extent * factor))
    f = new_extent / state.extent
    state.center = (float(x - (x - state.center[0]) * f), float(y - (y - state.center[1]) * f))
    state.extent = new_extent


def status_line(state: ViewerState) -> str:
    n = state.net
    scale = f"gain {n.gain:.3g}" if inits.uses_gain(n.init) else f"scale {n.scale:.3g}"
    t = f", t {state.time:.2f}" if n.inputs > 2 else ""
    gen = f" (child, generation {len(n.lineage)})" if n.lineage else ""
    return (f"seed {n.seed}{gen}, {n.depth} x {n.width} {n.activation}, inputs {n.features}, {n.init} {scale}, bias {n.effective_bias_scale:.3g}, "
            f"{n.channels}ch {state.colour_mode}, centre {state.center[0]:.3g},{state.center[1]:.3g}, "
            f"extent {state.extent:.3g}{t}" + (f", probe {state.probe_text}" if state.probe_text else ""))
