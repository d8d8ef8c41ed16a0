"""The viewer's state machine: keys -> actions -> state, without GL or GLFW."""
import copy
import math
import re

import numpy as np
import pytest

from glnn import Network, View
from glnn.model import activations, colour
from glnn.app import controls as c


HIDDEN = activations.HIDDEN_CHOICES   # a/A go through the activation table, in its order, round


def after(seq, value, step):
    return seq[(seq.index(value) + step) % len(seq)]


def state(**net):
    return c.ViewerState(net=Network(seed=5, depth=10, width=30, **net))


# How the help writes a key (its left column), in GLFW's names (KEYMAP's): a letter is the key, its capital the
# key with shift; symbols are the keys that type them on a US keyboard. Mouse gestures are not keys.
HELP_KEYS = {"space": "SPACE", "Up": "UP", "Down": "DOWN", "Right": "RIGHT", "Left": "LEFT", "]": "RIGHT_BRACKET",
             "[": "LEFT_BRACKET", "}": "shift+RIGHT_BRACKET", "{": "shift+LEFT_BRACKET", "+": "shift+EQUAL",
             "-": "MINUS", ".": "PERIOD", ",": "COMMA", "Tab": "TAB", "Esc": "ESCAPE", "F1": "F1", "0": "0"}
MOUSE = {"drag": c.pan, "scroll": c.zoom_at}


def help_keys():
    """(KEYMAP name, the help's description) for every key the help names."""
    out = []
    for keys, text in c.HELP:
        # "r / space" names two keys; "new seed (R: previous)" a third, in the description
        for k in keys.split(" / ") + re.findall(r"\((\S+): ", text):
            if k in MOUSE:
                continue
            if re.fullmatch(r"\d-\d", k):   # "1-9": the digit keys from 1 to 9
                out += [(str(d), text) for d in range(int(k[0]), int(k[2]) + 1)]
                continue
            name = HELP_KEYS.get(k) or (k.upper() if len(k) == 1 and k.islower() else
                                        f"shift+{k}" if len(k) == 1 and k.isupper() else None)
            assert name is not None, f"the help names a key the test cannot read: {k!r}"
            out.append((name, text))
    return out


def busy_state():
    """A state where every action shows: time inputs, a zoomed and panned view, a probe on a middle layer."""
    s = state(inputs=3)
    s.center, s.extent, s.probe, s.probe_layer = (0.5, -0.25), 2.0, "units", 4
    s.parents = [Network(seed=5, depth=10, width=30, inputs=3).child(7, 0.3)]   # B (back to a parent) shows
    s.breeding = True   # the breed grid: 1-9 pick, k and Esc close it
    return s


def test_every_key_maps_to_a_known_action_and_help_lists_them():
    assert set(c.KEYMAP.values()) <= set(c.ACTIONS)
    assert set(c.ACTIONS) == set(c.KEYMAP.values())   # every action has a key
    listed = help_keys()
    # every key the help names does something: it has an action, and the action changes the state
    for name, text in listed:
        assert name in c.KEYMAP, f"the help says {name} does '{text}' but no key does"
        action = c.KEYMAP[name]
        s = busy_state()
        before = copy.deepcopy(s)
        c.apply(s, action)
        assert s != before, f"{name} ({action}) changes nothing"
    # every action is in the help, and under one of its keys
    helped = {c.KEYMAP[name] for name, _ in listed}
    assert helped == set(c.ACTIONS), f"actions missing from the help: {sorted(set(c.ACTIONS) - helped)}"
    # keys that share an action share a line of the help: the help does not promise two things of one action
    line_of = {}
    for name, text in listed:
        assert line_of.setdefault(c.KEYMAP[name], text) == text, (name, text)
    assert all(callable(f) for f in MOUSE.values())


@pytest.mark.parametrize("key,shift,field,before,after", [
    ("R", False, "seed", 5, 6), ("SPACE", False, "seed", 5, 6), ("R", True, "seed", 5, 4),
    ("UP", False, "depth", 10, 11), ("DOWN", False, "depth", 10, 9),
    ("RIGHT", False, "width", 30, 40), ("LEFT", False, "width", 30, 24),
    ("A", False, "activation", "tanh", after(HIDDEN, "tanh", 1)),
    ("A", True, "activation", "tanh", after(HIDDEN, "tanh", -1)), ("C", False, "channels", 3, 1),
])
def test_network_keys(key, shift, field, before, after):
    s = state()
    assert getattr(s.net, field) == before
    c.apply(s, c.action_for_key(key, shift))
    assert getattr(s.net, field) == after


def test_init_key_goes_round_every_init():
    s = state()
    start, seen = s.net.init, []
    while True:
        c.apply(s, c.action_for_key("I"))
        seen.append(s.net.init)
        if s.net.init == start or len(seen) > 20:
            break
    assert seen[-1] == start and len(seen) == len(set(seen)) >= 4   # every init once, then the first again
    for init in seen:
        assert Network(init=init).init == init


def test_scale_and_bias_keys_are_geometric_and_keep_draws():
    s = state()
    c.apply(s, c.action_for_key("RIGHT_BRACKET"))
    assert math.isclose(s.net.scale, 0.8 * c.SCALE_STEP) and s.net.bias_scale is None
    c.apply(s, c.action_for_key("LEFT_BRACKET"))
    assert math.isclose(s.net.scale, 0.8)
    c.apply(s, c.action_for_key("RIGHT_BRACKET", shift=True))   # }
    assert math.isclose(s.net.bias_scale, 0.8 * c.SCALE_STEP) and math.isclose(s.net.scale, 0.8)
    he = state(init="he")
    c.apply(he, "scale_up")
    assert math.isclose(he.net.gain, c.SCALE_STEP)


def test_depth_and_width_clamp_at_limits():
    s = c.ViewerState(net=Network(depth=1, width=1))
    c.apply(s, "shallower")
    c.apply(s, "narrower")
    assert (s.net.depth, s.net.width) == (1, 1)
    s = c.ViewerState(net=Network(depth=64, width=512))
    c.apply(s, "deeper")
    c.apply(s, "wider")
    assert (s.net.depth, s.net.width) == (64, 512)


def test_zoom_keys_and_reset():
    s = state()
    c.apply(s, c.action_for_key("EQUAL", shift=True))
    assert s.extent < 1
    c.apply(s, "zoom_out")
    c.apply(s, "zoom_out")
    assert s.extent > 1
    s.center = (3.0, 4.0)
    c.apply(s, c.action_for_key("0"))
    assert s.center == (0.0, 0.0) and s.extent == 1.0


def test_scroll_zooms_about_the_cursor():
    s = state()
    W, H = 200, 100
    px, py = 150.0, 20.0
    before = View(W, H, s.center, s.extent).coords(py - 0.5, px - 0.5)
    c.zoom_at(s, px, py, 3, W, H)
    assert s.extent < 1
    after = View(W, H, s.center, s.extent).coords(py - 0.5, px - 0.5)
    assert math.isclose(before[0], after[0], abs_tol=1e-12) and math.isclose(before[1], after[1], abs_tol=1e-12)


def test_drag_pans_with_the_cursor():
    s = state()
    c.pan(s, 50, 0, 100, 100)    # drag right by half the window: the picture follows, centre moves left
    assert math.isclose(s.center[0], -1.0) and s.center[1] == 0
    c.pan(s, 0, 50, 100, 100)    # drag down: centre moves up
    assert math.isclose(s.center[1], 1.0)


def test_time_keys_and_play_only_with_extra_inputs():
    s = state()
    c.apply(s, "toggle_play")
    assert not s.playing
    s = state(inputs=7)
    c.apply(s, c.action_for_key("T"))
    assert s.playing
    c.apply(s, c.action_for_key("PERIOD"))
    c.apply(s, c.action_for_key("PERIOD"))
    c.apply(s, c.action_for_key("COMMA"))
    assert math.isclose(s.time, c.TIME_STEP)


def test_requests_and_toggles():
    s = state()
    for key, shift in [("S", False), ("S", True), ("N", False), ("Q", False), ("ESCAPE", False)]:
        c.apply(s, c.action_for_key(key, shift))
    assert s.requests == ["screenshot", "screenshot_4x", "save_network", "quit", "quit"]
    for key in ("TAB", "H", "F"):
        c.apply(s, c.action_for_key(key))
    assert (s.show_hud, s.show_help, s.fullscreen) == (False, True, True)


def test_unchanged_value_keeps_loaded_weights(tmp_path):
    net = Network(seed=2, depth=3, width=4)
    net.save(tmp_path / "n.npz")
    s = c.ViewerState(net=Network.load(tmp_path / "n.npz"))
    c.apply(s, "shallower")
    c.apply(s, "deeper")   # a real change regenerates from the seed: same network
    assert s.net.depth == 3 and (s.net.layers[0].W == net.layers[0].W).all()


def test_status_line():
    line = c.status_line(state(inputs=4))
    assert "seed 5" in line and "10 x 30 tanh" in line and "t 0.00" in line


def test_colour_modes_cycle_within_the_channels():
    s = state()
    assert s.colour_mode == "rgb"
    fitting = [m.name for m in colour.TABLE if m.inputs == 3]
    seen = []
    for _ in range(len(fitting) + 1):
        c.apply(s, c.action_for_key("M"))
        seen.append(s.colour_mode)
    # every 3-channel mode once, in the table's order, starting after rgb, and round again
    i = fitting.index("rgb")
    assert seen == fitting[i + 1:] + fitting[:i + 1] + [after(fitting, "rgb", 1)]
    c.apply(s, c.action_for_key("M", shift=True))
    assert s.colour_mode == seen[-2]
    c.apply(s, "toggle_channels")          # a 3-channel mode does not fit one channel: the default shows
    assert s.colour_mode == "gray" and "1ch gray" in c.status_line(s)
    c.apply(s, "next_colour")
    assert s.colour_mode == after([m.name for m in colour.TABLE if m.inputs == 1], "gray", 1)


def test_activation_keys_take_each_activations_defaults_unless_the_user_chose():
    s = c.ViewerState(net=Network(seed=5))
    c.apply(s, "next_activation")      # tanh -> the next activation, with that activation's defaults
    second = after(HIDDEN, "tanh", 1)
    d = activations.DEFAULTS[second]
    assert s.net.activation == second and (s.net.init, s.net.scale, s.net.bias_scale) == (d.init, d.scale,
                                                                                             d.bias_scale)
    c.apply(s, "scale_up")               # the user chose a scale: the next activation keeps it
    chosen = (s.net.init, s.net.scale, s.net.gain)
    c.apply(s, "next_activation")
    assert s.net.activation == after(HIDDEN, second, 1) and (s.net.init, s.net.scale, s.net.gain) == chosen


def test_feature_keys_go_round_the_feature_sets_and_keep_the_hidden_layers():
    s = state()
    hidden = s.net.layers[1].W.copy()
    seen = []
    for _ in range(len(c.FEATURE_SETS)):
        c.apply(s, c.action_for_key("X"))
        seen.append(s.net.features)
    # x,y -> x,y,r -> x,y,r,bias -> r,bias -> ax,ay,r -> x,y: every set once, then the first again
    assert seen == ["x,y,r", "x,y,r,bias", "r,bias", "ax,ay,r", "x,y"] == list(c.FEATURE_SETS[1:] + c.FEATURE_SETS[:1])
    c.apply(s, c.action_for_key("X"))
    assert s.net.features == "x,y,r" and s.net.layers[0].W.shape == (30, 3) and "inputs x,y,r" in c.status_line(s)
    assert (s.net.layers[1].W == hidden).all() and s.net.seed == 5   # the same network, another input layer
    c.apply(s, c.action_for_key("X", shift=True))
    c.apply(s, c.action_for_key("X", shift=True))
    assert s.net.features == "ax,ay,r"
    # with 14 time-driven inputs only the sets of two features fit (16 inputs in all): the others are passed
    s = state(inputs=16)
    c.apply(s, "next_features")
    assert s.net.features == "r,bias"
    c.apply(s, "next_features")
    assert s.net.features == "x,y"
    c.apply(s, "prev_features")
    assert s.net.features == "r,bias"
    s = state(features="bias,x")   # a set not in the cycle: x starts it, X ends it
    c.apply(s, "next_features")
    assert s.net.features == "x,y"
    s = state(features="bias,x")
    c.apply(s, "prev_features")
    assert s.net.features == "ax,ay,r"


def test_b_breeds_a_child_and_shift_b_goes_back():
    from glnn.model import lineage as L
    s = c.ViewerState(net=Network(seed=4, depth=5, width=8))
    start = s.net
    c.apply(s, c.action_for_key("B"))
    first = s.net
    assert first.lineage and isinstance(first.lineage[-1], L.Mutate) and first.lineage[-1].strength == 0.3
    assert first.seed == 4 and "generation 1" in c.status_line(s)
    c.apply(s, c.action_for_key("B"))
    assert len(s.net.lineage) == 2 and s.net.lineage[:1] == first.lineage
    c.apply(s, c.action_for_key("B", shift=True))
    assert s.net == first
    c.apply(s, c.action_for_key("B", shift=True))
    c.apply(s, c.action_for_key("B", shift=True))   # nothing left to undo: stays
    assert s.net == start


def test_k_shows_a_breed_grid_whose_keys_pick_a_child_and_shift_b_goes_back():
    s = c.ViewerState(net=Network(seed=4, depth=5, width=8))
    start = s.net
    c.apply(s, c.action_for_key("1"))   # no grid: the digits do nothing
    assert s.net == start and not s.parents and s.grid_seeds == ()
    c.apply(s, c.action_for_key("K"))
    # the children's seeds: GRID distinct draws of 0 .. 999999 from stream [seed, 9, lineage length]
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([4, 9, 0])))
    want = tuple(int(x) for x in rng.choice(1_000_000, 9, replace=False))
    assert s.breeding and s.grid_seeds == want and len(set(want)) == 9
    c.apply(s, c.action_for_key("3"))
    assert s.net == start.child(want[2], c.BREED_STRENGTH) and s.parents == [start]
    assert s.breeding and s.grid_seeds == c.child_seeds(s.net) != want   # the grid shows the child's children
    mid = s.net
    c.apply(s, c.action_for_key("KP_9"))   # the keypad's digits too
    assert s.net == mid.child(c.child_seeds(mid)[8], 0.3) and len(s.net.lineage) == 2
    c.apply(s, c.action_for_key("B", shift=True))   # back to the parent: its grid again, the same seeds
    c.apply(s, c.action_for_key("B", shift=True))
    assert s.net == start and s.grid_seeds == want and s.breeding
    c.apply(s, c.action_for_key("K"))   # k closes it
    assert not s.breeding and s.grid_seeds == () and not s.requests
    c.apply(s, c.action_for_key("K"))
    c.apply(s, c.action_for_key("ESCAPE"))   # Esc closes the grid before it quits
    assert not s.breeding and not s.requests
    c.apply(s, c.action_for_key("ESCAPE"))
    assert s.requests == ["quit"]
