"""The package's shape: no import cycle among its modules (function-level imports counted too), no module-level
mutable state, one version, and the docs the help points at are in the repository."""
import ast
import re
from pathlib import Path

import glnn
from glnn.cli import build_parser

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
                if node.level:
                    base = package.split(".")
                    base = base[:len(base) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target.split(".")[0] != "glnn":
                    continue
                for a in node.names:   # `from . import colour` imports a module; `from .x import y` a name of x
                    edges.add(f"{target}.{a.name}" if f"{target}.{a.name}" in modules else target)
        graph[name] = {e for e in edges if e in modules and e != name}
    return graph


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
    graph = import_graph()
    assert len(graph) > 20 and graph["glnn.engine"] >= {"glnn.gl.backend", "glnn.backends.cpu"}
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph))


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_submodule_imports_the_package_itself():
    """Only __init__ (and __main__) may import from `glnn` itself: everything else imports what it uses."""
    graph = import_graph()
    offenders = [m for m, edges in graph.items() if "glnn" in edges and m not in ("glnn", "glnn.__main__")]
    assert offenders == []


def test_no_module_level_mutable_state():
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text()
        assert not re.search(r"^\s*global\s", text, re.M), f"{path.name} rebinds a module global"


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
