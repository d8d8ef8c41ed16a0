"""auto's real measurement (the engine's default timer, real renders on gl and cpu): slow on software GL, so in
the system tier; tests/gl/test_engine.py tests the logic with a fake timer."""
import json

import pytest

from glnn import Engine

pytestmark = pytest.mark.system


def test_auto_measures_for_real_and_caches(ctx, tmp_path):
    choice = Engine(ctx=ctx, cache_dir=tmp_path).auto_choice()
    assert choice["fused"] in ("gl", "cpu") and choice["layered"] in ("gl", "cpu")
    assert "fused probe" in choice["why"] and "layered probe" in choice["why"] and " ms" in choice["why"]
    assert json.loads((tmp_path / "auto-backend.json").read_text())["key"] == choice["key"]
