"""glnn figures: every recipe renders (reduced size), layouts have their gutters, shared networks are shared,
and the gallery shows every image in a real headless Chromium."""
import json

import numpy as np
import pytest
from PIL import Image

from cli_checks import one_line_error
from glnn.article import figures
from glnn.article.figures import BY_NUMBER, RECIPES

SCALE = 0.25


def white_gutters(img, axis):
    """Indices of full-white lines (columns for axis=0, rows for axis=1), grouped into runs."""
    a = np.asarray(img.convert("RGB")).astype(int)
    white = (a >= 250).all(axis=2).all(axis=axis)
    runs, start = [], None
    for i, w in enumerate(white):
        if w and start is None:
            start = i
        if not w and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(white)))
    return runs


def test_the_articles_twenty_figures_then_ours_with_captions():
    assert [r.number for r in RECIPES] == list(range(1, len(RECIPES) + 1)) and figures.ARTICLE == 20
    assert len(RECIPES) >= 23 and all(r.caption and r.title for r in RECIPES)


def test_beyond_the_article_figures_show_probes(figdir):
    text = (figdir / "index.html").read_text()
    assert text.index('id="beyond"') < text.index('id="fig21"') and text.index('id="fig20"') < text.index('id="beyond"')
    from glnn.io.recipe import read_recipe
    assert read_recipe(figdir / "fig23.png").probe == "units:6"
    assert read_recipe(figdir / "fig22.png", cell=2).probe == "regions"
    assert "--probe regions" in "\n".join(figures.commands(BY_NUMBER[22]))


def panel_size(r):
    """A figure's panel in pixels at the tests' reduced size (glnn figures --resolution-scale SCALE)."""
    return max(8, int(round(r.panel[0] * SCALE))), max(8, int(round(r.panel[1] * SCALE)))


def rerendered(recipe):
    """A picture's recipe rendered again through the public API, as 8-bit RGB: what the panel should be."""
    import glnn
    from glnn.model import colour

    v = recipe.view
    if recipe.probe:
        img = glnn.probe_image(recipe.network, recipe.probe, size=v.size, center=v.center, extent=v.extent,
                               time=v.time, backend=recipe.backend)
        return np.asarray(img.convert("RGB")).astype(int)
    raw = glnn.default_engine().render(recipe.network, v, recipe.backend, supersample=recipe.supersample)
    out = colour.to_uint8(raw, recipe.colour).astype(int)
    return np.repeat(out, 3, axis=2) if out.shape[2] == 1 else out


def same_picture(a, b):
    """Equal up to one 8-bit step (a panel and its re-render are the same floats up to rounding)."""
    return a.shape == b.shape and np.abs(a - b).max() <= 1 and (a != b).mean() < 0.01


def test_every_figure_is_written(figdir):
    """Each figure is what its recipe says: its size, its panels (each one distinct, each one the render of the
    recipe it carries), its animation's frames; plots are ink on white."""
    from glnn.io import metadata
    from glnn.io.recipe import read_recipe

    for r in RECIPES:
        png = figdir / f"{r.name}.png"
        assert png.is_file(), png
        img = Image.open(png)
        a = np.asarray(img.convert("RGB")).astype(int)
        w, h = panel_size(r)
        if r.kind == "plot":   # plots (glnn/io/plots.py): ink on a white page
            assert (a >= 250).all(axis=2).mean() > 0.3 and (a.max(axis=2) < 100).any(), f"{png.name}: no ink"
            continue
        data = metadata.read_recipe_json(png)
        cells = data.get("cells")
        if not cells:   # one panel: the picture is its recipe's render
            assert img.size == (w, h), (png.name, img.size)
            assert same_picture(a, rerendered(read_recipe(png))), png.name
        else:
            rects = [c["rect"] for c in cells]
            assert len(rects) == len(r.panel_specs()) and all((rw, rh) == (w, h) for _, _, rw, rh in rects), png.name
            gutter = max(1, int(round(r.gutter * SCALE)))
            assert img.size[0] == r.cols * w + (r.cols - 1) * gutter, (png.name, img.size)
            panels = [a[y:y + ph, x:x + pw] for x, y, pw, ph in rects]
            distinct = {p.tobytes() for p in panels}
            assert len(distinct) == len(panels), f"{png.name}: two panels are the same picture"
            for i in sorted({0, len(cells) // 2, len(cells) - 1}):   # first, middle and last cells
                assert same_picture(panels[i], rerendered(read_recipe(png, cell=i + 1))), (png.name, i + 1)
        if r.kind == "animation":
            gif = Image.open(figdir / f"{r.name}.gif")
            assert gif.n_frames == r.frames and gif.size == (w, h)
            frames = []
            for i in (0, r.frames // 2):
                gif.seek(i)
                frames.append(np.asarray(gif.convert("RGB")).astype(int))
            assert np.abs(frames[0] - frames[1]).mean() > 1, f"{r.name}.gif does not move"


@pytest.mark.parametrize("number,rows,cols", [(6, 1, 5), (7, 2, 3), (8, 2, 3), (9, 4, 10), (10, 6, 3), (14, 2, 4),
                                              (15, 2, 3), (18, 3, 3), (19, 3, 3)])
def test_grid_layouts_found_by_their_gutters(figdir, number, rows, cols):
    img = Image.open(figdir / f"fig{number:02d}.png")
    # inner gutters only: the panels run to the edges (rows of labelled figures end in a strip with the label)
    assert len(white_gutters(img, axis=0)) == cols - 1
    if not BY_NUMBER[number].label:
        assert len(white_gutters(img, axis=1)) == rows - 1
    # the recipe's cells say the same: distinct columns and rows, panels inside the picture, not overlapping
    from glnn.io import metadata

    rects = [c["rect"] for c in metadata.read_recipe_json(figdir / f"fig{number:02d}.png")["cells"]]
    panel_cols = cols - BY_NUMBER[number].arrow   # figure 6's arrow has a cell of its own, with no recipe
    assert len({r[0] for r in rects}) == panel_cols and len({r[1] for r in rects}) == rows
    assert all(x + w <= img.size[0] and y + h <= img.size[1] for x, y, w, h in rects)


def test_labelled_panels_show_their_values(figdir):
    """Labels sit under the panels, never on them: a panel's pixels are its picture alone."""
    a = np.asarray(Image.open(figdir / "fig19.png").convert("RGB")).astype(int)
    from glnn.io import metadata

    cells = metadata.read_recipe_json(figdir / "fig19.png")["cells"]
    x, y, w, h = cells[0]["rect"]
    strip = a[y + h:y + h + 8, x:x + w]
    assert (strip < 200).any() and (strip >= 250).mean() > 0.5    # grey text on white
    assert BY_NUMBER[19].label.format(**BY_NUMBER[19].panel_specs()[1]) == "s = 0.545"


def test_single_panels_have_no_gutters(figdir):
    for n in (1, 11, 12, 16, 17):
        img = Image.open(figdir / f"fig{n:02d}.png")
        assert white_gutters(img, 0) == [] and white_gutters(img, 1) == []
    w, h = Image.open(figdir / "fig01.png").size
    assert 2.5 < w / h < 2.9


def weights_of(spec, tmp_path, name):
    net = figures.panel_recipe(spec, (8, 8)).network
    net.save(tmp_path / name)
    return dict(np.load(tmp_path / name))


def test_same_network_figures_share_weights(tmp_path):
    """Figures 9, 10-12 and 17-19 show one network each: compare saved weights (deeper keeps layers)."""
    f10 = BY_NUMBER[10].panel_specs()
    deepest = weights_of(f10[-1], tmp_path, "f10.npz")
    for other in (BY_NUMBER[11].panel_specs()[0], BY_NUMBER[12].panel_specs()[0], BY_NUMBER[17].panel_specs()[0]):
        w = weights_of(other, tmp_path, "o.npz")
        for i in range(17):  # the 17 hidden layers of the depth-18 network
            np.testing.assert_array_equal(w[f"W{i}"], deepest[f"W{i}"])
    spec18 = BY_NUMBER[18].panel_specs()
    assert len({json.dumps({k: v for k, v in s.items() if k != "extent"}, sort_keys=True) for s in spec18}) == 1
    spec19 = BY_NUMBER[19].panel_specs()
    a, b = weights_of(spec19[0], tmp_path, "a.npz"), weights_of(spec19[-1], tmp_path, "b.npz")
    np.testing.assert_allclose(a["W5"] * 2, b["W5"], rtol=1e-6)   # scale 0.5 -> 1.0: the same draws
    rows9 = [BY_NUMBER[9].panel_specs()[10 * r:10 * r + 10] for r in range(4)]
    for row in rows9:
        last = weights_of(row[-1], tmp_path, "r.npz")
        mid = weights_of(row[4], tmp_path, "m.npz")
        for i in range(4):
            np.testing.assert_array_equal(mid[f"W{i}"], last[f"W{i}"])
    assert len({row[0]["seed"] for row in rows9}) == 4


@pytest.mark.parametrize("args,msg", [(["--only", "99"], "no figure 99"), (["--only", "x"], "not a figure number"),
                                      (["--resolution-scale", "0"], "resolution-scale")])
def test_bad_figure_flags(cli, tmp_path, args, msg):
    status, _, err = cli("figures", "--out", "f", *args)
    one_line_error(status, err, msg)
    assert list(tmp_path.iterdir()) == []


def test_gallery_keeps_every_figure_in_the_folder(figdir):
    figures.run(figdir, only="13", scale=SCALE)
    text = (figdir / "index.html").read_text()
    assert all(f'id="{r.name}"' in text for r in RECIPES)
    assert "images:" not in text and "<details>" in text     # no self-check line; long command lists fold


def test_commands_say_what_the_figure_shows():
    six = figures.commands(BY_NUMBER[6])
    assert ["--color red" in six[0], "--color green" in six[1], "--color blue" in six[2]] == [True] * 3
    assert "--color" not in six[3]
    nineteen = " ".join(figures.commands(BY_NUMBER[19]))
    assert "--scale 0.5452538663326288 " in nineteen   # the float itself, as the picture's recipe says it
    twenty = figures.commands(BY_NUMBER[20])[0]
    assert "--scale" not in twenty.split("--sweep")[0]    # the sweep sets the scale
