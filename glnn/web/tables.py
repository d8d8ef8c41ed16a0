"""glnn's tables as data for the front end (glnn/web/*.js): web_tables() is shipped in every page's spec and
handed to node's tests, so the JavaScript holds no copy of any of them; web_keys() is the window's key table
(glnn/app/controls.py KEYMAP) in a browser's key names; HASH_NAMES, the playground's URL words."""
from __future__ import annotations

import math

from ..app.controls import KEYMAP
from ..model import activations, architecture, inits
from ..model.network import HYPERPARAMETERS

HASH_NAMES = (("seed", "seed"), ("depth", "depth"), ("width", "width"), ("channels", "channels"),
              ("inputs", "inputs"), ("features", "features"), ("activation", "activation"), ("output_activation", "output-activation"),
              ("init", "init"), ("scale", "scale"), ("bias_scale", "bias-scale"), ("gain", "gain"),
              ("center", "center"), ("extent", "extent"), ("time", "time"), ("colour", "color"), ("probe", "probe"),
              ("lineage", "lineage"))


# GLFW's key names (glnn/app/controls.py's KEYMAP) as a browser's KeyboardEvent.key on a US layout: (the key alone, with
# shift; None where shift gives no other key worth binding). Not a table of glnn's: the two platforms' names.
BROWSER_KEYS = {
    **{chr(c): (chr(c).lower(), chr(c)) for c in range(ord("A"), ord("Z") + 1)},
    **{str(d): (str(d), ")!@#$%^&*("[d]) for d in range(10)},
    **{f"KP_{d}": (str(d), None) for d in range(10)},
    "SPACE": (" ", " "), "TAB": ("Tab", "Tab"), "ESCAPE": ("Escape", "Escape"), "ENTER": ("Enter", "Enter"),
    "UP": ("ArrowUp", "ArrowUp"), "DOWN": ("ArrowDown", "ArrowDown"), "LEFT": ("ArrowLeft", "ArrowLeft"),
    "RIGHT": ("ArrowRight", "ArrowRight"), **{f"F{i}": (f"F{i}", f"F{i}") for i in range(1, 13)},
    "EQUAL": ("=", "+"), "MINUS": ("-", "_"), "PERIOD": (".", ">"), "COMMA": (",", "<"), "SLASH": ("/", "?"),
    "LEFT_BRACKET": ("[", "{"), "RIGHT_BRACKET": ("]", "}"), "SEMICOLON": (";", ":"), "APOSTROPHE": ("'", '"'),
    "KP_ADD": ("+", None), "KP_SUBTRACT": ("-", None), "KP_DECIMAL": (".", None),
}


# the window's keys a browser keeps for itself: Tab moves the keyboard focus from control to control (a page
# that took it would trap keyboard users), so no page binds it (the window's Tab, its HUD, has no key on a page)
BROWSER_KEEPS = ("TAB",)
# the keys that press a focused button or follow a focused link (a keyboard user's click): on those, the pages
# leave them to the browser (glnn_keys.js keyAction)
BUTTON_KEYS = ("SPACE", "ENTER")


def web_keys(keymap=None) -> dict:
    """The window's keys (glnn/app/controls.py KEYMAP, the one key table) as {KeyboardEvent.key: action name}: a key
    with shift does its "shift+NAME" action, else the key's own (as controls.action_for_key). The pages bind the
    actions they have and leave the other keys alone. ValueError when two of the window's keys would be one key in
    a browser with two actions, or a key has no browser name here."""
    keymap = KEYMAP if keymap is None else keymap
    out, source = {}, {}

    def bind(key, action, glfw):
        if key in out and out[key] != action:
            raise ValueError(f"the window's keys {source[key]} and {glfw} are both {key!r} in a browser, "
                             f"with two actions ({out[key]}, {action})")
        out.setdefault(key, action)
        source.setdefault(key, glfw)

    keymap = {k: v for k, v in keymap.items() if k.split("+")[-1] not in BROWSER_KEEPS}
    for entry, action in keymap.items():   # the keys alone, then shifted
        if not entry.startswith("shift+"):
            if entry not in BROWSER_KEYS:
                raise ValueError(f"no browser name for the window's key {entry}: add it to glnn/web/tables.py BROWSER_KEYS")
            bind(BROWSER_KEYS[entry][0], action, entry)
    for entry in keymap:
        name = entry[len("shift+"):] if entry.startswith("shift+") else entry
        if name not in BROWSER_KEYS:
            raise ValueError(f"no browser name for the window's key {entry}: add it to glnn/web/tables.py BROWSER_KEYS")
        shifted = BROWSER_KEYS[name][1]
        if shifted is not None and (entry.startswith("shift+") or f"shift+{name}" not in keymap):
            bind(shifted, keymap.get(f"shift+{name}", keymap.get(name)), "shift+" + name)
    return out


def web_tables() -> dict:
    """Every table of glnn's the front end (glnn/web/*.js) reads, as JSON data: the pages and the widget carry it
    in their spec ("tables"), node's tests hand it to the modules; the JavaScript has no copy of any of these.
      hyperparameters  [{name, kind: int/float/str, by_activation}] in glnn/model/network.py's order
      hash_names       [[state key, name in the URL hash (glnn's flag)]] (glnn/web/playground.py HASH_NAMES)
      activations, outputs, mix_choices, inits, defaults  glnn/model/activations.py, glnn/model/inits.py's names, what
                       activation="mix" draws from (in order), each activation's default init and amounts
      activation_ways  the words that draw activations from the seed (mix, mix-units)
      features         the input features (glnn/model/architecture.py features_table(): name, GLSL, constant)
      init_table       [{name, distribution, uses_gain, multiplier}]: multiplier names the formula of the unit
                       draws' multiplier (amount, he: gain sqrt(2 / fan-in), glorot: gain sqrt(6 / (fan-in +
                       fan-out))), found by evaluating glnn/model/inits.py's own
      keys             {KeyboardEvent.key: action} (web_keys(): the window's KEYMAP, less BROWSER_KEEPS)
      button_keys      the KeyboardEvent.key names a focused button takes (BUTTON_KEYS)"""
    return {
        "hyperparameters": [{"name": h.name, "kind": h.kind.__name__, "by_activation": h.by_activation}
                            for h in HYPERPARAMETERS],
        "hash_names": [list(p) for p in HASH_NAMES],
        "activations": list(activations.HIDDEN_CHOICES), "outputs": list(activations.NAMES),
        "mix_choices": list(activations.MIX_CHOICES), "activation_ways": list(activations.DRAWN),
        "inits": list(inits.NAMES),
        "defaults": {name: {"init": d.init, "scale": d.scale, "bias_scale": d.bias_scale, "gain": d.gain}
                     for name, d in activations.DEFAULTS.items()},
        "init_table": [{"name": i.name, "distribution": i.distribution, "uses_gain": i.uses_gain,
                        "multiplier": multiplier_formula(i)} for i in inits.TABLE],
        "features": architecture.features_table(), "max_inputs": architecture.MAX_INPUT_VECTOR,
        "keys": web_keys(), "button_keys": [BROWSER_KEYS[k][0] for k in BUTTON_KEYS],
    }


# the multipliers glnn/web/glnn_random.js computes, by name: (amount, fan_out, fan_in) -> float64
MULTIPLIERS = {
    "amount": lambda a, fan_out, fan_in: float(a),
    "he": lambda a, fan_out, fan_in: a * math.sqrt(2.0 / fan_in),
    "glorot": lambda a, fan_out, fan_in: a * math.sqrt(6.0 / (fan_in + fan_out)),
}


def multiplier_formula(init) -> str:
    """The name in MULTIPLIERS of the formula that gives init's multiplier, bit for bit, for a spread of amounts
    and fans (ValueError for an init whose formula the front end does not have: add it to both)."""
    points = [(a, o, i) for a in (0.0, 0.3, 1.0, 2.5, 1e6) for o in (1, 3, 30, 512) for i in (1, 2, 7, 512)]
    for name, f in MULTIPLIERS.items():
        if all(f(*p) == init.multiplier(*p) for p in points):
            return name
    raise ValueError(f"init {init.name}: its multiplier is none of the front end's ({', '.join(MULTIPLIERS)}); "
                     "add its formula to glnn/web/tables.py MULTIPLIERS and glnn/web/glnn_random.js")
