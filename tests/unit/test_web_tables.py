"""The front end's modules and tables (glnn/web/bundle.py, glnn/web/tables.py): bundle() joins glnn/web's ES modules into one and
refuses two that declare the same top-level name; web_tables() ships glnn's tables to the JavaScript, which has no
copy of its own; web_keys() is the window's key table (glnn/app/controls.py KEYMAP) in a browser's key names."""
import re
from pathlib import Path

import pytest

from glnn.model import activations, inits
from glnn.app import controls
from glnn.web import bundle as bundler
from glnn.web import playground, webgl
from glnn.web.bundle import BundleError, bundle
from glnn.web import tables
from glnn.web.tables import web_keys, web_tables
from glnn.model.network import Network
from glnn.io.recipe import Recipe
from glnn.model.view import View

WEB = Path(bundler.__file__).resolve().parent
JS = sorted(WEB.glob("*.js"))


def modules(**texts):
    return lambda name: texts[name]


def test_bundle_refuses_a_top_level_name_two_modules_declare():
    read = modules(**{"a.js": 'import {f} from "./b.js";\nconst size = 1;\nexport function main() { return f(size); }\n',
                      "b.js": "const size = 2;\nexport function f(x) { return x + size; }\n"})
    with pytest.raises(BundleError, match=r"a\.js and b\.js both declare the top-level name `size`"):
        bundle("a.js", read)
    # the same with distinct names: each module once, dependencies first, the import gone
    read = modules(**{"a.js": 'import {f} from "./b.js";\nimport {g} from "./c.js";\nconst n = f(g());\n',
                      "b.js": 'import {g} from "./c.js";\nexport function f(x) { return g() + x; }\n',
                      "c.js": "export const g = () => 1;\n"})
    text = bundle("a.js", read)
    assert text.count("export const g") == 1 and "import" not in text
    assert text.index("glnn/web/c.js") < text.index("glnn/web/b.js") < text.index("glnn/web/a.js")


@pytest.mark.parametrize("texts,message", [
    ({"a.js": 'import {h} from "./b.js";\n', "b.js": "export function f() {}\n"}, "imports h from b.js"),
    ({"a.js": 'import * as B from "./b.js";\n', "b.js": "export function f() {}\n"}, "takes only"),
    ({"a.js": 'import {f} from "./b.js";\n', "b.js": 'import {g} from "./a.js";\nexport function f() {}\n'},
     "import each other"),
    ({"a.js": 'import {f} from "./b.js";\nexport default {};\n', "b.js": "export function f() {}\nexport default 1;\n"},
     "export default"),
])
def test_bundle_refuses_what_it_cannot_join(texts, message):
    with pytest.raises(BundleError, match=message):
        bundle("a.js", modules(**texts))


@pytest.mark.parametrize("entry", ["glnn_view.js", "playground_ui.js"])
def test_the_pages_bundles_join(entry):
    text = bundle(entry)
    assert not re.search(r"^import\b", text, re.M)
    names = bundler.top_level_names(text)
    assert len(names) == len(set(names))


def test_every_js_file_is_a_ts_checked_module_without_globals():
    assert {p.name for p in JS} >= {"glnn_random.js", "glnn_view.js", "playground.js", "playground_ui.js"}
    for p in JS:
        text = p.read_text()
        assert text.startswith("// @ts-check\n"), p.name
        assert "module.exports" not in text and "require(" not in text, p.name
        assert not re.search(r"\b(globalThis|window)\.\w+\s*=[^=]", text), p.name   # no globals of its own
        assert not re.search(r"^var\b", text, re.M), p.name


def _quoted_run(words):
    """A regex for three of `words` in a row as a JS literal would list them ("a", "b", "c" or a: ..., b: ...)."""
    q = [re.escape(w) for w in words]
    return [re.compile(r'["\']%s["\']\s*[,:]\s*["\']%s["\']\s*[,:]\s*["\']%s["\']' % tuple(q[i:i + 3]))
            for i in range(len(q) - 2)] + \
        [re.compile(r'\b%s\s*:\s*\{[^}]*\}\s*,\s*%s\s*:' % tuple(q[i:i + 2])) for i in range(len(q) - 1)]


def test_no_js_file_holds_a_copy_of_glnns_tables():
    t = web_tables()
    lists = {"mix_choices": t["mix_choices"], "activations": t["activations"], "outputs": t["outputs"],
             "inits": t["inits"], "hyperparameters": [h["name"] for h in t["hyperparameters"]],
             "hash names": [n for _, n in t["hash_names"]]}
    for p in JS:
        text = p.read_text()
        for label, words in lists.items():
            for rx in _quoted_run(words):
                assert not rx.search(text), f"{p.name} holds a copy of {label}: {rx.pattern}"
        assert '"output-activation"' not in text and '"bias-scale"' not in text, p.name   # HASH_NAMES
        assert not re.search(r"\bdistribution\s*:\s*\"(uniform|normal)\"", text), p.name  # INITS
        # keys only through the table: no key compared by hand
        assert not re.search(r"\.key\s*===?\s*[\"']", text), p.name
        assert not re.search(r"case\s+[\"'].[\"']\s*:", text), p.name


def test_the_mutation_checks_see_the_old_copies():
    # the checks above would have caught the hand copies this module replaced
    old = ('const MIX_CHOICES = ["tanh", "sigmoid", "relu", "leaky_relu", "sin", "gaussian", "softsign"];\n'
           'const INITS = {uniform: {distribution: "uniform", usesGain: false}, normal: {distribution: "normal"}};\n')
    assert any(rx.search(old) for rx in _quoted_run(list(activations.MIX_CHOICES)))
    assert any(rx.search(old) for rx in _quoted_run(list(inits.NAMES)))
    assert re.search(r"\.key\s*===?\s*[\"']", 'if (e.key === "n")')


def test_web_tables_are_glnns():
    t = web_tables()
    assert t["mix_choices"] == list(activations.MIX_CHOICES)
    assert [i["name"] for i in t["init_table"]] == list(inits.NAMES)
    assert {i["name"]: i["multiplier"] for i in t["init_table"]} == {
        "uniform": "amount", "normal": "amount", "he": "he", "glorot": "glorot"}
    assert [h["name"] for h in t["hyperparameters"]] == list(Network().hyperparameters())
    assert t["hash_names"] == [list(p) for p in playground.HASH_NAMES]
    # every page carries them: the exported page and the widget (page_spec), the playground
    assert webgl.page_spec(Recipe(Network(depth=2, width=3), View(8, 6), "rgb"))["tables"] == t
    assert {k: v for k, v in playground.tables().items() if k in t} == t


def test_an_init_whose_multiplier_the_front_end_lacks_is_refused():
    odd = inits.Init("odd", "normal", lambda a, fan_out, fan_in: a / fan_in, uses_gain=True)
    with pytest.raises(ValueError, match="none of the front end's"):
        tables.multiplier_formula(odd)


def test_the_pages_keys_are_the_windows():
    keys = web_keys()
    # every key of the window, alone and with shift, does in a browser what it does in the window
    for entry in controls.KEYMAP:
        shift = entry.startswith("shift+")
        name = entry[6:] if shift else entry
        if name in tables.BROWSER_KEEPS:   # Tab: the browser's (keyboard focus), bound by no page
            assert tables.BROWSER_KEYS[name][0] not in keys, entry
            continue
        browser = tables.BROWSER_KEYS[name][1 if shift else 0]
        if browser is not None:
            assert keys[browser] == controls.action_for_key(name, shift), entry
    for name, (alone, shifted) in tables.BROWSER_KEYS.items():
        if name in controls.KEYMAP and shifted is not None and name not in tables.BROWSER_KEEPS:
            assert keys[shifted] == controls.action_for_key(name, True), name
    assert set(keys.values()) <= set(controls.ACTIONS)
    # the keys the pages once bound otherwise: n, p and h are the window's (save, probe, help), the seed is r / R
    assert (keys["r"], keys[" "], keys["R"]) == ("new_seed", "new_seed", "prev_seed")
    assert (keys["n"], keys["p"], keys["h"]) == ("save_network", "next_probe", "toggle_help")
    assert "Tab" not in keys   # the browser moves the keyboard focus with it (tables.BROWSER_KEEPS)
    assert (keys["+"], keys["="], keys["-"], keys["_"], keys["0"]) == ("zoom_in", "zoom_in", "zoom_out", "zoom_out", "reset_view")


def test_two_window_keys_that_are_one_browser_key_are_refused():
    with pytest.raises(ValueError, match="both '\\+' in a browser"):
        web_keys({"KP_ADD": "zoom_in", "EQUAL": "zoom_in", "shift+EQUAL": "zoom_out"})
    with pytest.raises(ValueError, match="no browser name"):
        web_keys({"PRINT_SCREEN": "screenshot"})


def test_the_actions_the_pages_bind_are_the_windows():
    # glnn_view.js and playground_ui.js bind keys only through `const actions = {...}` of window action names
    for name in ("glnn_view.js", "playground_ui.js"):
        text = (WEB / name).read_text()
        block = text[text.index("const actions = {"):]
        block = block[:block.index("\n  };")]
        bound = set(re.findall(r"^\s+(?:\.\.\.\(.*\{)?\s*(\w+): ", block, re.M))
        assert bound and bound <= set(controls.ACTIONS), (name, bound - set(controls.ACTIONS))


def test_the_diagrams_float64_activations_cover_glnns():
    """playground_diagram.js evaluates each activation itself (one switch): every name glnn has must have its case,
    and no case may name an activation glnn lacks (a renamed one)."""
    text = (WEB / "playground_diagram.js").read_text()
    cases = re.search(r"const ACT_CASE = \{([^}]*)\}", text).group(1)
    names = {k.strip().split(":")[0] for k in cases.split(",")}
    assert names == set(activations.NAMES)
