"""examples/article_tour.ipynb, the article as a notebook, runs on a real kernel (nbclient + ipykernel): any cell
that raises fails the test; its pictures, the live widget and the sheet come out."""
import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="the test extra: pip install 'glnn[test]'")
nbclient = pytest.importorskip("nbclient", reason="the test extra: pip install 'glnn[test]'")
pytest.importorskip("ipykernel", reason="the test extra: pip install 'glnn[test]'")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "examples" / "article_tour.ipynb"


def test_article_notebook_runs_on_a_kernel(tmp_path, monkeypatch):
    # the kernel is a new process: it finds this tree's glnn as the tests do (and the tests' XDG_CACHE_HOME)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit the notebook without outputs"
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=False,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()   # CellExecutionError on the first cell that raises
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    pictures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(pictures) == 11, len(pictures)   # every picture cell
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs), "no live widget"
    assert (tmp_path / "sheet.png").exists() and (tmp_path / "sheet.html").exists()
    texts = "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "glnn render --seed 12 --depth 27" in texts and "uniform" in texts and "he" in texts
