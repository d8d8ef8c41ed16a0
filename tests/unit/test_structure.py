"""The package's shape: no import cycle among its modules (function-level imports counted too), no module-level
mutable state, one version, and the docs the help points at are in the repository."""
import ast
import re
from pathlib import Path

import glnn
from glnn.cli import build_parser
from source_imports import import_target

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "glnn"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph():
    """module -> set of glnn modules it imports, anywhere in its body."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                edges |= {a.name for a in node.names if a.name.split(".")[0] == "glnn"}
            elif isinstance(node, ast.ImportFrom):
                target = import_target(node, package)
                if target.split(".")[0] != "glnn":
                    continue
                for a in node.names:   # `from . import colour` imports a module; `from .x import y` a name of x
                    edges.add(f"{target}.{a.name}" if f"{target}.{a.name}" in modules else target)
        graph[name] = {e for e in edges if e in modules and e != name}
    # the backend registry imports its backends' modules when first asked (their 'module:Class' targets): edges too
    from glnn.backends import registry
    graph["glnn.backends.registry"] |= {e.target.partition(":")[0] for e in registry.TABLE}
    return graph


def import_graph_without_late():
    """The graph less the late imports tests/rooms.py allows (API sugar inside one function each)."""
    from rooms import LATE

    return {m: {e for e in edges if (m, e) not in LATE} for m, edges in import_graph().items()}


def find_cycle(graph):
    state, stack = {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def test_no_import_cycle():
    graph = import_graph_without_late()
    assert len(graph) > 20 and graph["glnn.rendering.engine"] >= {"glnn.gl.backend", "glnn.backends.registry"}
    assert graph["glnn.backends.registry"] >= {"glnn.gl.backend", "glnn.backends.cpu"}
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph))


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_submodule_imports_the_package_itself():
    """Only __init__ (and __main__) may import from `glnn` itself: everything else imports what it uses."""
    graph = import_graph()
    offenders = [m for m, edges in graph.items() if "glnn" in edges and m not in ("glnn", "glnn.__main__")]
    assert offenders == []


# Module state: a module may hold constants and tables, never values that change while glnn runs.
MUTABLE_CALLS = {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque", "bytearray",
                 "WeakValueDictionary", "WeakKeyDictionary", "SimpleNamespace"}
MUTATING_METHODS = {"append", "extend", "insert", "remove", "pop", "popitem", "clear", "update", "setdefault",
                    "add", "discard", "sort", "reverse", "__setitem__", "__delitem__", "difference_update",
                    "intersection_update", "symmetric_difference_update", "appendleft", "extendleft"}
CONSTANT = re.compile(r"^_?[A-Z][A-Z0-9_]*$|^__\w+__$")   # ALL_CAPS (a leading _ allowed), or a dunder (__all__)


def is_mutable_value(node) -> bool:
    """A list, dict or set (literal, comprehension or a call like dict()/defaultdict())."""
    if isinstance(node, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
        return True
    if isinstance(node, ast.Call):
        f = node.func
        return (f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None) in MUTABLE_CALLS
    return False


def module_statements(body):
    """A module's top-level statements, those under module-level if / try / with included."""
    for stmt in body:
        yield stmt
        for field in ("body", "orelse", "finalbody"):
            if isinstance(stmt, (ast.If, ast.Try, ast.With)):
                yield from module_statements(getattr(stmt, field, []) or [])
        for handler in getattr(stmt, "handlers", []):
            yield from module_statements(handler.body)


def assigned(stmt):
    """(target, value) of an assignment statement (augmented ones included), else nothing."""
    if isinstance(stmt, ast.Assign):
        return [(t, stmt.value) for t in stmt.targets]
    if isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) and stmt.value is not None:
        return [(stmt.target, stmt.value)]
    return []


def names_in(target):
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for t in target.elts for n in names_in(t)]
    return []


def package_trees():
    return {path.relative_to(ROOT).as_posix(): ast.parse(path.read_text()) for path in sorted(PACKAGE.rglob("*.py"))}


def module_tables(trees):
    """{module path: the ALL_CAPS names it binds to a mutable value at module level (its tables)}; and the
    offences: module-level mutable values bound to other names (module state), and class attributes likewise
    (shared by every instance)."""
    tables, offences = {}, []
    for path, tree in trees.items():
        for stmt in module_statements(tree.body):
            for target, value in assigned(stmt):
                for name in names_in(target):
                    if is_mutable_value(value):
                        if CONSTANT.match(name):
                            tables.setdefault(path, set()).add(name)
                        else:
                            offences.append(f"{path}:{stmt.lineno}: module-level {name} holds a mutable value")
            if isinstance(stmt, ast.ClassDef):
                for item in stmt.body:
                    for target, value in assigned(item):
                        for name in names_in(target):
                            if is_mutable_value(value) and not CONSTANT.match(name):
                                offences.append(f"{path}:{item.lineno}: class attribute {stmt.name}.{name} holds a "
                                                "mutable value shared by every instance")
    return tables, offences


def table_name(node, tables):
    """The table `node` refers to (NAME or module.NAME), or None."""
    if isinstance(node, ast.Name) and node.id in tables:
        return node.id
    if isinstance(node, ast.Attribute) and node.attr in tables:
        return node.attr
    return None


def mutations(trees, tables):
    """Where any module changes a table: item assignment or deletion, augmented assignment, a mutating method."""
    found = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            elif isinstance(node, ast.Delete):
                targets = node.targets
            for t in targets:
                hit = table_name(t.value, tables) if isinstance(t, (ast.Subscript, ast.Attribute)) else None
                if isinstance(node, ast.AugAssign):
                    hit = hit or table_name(t, tables)
                if hit:
                    found.append(f"{path}:{node.lineno}: changes {hit}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr in MUTATING_METHODS and table_name(node.func.value, tables):
                found.append(f"{path}:{node.lineno}: {table_name(node.func.value, tables)}.{node.func.attr}()")
    return found


def test_no_module_level_mutable_state():
    """No module state: no `global` rebinding; mutable values at module level (or as class attributes) only as
    ALL_CAPS tables, and no code anywhere in glnn changes a table (tables are filled where they are written)."""
    trees = package_trees()
    rebinds = [f"{path}:{n.lineno}: global {', '.join(n.names)}" for path, tree in trees.items()
               for n in ast.walk(tree) if isinstance(n, ast.Global)]
    assert rebinds == []
    tables, offences = module_tables(trees)
    assert offences == []
    assert "glnn/gl/kernels.py" in tables and "KERNELS" in tables["glnn/gl/kernels.py"]   # the check sees tables
    all_tables = set().union(*tables.values())
    assert mutations(trees, all_tables) == []


def test_the_module_state_check_finds_state():
    """The check above, on code that has what it forbids."""
    bad = ast.parse(
        "import collections\n"
        "cache = {}\n"
        "seen: list = []\n"
        "counts = collections.defaultdict(int)\n"
        "TABLE = {'a': 1}\n"
        "_NAMES = ['x']\n"
        "class K:\n"
        "    items = []\n"
        "def f():\n"
        "    global cache\n"
        "    TABLE['b'] = 2\n"
        "    _NAMES.append('y')\n"
        "    del TABLE['a']\n")
    tables, offences = module_tables({"bad.py": bad})
    assert tables == {"bad.py": {"TABLE", "_NAMES"}}
    assert [o.split(": ", 1)[1] for o in offences] == [
        "module-level cache holds a mutable value", "module-level seen holds a mutable value",
        "module-level counts holds a mutable value",
        "class attribute K.items holds a mutable value shared by every instance"]
    assert sorted(m.split(": ", 1)[1] for m in mutations({"bad.py": bad}, {"TABLE", "_NAMES"})) == [
        "_NAMES.append()", "changes TABLE", "changes TABLE"]
    assert any(isinstance(n, ast.Global) for n in ast.walk(bad))
    fine = ast.parse("TABLE = {'a': 1}\nCOPY = dict(TABLE, b=2)\nNAMES = tuple(TABLE)\ndef g(d):\n    d = dict(d)\n"
                     "    d['x'] = 1\n    return d\n")
    tables, offences = module_tables({"fine.py": fine})
    assert offences == [] and mutations({"fine.py": fine}, tables["fine.py"]) == []


def test_one_version(cli):
    text = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in text and 'path = "glnn/version.py"' in text
    assert not re.search(r"^version\s*=", text, re.M)
    hits = [p for p in PACKAGE.rglob("*.py") if re.search(r"__version__\s*=", p.read_text())]
    assert [p.name for p in hits] == ["version.py"]
    status, out, _ = cli("--version")
    assert status == 0 and out.strip() == f"glnn {glnn.__version__}"


def test_help_points_at_docs_in_the_repository():
    assert (ROOT / "docs" / "contract.md").is_file()
    text = build_parser().format_help()
    assert "docs/contract.md" in text and "SPEC.md" not in text
    readme = (ROOT / "README.md").read_text()
    assert "docs/contract.md" in readme and "SPEC.md" not in readme
