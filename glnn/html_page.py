"""The one HTML page helper: the skeleton, escaping and writing of the pages glnn makes.

The figures' gallery (glnn/figures.py) and the grid's page (glnn/grid.py) are page(title, style, body); the
live page and the notebook widget's page (glnn/webgl.py filling the template glnn/web/page.html) put the spec
and the front end inside <script> elements with script_json() and script_text(). Pages are self-contained
(no request to any server) and written atomically.

The front end (glnn/web/*.js) is ES modules; bundle() joins one with those it imports into one module for a
page's <script type="module"> (refusing two modules that declare the same top-level name), and web_tables()
is every table of glnn's the front end reads (the pages and the widget carry it in their spec: the JavaScript
has no copy of its own).
"""
from __future__ import annotations

import html
import json
import math
import re
from importlib import resources
from pathlib import Path, PurePath
from urllib.parse import quote

from .files import atomic_path

# `import {a, b} from "./name.js";` of one glnn/web module by another (the one form of import bundle() takes)
_IMPORT = re.compile(r'^import \{([\w\s,]*)\} from "\./([\w.]+\.js)";[ \t]*\n', re.M)
_ANY_IMPORT = re.compile(r'^import\b.*$', re.M)
# a top-level declaration: a line at column 0 declaring a name (`export` and `async` allowed)
_DECLARATION = re.compile(r'^(?:export\s+)?(?:async\s+)?(?:function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)', re.M)
_EXPORTED = re.compile(r'^export\s+(?:async\s+)?(?:function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)', re.M)


def web_asset(name: str) -> str:
    """A file of glnn/web (the front end's modules, the page templates)."""
    return (resources.files("glnn") / "web" / name).read_text(encoding="utf-8")


class BundleError(ValueError):
    """glnn/web's modules cannot be joined into one: two declare the same top-level name, an import names what
    its module does not export, or an import bundle() does not take."""


def top_level_names(source: str) -> list:
    """The names a module declares at its top level (lines at column 0: function, class, const, let, var)."""
    return _DECLARATION.findall(source)


def bundle(name: str, read=web_asset) -> str:
    """The glnn/web ES module `name` as one module: its imports of sibling modules replaced by their text, each
    module once, dependencies first (a page and the widget carry one script). The modules then share one scope:
    BundleError when two of them declare the same top-level name (one would hide or break the other), when an
    import names what its module does not export, or for another form of import than `import {a, b} from
    "./name.js";`. read(name): a module's text (glnn/web's files)."""
    order, owner = [], {}

    def visit(module: str, chain: tuple) -> None:
        if module in chain:
            raise BundleError(f"glnn/web: modules import each other: {' -> '.join(chain + (module,))}")
        if any(m == module for m, _ in order):
            return
        source = read(module)
        for m in _ANY_IMPORT.finditer(source):
            if not _IMPORT.match(source, m.start()):
                raise BundleError(f"glnn/web/{module}: bundle() takes only `import {{a, b}} from \"./name.js\";`, "
                                  f"not: {m.group(0)}")
        for m in _IMPORT.finditer(source):
            visit(m.group(2), chain + (module,))
            exported = set(_EXPORTED.findall(read(m.group(2))))
            missing = [n for n in re.split(r"[\s,]+", m.group(1).strip()) if n and n not in exported]
            if missing:
                raise BundleError(f"glnn/web/{module} imports {', '.join(missing)} from {m.group(2)}, "
                                  f"which does not export {'them' if len(missing) > 1 else 'it'}")
        for declared in top_level_names(source):
            if declared in owner:
                raise BundleError(f"glnn/web: {module} and {owner[declared]} both declare the top-level name "
                                  f"`{declared}`; bundled into one page they would share one scope (rename one)")
            owner[declared] = module
        if re.search(r"^export default\b", source, re.M):
            if "export default" in owner:
                raise BundleError(f"glnn/web: {module} and {owner['export default']} both have an export default")
            owner["export default"] = module
        order.append((module, _IMPORT.sub("", source)))

    visit(name, ())
    return "\n".join(f"// ---- glnn/web/{module}\n{text.rstrip()}\n" for module, text in order)


# GLFW's key names (glnn/controls.py's KEYMAP) as a browser's KeyboardEvent.key on a US layout: (the key alone, with
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


def web_keys(keymap=None) -> dict:
    """The window's keys (glnn/controls.py KEYMAP, the one key table) as {KeyboardEvent.key: action name}: a key
    with shift does its "shift+NAME" action, else the key's own (as controls.action_for_key). The pages bind the
    actions they have and leave the other keys alone. ValueError when two of the window's keys would be one key in
    a browser with two actions, or a key has no browser name here."""
    from .controls import KEYMAP
    keymap = KEYMAP if keymap is None else keymap
    out, source = {}, {}

    def bind(key, action, glfw):
        if key in out and out[key] != action:
            raise ValueError(f"the window's keys {source[key]} and {glfw} are both {key!r} in a browser, "
                             f"with two actions ({out[key]}, {action})")
        out.setdefault(key, action)
        source.setdefault(key, glfw)

    for entry, action in keymap.items():   # the keys alone, then shifted
        if not entry.startswith("shift+"):
            if entry not in BROWSER_KEYS:
                raise ValueError(f"no browser name for the window's key {entry}: add it to html_page.BROWSER_KEYS")
            bind(BROWSER_KEYS[entry][0], action, entry)
    for entry in keymap:
        name = entry[len("shift+"):] if entry.startswith("shift+") else entry
        if name not in BROWSER_KEYS:
            raise ValueError(f"no browser name for the window's key {entry}: add it to html_page.BROWSER_KEYS")
        shifted = BROWSER_KEYS[name][1]
        if shifted is not None and (entry.startswith("shift+") or f"shift+{name}" not in keymap):
            bind(shifted, keymap.get(f"shift+{name}", keymap.get(name)), "shift+" + name)
    return out


def web_tables() -> dict:
    """Every table of glnn's the front end (glnn/web/*.js) reads, as JSON data: the pages and the widget carry it
    in their spec ("tables"), node's tests hand it to the modules; the JavaScript has no copy of any of these.
      hyperparameters  [{name, kind: int/float/str, by_activation}] in glnn/network.py's order
      hash_names       [[state key, name in the URL hash (glnn's flag)]] (glnn/playground.py HASH_NAMES)
      activations, outputs, mix_choices, inits, defaults  glnn/activations.py, glnn/inits.py's names, what
                       activation="mix" draws from (in order), each activation's default init and amounts
      init_table       [{name, distribution, uses_gain, multiplier}]: multiplier names the formula of the unit
                       draws' multiplier (amount, he: gain sqrt(2 / fan-in), glorot: gain sqrt(6 / (fan-in +
                       fan-out))), found by evaluating glnn/inits.py's own
      keys             {KeyboardEvent.key: action} (web_keys(): the window's KEYMAP)"""
    from . import activations, inits
    from .network import HYPERPARAMETERS
    from .playground import HASH_NAMES
    return {
        "hyperparameters": [{"name": h.name, "kind": h.kind.__name__, "by_activation": h.by_activation}
                            for h in HYPERPARAMETERS],
        "hash_names": [list(p) for p in HASH_NAMES],
        "activations": list(activations.HIDDEN_CHOICES), "outputs": list(activations.NAMES),
        "mix_choices": list(activations.MIX_CHOICES),
        "inits": list(inits.NAMES),
        "defaults": {name: {"init": d.init, "scale": d.scale, "bias_scale": d.bias_scale, "gain": d.gain}
                     for name, d in activations.DEFAULTS.items()},
        "init_table": [{"name": i.name, "distribution": i.distribution, "uses_gain": i.uses_gain,
                        "multiplier": multiplier_formula(i)} for i in inits.TABLE],
        "keys": web_keys(),
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
                     "add its formula to html_page.MULTIPLIERS and glnn/web/glnn_random.js")


def escape(text) -> str:
    """Text (or an attribute value in double or single quotes) safe in HTML."""
    return html.escape(str(text), quote=True)


def href(path) -> str:
    """A relative file path as a link's or an image's URL in HTML: each part URL-encoded (a "#", "?", "%" or space
    in a file name is part of the name, not of the URL), then escaped for the attribute."""
    return escape("/".join(quote(part, safe="") for part in PurePath(path).as_posix().split("/")))


def page(title: str, style: str, body: str) -> str:
    """A whole page: `title` (plain text, escaped here), a style sheet, and the body's HTML as given."""
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>\n'
            f'<style>\n{style.strip(chr(10))}\n</style></head><body>\n{body.strip(chr(10))}\n</body></html>\n')


def script_json(data) -> str:
    """JSON for the inside of a <script> element: compact, and no "</" that could end the element."""
    return json.dumps(data, separators=(",", ":")).replace("</", "<\\/")


def script_text(source: str) -> str:
    """JavaScript for the inside of a <script> element (no "</script" that would end it early)."""
    return source.replace("</script", "<\\/script")


def write(path, text: str, outputs=None) -> Path:
    """Write a page (UTF-8) atomically, or as one of several `files.Outputs` that land together; returns its path."""
    path = Path(path)
    with atomic_path(path, outputs) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    return path
