"""glnn grid --html links the sheet by a URL: a "#", "%" or space in the file name is part of the name (the page
shows the sheet in Chromium), and the page in another folder than the sheet finds it by its relative path."""
import re

import pytest

import chromium

needs_chromium = pytest.mark.needs("chromium")   # tests/conftest.py: skips where missing, fails under CI=true

PROBE = ('<script>addEventListener("load", () => { const i = document.querySelector(".sheet img"); '
         'document.body.dataset.loaded = i.complete && i.naturalWidth > 0 ? "yes" : "no"; });</script></body>')


@needs_chromium
@pytest.mark.parametrize("out,page,src", [("sheet #1 50%.png", "sheet #1.html", "sheet%20%231%2050%25.png"),
                                          ("pics/a#b.png", "pages/g.html", "../pics/a%23b.png")])
def test_grid_page_shows_the_sheet_whatever_its_name(run_glnn, tmp_path, out, page, src):
    for name in (out, page):
        (tmp_path / name).parent.mkdir(exist_ok=True)
    r = run_glnn("grid", "--vary", "seed=1:2", "--size", "24x16", "--depth", "2", "--width", "4", "--workers", "1",
                 "--backend", "cpu", "--html", page, "--out", out)
    assert r.returncode == 0, r.stderr
    text = (tmp_path / page).read_text()
    assert re.search(r'<img src="([^"]*)"', text).group(1) == src
    (tmp_path / page).write_text(text.replace("</body>", PROBE, 1))
    dom = chromium.dump_dom((tmp_path / page).as_uri(), budget_ms=2000)
    assert 'data-loaded="yes"' in dom, dom[-1500:]
