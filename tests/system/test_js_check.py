"""glnn/web's JavaScript is checked: node parses every file (node --check, as the ES modules they are), and
TypeScript's checker reads them all (every file is `// @ts-check`: tsc --noEmit --allowJs --checkJs) with no error.

tsc comes from npm (typescript, pinned) installed once into a cache folder ($GLNN_TSC_DIR, else
~/.cache/glnn-typescript). Without node or npm these skip (the project's one policy: tests/conftest.py `needs`;
under CI=true they fail); where npm cannot install it (no network) the tsc test skips too, except under CI=true.
The pages' bundles (glnn/web/bundle.py bundle()) parse too: a name two modules declare is a SyntaxError there."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from glnn.web.bundle import bundle

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "glnn" / "web"
JS = sorted(WEB.glob("*.js"))
TYPESCRIPT = "typescript@5.9.3"
TSC_FLAGS = ["--noEmit", "--allowJs", "--checkJs", "--target", "es2022", "--module", "es2022",
             "--moduleResolution", "bundler", "--lib", "es2022,dom,dom.iterable"]

NODE = shutil.which("node")
pytestmark = pytest.mark.needs("node")


def test_node_parses_every_module():
    assert JS
    for path in JS:
        r = subprocess.run([NODE, "--check", str(path)], capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, f"{path.name}:\n{r.stderr[-2000:]}"


def tsc_binary():
    """tsc from the cache folder, installed there by npm when missing; None (with why) when it cannot be."""
    npm = shutil.which("npm")
    if NODE is None or npm is None:
        return None, "no node or npm"
    folder = Path(os.environ.get("GLNN_TSC_DIR") or Path.home() / ".cache" / "glnn-typescript")
    tsc = folder / "node_modules" / ".bin" / "tsc"
    version = TYPESCRIPT.split("@")[1]
    if tsc.exists():
        r = subprocess.run([str(tsc), "--version"], capture_output=True, text=True, timeout=60)
        if r.stdout.split()[-1:] == [version]:
            return tsc, ""
    folder.mkdir(parents=True, exist_ok=True)
    r = subprocess.run([npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund", "--no-save", TYPESCRIPT],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0 or not tsc.exists():
        return None, f"npm install {TYPESCRIPT} failed: {r.stderr[-500:]}"
    return tsc, ""


def run_tsc(tsc, files, cwd):
    return subprocess.run([str(tsc), *TSC_FLAGS, *[str(f) for f in files]], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


@pytest.fixture(scope="module")
def tsc():
    path, why = tsc_binary()
    if path is None:
        if os.environ.get("CI") != "true":
            pytest.skip(why + " (offline?)")
        pytest.fail(why)
    return path


@pytest.mark.parametrize("entry", ["glnn_view.js", "playground_ui.js"])
def test_node_parses_every_bundle(entry, tmp_path):
    """What the pages carry: each entry module joined with its imports (bundle()) is one valid module."""
    path = tmp_path / entry.replace(".js", ".mjs")
    path.write_text(bundle(entry))
    r = subprocess.run([NODE, "--check", str(path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, f"{entry}:\n{r.stderr[-2000:]}"


def test_a_bundle_with_a_name_declared_twice_does_not_parse(tmp_path):
    """The check above can fail: two modules that declare one name (a form bundle()'s own scan misses) break."""
    sources = {"a.js": 'import {f} from "./b.js";\nconst {g} = {g: 1};\nexport const h = f + g;\n',
               "b.js": "export const f = 1;\nconst {g} = {g: 2};\n"}
    path = tmp_path / "a.mjs"
    path.write_text(bundle("a.js", read=sources.__getitem__))
    r = subprocess.run([NODE, "--check", str(path)], capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "g" in r.stderr


@pytest.mark.needs("npm")
def test_typescript_finds_no_error(tsc):
    r = run_tsc(tsc, [p.name for p in JS], WEB)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]


@pytest.mark.needs("npm")
def test_typescript_catches_a_broken_module(tsc, tmp_path):
    # the check is not vacuous: a misspelt DOM property and a call with an argument missing are errors
    for p in JS:
        shutil.copy(p, tmp_path / p.name)
    view = tmp_path / "glnn_view.js"
    text = view.read_text()
    assert "canvas.width = w; canvas.height = h;" in text and "keyHint(spec.tables.keys, action)" in text
    view.write_text(text.replace("canvas.width = w; canvas.height = h;", "canvas.widht = w; canvas.height = h;")
                    .replace("keyHint(spec.tables.keys, action)", "keyHint(spec.tables.keys)"))
    r = run_tsc(tsc, [p.name for p in JS], tmp_path)
    assert r.returncode != 0
    assert "widht" in r.stdout and "glnn_view.js" in r.stdout, r.stdout
    assert "Expected 2 arguments" in r.stdout, r.stdout
