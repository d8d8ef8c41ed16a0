"""glnn breed (docs/lineage.md): three generations bred on the command line (a sheet, children of one of its cells,
crossovers of two cells of that), every cell re-rendered by `glnn render --from sheet.png --cell N` equal to the
cell, its lineage in glnn info; the --help examples run as they are written (smaller)."""
import time

import numpy as np
import pytest
from PIL import Image

from cli_checks import one_line_error
from glnn.cli import breed as breed_cli, main
from glnn.io.metadata import read_recipe_json
from glnn.io.recipe import read_recipe
from glnn.model import lineage as L

SMALL = ["--size", "24x24", "--children", "4", "--workers", "1", "--backend", "numpy", "--depth", "5",
         "--width", "12", "-q"]


def cell_pixels(sheet, n):
    x, y, w, h = read_recipe_json(str(sheet))["cells"][n - 1]["rect"]
    return np.asarray(Image.open(sheet).convert("RGB"), dtype=int)[y:y + h, x:x + w]


def rendered(tmp_path, sheet, n):
    out = tmp_path / f"cell{n}.png"
    assert main(["render", "--from", str(sheet), "--cell", str(n), "--out", str(out)]) == 0
    return np.asarray(Image.open(out).convert("RGB"), dtype=int)


def test_three_generations_each_cell_renders_again_and_says_its_lineage(tmp_path, capsys):
    g1, g2, g3 = (tmp_path / f"gen{i}.png" for i in (1, 2, 3))
    assert main(["breed", "--seed", "1", "--out", str(g1)] + SMALL) == 0
    assert main(["breed", "--from", str(g1), "--cell", "2", "--seed", "2", "--strength", "0.4",
                 "--out", str(g2)] + SMALL) == 0
    assert main(["breed", "--from", str(g2), "--cell", "1", "--cell", "3", "--seed", "3", "--out", str(g3)]
                + SMALL) == 0
    parent = read_recipe(g1, 2).network
    a, b = read_recipe(g2, 1).network, read_recipe(g2, 3).network
    assert a.lineage[:0] == () and len(a.lineage) == 1 and a.lineage[0].strength == 0.4 and a.seed == parent.seed
    for n in range(1, 5):
        child = read_recipe(g3, n).network
        assert len(child.lineage) == 3 and child.lineage[:1] == a.lineage
        x = child.lineage[1]
        assert isinstance(x, L.Cross) and x.mode == "unit" and x.seed == b.seed and x.lineage == b.lineage
        assert np.abs(rendered(tmp_path, g3, n) - cell_pixels(g3, n)).max() <= 2
        capsys.readouterr()
        assert main(["info", str(g3), "--cell", str(n)]) == 0
        out = capsys.readouterr().out
        assert "lineage: 3 generations (2 mutations, 1 crossover; 4 steps in all): " + L.to_text(child.lineage) in out
    assert np.abs(rendered(tmp_path, g2, 4) - cell_pixels(g2, 4)).max() <= 2
    # compact: the cells' recipes are their differences (a lineage each), not their weights
    assert "weights" not in read_recipe_json(str(g3))["base"]
    # again: the same bytes' worth of children (the seeds come from --seed)
    again = tmp_path / "again.png"
    assert main(["breed", "--from", str(g2), "--cell", "1", "--cell", "3", "--seed", "3", "--out", str(again)]
                + SMALL) == 0
    assert [c["set"] for c in read_recipe_json(str(again))["cells"]] == \
        [c["set"] for c in read_recipe_json(str(g3))["cells"]]


def test_help_examples_run(tmp_path, monkeypatch):
    from test_cli_help import command_line, examples
    monkeypatch.chdir(tmp_path)
    lines = examples(breed_cli.EXAMPLES.replace("  glnn", "examples:\n  glnn", 1))
    assert len(lines) == 4
    for line in lines + ["glnn render --from gen3.png --cell 5 --size 1920x1080 --out child.png",
                         "glnn info gen3.png --cell 5"]:   # the description's last words
        argv = command_line(line)
        small = {"breed": SMALL + ["--children", "8"], "render": ["--size", "32x18"]}.get(argv[0], [])
        assert main(argv + small) == 0, line
    assert Image.open("child.png").size == (32, 18)
    assert read_recipe("child.png").network == read_recipe("gen3.png", 5).network
    assert len(read_recipe("gen3b.png", 1).network.lineage) == 2   # crossovers alone (--strength 0)


@pytest.mark.parametrize("argv, message", [
    (["--cell", "2"], "--cell goes with --from"),
    (["--from", "PARENT", "--cell", "1", "--cell", "2", "--cell", "3"], "at most twice"),
    (["--from", "PARENT", "--cell", "1", "--strength", "0"], "--strength"),
    (["--from", "PARENT", "--cell", "1", "--strength", "1.5"], "--strength"),
    (["--from", "PARENT", "--cell", "9"], "--cell must be from 1 to 4"),
    (["--children", "0"], "--children"),
])
def test_bad_breeds_are_one_line_exit_2_no_file(tmp_path, capsys, argv, message):
    parent = tmp_path / "p.png"
    assert main(["breed", "--seed", "1", "--out", str(parent)] + SMALL) == 0
    capsys.readouterr()
    out = tmp_path / "o.png"
    argv = [str(parent) if a == "PARENT" else a for a in argv]
    one_line_error(main(["breed", "--out", str(out)] + SMALL + argv), capsys.readouterr().err, message)
    assert not out.exists()


def test_sheet_time_of_16_children_12x30_128(tmp_path):
    parent = tmp_path / "p.png"
    assert main(["render", "--size", "32x32", "--backend", "numpy", "--out", str(parent)]) == 0
    t = time.perf_counter()
    assert main(["breed", "--from", str(parent), "--seed", "5", "--workers", "1", "--backend", "numpy", "-q",
                 "--out", str(tmp_path / "s.png")]) == 0
    print(f"16 children of 12 x 30 at 128x128 (numpy, one process): {time.perf_counter() - t:.2f} s")


def test_the_readmes_breed_lines_are_the_help_examples_run_above():
    from test_cli_help import readme_lines
    readme = [l for l in readme_lines() if l.startswith("glnn breed ")]
    assert len(readme) == 4
    helped = [l.strip() for l in breed_cli.EXAMPLES.splitlines()]
    assert all(l in helped for l in readme)
