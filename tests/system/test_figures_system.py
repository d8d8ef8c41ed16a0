"""glnn figures through the real console entry, and the gallery in a real headless Chromium."""
import html
import subprocess

import pytest

from chromium import binary as chromium
from glnn.article.figures import RECIPES


def test_commands_cover_every_recipe(run_glnn):
    r = run_glnn("figures", "--commands")
    assert r.returncode == 0
    for rec in RECIPES:
        assert f"# {rec.name}" in r.stdout
    assert "glnn animate" in r.stdout and "glnn render --seed" in r.stdout


@pytest.mark.needs("chromium")   # tests/conftest.py: skips where missing, fails under CI=true
def test_gallery_shows_every_image_in_headless_chromium(figdir, tmp_path):
    page = figdir / "index.html"
    text = page.read_text()
    for r in RECIPES:
        assert f'src="{r.name}.png"' in text, r.name
        assert html.escape(r.caption) in text, r.name
    profile = tmp_path / "profile"
    r = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", "--allow-file-access-from-files",
                        "--virtual-time-budget=10000", "--dump-dom", page.as_uri()],
                       capture_output=True, text=True, timeout=120)
    expected = sum(2 if rec.kind == "animation" else 1 for rec in RECIPES)
    assert f'data-images="{expected} broken 0"' in r.stdout, (r.stdout[:300], r.stderr[-2000:])


def test_figures_command_with_defaults(run_glnn, tmp_path):
    r = run_glnn("figures", "--out", "f", "--only", "11,13", "--resolution-scale", "0.1", "-q")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "f").iterdir()) == ["fig11.png", "fig13.png", "index.html", "playground.html"]
