"""The front end's files (glnn/web/*.js ES modules, the page templates) and bundle(), which joins one module with
those it imports into one module for a page's <script type="module">, refusing two modules that declare the
same top-level name (node parses every bundle: tests/system/test_js_check.py)."""
from __future__ import annotations

import re
from importlib import resources

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
