"""glnn bench --page --quick: a small case, one frame (seconds in headless Chromium, even on SwiftShader), and an
explicit case still wins over --quick. No timing assertions."""
import json

import pytest

from glnn.web.page_bench import PAGE_CASE, QUICK_CASE, page_case

needs_chromium = pytest.mark.needs("chromium")   # tests/conftest.py: skips where missing, fails under CI=true


def test_page_case_choice():
    assert page_case("standard", quick=False) == PAGE_CASE == "27x30@1280x720"
    assert page_case("standard", quick=True) == QUICK_CASE
    assert page_case("3x4@20x10", quick=True) == "3x4@20x10"


@needs_chromium
@pytest.mark.parametrize("args,case,size", [(("--page", "--quick"), "8x16 320x180", [320, 180]),
                                            (("--quick", "--page", "2x4@40x20"), "2x4 40x20", [40, 20])])
def test_bench_page_quick_is_small(run_glnn, args, case, size):
    r = run_glnn("bench", *args, "--json", timeout=600)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["case"] == case and data["size"] == size and data["frames"] == 1
    assert data["ms"] > 0
