"""Shared fixtures and the tiers.

Tiers, by folder (marked automatically below): tests/unit (no GL context, no subprocess: enforced by
tests/unit/conftest.py), tests/gl (a real GL context in this process: EGL llvmpipe in CI), tests/system
(subprocesses of `python -m glnn`, Xvfb, Chromium, the wheel, bench, Dask and worker processes).
`python -m pytest -m "not system"` is the quick loop; `python -m pytest` runs everything.

The suite never touches the user's ~/.cache: XDG_CACHE_HOME points at a fresh folder for this run (and for
every glnn process the tests start), removed at the end. That folder starts with a fixed `auto` choice in the
engine's own cache (see seed_auto_choice), so no test pays for measuring it, whichever runs first; the tests of
the measurement itself give their engine a cache of its own.
"""
import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:   # the helper modules (chromium, independent_numpy) import from every tier
    sys.path.insert(0, str(TESTS))

_CACHE = tempfile.mkdtemp(prefix="glnn-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)

from glnn.rendering.engine import default_engine  # noqa: E402  (after XDG_CACHE_HOME is set)
from glnn.errors import GLUnavailable  # noqa: E402

TIERS = ("unit", "gl", "system")


def tier_of(path) -> str:
    """'unit', 'gl' or 'system': the tier folder a test file lies in (tests/ itself counts as unit)."""
    try:
        first = Path(path).resolve().relative_to(TESTS).parts[0]
    except (ValueError, IndexError):
        return "unit"
    return first if first in TIERS else "unit"


def seed_auto_choice(cache_dir=None) -> None:
    """Write a fixed, plausible `auto` choice into the engine's cache for this machine's GL renderer: what
    software GL measures here (cpu for both kinds of network), or on a GPU the fused gl kernels. Written by the
    engine's own cache code, under the engine's own key, so every engine of this run (and every glnn process
    the tests start: they inherit XDG_CACHE_HOME) reads it instead of measuring for ~20 s."""
    from glnn.rendering.engine import Engine

    try:
        caps = default_engine().gl.caps
    except GLUnavailable:
        return   # no GL: auto is cpu without measuring (the GL tests fail loudly in the `engine` fixture)
    writer = Engine(cache_dir=cache_dir)   # makes no context: only its cache key and writer are used
    if caps.unroll:   # a GPU
        choice = {"fused": "gl", "layered": "gl", "fused_kernel": "compute",
                  "kernel_why": "fixed by tests/conftest.py (a GPU: compute kernel)"}
    else:
        choice = {"fused": "cpu", "layered": "cpu", "fused_kernel": None,
                  "kernel_why": "software GL: fused kernel 'compute' or 'fragment' (fastest to compile)"}
    try:
        choice.update(key=writer._cache_key(caps.renderer), gl=caps.renderer,
                      why="fixed by tests/conftest.py, not measured; " + choice["kernel_why"])
        writer._write_cache(choice)
    except AttributeError as e:   # the engine's cache code moved: say where to follow it
        raise RuntimeError(f"tests/conftest.py seed_auto_choice writes the engine's auto cache through "
                           f"Engine._cache_key and Engine._write_cache: follow glnn/rendering/engine.py ({e})") from e
    if writer._read_cache(choice["key"]) != choice:
        raise RuntimeError("tests/conftest.py seed_auto_choice: the engine does not read back the seeded auto "
                           "choice (its cache format changed): follow glnn/rendering/engine.py")


def pytest_collection_modifyitems(config, items):
    """Mark each test with its tier's marker (by folder), and seed the `auto` cache when anything beyond the
    unit tier will run (the unit tier makes no engine context at all)."""
    tiers = set()
    for item in items:
        tier = tier_of(item.path if hasattr(item, "path") else item.fspath)
        tiers.add(tier)
        if tier != "unit":
            item.add_marker(getattr(pytest.mark, tier))
    if tiers - {"unit"}:
        seed_auto_choice()


@pytest.fixture(scope="session")
def engine():
    """The process's default engine (what glnn.render() uses): one GL context for every test in this process;
    engines that tests make for themselves are handed its context."""
    e = default_engine()
    try:
        e.context
    except GLUnavailable as err:
        # A missing context is a broken test machine, not a pass: fail loudly.
        pytest.fail(f"no OpenGL context for the GL tests: {err}")
    return e


@pytest.fixture(scope="session")
def ctx(engine):
    return engine.context


@pytest.fixture(scope="session")
def gl(engine):
    return engine.gl


@pytest.fixture(autouse=True)
def _gl_error_check(request):
    """Tests that use GL start and end with GL_NO_ERROR."""
    if not {"ctx", "gl", "engine"} & set(request.fixturenames):
        yield
        return
    c = request.getfixturevalue("ctx")
    assert c.error == "GL_NO_ERROR", "GL error left by an earlier test"
    yield
    assert c.error == "GL_NO_ERROR", "this test left a GL error"


FIGURES_SCALE = 0.25   # the figures the tests look at: glnn figures at a quarter of the size


@pytest.fixture(scope="session")
def figdir(tmp_path_factory):
    """glnn figures (in this process, at FIGURES_SCALE), written once for every test that looks at them."""
    from glnn.article import figures

    out = tmp_path_factory.mktemp("figs")
    figures.run(out, scale=FIGURES_SCALE)
    return out


@pytest.fixture
def run_glnn(tmp_path):
    """Run the real `glnn` console entry (python -m glnn) in a subprocess; returns CompletedProcess."""

    def run(*args, cwd=None, env=None, timeout=300):
        e = dict(os.environ, **(env or {}))
        return subprocess.run([sys.executable, "-m", "glnn", *map(str, args)], cwd=cwd or tmp_path,
                              capture_output=True, text=True, env=e, timeout=timeout)

    return run


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    """The glnn command in this process: cli(*args) -> (status, stdout, stderr), run in tmp_path through
    glnn.cli.main(argv) with the output captured; an argparse exit (SystemExit) is its status."""
    monkeypatch.chdir(tmp_path)

    def run(*args):
        from glnn.cli import main

        capsys.readouterr()
        extra = ""
        try:
            status = main([str(a) for a in args])
        except SystemExit as e:
            if e.code is None or isinstance(e.code, int):
                status = e.code or 0
            else:   # sys.exit("message"): Python prints it and exits 1
                status, extra = 1, f"{e.code}\n"
        out, err = capsys.readouterr()
        return status, out, err + extra

    return run



# ------------------------------------------------------------------ tools from outside Python
# Tests that need a program from outside Python are marked @pytest.mark.needs("chromium") (or node, xvfb,
# xdotool). One policy: where one is missing the test skips, and the run ends with one line that says what to
# install; under CI=true (CI installs them all: .ci/run) a missing tool fails the test instead.
TOOLS = {   # name: (what tells it is here, the Debian package)
    "chromium": (lambda: __import__("chromium").binary(), "chromium"),
    "node": (lambda: shutil.which("node"), "nodejs"),
    "npm": (lambda: shutil.which("npm"), "npm"),
    "xvfb": (lambda: shutil.which("Xvfb"), "xvfb"),
    "xdotool": (lambda: shutil.which("xdotool"), "xdotool"),
}
NEEDS = "glnn needs "   # how the skip reason starts (pytest_terminal_summary counts these)


def missing_tools(*tools) -> list:
    unknown = [t for t in tools if t not in TOOLS]
    if unknown:
        raise ValueError(f"@pytest.mark.needs: unknown tool(s) {unknown}; known: {', '.join(TOOLS)}")
    return [t for t in tools if not TOOLS[t][0]()]


def need(*tools) -> None:
    """Skip this test where any of `tools` is missing (fail under CI=true)."""
    missing = missing_tools(*tools)
    if not missing:
        return
    packages = " ".join(TOOLS[t][1] for t in missing)
    if os.environ.get("CI") == "true":
        pytest.fail(f"missing {', '.join(missing)} under CI=true: apt-get install {packages}", pytrace=False)
    pytest.skip(f"{NEEDS}{', '.join(missing)} (apt-get install {packages}; under CI=true this fails)")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before any fixture: a test marked needs(...) skips (or, under CI=true, fails) where a tool is missing."""
    for mark in item.iter_markers("needs"):
        need(*mark.args)


def pytest_terminal_summary(terminalreporter):
    """One line at the end: how many tests skipped for missing tools, and what to install. Reads the skip reports
    (in the controller under pytest-xdist too: the workers' reports arrive there)."""
    count, missing = 0, []
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = getattr(report, "longrepr", None)
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else ""
        reason = reason[len("Skipped: "):] if reason.startswith("Skipped: ") else reason
        if not reason.startswith(NEEDS):
            continue
        count += 1
        for tool in reason[len(NEEDS):].split(" (", 1)[0].split(", "):
            if tool not in missing:
                missing.append(tool)
    if count:
        missing.sort(key=list(TOOLS).index)
        packages = " ".join(TOOLS[t][1] for t in missing)
        terminalreporter.write_line(f"glnn: {count} test{'s' * (count != 1)} skipped: install {', '.join(missing)} "
                                    f"(apt-get install {packages}); CI=true fails them instead")
