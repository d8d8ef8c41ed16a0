"""The house in rooms: each module imports only its own room and the rooms below it (tests/rooms.py), read from
the source (no import executed; function-level imports counted); the model imports no file format, GL, PIL or
plots; few modules stand loose at the top."""
import ast
from pathlib import Path

from rooms import LATE, ROOMS, room_of
from source_imports import import_target

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "glnn"
HEAVY = {"moderngl", "glcontext", "glfw", "PIL", "matplotlib"}


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, root: Path = ROOT):
    """(line, absolute module imported) for every import in the file, glnn's and others'."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield node.lineno, a.name
        elif isinstance(node, ast.ImportFrom):
            target = import_target(node, package)
            for a in node.names:
                full = f"{target}.{a.name}"
                yield node.lineno, full if full in modules else target


def upward_imports(paths=None, root: Path = ROOT):
    """'file:line imports X (room A above room B)' for each import that runs up."""
    found = []
    for path in paths or sorted(PACKAGE.rglob("*.py")):
        name = module_name(path, root)
        mine = room_of(name)
        if mine is None:
            continue
        for line, target in imports_of(path, root):
            if target.split(".")[0] != "glnn" or target == "glnn":
                continue
            theirs = room_of(target)
            if theirs is None or (name, target) in LATE:
                continue
            if theirs.startswith("unplaced") or mine.startswith("unplaced"):
                found.append(f"{path.relative_to(root)}:{line}: {name} or {target} is in no room (tests/rooms.py)")
            elif ROOMS.index(theirs) > ROOMS.index(mine):
                found.append(f"{path.relative_to(root)}:{line}: {name} ({mine}) imports {target} ({theirs}), "
                             "a room above it")
    return found


def test_every_import_runs_down_or_across():
    assert upward_imports() == []


def test_the_rooms_test_sees_an_upward_import(tmp_path):
    bad = tmp_path / "glnn" / "model" / "_throwaway_upward.py"   # a package of its own: the tree is not touched
    bad.parent.mkdir(parents=True)
    bad.write_text("def f():\n    from ..rendering import engine\n")
    found = upward_imports([bad], root=tmp_path)
    assert len(found) == 1 and "model" in found[0] and "rendering" in found[0] and ":2:" in found[0]


def test_every_late_import_is_still_there():
    """Each allowed upward import exists (an entry for an import that left is a stale excuse)."""
    for source, target in LATE:
        path = ROOT / (source.replace(".", "/") + ".py")
        assert any(t == target for _, t in imports_of(path)), (source, target)


def test_the_model_imports_no_file_format_gl_pil_or_plots():
    for path in sorted((PACKAGE / "model").rglob("*.py")):
        for line, target in imports_of(path):
            top = target.split(".")[0]
            assert top not in HEAVY, f"{path.name}:{line} imports {target}"
            if top == "glnn":
                assert (module_name(path), target) in LATE or room_of(target) in ("base", "model"), \
                    f"{path.name}:{line} imports {target}"


def test_few_modules_stand_loose():
    loose = sorted(p.name for p in PACKAGE.glob("*.py")
                   if p.name not in ("__init__.py", "__main__.py", "version.py", "errors.py"))
    assert len(loose) <= 8, loose
    rooms = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert set(rooms) == set(ROOMS) - {"base", "tools"}, rooms


def test_every_module_path_the_text_names_exists():
    """A path glnn/... .py named in the docs, the README, the code's comments or the shaders is a file (a move
    into rooms leaves no stale name behind)."""
    import re

    texts = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted(PACKAGE.rglob("*.py")),
             *sorted(PACKAGE.rglob("*.js")), *sorted((ROOT / "shaders").iterdir())]
    stale = set()
    for path in texts:
        for name in re.findall(r"(?<![\w/.])(glnn/[\w/]+\.py)", path.read_text(encoding="utf-8")):
            if not (ROOT / name).is_file() and "NAME" not in name:   # a pattern, as glnn/cli/NAME.py
                stale.add(f"{path.relative_to(ROOT)}: {name}")
    assert sorted(stale) == []
