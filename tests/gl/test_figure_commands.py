"""The gallery's commands are what the figures' pictures say about themselves: each panel's (or animation's)
embedded recipe, its backend set back to auto, writes exactly the gallery's line (glnn/io/command.py)."""
import dataclasses
import shlex

import pytest

from glnn.article import figures
from glnn.io import metadata
from glnn.article.figures import BY_NUMBER
from glnn.io.recipe import from_json

SCALE = 0.1


def embedded(path):
    """The recipes inside a figure's file: one, or one per cell of a grid."""
    data = metadata.read_recipe_json(path)
    return [from_json(c, str(path)) for c in data["cells"]] if "cells" in data else [from_json(data, str(path))]


@pytest.mark.parametrize("number,supersample", [(6, 1), (16, 1), (19, 1), (20, 1), (22, 1), (23, 1), (19, 2), (20, 2)])
def test_gallery_lines_are_the_pictures_recipes(engine, tmp_path, number, supersample):
    fig = BY_NUMBER[number]
    figures.render_recipe(fig, tmp_path, SCALE, backend="cpu", engine=engine, supersample=supersample)
    lines = figures.commands(fig, SCALE, supersample)
    recipes = embedded(tmp_path / (f"{fig.name}.gif" if fig.kind == "animation" else f"{fig.name}.png"))
    assert len(lines) == len(recipes)
    for line, r in zip(lines, recipes):
        assert r.backend == "cpu" and "--backend cpu" in r.command()
        assert dataclasses.replace(r, backend="auto").command(out=shlex.split(line)[-1]) == line
